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
		args: "PROJECT.dyad [--scheme FILE.json]",
		summary: `Create a project file with a coding scheme.
The scheme is the bundled Strange Situation one, or one from a JSON file (see 'dyadcode scheme --export'). An
existing file is never overwritten.`,
		run: runNew,
	})
}

func runNew(env *cmdEnv, args []string) error {
	c := commands["new"]
	fs := newFlags(env, c)
	schemePath := fs.String("scheme", "", "coding scheme JSON (default: the bundled Strange Situation scheme)")
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
	if err := app.CreateProject(path, scheme); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "created %s with the scheme %q (%d behaviours, %d episodes)\n", path, scheme.Name, len(scheme.Behaviors), len(scheme.Episodes))
	return nil
}
