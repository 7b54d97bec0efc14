package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
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
	if fi, err := os.Stat(pos[1]); err != nil {
		return fmt.Errorf("relocate: %w", err)
	} else if !fi.IsDir() {
		return usagef("%s is not a folder", pos[1])
	}
	p, err := openProject(pos[0], false)
	if err != nil {
		return err
	}
	defer p.Close()
	found, err := p.Relocate(pos[1])
	if err != nil {
		return err
	}
	for _, v := range found {
		fmt.Fprintf(env.stdout, "found %s at %s\n", v.ID, v.Path)
	}
	videos, err := p.Videos()
	if err != nil {
		return err
	}
	var missing []string
	for _, v := range videos {
		if _, err := os.Stat(v.Path); errors.Is(err, fs.ErrNotExist) {
			missing = append(missing, v.ID+" "+v.Path)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%d video(s) still missing: %s", len(missing), strings.Join(missing, "; "))
	}
	if len(found) == 0 {
		fmt.Fprintln(env.stdout, "no video was missing")
	}
	return nil
}
