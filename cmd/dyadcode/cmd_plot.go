package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"dyadcode/annotate"
	"dyadcode/annotate/plot"
)

func init() {
	register(&command{
		name: "plot",
		args: "PROJECT.dyad|FILE.csv... --observation ID[,ID...] -o FILE.png|FILE.svg",
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
	var f *plot.Figure
	if len(in.Obs) == 1 {
		o := in.Obs[0]
		t := *title
		if t == "" {
			t = fmt.Sprintf("%s — %s (observation %s)", o.Video, o.Obs.Coder, o.Obs.ID)
		}
		f, err = plot.Events(o.Obs, in.Scheme, o.End, t)
	} else {
		var list []*annotate.Observation
		var end annotate.Time
		var coders []string
		for _, o := range in.Obs {
			if o.Video != in.Obs[0].Video {
				return fmt.Errorf("observations %s and %s code different videos (%s, %s): a comparison needs one video",
					in.Obs[0].Obs.ID, o.Obs.ID, in.Obs[0].Video, o.Video)
			}
			list = append(list, o.Obs)
			end = max(end, o.End)
			coders = append(coders, o.Obs.Coder)
		}
		t := *title
		if t == "" {
			t = in.Obs[0].Video + ": " + strings.Join(coders, " / ")
		}
		f, err = plot.Compare(list, in.Scheme, end, t)
	}
	if err != nil {
		return err
	}
	return writeOutput(env, *out, func(w io.Writer) error { return f.Write(w, format) })
}
