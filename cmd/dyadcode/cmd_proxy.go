package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"time"

	"dyadcode/annotate"
	"dyadcode/app"
	"dyadcode/media"
	"dyadcode/store"
)

func init() {
	register(&command{
		name: "proxy",
		args: "VIDEO -o OUT.mp4 [--gop N] [--quality Q] [--project PROJECT.dyad]",
		summary: `Make a coding-friendly copy of a video: MPEG-4 with a keyframe every --gop
frames and no B-frames, so seeking and stepping back are fast even for
long-GOP camera files. Every frame keeps its timestamp (the copy is checked
frame for frame before it is written) and the audio is kept, so codes made on
the proxy have the original's times. With --project, the project's video
(VIDEO, found by content) is pointed at the proxy: the coding window then
plays the proxy, while every observation stays a coding of the original.
Made with the FFmpeg libraries dyadcode links; no ffmpeg command needed.`,
		run: runProxy,
	})
}

func runProxy(env *cmdEnv, args []string) error {
	c := commands["proxy"]
	fs := newFlags(env, c)
	out := fs.String("o", "", "output MP4 file")
	gop := fs.Int("gop", 12, "keyframe interval in frames")
	quality := fs.Int("quality", 3, "MPEG-4 quantiser, 2 (best, biggest) to 31")
	quiet := fs.Bool("q", false, "no progress bar")
	project := fs.String("project", "", "record the proxy for VIDEO in this project")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("want one VIDEO, got %d arguments", len(pos))
	}
	if *out == "" {
		return usagef("-o OUT.mp4 is required")
	}
	if *gop < 1 || *gop > 600 {
		return usagef("--gop %d: want 1 to 600", *gop)
	}
	if *quality < 2 || *quality > 31 {
		return usagef("--quality %d: want 2 to 31", *quality)
	}
	var p *store.Project
	if *project != "" {
		if p, err = app.OpenProject(*project, false); err != nil {
			return err
		}
		defer p.Close()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var lastDraw time.Time
	progress := func(done, total annotate.Time) {
		if *quiet || total <= 0 || (time.Since(lastDraw) < 200*time.Millisecond && done < total) {
			return
		}
		lastDraw = time.Now()
		frac := min(float64(done)/float64(total), 1)
		bar := strings.Repeat("#", int(frac*30)) + strings.Repeat(".", 30-int(frac*30))
		fmt.Fprintf(env.stderr, "\rproxy [%s] %3.0f%% %s / %s", bar, frac*100, done.Clock(), total.Clock())
	}
	res, err := app.MakeProxy(ctx, p, pos[0], *out, media.ProxyOptions{GOP: *gop, Quality: *quality}, progress)
	if !*quiet {
		fmt.Fprintln(env.stderr)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "wrote %s: %d frames, %s s, keyframe every %d frames\n", *out, res.Info.Frames, res.Info.Duration.Seconds(), *gop)
	if p != nil {
		fmt.Fprintf(env.stdout, "%s: video %s now plays from %s\n", *project, res.Video.ID, res.Video.Proxy)
	}
	return nil
}
