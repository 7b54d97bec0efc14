package main

import (
	"fmt"

	"dyadcode/app"
	"dyadcode/store"
)

func init() {
	register(&command{
		name: "add-video",
		args: "PROJECT.dyad VIDEO",
		summary: `Add a video to a project (path, size, fingerprint, duration, frame rate).
The content fingerprint finds the video again after it moves (see
relocate); duration, frame rate and frame count come from FFmpeg. Adding a video the project already has (same content) reports
the existing one.`,
		run: runAddVideo,
	})
}

func runAddVideo(env *cmdEnv, args []string) error {
	c := commands["add-video"]
	fs := newFlags(env, c)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("need a project and a video (got %d arguments)", len(pos))
	}
	p, err := app.OpenProject(pos[0], false)
	if err != nil {
		return err
	}
	defer p.Close()
	a, err := addVideo(env, p, pos[1])
	if err != nil {
		return err
	}
	if a.New {
		fmt.Fprintf(env.stdout, "added %s %s (%s)\n", a.Video.ID, a.Video.Path, app.DescribeVideo(a.Video))
	} else {
		fmt.Fprintf(env.stdout, "%s is already in the project as %s (%s)\n", pos[1], a.Video.ID, a.Video.Path)
	}
	return nil
}

// addVideo is app.AddVideo with its news printed to stderr.
func addVideo(env *cmdEnv, p *store.Project, path string) (app.Added, error) {
	a, err := app.AddVideo(p, env.engine, path)
	if err != nil {
		return a, err
	}
	if a.MovedFrom != "" {
		fmt.Fprintf(env.stderr, "dyadcode: %s had moved; its path is now %s\n", a.Video.ID, a.Video.Path)
	}
	if a.Warning != nil {
		fmt.Fprintf(env.stderr, "dyadcode: warning: %v\n", a.Warning)
	}
	return a, nil
}
