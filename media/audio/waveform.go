package audio

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"math"

	"github.com/asticode/go-astiav"

	"dyadcode/mediatime"
)

// Peak is the lowest and highest sample of one waveform bucket, on the
// mono mix, in [-1, 1] (full scale; not normalised to the loudest sample,
// so a quiet recording looks quiet: see Normalize).
type Peak struct{ Min, Max float32 }

// fineBlocksPerBucket: without a known span, peaks are first collected in
// blocks this many times finer than asked, then merged once the true length
// is known. The declared duration is only an estimate (and absent for some
// files), yet the whole audio must land in exactly the buckets asked for, in
// one pass.
const fineBlocksPerBucket = 64

// WaveformOptions for WaveformOf.
type WaveformOptions struct {
	// StartTime is subtracted from the audio's timestamps, as in
	// Options.StartTime (the video stream's start).
	StartTime mediatime.Time
	// End > 0: the buckets cover media time [0, End), the session the
	// timeline shows, so the lane lines up with the picture: audio before 0
	// or from End on is left out, media time without audio (sound that
	// starts late, gaps) is silent. End 0: the buckets cover the audio from
	// its first sample to its last.
	End mediatime.Time
	// Track picks the audio stream, as in Options.Track.
	Track int
	// Context, if not nil, cancels the computation (the video was closed
	// before its waveform was ready); the error then wraps its Err.
	Context context.Context
	// Progress, if not nil, is called from the calling goroutine with the
	// microseconds done and the total expected: at most about 100 times
	// (every 1% or every second of audio, whichever is longer) and once at
	// the end with done == total, so a GUI can hand each call to its
	// goroutine without flooding it.
	Progress func(done, total int64)
}

// Waveform decodes path's whole audio once and returns buckets min/max peaks
// of its mono mix (the mean of the channels) spread evenly over the audio,
// from its first sample to its last. See WaveformOf.
func Waveform(path string, buckets int, progress func(done, total int64)) ([]Peak, error) {
	return WaveformOf(path, buckets, WaveformOptions{Progress: progress})
}

// WaveformOf decodes path's audio in one pass and returns buckets min/max
// peaks of its mono mix (the mean of the channels), in full scale [-1, 1].
// ErrNoAudio if the file has none. A truncated or damaged file gives the
// peaks of what could be read (still buckets long) and an error wrapping
// ErrDamaged that names the file, so the caller can show it but not cache it.
func WaveformOf(path string, buckets int, opt WaveformOptions) ([]Peak, error) {
	if buckets <= 0 {
		return nil, fmt.Errorf("waveform %s: %d buckets", path, buckets)
	}
	if opt.End < 0 {
		return nil, fmt.Errorf("waveform %s: negative end %v", path, opt.End)
	}
	in, err := openInput(path, opt.Track)
	if err != nil {
		return nil, err
	}
	defer in.close()
	rd := newFrameReader(in)
	defer rd.free()

	startTime := opt.StartTime.Float()
	est := in.duration()
	total := int64(est * 1e6)
	var sink interface {
		add(mono []float32, at float64, rate int) (more bool)
		peaks() []Peak
	}
	if opt.End > 0 {
		total = int64(opt.End)
		sink = newSpanWriter(buckets, opt.End.Float())
	} else {
		rate := in.st.CodecParameters().SampleRate()
		block := 256
		if est > 0 && rate > 0 {
			block = max(1, int(est*float64(rate))/(buckets*fineBlocksPerBucket))
		}
		sink = &peakWriter{block: block, lo: math.MaxFloat32, hi: -math.MaxFloat32, n: buckets,
			fine: make([]Peak, 0, buckets*fineBlocksPerBucket+16)}
	}

	var mono []float32
	var done, lastReport int64
	reportEvery := max(total/100, int64(mediatime.Second))
	next := math.NaN()
	var readErr error
	got := false
	for {
		if opt.Context != nil {
			if err := opt.Context.Err(); err != nil {
				return nil, fmt.Errorf("waveform %s: %w", path, err)
			}
		}
		f, err := rd.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			readErr = err
			break
		}
		rate := f.SampleRate()
		if rate <= 0 || f.NbSamples() <= 0 {
			continue
		}
		at := next
		if pts := frameTime(f); pts != astiav.NoPtsValue {
			at = in.seconds(pts) - startTime
		} else if at != at {
			at = in.start() - startTime
		}
		next = at + float64(f.NbSamples())/float64(rate)
		if mono, err = monoMix(f, mono); err != nil {
			return nil, fmt.Errorf("waveform %s: %w", path, err)
		}
		got = true
		more := sink.add(mono, at, rate)
		done += int64(f.NbSamples()) * 1e6 / int64(rate)
		if opt.End > 0 {
			done = min(int64(next*1e6), total)
		}
		if opt.Progress != nil && done-lastReport >= reportEvery {
			lastReport = done
			opt.Progress(max(done, 0), max(total, done))
		}
		if !more {
			break // audio longer than the session: the rest is not shown
		}
	}
	if opt.Progress != nil {
		if opt.End > 0 {
			done = total
		}
		opt.Progress(max(done, 0), max(done, 0))
	}
	if readErr == nil {
		readErr = rd.damage()
	}
	if !got {
		if readErr != nil {
			return nil, readErr
		}
		return nil, fmt.Errorf("waveform %s: the audio stream holds no samples: %w", path, ErrDamaged)
	}
	return sink.peaks(), readErr
}

// spanWriter puts each sample in the bucket of its media time.
type spanWriter struct {
	out    []Peak
	filled []bool
	scale  float64 // buckets per second
}

func newSpanWriter(buckets int, end float64) *spanWriter {
	return &spanWriter{out: make([]Peak, buckets), filled: make([]bool, buckets), scale: float64(buckets) / end}
}

func (w *spanWriter) add(mono []float32, at float64, rate int) bool {
	n := len(w.out)
	step := 1 / float64(rate)
	for i, v := range mono {
		b := int(math.Floor((at + float64(i)*step) * w.scale))
		if b < 0 {
			continue
		}
		if b >= n {
			return false
		}
		v = clamp1(v)
		if !w.filled[b] {
			w.out[b] = Peak{Min: v, Max: v}
			w.filled[b] = true
			continue
		}
		if v < w.out[b].Min {
			w.out[b].Min = v
		}
		if v > w.out[b].Max {
			w.out[b].Max = v
		}
	}
	return true
}

func (w *spanWriter) peaks() []Peak { return w.out } // unfilled buckets are {0, 0}: silence

// peakWriter folds mono samples into fine blocks of min/max, merged into n
// buckets at the end.
type peakWriter struct {
	block  int
	count  int // samples in the current block
	lo, hi float32
	fine   []Peak
	n      int
}

func (w *peakWriter) add(mono []float32, _ float64, _ int) bool {
	for _, m := range mono {
		if m < w.lo {
			w.lo = m
		}
		if m > w.hi {
			w.hi = m
		}
		if w.count++; w.count == w.block {
			w.flush()
		}
	}
	return true
}

func (w *peakWriter) flush() {
	if w.count == 0 {
		return
	}
	p := Peak{Min: clamp1(w.lo), Max: clamp1(w.hi)}
	if p.Min > p.Max { // only NaN in the block (garbage decoded)
		p = Peak{}
	}
	w.fine = append(w.fine, p)
	w.count, w.lo, w.hi = 0, math.MaxFloat32, -math.MaxFloat32
}

func (w *peakWriter) peaks() []Peak {
	w.flush()
	return mergePeaks(w.fine, w.n)
}

// clamp1 keeps float decoders' overshoot (and NaN from garbage) in [-1, 1].
func clamp1(v float32) float32 {
	switch {
	case v != v:
		return 0
	case v < -1:
		return -1
	case v > 1:
		return 1
	}
	return v
}

// mergePeaks spreads fine blocks evenly over n buckets. With fewer blocks
// than buckets (a very short file), blocks repeat so the lane still spans
// the whole audio.
func mergePeaks(fine []Peak, n int) []Peak {
	out := make([]Peak, n)
	m := len(fine)
	for i := range out {
		a := i * m / n
		b := (i + 1) * m / n
		if b <= a {
			b = a + 1
		}
		p := Peak{Min: 1, Max: -1}
		for _, f := range fine[a:min(b, m)] {
			p.Min = min(p.Min, f.Min)
			p.Max = max(p.Max, f.Max)
		}
		out[i] = p
	}
	return out
}

// Normalize scales peaks so the loudest reaches ±1, for a lane that shows a
// quiet recording's shape; silence stays silence.
func Normalize(peaks []Peak) []Peak {
	var top float32
	for _, p := range peaks {
		top = max(top, -p.Min, p.Max)
	}
	out := make([]Peak, len(peaks))
	if top == 0 {
		copy(out, peaks)
		return out
	}
	for i, p := range peaks {
		out[i] = Peak{Min: p.Min / top, Max: p.Max / top}
	}
	return out
}

// Cached waveform layout: "DYWF", version 1, uint32 count, then per peak
// min and max as int16 full scale. 16-bit resolution is far below a pixel
// at any lane height and halves the cache.
const (
	peaksMagic   = "DYWF"
	peaksVersion = 1
	peaksHeader  = len(peaksMagic) + 1 + 4
)

// MarshalPeaks encodes peaks for the project store's cache.
func MarshalPeaks(peaks []Peak) []byte {
	b := make([]byte, peaksHeader, peaksHeader+4*len(peaks))
	copy(b, peaksMagic)
	b[4] = peaksVersion
	binary.LittleEndian.PutUint32(b[5:], uint32(len(peaks)))
	for _, p := range peaks {
		b = binary.LittleEndian.AppendUint16(b, uint16(quant(p.Min)))
		b = binary.LittleEndian.AppendUint16(b, uint16(quant(p.Max)))
	}
	return b
}

func quant(v float32) int16 { return int16(math.Round(float64(clamp1(v)) * 32767)) }

// UnmarshalPeaks decodes MarshalPeaks's bytes; anything else is an error
// wrapping ErrBadPeaks (the caller recomputes).
func UnmarshalPeaks(b []byte) ([]Peak, error) {
	if len(b) < peaksHeader || string(b[:4]) != peaksMagic {
		return nil, fmt.Errorf("waveform cache: %w", ErrBadPeaks)
	}
	if b[4] != peaksVersion {
		return nil, fmt.Errorf("waveform cache version %d: %w", b[4], ErrBadPeaks)
	}
	n := binary.LittleEndian.Uint32(b[5:])
	if uint64(len(b)-peaksHeader) != 4*uint64(n) {
		return nil, fmt.Errorf("waveform cache: %d peaks declared, %d bytes: %w", n, len(b)-peaksHeader, ErrBadPeaks)
	}
	out := make([]Peak, n)
	for i := range out {
		o := peaksHeader + 4*i
		lo := float32(int16(binary.LittleEndian.Uint16(b[o:]))) / 32767
		hi := float32(int16(binary.LittleEndian.Uint16(b[o+2:]))) / 32767
		if lo > hi {
			return nil, fmt.Errorf("waveform cache: peak %d has min > max: %w", i, ErrBadPeaks)
		}
		out[i] = Peak{Min: lo, Max: hi}
	}
	return out, nil
}
