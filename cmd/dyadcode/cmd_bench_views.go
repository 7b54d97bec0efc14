package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"time"

	"dyadcode/annotate"
	"dyadcode/media"
)

// runBenchViews is `dyadcode bench views V1 V2...`.
func runBenchViews(env *cmdEnv, args []string) error {
	c := commands["bench"]
	fs := newFlags(env, c)
	play := fs.Float64("play", 60, "seconds of playback at 1x per run")
	offsets := fs.String("offset", "", "the views' offsets in seconds, comma-separated (the first is the primary's, ignored)")
	size := fs.String("size", "640x360", "each view's picture size WxH")
	asJSON := fs.Bool("json", false, "print the figures as JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) < 2 || len(pos) > annotate.MaxViews {
		return usagef("want 'bench views V1 V2' (2 to %d videos, got %d)", annotate.MaxViews, len(pos))
	}
	if *play <= 0 {
		return usagef("--play must be > 0")
	}
	opt := media.ViewsBenchOptions{Play: time.Duration(*play * float64(time.Second))}
	if _, err := fmtSscanSize(*size, &opt.ViewW, &opt.ViewH); err != nil {
		return usagef("--size %q: want WxH, e.g. 640x360", *size)
	}
	if *offsets != "" {
		for _, o := range strings.Split(*offsets, ",") {
			t, err := annotate.ParseSeconds(strings.TrimSpace(o))
			if err != nil {
				return usagef("--offset %q: %v", o, err)
			}
			opt.Offsets = append(opt.Offsets, t)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	r, err := media.BenchViews(ctx, pos, opt, env.stderr)
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

// fmtSscanSize parses "640x360".
func fmtSscanSize(s string, w, h *int) (int, error) {
	return fmt.Sscanf(s, "%dx%d", w, h)
}
