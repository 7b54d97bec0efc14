package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"dyadcode/annotate"
	"dyadcode/app"
)

func init() {
	register(&command{
		name: "new",
		args: "PROJECT.dyad [--scheme FILE.json] [--scheme-from FILE]",
		summary: `Create a project file with a coding scheme.
The scheme is the bundled Strange Situation one, or one from a JSON file (see 'dyadcode scheme --export'), or
one adopted with --scheme-from from another tool's file: a BORIS project
(.boris), an ELAN file or template (.eaf, .etf), an Observer XT coding
scheme (.otx, .otb) or a Datavyu file (.opf). An adopted scheme keeps the
episodes and ratings of the other one (--scheme, else the bundled) when the
tool has none; everything it cannot carry over is listed. An existing file
is never overwritten.`,
		run: runNew,
	})
}

func runNew(env *cmdEnv, args []string) error {
	c := commands["new"]
	fs := newFlags(env, c)
	schemePath := fs.String("scheme", "", "coding scheme JSON (default: the bundled Strange Situation scheme)")
	from := fs.String("scheme-from", "", "adopt the scheme of a BORIS, ELAN, Observer XT or Datavyu file")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("need one project file name (got %d arguments)", len(pos))
	}
	path := pos[0]
	if !strings.EqualFold(filepath.Ext(path), ".dyad") {
		return usagef("project files end in .dyad (got %q)", path)
	}
	scheme := annotate.DefaultScheme()
	if *schemePath != "" {
		if scheme, err = app.ReadSchemeFile(*schemePath); err != nil {
			return err
		}
	}
	if *from != "" {
		var lost []string
		if scheme, lost, err = app.AdoptScheme(*from, scheme); err != nil {
			return err
		}
		printNotCarried(env, "new", *from, lost)
	}
	if err := app.CreateProject(path, scheme); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "created %s with the scheme %q (%d behaviours, %d episodes)\n", path, scheme.Name, len(scheme.Behaviors), len(scheme.Episodes))
	return nil
}

// printNotCarried lists, on standard error, what adopting a scheme from
// file could not carry over.
func printNotCarried(env *cmdEnv, cmd, file string, lost []string) {
	if len(lost) == 0 {
		return
	}
	fmt.Fprintf(env.stderr, "dyadcode %s: not carried over from %s:\n", cmd, file)
	for _, l := range lost {
		fmt.Fprintf(env.stderr, "  - %s\n", l)
	}
}
