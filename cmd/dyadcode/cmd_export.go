package main

import (
	"fmt"
	"io"
	"strings"

	"dyadcode/annotate"
	"dyadcode/annotate/csvio"
	"dyadcode/store"
)

func init() {
	register(&command{
		name: "export",
		args: "PROJECT.dyad [--observation ID[,ID...]] [-o FILE] [--format csv|...] [--excel]",
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
	formatName := fs.String("format", "", "file format: "+formatNames()+" (default: by the -o extension, else csv)")
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
	var f *format
	switch {
	case *formatName != "" || *out != "":
		if f, err = formatFor(*formatName, *out); err != nil {
			return err
		}
	default:
		f = formats["csv"]
	}
	if f.write == nil {
		return usagef("the %s format is import-only", f.name)
	}
	write := f.write
	if *excel {
		if f.name != "csv" {
			return usagef("--excel is for the csv format, not %s", f.name)
		}
		write = func(w io.Writer, recs []annotate.Transfer, s *annotate.Scheme) error {
			return csvio.WriteWith(w, recs, s, csvio.Options{BOM: true})
		}
	}
	p, err := openProject(pos[0], true)
	if err != nil {
		return err
	}
	defer p.Close()
	recs, err := transfers(p, *sel)
	if err != nil {
		return err
	}
	scheme := p.Scheme()
	return writeOutput(env, *out, func(w io.Writer) error { return write(w, recs, scheme) })
}

// transfers loads the selected observations (all when sel is empty) with
// the names an interchange file carries: the project's file name without
// .dyad, the video's file name, and the video's duration and frame rate.
func transfers(p *store.Project, sel string) ([]annotate.Transfer, error) {
	infos, err := p.Observations()
	if err != nil {
		return nil, err
	}
	if sel != "" {
		byID := map[string]store.ObservationInfo{}
		var have []string
		for _, in := range infos {
			byID[in.ID] = in
			have = append(have, in.ID)
		}
		var keep []store.ObservationInfo
		for _, id := range strings.Split(sel, ",") {
			id = strings.TrimSpace(id)
			in, ok := byID[id]
			if !ok {
				if len(have) == 0 {
					have = []string{"none"}
				}
				return nil, fmt.Errorf("%s: no observation %q (have %s)", p.Path(), id, strings.Join(have, ", "))
			}
			keep = append(keep, in)
		}
		infos = keep
	}
	out := make([]annotate.Transfer, 0, len(infos))
	for _, in := range infos {
		tr, err := p.Transfer(in.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, tr)
	}
	return out, nil
}
