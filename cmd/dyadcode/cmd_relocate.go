package main

import (
	"errors"
	"fmt"
	"strings"

	"dyadcode/app"
)

func init() {
	register(&command{
		name: "relocate",
		args: "PROJECT.dyad DIR",
		summary: `Find videos that moved, by content, and record their new paths.
Looks in DIR and its subfolders for the project's videos whose recorded
file is gone, recognise them by content (size and
fingerprint, not by name) and record their new paths. Fails, naming them,
if some videos are still missing afterwards.`,
		run: runRelocate,
	})
}

func runRelocate(env *cmdEnv, args []string) error {
	c := commands["relocate"]
	fset := newFlags(env, c)
	pos, err := parseFlags(fset, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("need a project and a folder (got %d arguments)", len(pos))
	}
	p, err := app.OpenProject(pos[0], false)
	if err != nil {
		return err
	}
	defer p.Close()
	res, err := app.Relocate(p, pos[1])
	if errors.Is(err, app.ErrNotFolder) {
		return usagef("%s is not a folder", pos[1])
	}
	if err != nil {
		return err
	}
	for _, v := range res.Found {
		fmt.Fprintf(env.stdout, "found %s at %s\n", v.ID, v.Path)
	}
	if len(res.Missing) > 0 {
		var missing []string
		for _, v := range res.Missing {
			missing = append(missing, v.ID+" "+v.Path)
		}
		return fmt.Errorf("%d video(s) still missing: %s", len(missing), strings.Join(missing, "; "))
	}
	if len(res.Found) == 0 {
		fmt.Fprintln(env.stdout, "no video was missing")
	}
	return nil
}
