package main

import (
	"errors"
	"fmt"
	"io"

	"dyadcode/annotate/eaf"
	"dyadcode/app"
)

func init() {
	register(&command{
		name: "export",
		args: "PROJECT.dyad [--observation ID[,ID...]] [-o FILE] [--format csv|...]",
		summary: `Export observations as tidy CSV for R, SPSS or pandas (or another format).
Every observation, or those given by ID (see 'dyadcode observations'). The default is dyadcode's tidy CSV (one row per event,
header project,video,observation,coder,subject,behavior,kind,start_s,end_s,
duration_s,episode,modifiers,comment; reads into R and pandas with no
options) on standard output; -o writes a file, whole or not at all, in the
format its extension names unless --format says otherwise.`,
		run: runExport,
	})
}

func runExport(env *cmdEnv, args []string) error {
	c := commands["export"]
	fs := newFlags(env, c)
	out := fs.String("o", "", "write to this file instead of standard output")
	sel := fs.String("observation", "", "only these observations (comma-separated IDs)")
	formatName := fs.String("format", "", "file format: "+app.FormatNames()+" (default: by the -o extension, else csv)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("need one project (got %d arguments)", len(pos))
	}
	if *out == "-" {
		*out = ""
	}
	name := *formatName
	if name == "" && *out == "" {
		name = "csv"
	}
	f, err := formatFor(name, *out)
	if err != nil {
		return err
	}
	if f.Write == nil {
		return usagef("the %s %v", f.Name, app.ErrImportOnly)
	}
	p, err := app.OpenProject(pos[0], true)
	if err != nil {
		return err
	}
	defer p.Close()
	recs, err := app.Transfers(p, app.SplitIDs(*sel), nil)
	if err != nil {
		return err
	}
	scheme := p.Scheme()
	err = writeOutput(env, *out, func(w io.Writer) error { return f.Write(w, recs, scheme) })
	if errors.Is(err, eaf.ErrSeveralVideos) {
		// The one refusal a project export commonly meets, with the
		// command line's remedy.
		return fmt.Errorf("%w; choose one video's observations with --observation ID[,ID...] (see 'dyadcode observations')", err)
	}
	return err
}
