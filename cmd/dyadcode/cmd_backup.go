package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"dyadcode/app"
	"dyadcode/store"
)

func init() {
	register(&command{
		name: "backup",
		args: "PROJECT.dyad -o COPY.dyad [--force]",
		summary: `Copy a project to another file and check the copy.
The copy is consistent even while the project is being read, and is
opened and walked before the command succeeds. An existing COPY is replaced only with --force. (The
project also keeps rolling backups of its own in PROJECT.dyad.backups/.)`,
		run: runBackup,
	})
}

func runBackup(env *cmdEnv, args []string) error {
	c := commands["backup"]
	fset := newFlags(env, c)
	out := fset.String("o", "", "the copy to write (required)")
	force := fset.Bool("force", false, "replace an existing copy")
	pos, err := parseFlags(fset, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("need one project (got %d arguments)", len(pos))
	}
	if *out == "" {
		return usagef("-o COPY.dyad is required")
	}
	if _, err := os.Stat(*out); err == nil && !*force {
		return fmt.Errorf("%s exists; use --force to replace it", *out)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("backup: %w", err)
	}
	p, err := app.OpenProject(pos[0], true)
	if err != nil {
		return err
	}
	defer p.Close()
	if err := p.Backup(*out); err != nil {
		return err
	}
	// A backup nobody checked is a hope; open the copy and walk it.
	cp, err := store.Open(*out, store.Options{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("the copy %s does not open: %w", *out, err)
	}
	defer cp.Close()
	if err := cp.Check(); err != nil {
		return fmt.Errorf("the copy %s is damaged: %w", *out, err)
	}
	obs, err := cp.Observations()
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "copied %s to %s (%d observations, checked)\n", pos[0], *out, len(obs))
	return nil
}
