package media

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"
)

// BenchOptions tune Bench; zero values take the defaults in brackets.
type BenchOptions struct {
	Threads   int           // decoder threads, also passed to ffmpeg [cores]
	Seeks     int           // random exact-seek targets [100]
	StepBacks int           // consecutive back-steps [30]
	Play      time.Duration // playback at 1× [60 s]; < 0 skips it
	ViewW     int           // view size for step-back and playback [1280]
	ViewH     int           // [720]
	Seed      uint64        // target choice [1]
	// Long is the length of the long file made from this one by stream
	// copy (looped) for the index and reopen figures [2 h]; < 0 skips it.
	Long time.Duration
}

// BenchResult holds Bench's figures.
type BenchResult struct {
	Path                 string
	Info                 Info
	Threads              int
	MaxKeyGap            int64 // longest run of frames between keyframes
	DecodeFPS, FFmpegFPS float64
	// DecodeCPU and FFmpegCPU: CPU time (user + system, all threads) per
	// frame in the fastest round of each; less sensitive than the wall
	// clock to other load on the machine.
	DecodeCPU, FFmpegCPU time.Duration
	SeekMedian, SeekP95  time.Duration
	SeekMax              time.Duration
	PlainMedian          time.Duration
	PlainP95, PlainMax   time.Duration
	StepBackMedian       time.Duration
	// StepBackFirst is the median first back-step after a jump (one exact
	// seek at most), StepBackFirstSeek the median exact seek to the same
	// frames; StepBackRefill the idle time then spent caching the GOP.
	StepBackFirst, StepBackFirstSeek, StepBackRefill time.Duration
	// The long file: its length, the first open (index build by packet
	// scan) next to ffprobe -count_packets on it, and a second open with
	// the cached index up to the first frame shown.
	LongPath               string
	LongDuration           time.Duration
	LongIndex, LongFFprobe time.Duration
	LongReopen             time.Duration
	PlaySeconds            float64
	PlayShown              int64
	PlayDropped            int64
	PlayCPU                float64 // CPU seconds per wall second (1 = one core)
	PlayAudioClock         bool
	// PlayLateMedian and PlayLateMax: how far the clock had passed a frame's
	// timestamp when it was handed over (picture behind the clock; bounded
	// by a frame interval since later frames are dropped instead).
	PlayLateMedian, PlayLateMax time.Duration
}

// Bench measures decoding, exact seeking, stepping back and playback on one
// file in one run, next to the baselines they must beat, writing progress
// lines to log. See `dyadcode bench media`.
func Bench(ctx context.Context, path string, opt BenchOptions, log io.Writer) (BenchResult, error) {
	if opt.Threads <= 0 {
		opt.Threads = runtime.NumCPU()
	}
	if opt.Seeks <= 0 {
		opt.Seeks = 100
	}
	if opt.StepBacks <= 0 {
		opt.StepBacks = 30
	}
	if opt.Play == 0 {
		opt.Play = 60 * time.Second
	}
	if opt.ViewW <= 0 || opt.ViewH <= 0 {
		opt.ViewW, opt.ViewH = 1280, 720
	}
	if opt.Seed == 0 {
		opt.Seed = 1
	}
	if opt.Long == 0 {
		opt.Long = 2 * time.Hour
	}
	r := BenchResult{Path: path, Threads: opt.Threads}
	info, ix, err := scan(path, nil)
	if err != nil {
		return r, err
	}
	r.Info = info
	r.MaxKeyGap = maxGap(ix)
	n := ix.Len()

	// 1. Straight decode, ours vs the ffmpeg command with the same threads,
	// alternated five times (each going first in turn) and the best of each
	// kept: on a shared machine a load spike during one run would decide the
	// ratio (three rounds measured 0.91 to 1.19 with the same binary).
	const rounds = 5
	fmt.Fprintf(log, "decoding %d frames, %d rounds each...\n", n, rounds)
	var bestOurs, bestFF, cpuOurs, cpuFF time.Duration
	ours := func() error {
		cpu0 := cpuTime()
		start := time.Now()
		d, err := OpenWith(path, ix, DecoderOptions{CacheBytes: -1, Threads: opt.Threads})
		if err != nil {
			return err
		}
		for i := int64(0); i < n; i++ {
			if err := d.fetch(i, false); err != nil {
				d.Close()
				return err
			}
		}
		d.Close() // joins the decoder's threads: their CPU time is counted
		if el := time.Since(start); bestOurs == 0 || el < bestOurs {
			bestOurs, cpuOurs = el, cpuTime()-cpu0
		}
		return nil
	}
	ffmpeg := func() error {
		start := time.Now()
		cmd := exec.CommandContext(ctx, "ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error",
			"-threads", strconv.Itoa(opt.Threads), "-i", path, "-an", "-f", "null", "-")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("ffmpeg baseline on %s: %v: %s", path, err, stderr.String())
		}
		if el := time.Since(start); bestFF == 0 || el < bestFF {
			bestFF, cpuFF = el, cmd.ProcessState.UserTime()+cmd.ProcessState.SystemTime()
		}
		return nil
	}
	for round := 0; round < rounds; round++ {
		first, second := ours, ffmpeg
		if round%2 == 1 {
			first, second = ffmpeg, ours
		}
		if err := first(); err != nil {
			return r, err
		}
		if err := second(); err != nil {
			return r, err
		}
	}
	r.DecodeFPS = float64(n) / bestOurs.Seconds()
	r.FFmpegFPS = float64(n) / bestFF.Seconds()
	r.DecodeCPU = cpuOurs / time.Duration(n)
	r.FFmpegCPU = cpuFF / time.Duration(n)

	// 2. Exact seeks vs the plain method, interleaved on the same targets so
	// both see the same disk cache and machine load.
	fmt.Fprintf(log, "seeking to %d random frames, both methods...\n", opt.Seeks)
	exact, err := OpenWith(path, ix, DecoderOptions{CacheBytes: -1, Threads: opt.Threads})
	if err != nil {
		return r, err
	}
	defer exact.Close()
	plain, err := OpenWith(path, ix, DecoderOptions{CacheBytes: -1, Threads: opt.Threads, Plain: true})
	if err != nil {
		return r, err
	}
	defer plain.Close()
	rng := rand.New(rand.NewPCG(opt.Seed, 2))
	var te, tp []time.Duration
	for k := 0; k < opt.Seeks; k++ {
		if err := ctx.Err(); err != nil {
			return r, err
		}
		target := rng.Int64N(n)
		t0 := time.Now()
		if _, err := exact.Frame(target); err != nil {
			return r, err
		}
		te = append(te, time.Since(t0))
		t0 = time.Now()
		if _, err := plain.Frame(target); err != nil {
			return r, err
		}
		tp = append(tp, time.Since(t0))
	}
	r.SeekMedian, r.SeekP95, r.SeekMax = quantiles(te)
	r.PlainMedian, r.PlainP95, r.PlainMax = quantiles(tp)

	// 3. Consecutive back-steps from two thirds into the file.
	fmt.Fprintf(log, "stepping back %d times...\n", opt.StepBacks)
	sd, err := OpenWith(path, ix, DecoderOptions{Threads: opt.Threads})
	if err != nil {
		return r, err
	}
	dw, dh := info.DisplaySize()
	sd.SetSize(fitSize(dw, dh, opt.ViewW, opt.ViewH))
	from := min(max(n*2/3, int64(opt.StepBacks)), n-1)
	if _, err := sd.Frame(from); err != nil {
		sd.Close()
		return r, err
	}
	// The first step back after a jump, at backJumps random places, next
	// to an exact seek to the same frames (the goal: no dearer); then,
	// after the last, the idle refill the Player runs between commands.
	brng := rand.New(rand.NewPCG(opt.Seed, 3))
	var fb, fe []time.Duration
	for k := 0; k < backJumps; k++ {
		target := 1 + brng.Int64N(n-1)
		if k == backJumps-1 {
			target = from
		}
		if _, err := sd.Frame(target); err != nil {
			sd.Close()
			return r, err
		}
		t0 := time.Now()
		if _, err := sd.Step(-1); err != nil {
			sd.Close()
			return r, err
		}
		fb = append(fb, time.Since(t0))
		if _, err := exact.Frame(target); err != nil {
			sd.Close()
			return r, err
		}
		t0 = time.Now()
		if _, err := exact.Frame(target - 1); err != nil {
			sd.Close()
			return r, err
		}
		fe = append(fe, time.Since(t0))
	}
	r.StepBackFirst, _, _ = quantiles(fb)
	r.StepBackFirstSeek, _, _ = quantiles(fe)
	t0 := time.Now()
	for more := true; more; {
		if more, err = sd.Refill(refillChunk); err != nil {
			sd.Close()
			return r, err
		}
	}
	r.StepBackRefill = time.Since(t0)
	var ts []time.Duration
	for k := 0; k < opt.StepBacks && sd.Position() > 0; k++ {
		t0 := time.Now()
		if _, err := sd.Step(-1); err != nil {
			sd.Close()
			return r, err
		}
		ts = append(ts, time.Since(t0))
	}
	sd.Close()
	if len(ts) > 0 {
		r.StepBackMedian, _, _ = quantiles(ts)
	}

	// 4. Playback at 1× in the view size, with the sound device if any.
	if opt.Play > 0 {
		fmt.Fprintf(log, "playing %s at 1× in %dx%d...\n", opt.Play, opt.ViewW, opt.ViewH)
		if err := benchPlay(ctx, path, ix, opt, &r); err != nil {
			return r, err
		}
	}
	// 5. A long file: first open and second open.
	if opt.Long > 0 {
		if err := benchLong(ctx, path, opt.Long, log, &r); err != nil {
			return r, err
		}
	}
	return r, nil
}

// backJumps is how many jumps the first-back-step figure takes the median of.
const backJumps = 10

// benchLong makes a file of length long by looping path with stream copy
// (no encoding: seconds, not hours), once, next to path, then times the
// index build against ffprobe -count_packets and a reopen with the index
// as the store caches it up to the first frame.
func benchLong(ctx context.Context, path string, long time.Duration, log io.Writer, r *BenchResult) error {
	ext := filepath.Ext(path)
	lp := strings.TrimSuffix(path, ext) + fmt.Sprintf("-long%ds", int(long.Seconds())) + ext
	if st, err := os.Stat(lp); err != nil || st.Size() == 0 {
		fmt.Fprintf(log, "making a %s file by stream copy: %s...\n", long, lp)
		loops := int(long/r.Info.Duration.Duration()) + 1
		tmp := lp + ".tmp" + ext
		cmd := exec.CommandContext(ctx, "ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
			"-stream_loop", strconv.Itoa(loops), "-i", path, "-c", "copy", "-t", strconv.FormatFloat(long.Seconds(), 'f', 3, 64), tmp)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			os.Remove(tmp)
			return fmt.Errorf("making the long file from %s: %v: %s", path, err, stderr.String())
		}
		if err := os.Rename(tmp, lp); err != nil {
			return err
		}
	}
	r.LongPath = lp
	fmt.Fprintf(log, "first and second open of %s...\n", lp)
	start := time.Now()
	cmd := exec.CommandContext(ctx, "ffprobe", "-v", "error", "-count_packets", "-select_streams", "v:0",
		"-show_entries", "stream=nb_read_packets", "-of", "csv=p=0", lp)
	if out, err := cmd.Output(); err != nil {
		return fmt.Errorf("ffprobe -count_packets %s: %v", lp, err)
	} else {
		_ = out
	}
	r.LongFFprobe = time.Since(start)
	start = time.Now()
	ix, err := BuildIndex(lp, nil)
	if err != nil {
		return err
	}
	r.LongIndex = time.Since(start)
	r.LongDuration = ix.Duration().Duration()
	cached := ix.Marshal()
	start = time.Now()
	ix2, err := UnmarshalIndex(cached)
	if err != nil {
		return err
	}
	d, err := Open(lp, ix2)
	if err != nil {
		return err
	}
	_, err = d.Frame(0)
	d.Close()
	r.LongReopen = time.Since(start)
	return err
}

func benchPlay(ctx context.Context, path string, ix *Index, opt BenchOptions, r *BenchResult) error {
	p, err := OpenPlayer(path, PlayerOptions{Index: ix, Audio: true, Threads: opt.Threads})
	if err != nil {
		return err
	}
	defer p.Close()
	var prev *image.RGBA
	var late []time.Duration
	p.OnFrame(func(f Frame) {
		late = append(late, (p.clock.Now() - f.Time).Duration())
		// What a GUI does: the new image replaces the old one on screen.
		p.Recycle(prev)
		prev = f.Image
	})
	errs := make(chan error, 1)
	p.OnError(func(err error) {
		select {
		case errs <- err:
		default:
		}
	})
	p.SetViewSize(opt.ViewW, opt.ViewH)
	if err := p.SeekFrame(0); err != nil {
		return err
	}
	cpu0 := cpuTime()
	start := time.Now()
	p.Play()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for time.Since(start) < opt.Play {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-errs:
			return err
		case <-tick.C:
		}
		if !p.Playing() { // reached the end: loop, as a long session would
			if err := p.SeekFrame(0); err != nil {
				return err
			}
			p.Play()
		}
		if p.UsingAudioClock() {
			r.PlayAudioClock = true
		}
	}
	p.Pause()
	wall := time.Since(start).Seconds()
	r.PlaySeconds = wall
	r.PlayCPU = (cpuTime() - cpu0).Seconds() / wall
	r.PlayShown = p.Shown()
	r.PlayDropped = p.Dropped()
	p.Close() // the callback's goroutine has ended: late is ours now
	r.PlayLateMedian, _, r.PlayLateMax = quantiles(late)
	return nil
}

// quantiles returns the median, 95th percentile and maximum.
func quantiles(d []time.Duration) (med, p95, mx time.Duration) {
	if len(d) == 0 {
		return 0, 0, 0
	}
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2], s[min(len(s)-1, len(s)*95/100)], s[len(s)-1]
}

// Report writes the figures with the goals they are held to.
func (r BenchResult) Report(w io.Writer) {
	ms := func(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }
	in := r.Info
	fmt.Fprintf(w, "file: %s\n  %s %dx%d, %s fps, %d frames, %s s, max keyframe gap %d frames\n",
		r.Path, in.VideoCodec, in.Width, in.Height, in.Rate, in.Frames, in.Duration.Seconds(), r.MaxKeyGap)
	fmt.Fprintf(w, "decode (%d threads, best of 5): %.1f frames/s; ffmpeg -threads %d -an -f null: %.1f frames/s; ratio %.2f (goal >= 0.95)\n",
		r.Threads, r.DecodeFPS, r.Threads, r.FFmpegFPS, r.DecodeFPS/r.FFmpegFPS)
	if r.DecodeCPU > 0 && r.FFmpegCPU > 0 {
		// Neither side converts pixels (ffmpeg's null output takes the
		// decoded frames as they are), so this is decoder work per frame.
		fmt.Fprintf(w, "  CPU per frame:       %s ours, %s ffmpeg (ratio %.2f; includes ffmpeg's start-up and probing)\n",
			ms(r.DecodeCPU), ms(r.FFmpegCPU), float64(r.DecodeCPU)/float64(r.FFmpegCPU))
	}
	fmt.Fprintf(w, "exact seek:            median %s, p95 %s, max %s\n", ms(r.SeekMedian), ms(r.SeekP95), ms(r.SeekMax))
	fmt.Fprintf(w, "plain keyframe+decode: median %s, p95 %s, max %s; ratio of medians %.2f (goal <= 0.6)\n",
		ms(r.PlainMedian), ms(r.PlainP95), ms(r.PlainMax), float64(r.SeekMedian)/float64(max(r.PlainMedian, 1)))
	fi := in.Rate.FrameDuration().Duration()
	fmt.Fprintf(w, "first step back after a jump: median %s over %d jumps; exact seek to the same frames: median %s (goal: <= one exact seek; all exact seeks: median %s); then %s refilling the cache while idle\n",
		ms(r.StepBackFirst), backJumps, ms(r.StepBackFirstSeek), ms(r.SeekMedian), ms(r.StepBackRefill))
	fmt.Fprintf(w, "step back:             median %s over consecutive steps; frame interval %s (goal: median <= interval)\n",
		ms(r.StepBackMedian), ms(fi))
	if r.PlaySeconds > 0 {
		clock := "wall clock (no audio device or no audio)"
		if r.PlayAudioClock {
			clock = "audio clock"
		}
		fmt.Fprintf(w, "play 1x %.0f s:       %d frames shown, %d dropped (goal 0), CPU %.0f%% of one core, %s\n",
			r.PlaySeconds, r.PlayShown, r.PlayDropped, r.PlayCPU*100, clock)
		fmt.Fprintf(w, "picture behind clock:  median %s, max %s at hand-over (goal: drift <= 40 ms)\n", ms(r.PlayLateMedian), ms(r.PlayLateMax))
	}
	if r.LongPath != "" {
		fmt.Fprintf(w, "long file %s (%s):\n  first open (index build): %s; ffprobe -count_packets: %s; ratio %.2f (goal <= 1)\n  second open (cached index) to the first frame: %s (goal < 1 s)\n",
			r.LongPath, r.LongDuration.Round(time.Second), ms(r.LongIndex), ms(r.LongFFprobe),
			float64(r.LongIndex)/float64(max(r.LongFFprobe, 1)), ms(r.LongReopen))
	}
}

// maxGap is the longest run of frames between keyframes.
func maxGap(ix *Index) int64 {
	var gap, last int64
	for i, k := range ix.Key {
		if k {
			gap = max(gap, int64(i)-last)
			last = int64(i)
		}
	}
	return max(gap, ix.Len()-last)
}
