package media

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"time"

	"dyadcode/mediatime"
)

// ViewsBenchOptions configure BenchViews.
type ViewsBenchOptions struct {
	// Play is how long each run plays at 1x (looping at the end).
	Play time.Duration
	// ViewW, ViewH is each view's picture size (a side-by-side layout in
	// a 1280-wide window gives 640x360 each).
	ViewW, ViewH int
	// Offsets are the views' offsets (the first is ignored).
	Offsets []mediatime.Time
	// Sample is how often the shown times are compared (0: 2 ms).
	Sample time.Duration
}

// ViewStats is one view's playback in a run.
type ViewStats struct {
	File           string  `json:"file"`
	Width          int     `json:"width"`
	Height         int     `json:"height"`
	FPS            float64 `json:"fps"`
	Shown          int64   `json:"frames_shown"`
	Dropped        int64   `json:"frames_dropped"`
	MaxBehindMS    float64 `json:"max_behind_ms"`     // clock minus the shown frame's end, worst sample
	FrameIntervalM float64 `json:"frame_interval_ms"` // nominal
}

// ViewsRun is one run: some views played together on one clock.
type ViewsRun struct {
	Views []ViewStats `json:"views"`
	// MaxGapMS is the largest difference between two views' shown
	// session times over all samples where both showed a frame; GoalMS
	// is one frame interval of the slowest view.
	MaxGapMS float64 `json:"max_gap_ms,omitempty"`
	GoalMS   float64 `json:"goal_ms,omitempty"`
	// P50GapMS and P99GapMS are the gap's median and 99th percentile,
	// WithinGoal the share of samples at or under the goal: one stall of
	// a loaded machine sets the maximum, these say how often.
	P50GapMS   float64 `json:"p50_gap_ms,omitempty"`
	P99GapMS   float64 `json:"p99_gap_ms,omitempty"`
	WithinGoal float64 `json:"within_goal,omitempty"`
	Samples    int     `json:"samples"`
	Seconds    float64 `json:"seconds"`
	CPU        float64 `json:"cpu_cores"`
}

// ViewsBenchResult is BenchViews' figures: the first view alone, then all
// views together.
type ViewsBenchResult struct {
	Alone    ViewsRun `json:"alone"`
	Together ViewsRun `json:"together"`
}

// BenchViews plays the first view alone, then every view together, each
// for opt.Play at 1x, sampling what each view shows against the clock.
func BenchViews(ctx context.Context, paths []string, opt ViewsBenchOptions, log io.Writer) (ViewsBenchResult, error) {
	var r ViewsBenchResult
	if len(paths) == 0 {
		return r, ErrNoViews
	}
	if opt.Sample <= 0 {
		opt.Sample = 2 * time.Millisecond
	}
	fmt.Fprintf(log, "playing %s alone for %s...\n", filepath.Base(paths[0]), opt.Play)
	alone, err := benchViewsRun(ctx, paths[:1], opt)
	if err != nil {
		return r, err
	}
	r.Alone = alone
	fmt.Fprintf(log, "playing %d views together for %s...\n", len(paths), opt.Play)
	r.Together, err = benchViewsRun(ctx, paths, opt)
	return r, err
}

func benchViewsRun(ctx context.Context, paths []string, opt ViewsBenchOptions) (ViewsRun, error) {
	var run ViewsRun
	srcs := make([]ViewSource, len(paths))
	for i, p := range paths {
		srcs[i] = ViewSource{Path: p}
		if i < len(opt.Offsets) {
			srcs[i].Offset = opt.Offsets[i]
		}
	}
	s, err := OpenSession(srcs, SessionOptions{})
	if err != nil {
		return run, err
	}
	defer s.Close()
	errs := make(chan error, 1)
	s.OnError(func(_ int, err error) {
		select {
		case errs <- err:
		default:
		}
	})
	intervals := make([]mediatime.Time, len(paths))
	for i := range paths {
		in := s.Info(i)
		intervals[i] = in.Rate.FrameDuration()
		run.Views = append(run.Views, ViewStats{File: filepath.Base(paths[i]), Width: in.Width, Height: in.Height,
			FPS: in.Rate.Float(), FrameIntervalM: intervals[i].Float() * 1000})
		run.GoalMS = max(run.GoalMS, intervals[i].Float()*1000)
		if opt.ViewW > 0 && opt.ViewH > 0 {
			s.SetViewSize(i, opt.ViewW, opt.ViewH)
		}
	}
	if len(paths) < 2 {
		run.GoalMS = 0
	}
	if err := s.Seek(0); err != nil {
		return run, err
	}
	var maxGap mediatime.Time
	var gaps []mediatime.Time
	behind := make([]mediatime.Time, len(paths))
	cpu0 := cpuTime()
	start := time.Now()
	s.Play()
	tick := time.NewTicker(opt.Sample)
	defer tick.Stop()
	settle := time.Now().Add(100 * time.Millisecond) // the first frames after Play or a loop
	for time.Since(start) < opt.Play {
		select {
		case <-ctx.Done():
			return run, ctx.Err()
		case err := <-errs:
			return run, err
		case <-tick.C:
		}
		if !s.Playing() { // the end: loop, as a long session would
			if err := s.Seek(0); err != nil {
				return run, err
			}
			s.Play()
			settle = time.Now().Add(100 * time.Millisecond)
			continue
		}
		if time.Now().Before(settle) {
			continue
		}
		now := s.Time()
		lo, hi := mediatime.Time(1<<62), mediatime.Time(-1<<62)
		showing := 0
		for i := range paths {
			at, st := s.ShownAt(i)
			if st != ViewShowing {
				continue
			}
			showing++
			lo, hi = min(lo, at), max(hi, at)
			behind[i] = max(behind[i], now-at-intervals[i])
		}
		if showing >= 2 {
			maxGap = max(maxGap, hi-lo)
			gaps = append(gaps, hi-lo)
		}
		run.Samples++
	}
	s.Pause()
	wall := time.Since(start).Seconds()
	run.Seconds = wall
	run.CPU = (cpuTime() - cpu0).Seconds() / wall
	for i := range paths {
		run.Views[i].Shown = s.Delivered(i)
		run.Views[i].Dropped = s.Dropped(i)
		run.Views[i].MaxBehindMS = behind[i].Float() * 1000
	}
	if len(paths) >= 2 && len(gaps) > 0 {
		run.MaxGapMS = maxGap.Float() * 1000
		slices.Sort(gaps)
		run.P50GapMS = gaps[len(gaps)/2].Float() * 1000
		run.P99GapMS = gaps[len(gaps)*99/100].Float() * 1000
		within := 0
		for _, g := range gaps {
			if g.Float()*1000 <= run.GoalMS {
				within++
			}
		}
		run.WithinGoal = float64(within) / float64(len(gaps))
	}
	return run, nil
}

// Report prints the figures as a table.
func (r ViewsBenchResult) Report(w io.Writer) {
	for _, x := range []struct {
		name string
		run  ViewsRun
	}{{"one view alone", r.Alone}, {"views together", r.Together}} {
		fmt.Fprintf(w, "%s: %.1f s at 1x, %.2f cores, %d samples\n", x.name, x.run.Seconds, x.run.CPU, x.run.Samples)
		for i, v := range x.run.Views {
			fmt.Fprintf(w, "  view %d %s (%dx%d, %.3g fps): %d frames shown, %d dropped, worst %.1f ms behind its frame's end\n",
				i+1, v.File, v.Width, v.Height, v.FPS, v.Shown, v.Dropped, v.MaxBehindMS)
		}
		if len(x.run.Views) > 1 {
			verdict := "within"
			if x.run.MaxGapMS > x.run.GoalMS {
				verdict = "OVER"
			}
			fmt.Fprintf(w, "  largest gap between the views' shown times: %.1f ms (%s the goal of one frame of the slower view, %.1f ms)\n",
				x.run.MaxGapMS, verdict, x.run.GoalMS)
			fmt.Fprintf(w, "  gap median %.1f ms, 99th percentile %.1f ms; %.1f%% of samples within the goal\n",
				x.run.P50GapMS, x.run.P99GapMS, 100*x.run.WithinGoal)
		}
	}
}
