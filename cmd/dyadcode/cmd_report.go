package main

import (
	"fmt"
	"io"
	"time"

	"dyadcode/annotate/report"
	"dyadcode/app"
)

func init() {
	register(&command{
		name: "report",
		args: "PROJECT.dyad|LAB-URL|FILE.csv... -o report.html [--observation ID[,ID...]]",
		summary: `Write the supervisor's report: one self-contained HTML file with, per video,
the coders' agreement and a comparison plot, and per observation its event
plot, metrics and lag-1 sequential analysis.`,
		run: runReport,
	})
}

func runReport(env *cmdEnv, args []string) error {
	c := commands["report"]
	fs := newFlags(env, c)
	out := fs.String("o", "", "output HTML file (required)")
	sel := fs.String("observation", "", "only these observations (comma-separated IDs)")
	schemePath := fs.String("scheme", "", "coding scheme JSON for CSV input")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("need a project or CSV files")
	}
	if *out == "" {
		return usagef("need -o report.html")
	}
	in, err := loadCoded(pos, *sel, *schemePath)
	if err != nil {
		return err
	}
	ri := app.ReportInput(in, time.Now())
	if err := writeOutput(env, *out, func(w io.Writer) error { return report.Write(w, ri) }); err != nil {
		return err
	}
	fmt.Fprintf(env.stderr, "wrote %s: %d observation(s)\n", *out, len(in.Obs))
	return nil
}
