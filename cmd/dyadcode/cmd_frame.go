package main

import (
	"fmt"
	"strings"

	"dyadcode/annotate"
	"dyadcode/app"
)

func init() {
	register(&command{
		name: "frame",
		args: "VIDEO (--index N | --at SECONDS) -o OUT.png",
		summary: `Write one exact frame of a video as PNG: frame N (0 is the first displayed
frame) or the frame on screen at SECONDS of media time (the start time of
the file already subtracted). Display rotation is applied.`,
		run: runFrame,
	})
}

func runFrame(env *cmdEnv, args []string) error {
	c := commands["frame"]
	fs := newFlags(env, c)
	index := fs.Int64("index", -1, "frame number (0-based)")
	at := fs.String("at", "", "media time in seconds, e.g. 12.48")
	out := fs.String("o", "", "output PNG file")
	size := fs.String("size", "", "output size WxH (default: the video's display size)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("want one VIDEO, got %d arguments", len(pos))
	}
	if (*index >= 0) == (*at != "") {
		return usagef("give exactly one of --index N or --at SECONDS")
	}
	if *out == "" {
		return usagef("-o OUT.png is required")
	}
	var w, h int
	if *size != "" {
		if _, err := fmt.Sscanf(strings.ToLower(*size), "%dx%d", &w, &h); err != nil || w <= 0 || h <= 0 || w > 16384 || h > 16384 {
			return usagef("--size %q: want WIDTHxHEIGHT, e.g. 640x360", *size)
		}
	}
	var t annotate.Time
	if *at != "" {
		if t, err = annotate.ParseSeconds(*at); err != nil {
			return usagef("--at: %v", err)
		}
	}
	f, err := app.SaveFrame(pos[0], *out, app.FrameRequest{ByTime: *at != "", Index: *index, At: t, Width: w, Height: h})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "frame %d at %s s -> %s (%dx%d)\n", f.Index, f.Time.Seconds(), *out, f.Image.Rect.Dx(), f.Image.Rect.Dy())
	return nil
}
