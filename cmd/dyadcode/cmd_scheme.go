package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"dyadcode/annotate"
	"dyadcode/app"
)

func init() {
	register(&command{
		name: "scheme",
		args: "PROJECT.dyad [--export FILE.json | --import FILE.json | --import-from FILE | --undo]",
		summary: `Show, export or replace a project's coding scheme.
--export writes it as JSON ("-" for standard output); --import replaces it
from JSON; --import-from adopts the scheme of a BORIS, ELAN, Observer XT or
Datavyu file (keeping the project's episodes and ratings when the tool has
none, and listing what it cannot carry over). An imported scheme is checked
as a whole (every problem is listed) and is refused, with the list, when it
would break coded data (a point made a state, a code, modifier or episode in
use removed, states of a new exclusive group overlapping). The replaced
scheme is kept: --undo puts it back, like Ctrl+Shift+K in the window.`,
		run: runScheme,
	})
}

func runScheme(env *cmdEnv, args []string) error {
	c := commands["scheme"]
	fset := newFlags(env, c)
	export := fset.String("export", "", "write the scheme as JSON to this file (- for standard output)")
	imp := fset.String("import", "", "replace the scheme with this JSON file")
	from := fset.String("import-from", "", "replace the scheme with the one adopted from a BORIS, ELAN, Observer XT or Datavyu file")
	undo := fset.Bool("undo", false, "put back the scheme the last --import, --import-from or the window's scheme editor replaced")
	pos, err := parseFlags(fset, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("need one project (got %d arguments)", len(pos))
	}
	if *export != "" && *imp != "" {
		return usagef("give --export or --import, not both")
	}
	if *from != "" && (*export != "" || *imp != "") {
		return usagef("give --import-from alone, without --export or --import")
	}
	if *undo && (*export != "" || *imp != "" || *from != "") {
		return usagef("give --undo alone")
	}
	if *undo {
		p, err := app.OpenProject(pos[0], false)
		if err != nil {
			return err
		}
		defer p.Close()
		s, _, err := p.UndoSchemeChange()
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "%s uses the scheme %q again (%d behaviours, %d episodes, %d rating scales)\n",
			pos[0], s.Name, len(s.Behaviors), len(s.Episodes), len(s.Ratings))
		return nil
	}
	if *imp != "" || *from != "" {
		// A JSON file is checked before the project is opened, so a bad
		// file is reported as such; adopting needs the current scheme.
		var s *annotate.Scheme
		if *imp != "" {
			if s, err = app.ReadSchemeFile(*imp); err != nil {
				return err
			}
		}
		p, err := app.OpenProject(pos[0], false)
		if err != nil {
			return err
		}
		defer p.Close()
		if *from != "" {
			var lost []string
			if s, lost, err = app.AdoptScheme(*from, p.Scheme()); err != nil {
				return err
			}
			printNotCarried(env, "scheme", *from, lost)
		}
		// The same checked, undoable change as the window's scheme editor:
		// a scheme that would break coded data is refused with the list.
		if _, err := p.ChangeScheme(s); err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "%s now uses the scheme %q (%d behaviours, %d episodes, %d rating scales); 'dyadcode scheme %s --undo' puts the previous one back\n",
			pos[0], s.Name, len(s.Behaviors), len(s.Episodes), len(s.Ratings), pos[0])
		return nil
	}
	p, err := app.OpenProject(pos[0], true)
	if err != nil {
		return err
	}
	s := p.Scheme()
	p.Close()
	if *export != "" {
		data, err := s.MarshalIndent()
		if err != nil {
			return fmt.Errorf("encode scheme: %w", err)
		}
		out := *export
		if out == "-" {
			out = ""
		}
		return writeOutput(env, out, func(w io.Writer) error { _, err := w.Write(data); return err })
	}
	return printScheme(env.stdout, s)
}

// printScheme shows the scheme the way a coder learns it: keys first.
func printScheme(w io.Writer, s *annotate.Scheme) error {
	fmt.Fprintf(w, "%s\n\nsubjects: %s\n\n", s.Name, strings.Join(s.SubjectCodes(), ", "))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KEY\tCODE\tKIND\tSUBJECT\tNAME\tMODIFIERS")
	for _, b := range s.Behaviors {
		name := b.Name
		if b.Group != "" {
			name += " [group " + b.Group + "]"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", b.Key, b.Code, b.Kind, b.Subject, name, strings.Join(b.Modifiers, "|"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nepisodes:")
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, e := range s.Episodes {
		fmt.Fprintf(tw, "%s\t%s\t%s s\n", e.Key, e.Name, e.Nominal.Seconds())
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(s.Ratings) > 0 {
		fmt.Fprintln(w, "\nrating scales:")
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, r := range s.Ratings {
			eps := "every episode"
			if len(r.Episodes) > 0 {
				eps = strings.Join(r.Episodes, ", ")
			}
			fmt.Fprintf(tw, "%s\t%d–%d\t%s\t%s\n", r.Code, r.Min, r.Max, r.Name, eps)
		}
		return tw.Flush()
	}
	return nil
}
