package main

import (
	"io"
	"path/filepath"
	"strings"

	"dyadcode/app"
)

func init() {
	register(&command{
		name: "plot",
		args: "PROJECT.dyad|LAB-URL|FILE.csv... --observation ID[,ID...] -o FILE.png|FILE.svg",
		summary: `Draw an event plot: one lane per behaviour grouped by subject, episodes as bands.
With several observation IDs (coders of the same video), draw their lanes
stacked for comparison.`,
		run: runPlot,
	})
}

func runPlot(env *cmdEnv, args []string) error {
	c := commands["plot"]
	fs := newFlags(env, c)
	out := fs.String("o", "", "output file, .png or .svg (required)")
	sel := fs.String("observation", "", "observation ID; several (comma-separated) give a comparison plot")
	schemePath := fs.String("scheme", "", "coding scheme JSON for CSV input")
	title := fs.String("title", "", "plot title (default: video and coder)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("need a project or CSV files")
	}
	if *out == "" {
		return usagef("need -o FILE.png or -o FILE.svg")
	}
	format := strings.TrimPrefix(strings.ToLower(filepath.Ext(*out)), ".")
	if format != "png" && format != "svg" {
		return usagef("-o %s: the plot is written as .png or .svg", *out)
	}
	in, err := loadCoded(pos, *sel, *schemePath)
	if err != nil {
		return err
	}
	if *sel == "" && len(in.Obs) > 1 {
		return usagef("%s has %d observations (%s): choose with --observation", in.Source, len(in.Obs), obsIDs(in.Obs))
	}
	f, err := app.Plot(in, *title)
	if err != nil {
		return err
	}
	return writeOutput(env, *out, func(w io.Writer) error { return f.Write(w, format) })
}
