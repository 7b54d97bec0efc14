package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"dyadcode/annotate"
	"dyadcode/annotate/csvio"
	"dyadcode/annotate/eaf"
	"dyadcode/app"
)

func init() {
	register(&command{
		name: "export",
		args: "PROJECT.dyad|LAB-URL [--observation ID[,ID...]] [-o FILE] [--format csv|...] [--excel]",
		summary: `Export observations as tidy CSV for R, SPSS or pandas (or another format).
Every observation, or those given by ID (see 'dyadcode observations'). The default is dyadcode's tidy CSV (one row per event,
header project,video,observation,coder,subject,behavior,kind,start_s,end_s,
duration_s,episode,modifiers,comment; reads into R and pandas with no
options) on standard output; -o writes a file, whole or not at all, in the
format its extension names unless --format says otherwise. --excel starts the
CSV with a UTF-8 byte-order mark, so Excel on Windows shows accents intact.`,
		run: runExport,
	})
}

func runExport(env *cmdEnv, args []string) error {
	c := commands["export"]
	fs := newFlags(env, c)
	out := fs.String("o", "", "write to this file instead of standard output")
	sel := fs.String("observation", "", "only these observations (comma-separated IDs)")
	formatName := fs.String("format", "", "file format: "+app.FormatNames()+" (default: by the -o extension, else csv)")
	excel := fs.Bool("excel", false, "CSV for Excel: start with a UTF-8 byte-order mark so Excel keeps accents (csv only)")
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
	write := f.Write
	if *excel {
		if f.Name != "csv" {
			return usagef("--excel is for the csv format, not %s", f.Name)
		}
		write = func(w io.Writer, recs []annotate.Transfer, s *annotate.Scheme) error {
			return csvio.WriteWith(w, recs, s, csvio.Options{BOM: true})
		}
	}
	var recs []annotate.Transfer
	var scheme *annotate.Scheme
	if app.IsLabURL(pos[0]) {
		ctx, cancel := context.WithTimeout(context.Background(), app.LabTimeout)
		defer cancel()
		if recs, scheme, err = app.LabTransfers(ctx, pos[0], app.SplitIDs(*sel)); err != nil {
			return err
		}
	} else {
		p, err := app.OpenProject(pos[0], true)
		if err != nil {
			return err
		}
		defer p.Close()
		if recs, err = app.Transfers(p, app.SplitIDs(*sel), nil); err != nil {
			return err
		}
		scheme = p.Scheme()
	}
	err = writeOutput(env, *out, func(w io.Writer) error { return write(w, recs, scheme) })
	if errors.Is(err, eaf.ErrSeveralVideos) {
		// The one refusal a project export commonly meets, with the
		// command line's remedy.
		return fmt.Errorf("%w; choose one video's observations with --observation ID[,ID...] (see 'dyadcode observations')", err)
	}
	return err
}
