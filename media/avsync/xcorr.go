// Package avsync finds where one recording's time 0 lies on another's
// timeline from their sound: every camera in a room hears the same claps,
// voices and doors, so the lag that best aligns the two audio tracks is the
// offset between their clocks.
//
// The estimate is the peak of the generalized cross-correlation with phase
// transform (GCC-PHAT; Knapp & Carter 1976) of the two whole signals,
// computed with gonum's FFT over every possible lag (the whole overlap,
// not a short excerpt). PHAT whitening divides out each frequency's
// magnitude, so different gains, microphones and codecs (which colour the
// spectrum) matter little and the peak is sharp. The confidence is the
// peak's height over the next best peak outside its main lobe: near 1
// when the recordings share no sound.
//
// This file is pure Go (gonum only); decoding the audio is the caller's
// business (see Decode for the FFmpeg path).
package avsync

import (
	"errors"
	"fmt"
	"math"
	"math/cmplx"

	"gonum.org/v1/gonum/dsp/fourier"
)

// Errors callers may test for.
var (
	// ErrTooShort: a signal has too few samples to correlate.
	ErrTooShort = errors.New("avsync: audio too short to synchronise")
	// ErrSilent: a signal has no energy at all.
	ErrSilent = errors.New("avsync: audio is silent")
)

// DefaultRate is the sample rate (Hz) the signals are correlated at: 4 kHz
// keeps the band where voices, claps and doors carry their energy, resolves
// 0.25 ms (interpolated finer), and keeps a 20-minute session's FFT within
// a few hundred megabytes.
const DefaultRate = 4000

// mainLobe is the half-width around the peak that the confidence's "next
// best peak" must lie outside of.
const mainLobe = 0.025 // seconds

// LowConfidence is the confidence under which an estimate should not be
// trusted: the best alignment is not clearly better than another one.
const LowConfidence = 2.5

// Result is an estimated offset.
type Result struct {
	// Offset is where OTHER's time 0 lies on REFERENCE's timeline, in
	// seconds: a sound at OTHER time t is at REFERENCE time t + Offset.
	Offset float64 `json:"offset_s"`
	// Confidence is the correlation peak over the next best peak outside
	// the main lobe (≥ 1).
	Confidence float64 `json:"confidence"`
	// Peak and Next are the two heights.
	Peak float64 `json:"peak"`
	Next float64 `json:"next_peak"`
}

// Low reports whether the estimate is too uncertain to use.
func (r Result) Low() bool { return r.Confidence < LowConfidence }

// Estimate finds the offset of other relative to ref, both mono signals at
// rate Hz: the lag k maximising Σ ref[n+k]·other[n] under PHAT weighting,
// refined by parabolic interpolation around the peak.
func Estimate(ref, other []float64, rate float64) (Result, error) {
	lobe := int(math.Ceil(mainLobe * rate))
	if len(ref) < 4*lobe || len(other) < 4*lobe {
		return Result{}, fmt.Errorf("%w: %d and %d samples at %g Hz", ErrTooShort, len(ref), len(other), rate)
	}
	if energy(ref) == 0 || energy(other) == 0 {
		return Result{}, ErrSilent
	}
	// Lags −(len(other)−1) … len(ref)−1 must not wrap onto each other.
	n := smooth(len(ref) + len(other) - 1)
	fft := fourier.NewFFT(n)
	pad := make([]float64, n)
	copy(pad, ref)
	a := fft.Coefficients(nil, pad)
	clear(pad)
	copy(pad, other)
	b := fft.Coefficients(nil, pad)
	// Cross-spectrum A·conj(B), whitened. A frequency with (almost) no
	// energy in either signal would only add noise: it is left out.
	var maxMag float64
	for k := range a {
		a[k] *= cmplx.Conj(b[k])
		maxMag = max(maxMag, cmplx.Abs(a[k]))
	}
	floor := maxMag * 1e-9
	for k := range a {
		if m := cmplx.Abs(a[k]); m > floor {
			a[k] /= complex(m, 0)
		} else {
			a[k] = 0
		}
	}
	b = nil
	r := fft.Sequence(pad, a) // r[k] for k ≥ 0, r[n+k] for k < 0
	lagOf := func(i int) int {
		if i >= len(ref) {
			return i - n
		}
		return i
	}
	valid := func(i int) bool { l := lagOf(i); return l < len(ref) && l > -len(other) }
	best := -1
	for i, v := range r {
		if valid(i) && (best < 0 || v > r[best]) {
			best = i
		}
	}
	next := math.Inf(-1)
	for i, v := range r {
		if !valid(i) {
			continue
		}
		d := lagOf(i) - lagOf(best)
		if d > lobe || d < -lobe {
			next = max(next, v)
		}
	}
	// Parabolic interpolation of the peak between its neighbours.
	frac := 0.0
	if l, h := (best-1+n)%n, (best+1)%n; valid(l) && valid(h) {
		y0, y1, y2 := r[l], r[best], r[h]
		if den := y0 - 2*y1 + y2; den != 0 {
			frac = 0.5 * (y0 - y2) / den
		}
	}
	res := Result{Offset: (float64(lagOf(best)) + frac) / rate, Peak: r[best], Next: next}
	switch {
	case next > 0:
		res.Confidence = r[best] / next
	default:
		res.Confidence = math.Inf(1)
	}
	if math.IsInf(res.Confidence, 1) {
		res.Confidence = math.MaxFloat64
	}
	return res, nil
}

func energy(x []float64) float64 {
	var e float64
	for _, v := range x {
		e += v * v
	}
	return e
}

// smooth returns the smallest n' ≥ n whose only prime factors are 2, 3
// and 5, sizes gonum's mixed-radix FFT handles fast.
func smooth(n int) int {
	for m := max(n, 1); ; m++ {
		k := m
		for _, p := range []int{2, 3, 5} {
			for k%p == 0 {
				k /= p
			}
		}
		if k == 1 {
			return m
		}
	}
}

// Downmix turns interleaved stereo samples at rate in into mono at rate
// out (in must be a whole multiple of out): the channels are averaged and
// each block of in/out samples is averaged, a box low-pass that keeps the
// band the correlation uses. A trailing partial block is dropped.
func Downmix(stereo []float32, in, out int) ([]float64, error) {
	if out <= 0 || in%out != 0 {
		return nil, fmt.Errorf("avsync: cannot resample %d Hz to %d Hz by averaging", in, out)
	}
	f := in / out
	frames := len(stereo) / 2
	mono := make([]float64, frames/f)
	for i := range mono {
		var s float64
		for j := i * f; j < (i+1)*f; j++ {
			s += float64(stereo[2*j]) + float64(stereo[2*j+1])
		}
		mono[i] = s / float64(2*f)
	}
	return mono, nil
}
