package main

import (
	"io"

	"dyadcode/annotate/metrics"
	"dyadcode/app"
)

func init() {
	register(&command{
		name: "metrics",
		args: "PROJECT.dyad|LAB-URL|FILE.csv... [-o FILE.csv] [--long] [--observation ID[,ID...]]",
		summary: `Compute per-episode metrics: counts, rates, durations, latencies, derived measures and ratings.
One row per observation × episode plus a "session" row (wide CSV), or one row
per measure with --long. Empty cells are missing values; see docs/metrics.md.
Instead of a project, dyadcode CSV exports can be given (scheme: --scheme or
the default Strange Situation scheme).`,
		run: runMetrics,
	})
}

func runMetrics(env *cmdEnv, args []string) error {
	c := commands["metrics"]
	fs := newFlags(env, c)
	out := fs.String("o", "", "write the CSV to this file instead of standard output")
	long := fs.Bool("long", false, "long format: video,observation,coder,episode,measure,value,censored")
	sel := fs.String("observation", "", "only these observations (comma-separated IDs)")
	schemePath := fs.String("scheme", "", "coding scheme JSON for CSV input (default: the bundled Strange Situation scheme)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("need a project or CSV files")
	}
	in, err := loadCoded(pos, *sel, *schemePath)
	if err != nil {
		return err
	}
	rows, err := app.Metrics(in)
	if err != nil {
		return err
	}
	write := metrics.WriteWide
	if *long {
		write = metrics.WriteLong
	}
	return writeOutput(env, *out, func(w io.Writer) error { return write(w, rows) })
}
