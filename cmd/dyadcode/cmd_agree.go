package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"dyadcode/annotate"
	"dyadcode/annotate/agreement"
	"dyadcode/app"
)

func init() {
	register(&command{
		name: "agree",
		args: "A.csv B.csv [C.csv ...] | PROJECT.dyad|LAB-URL --video VIDEO [--coders NAME,NAME] [--slice 0.1] [--tolerance 0.5] [--duration S] [--format text|json|csv]",
		summary: "Inter-rater agreement between coders of the same video.\n" +
			"Time-slice Cohen's κ (composite categories and per behaviour), event agreement\n" +
			"with an onset tolerance, Fleiss' κ for three or more coders, per episode and for\n" +
			"the whole session; ratings get weighted κ and ICC. The first coder is the\n" +
			"reference (A). CSV inputs are exports or the minimal behavior,start_s,end_s form.\n" +
			"Methods: docs/agreement.md.",
		run: runAgree,
	})
}

func runAgree(env *cmdEnv, args []string) error {
	c := commands["agree"]
	fs := newFlags(env, c)
	slice := fs.String("slice", "0.1", "slice width in seconds")
	tol := fs.String("tolerance", "0.5", "onset tolerance in seconds for event matching (0: identical onsets)")
	dur := fs.String("duration", "", "video duration in seconds (default: the video's, else the latest coded time)")
	format := fs.String("format", "text", "output: text, json or csv")
	video := fs.String("video", "", "with a project: the video (path, file name or ID)")
	coderList := fs.String("coders", "", "with a project: the coders to compare, comma-separated, reference first")
	schemeFile := fs.String("scheme", "", "with CSV files: a coding scheme (JSON) for behaviour kinds, subjects and rating scales")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	opt := agreement.Options{}
	if opt.Slice, err = parsePositive("--slice", *slice); err != nil {
		return err
	}
	switch t, err := annotate.ParseSeconds(*tol); {
	case err != nil:
		return usagef("--tolerance: %v", err)
	case t < 0:
		return usagef("--tolerance %s is negative", *tol)
	case t == 0:
		opt.Tolerance = agreement.ExactOnsets
	default:
		opt.Tolerance = t
	}
	if *dur != "" {
		if opt.End, err = parsePositive("--duration", *dur); err != nil {
			return err
		}
	}
	switch *format {
	case "text", "json", "csv":
	default:
		return usagef("unknown --format %q (text, json or csv)", *format)
	}
	if len(pos) == 0 {
		return usagef("give two or more CSV files, or a project and --video")
	}

	var in app.AgreementInput
	if app.IsLabURL(pos[0]) || strings.EqualFold(filepath.Ext(pos[0]), ".dyad") {
		if len(pos) != 1 {
			return usagef("give one project file (got %d arguments)", len(pos))
		}
		if *video == "" {
			return usagef("with a project, --video names the video to compare")
		}
		if *schemeFile != "" {
			return usagef("--scheme is for CSV files; a project has its own scheme")
		}
		load := app.LoadAgreement
		if app.IsLabURL(pos[0]) {
			load = app.LoadLabAgreement // live data on the lab server
		}
		if in, err = load(pos[0], *video, app.SplitIDs(*coderList)); err != nil {
			return err
		}
	} else {
		if *video != "" || *coderList != "" {
			return usagef("--video and --coders apply to a project file, not to CSV files")
		}
		if in, err = app.LoadAgreementFiles(pos, *schemeFile); err != nil {
			return err
		}
	}
	rep, err := app.Agree(in, opt)
	if err != nil {
		return err
	}
	switch *format {
	case "json":
		data, err := json.MarshalIndent(rep, "", "  ")
		if err != nil {
			return fmt.Errorf("encode report: %w", err)
		}
		_, err = fmt.Fprintf(env.stdout, "%s\n", data)
		return err
	case "csv":
		// The CSV has no room for warnings; they go to stderr.
		for _, w := range rep.Warnings {
			fmt.Fprintf(env.stderr, "dyadcode agree: warning: %s\n", w)
		}
		return rep.CSV(env.stdout)
	}
	return rep.Text(env.stdout)
}

func parsePositive(flag, s string) (annotate.Time, error) {
	t, err := annotate.ParseSeconds(s)
	if err != nil {
		return 0, usagef("%s: %v", flag, err)
	}
	if t <= 0 {
		return 0, usagef("%s must be more than 0 s, got %s", flag, s)
	}
	return t, nil
}
