package main

import (
	"fmt"
	"os"

	"dyadcode/ui"
)

func init() {
	c := &command{
		name: "open",
		args: "[--coder NAME --video VIDEO | --observation ID] PROJECT.dyad",
		summary: `Open the coding window on a project.

With --coder and --video (a path, file name or video ID of the project) it
goes straight to that coder's observation of the video, making it if the
coder has none; with --observation, to that observation. Otherwise it shows
the project's videos and observations.`,
	}
	c.run = func(env *cmdEnv, args []string) error {
		fs := newFlags(env, c)
		coder := fs.String("coder", "", "coder's `name`")
		video := fs.String("video", "", "`video` to code (path, file name or ID)")
		obs := fs.String("observation", "", "observation `ID` to open")
		pos, err := parseFlags(fs, args)
		if err != nil {
			return err
		}
		if len(pos) != 1 {
			return usagef("need exactly one project file")
		}
		if (*video == "") != (*coder == "") && *obs == "" {
			return usagef("--video and --coder go together")
		}
		if _, err := os.Stat(pos[0]); err != nil {
			return fmt.Errorf("open %s: %w", pos[0], err)
		}
		return env.openWindow(ui.Options{Project: pos[0], Coder: *coder, Video: *video, Observation: *obs})
	}
	register(c)
}
