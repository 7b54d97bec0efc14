package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"time"

	"dyadcode/media"
)

func init() {
	register(&command{
		name: "bench",
		args: "media VIDEO [--threads N] [--seeks N] [--steps N] [--play SECONDS] [--long SECONDS] [--json] | views V1 V2... [--play SECONDS] [--offset S...] [--json]",
		summary: `Measure the media engine on a video, in one run: decoding frames/s next to
'ffmpeg -threads N -i VIDEO -an -f null -'; exact seeks (median, p95, max over
random targets) next to a plain seek-to-keyframe-and-decode-forward on the
same targets; the first back-step after a jump and consecutive back-steps;
playback at 1x in a 1280x720 view with frames dropped and CPU used; and on a
long file looped from VIDEO by stream copy (made once, next to it), the
first open (index build, next to ffprobe -count_packets) and the second.
'bench views' plays V1 alone, then V1..Vn as one session on one clock (each
view 640x360, side by side), and reports frames shown and dropped per view and
the largest gap between the views' shown times next to one frame interval of
the slower view.`,
		run: runBench,
	})
}

func runBench(env *cmdEnv, args []string) error {
	if len(args) > 0 && args[0] == "views" {
		return runBenchViews(env, args[1:]) // cmd_bench_views.go
	}
	c := commands["bench"]
	fs := newFlags(env, c)
	threads := fs.Int("threads", 0, "decoder threads, also given to ffmpeg (0: one per core)")
	seeks := fs.Int("seeks", 100, "random exact-seek targets")
	steps := fs.Int("steps", 30, "consecutive back-steps")
	play := fs.Float64("play", 60, "seconds of playback at 1x (0: skip)")
	long := fs.Float64("long", 7200, "seconds of the looped long file for the open figures (0: skip)")
	asJSON := fs.Bool("json", false, "print the figures as JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 || pos[0] != "media" {
		return usagef("want 'bench media VIDEO'")
	}
	if *seeks < 1 || *steps < 1 || *play < 0 || *threads < 0 || *long < 0 {
		return usagef("--seeks and --steps must be >= 1, --play, --long and --threads >= 0")
	}
	// The ffmpeg program is the bench's reference (proxy and everything
	// else need only the linked libraries): say so before measuring.
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		return fmt.Errorf("bench media compares dyadcode's decoding with the ffmpeg program, its reference: %w on PATH (Debian: apt install ffmpeg; Windows: put ffmpeg.exe on PATH)", media.ErrNoFFmpeg)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	opt := media.BenchOptions{Threads: *threads, Seeks: *seeks, StepBacks: *steps, Play: time.Duration(*play * float64(time.Second))}
	if *play == 0 {
		opt.Play = -1
	}
	opt.Long = time.Duration(*long * float64(time.Second))
	if *long == 0 {
		opt.Long = -1
	}
	r, err := media.Bench(ctx, pos[1], opt, env.stderr)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(env.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	r.Report(env.stdout)
	return nil
}
