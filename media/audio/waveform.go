package audio

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"

	"github.com/asticode/go-astiav"
)

// Peak is the lowest and highest sample of one waveform bucket, on the
// mono mix, in [-1, 1] (full scale; not normalised to the loudest sample,
// so a quiet recording looks quiet: see Normalize).
type Peak struct{ Min, Max float32 }

// fineBlocksPerBucket: peaks are first collected in blocks this many times
// finer than asked, then merged once the true length is known. The stream's
// declared duration is only an estimate (and absent for some files), yet
// the whole audio must land in exactly the buckets asked for, in one pass.
const fineBlocksPerBucket = 64

// Waveform decodes path's whole audio once and returns buckets min/max peaks
// of its mono mix (the mean of the channels) spread evenly over the audio,
// from its first sample to its last. progress, if not nil, is called from
// the calling goroutine with the microseconds decoded and the estimated
// total. ErrNoAudio if the file has none. A truncated or damaged file gives
// the peaks of what could be read (still buckets long) and an error wrapping
// ErrDamaged that names the file, so the caller can show it but not cache it.
func Waveform(path string, buckets int, progress func(done, total int64)) ([]Peak, error) {
	if buckets <= 0 {
		return nil, fmt.Errorf("waveform %s: %d buckets", path, buckets)
	}
	in, err := openInput(path)
	if err != nil {
		return nil, err
	}
	defer in.close()
	rd := newFrameReader(in)
	defer rd.free()
	out := astiav.AllocFrame()
	defer out.Free()

	rate := in.st.CodecParameters().SampleRate()
	est := in.duration()
	block := 256
	if est > 0 && rate > 0 {
		block = max(1, int(est*float64(rate))/(buckets*fineBlocksPerBucket))
	}
	total := int64(est * 1e6)
	w := &peakWriter{block: block, lo: math.MaxFloat32, hi: -math.MaxFloat32}
	w.fine = make([]Peak, 0, buckets*fineBlocksPerBucket+16)

	var g *graph
	defer func() { g.free() }()
	emit := func(f *astiav.Frame) { w.add(packedFloats(f), frameChannels(f)) }
	var decoded int64 // input samples, for progress
	var lastReport int64
	var readErr error
	for {
		f, err := rd.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			readErr = err
			break
		}
		if f.SampleRate() <= 0 || f.NbSamples() <= 0 {
			continue
		}
		if g == nil || g.key != frameKey(f) {
			if g != nil {
				if err := g.push(nil, out, emit); err != nil {
					return nil, fmt.Errorf("waveform %s: %w", path, err)
				}
				g.free()
			}
			// Packed float keeps every channel; the mono mix is ours, a
			// plain mean, rather than swresample's surround downmix.
			if g, err = newGraph(f, "aformat=sample_fmts=flt"); err != nil {
				return nil, fmt.Errorf("waveform %s: %w", path, err)
			}
			decoded = 0
		}
		f.SetPts(decoded)
		rate := f.SampleRate()
		decoded += int64(f.NbSamples())
		w.micros += int64(f.NbSamples()) * 1e6 / int64(rate)
		if err := g.push(f, out, emit); err != nil {
			return nil, fmt.Errorf("waveform %s: %w", path, err)
		}
		if progress != nil && w.micros-lastReport >= 1e6 {
			lastReport = w.micros
			progress(w.micros, max(total, w.micros))
		}
	}
	if g != nil {
		if err := g.push(nil, out, emit); err != nil {
			return nil, fmt.Errorf("waveform %s: %w", path, err)
		}
	}
	w.flush()
	if progress != nil {
		progress(w.micros, w.micros)
	}
	if readErr == nil {
		readErr = rd.err
	}
	if len(w.fine) == 0 {
		if readErr != nil {
			return nil, readErr
		}
		return nil, fmt.Errorf("waveform %s: the audio stream holds no samples: %w", path, ErrDamaged)
	}
	return mergePeaks(w.fine, buckets), readErr
}

// peakWriter folds interleaved samples into fine blocks of min/max.
type peakWriter struct {
	block  int
	n      int // samples in the current block
	lo, hi float32
	fine   []Peak
	micros int64
}

func (w *peakWriter) add(s []float32, channels int) {
	if channels <= 0 {
		return
	}
	inv := 1 / float32(channels)
	for i := 0; i+channels <= len(s); i += channels {
		var m float32
		if channels == 2 {
			m = (s[i] + s[i+1]) * 0.5
		} else {
			for _, v := range s[i : i+channels] {
				m += v
			}
			m *= inv
		}
		if m < w.lo {
			w.lo = m
		}
		if m > w.hi {
			w.hi = m
		}
		if w.n++; w.n == w.block {
			w.flush()
		}
	}
}

func (w *peakWriter) flush() {
	if w.n == 0 {
		return
	}
	w.fine = append(w.fine, Peak{Min: clamp1(w.lo), Max: clamp1(w.hi)})
	w.n, w.lo, w.hi = 0, math.MaxFloat32, -math.MaxFloat32
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
