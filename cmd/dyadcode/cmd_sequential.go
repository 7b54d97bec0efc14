package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"dyadcode/annotate"
	"dyadcode/annotate/sequential"
	"dyadcode/app"
)

func init() {
	register(&command{
		name: "sequential",
		args: "PROJECT.dyad|LAB-URL|FILE.csv... [--observation IDS] [--codes a,b,c] [--lag N] [--no-self] [--given G --target T --window LO:HI --slice W] [--duration S] [--episode NAME] [--from S --to S] [--per-episode] [--permutations N --seed S] [--format text|json|csv] [-o FILE]",
		summary: "Sequential analysis: what follows what, beyond chance.\n" +
			"The lag table of the codes' onsets (counts, transitional probabilities, expected\n" +
			"counts, adjusted residuals, Yule's Q; self-transitions as structural zeros with\n" +
			"--no-self; a seeded permutation test of Q) and, with --given and --target, the\n" +
			"time-window contingency (is T within [LO, HI) s of G's onsets more often than\n" +
			"elsewhere?). Observations are pooled; a sequence never crosses from one into the\n" +
			"next. Undefined statistics are NA (text), empty (CSV), null (JSON).\n" +
			"Methods: docs/sequential.md.",
		run: runSequential,
	})
}

func runSequential(env *cmdEnv, args []string) error {
	c := commands["sequential"]
	fs := newFlags(env, c)
	sel := fs.String("observation", "", "only these observations (comma-separated IDs)")
	codes := fs.String("codes", "", "the codes of the lag table, comma-separated, in tie order (default: every behaviour of the scheme)")
	lag := fs.Int("lag", 1, "lag L: pair each event with the one L places on")
	noSelf := fs.Bool("no-self", false, "self-transitions are structural zeros (expected counts by iterative proportional fitting)")
	given := fs.String("given", "", "time window: the given code G")
	target := fs.String("target", "", "time window: the target code T")
	window := fs.String("window", "0:5", "time window [LO, HI) in seconds relative to each onset of G (LO may be negative)")
	slice := fs.String("slice", "1", "time window: the time unit in seconds")
	dur := fs.String("duration", "", "session duration in seconds (default: each video's, else the latest coded time)")
	episode := fs.String("episode", "", "only the spans of this episode")
	from := fs.String("from", "", "only from this time on, in seconds")
	to := fs.String("to", "", "only before this time, in seconds")
	perEpisode := fs.Bool("per-episode", false, "also run both analyses for every episode")
	perms := fs.Int("permutations", 0, "permutation test of every cell's Yule's Q with this many shuffles (0: none)")
	seed := fs.Uint64("seed", 1, "seed of the permutation test")
	format := fs.String("format", "text", "output: text, json or csv")
	out := fs.String("o", "", "write to this file instead of standard output")
	schemePath := fs.String("scheme", "", "coding scheme JSON for CSV input (default: the bundled Strange Situation scheme)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	opt := sequential.Options{Lag: *lag, NoSelf: *noSelf, Episode: *episode, PerEpisode: *perEpisode, Permutations: *perms, Seed: *seed}
	if *lag < 1 {
		return usagef("--lag must be 1 or more, got %d", *lag)
	}
	if *perms < 0 {
		return usagef("--permutations must not be negative, got %d", *perms)
	}
	for _, s := range strings.Split(*codes, ",") {
		if s = strings.TrimSpace(s); s != "" {
			opt.Codes = append(opt.Codes, s)
		}
	}
	if *dur != "" {
		if opt.Duration, err = parsePositive("--duration", *dur); err != nil {
			return err
		}
	}
	for _, f := range []struct {
		name, val string
		dst       *annotate.Time
	}{{"--from", *from, &opt.From}, {"--to", *to, &opt.To}} {
		if f.val == "" {
			continue
		}
		if *f.dst, err = annotate.ParseSeconds(f.val); err != nil {
			return usagef("%s: %v", f.name, err)
		}
		if *f.dst < 0 {
			return usagef("%s %s is negative", f.name, f.val)
		}
	}
	if opt.To != 0 && opt.To <= opt.From {
		return usagef("--to must be after --from")
	}
	switch {
	case *given != "" && *target != "":
		ws := &sequential.WindowSpec{Given: *given, Target: *target}
		if ws.Lo, ws.Hi, err = parseWindow(*window); err != nil {
			return err
		}
		if ws.Unit, err = parsePositive("--slice", *slice); err != nil {
			return err
		}
		opt.Window = ws
	case *given != "" || *target != "":
		return usagef("a time window needs both --given and --target")
	}
	switch *format {
	case "text", "json", "csv":
	default:
		return usagef("unknown --format %q (text, json or csv)", *format)
	}
	if len(pos) == 0 {
		return usagef("need a project or CSV files")
	}
	in, err := loadCoded(pos, *sel, *schemePath)
	if err != nil {
		return err
	}
	rep, err := app.Sequential(in, opt)
	if err != nil {
		return err
	}
	return writeOutput(env, *out, func(w io.Writer) error {
		switch *format {
		case "json":
			data, err := json.MarshalIndent(rep, "", "  ")
			if err != nil {
				return fmt.Errorf("encode report: %w", err)
			}
			_, err = fmt.Fprintf(w, "%s\n", data)
			return err
		case "csv":
			// The CSV has no room for warnings; they go to stderr.
			for _, s := range rep.Warnings {
				fmt.Fprintf(env.stderr, "dyadcode sequential: warning: %s\n", s)
			}
			return rep.CSV(w)
		}
		return rep.Text(w)
	})
}

// parseWindow reads "LO:HI" in seconds; LO may be negative, HI > LO.
func parseWindow(s string) (lo, hi annotate.Time, err error) {
	a, b, ok := strings.Cut(s, ":")
	if !ok {
		return 0, 0, usagef("--window %q is not LO:HI (seconds, e.g. 0:5 or -2:0)", s)
	}
	if lo, err = annotate.ParseSeconds(a); err != nil {
		return 0, 0, usagef("--window: %v", err)
	}
	if hi, err = annotate.ParseSeconds(b); err != nil {
		return 0, 0, usagef("--window: %v", err)
	}
	if hi <= lo {
		return 0, 0, usagef("--window %s is empty: HI must be more than LO", s)
	}
	return lo, hi, nil
}
