package main

import (
	"errors"
	"fmt"

	"dyadcode/app"
)

func init() {
	register(&command{
		name: "backup",
		args: "PROJECT.dyad -o COPY.dyad [--force]",
		summary: `Copy a project to another file and check the copy.
The copy is consistent even while the project is being read, and is
opened and walked before the command succeeds. An existing COPY is replaced only with --force. (The
project also keeps rolling backups of its own in the folder "PROJECT backups" beside it.)`,
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
	n, err := app.Backup(pos[0], *out, *force)
	if errors.Is(err, app.ErrCopyExists) {
		return fmt.Errorf("%s exists; use --force to replace it", *out)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "copied %s to %s (%d observations, checked)\n", pos[0], *out, n)
	return nil
}
