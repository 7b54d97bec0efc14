package main

import (
	"fmt"

	"dyadcode/app"
	"dyadcode/ui"
)

func init() {
	register(&command{
		name: "demo",
		args: "[--path-only]",
		summary: `Open the demo project (made on first use in the data directory).
It is a 60 s Strange Situation clip coded by two coders (alice and ben). It is made on first use in the data directory
($XDG_DATA_HOME/dyadcode/demo, else ~/.local/share/dyadcode/demo) and kept
with your edits afterwards; delete it to get a fresh one.`,
		run: runDemo,
	})
}

func runDemo(env *cmdEnv, args []string) error {
	c := commands["demo"]
	fs := newFlags(env, c)
	pathOnly := fs.Bool("path-only", false, "make the demo if needed and print its path instead of opening it")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usagef("demo takes no arguments (got %d)", len(pos))
	}
	path, err := app.EnsureDemo("", env.engine)
	if err != nil {
		return err
	}
	if *pathOnly {
		fmt.Fprintln(env.stdout, path)
		return nil
	}
	if err := env.openWindow(ui.Options{Project: path}); err != nil {
		return fmt.Errorf("open the demo project %s: %w", path, err)
	}
	return nil
}
