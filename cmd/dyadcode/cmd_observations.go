package main

import (
	"fmt"
	"path/filepath"
	"text/tabwriter"

	"dyadcode/app"
)

func init() {
	register(&command{
		name: "observations",
		args: "PROJECT.dyad",
		summary: `List a project's observations with their IDs.
Shows the ID (for export --observation and agree --coders), video, coder,
number of events and when it was last changed (local time).`,
		run: runObservations,
	})
}

func runObservations(env *cmdEnv, args []string) error {
	c := commands["observations"]
	fs := newFlags(env, c)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("need one project (got %d arguments)", len(pos))
	}
	p, err := app.OpenProject(pos[0], true)
	if err != nil {
		return err
	}
	defer p.Close()
	infos, err := p.Observations()
	if err != nil {
		return err
	}
	if len(infos) == 0 {
		fmt.Fprintf(env.stdout, "%s has no observations yet (add one with 'dyadcode import' or in the coding window)\n", pos[0])
		return nil
	}
	// A VIEWS column only when some session has further cameras.
	views, err := viewsColumn(p, infos)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
	head := "ID\tVIDEO\tCODER\tEVENTS\tMODIFIED"
	if views != nil {
		head += "\tVIEWS"
	}
	fmt.Fprintln(tw, head)
	for _, in := range infos {
		video := in.Video
		if in.VideoPath != "" {
			video = in.Video + " " + filepath.Base(in.VideoPath)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s", in.ID, video, in.Coder, in.Events, in.Modified.Local().Format("2006-01-02 15:04:05"))
		if views != nil {
			fmt.Fprintf(tw, "\t%s", views[in.ID])
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}
