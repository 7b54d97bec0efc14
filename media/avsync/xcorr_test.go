package avsync

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// scene is a room's sound at rate Hz: bursts of noise (voices, claps) of
// random length and loudness over a quiet floor, so it has structure to
// align on, like a real session.
func scene(rng *rand.Rand, seconds, rate float64) []float64 {
	x := make([]float64, int(seconds*rate))
	for i := 0; i < len(x); {
		n := int((0.05 + 0.4*rng.Float64()) * rate)
		gain := 0.1 + rng.Float64()
		for j := i; j < min(i+n, len(x)); j++ {
			x[j] = gain * rng.NormFloat64()
		}
		i += n + int(rng.Float64()*0.5*rate)
	}
	return x
}

// view is what a second camera records: the scene from start (seconds,
// may be before the scene began: silence) for length seconds, with its own
// gain, a crude microphone colour (one-pole low-pass) and independent
// noise.
func view(rng *rand.Rand, sc []float64, rate, start, length, gain, noise float64) []float64 {
	out := make([]float64, int(length*rate))
	s0 := int(math.Round(start * rate))
	prev := 0.0
	for i := range out {
		v := 0.0
		if j := s0 + i; j >= 0 && j < len(sc) {
			v = sc[j]
		}
		prev = 0.6*prev + 0.4*v
		out[i] = gain*prev + noise*rng.NormFloat64()
	}
	return out
}

func TestEstimateFindsTheOffset(t *testing.T) {
	const rate = DefaultRate
	rng := rand.New(rand.NewPCG(3, 4))
	sc := scene(rng, 60, rate)
	for _, tc := range []struct {
		name                  string
		refStart, otherStart  float64
		refLen, otherLen      float64
		otherGain, otherNoise float64
	}{
		// OTHER started recording 3.25 s after REFERENCE: its time 0 is
		// at REFERENCE 3.25 s.
		{"other later", 0, 3.25, 50, 40, 0.3, 0.05},
		{"other earlier", 5, 1.1, 50, 50, 2, 0.2},
		{"short overlap", 0, 30.5, 40, 25, 1, 0.1},
		{"loud noise", 2, 4.321, 50, 50, 0.5, 0.5},
	} {
		ref := view(rng, sc, rate, tc.refStart, tc.refLen, 1, 0.02)
		other := view(rng, sc, rate, tc.otherStart, tc.otherLen, tc.otherGain, tc.otherNoise)
		r, err := Estimate(ref, other, rate)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		t.Logf("%s: offset %.5f s, confidence %.1f", tc.name, r.Offset, r.Confidence)
		want := tc.otherStart - tc.refStart
		if math.Abs(r.Offset-want) > 0.001 || r.Low() {
			t.Errorf("%s: offset %.5f s (confidence %.2f), want %.5f s", tc.name, r.Offset, r.Confidence, want)
		}
	}
}

func TestEstimateWithoutSharedSoundIsLowConfidence(t *testing.T) {
	const rate = DefaultRate
	rng := rand.New(rand.NewPCG(5, 6))
	for range 3 {
		a := scene(rng, 30, rate)
		b := scene(rng, 30, rate)
		r, err := Estimate(a, b, rate)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("unrelated: confidence %.2f", r.Confidence)
		if !r.Low() {
			t.Errorf("unrelated sounds: offset %.3f s with confidence %.2f, want < %g", r.Offset, r.Confidence, LowConfidence)
		}
	}
}

func TestEstimateRefusesUnusableAudio(t *testing.T) {
	if _, err := Estimate(make([]float64, 10), make([]float64, 10), DefaultRate); !errors.Is(err, ErrTooShort) {
		t.Errorf("short: %v", err)
	}
	if _, err := Estimate(make([]float64, 4000), make([]float64, 4000), DefaultRate); !errors.Is(err, ErrSilent) {
		t.Errorf("silent: %v", err)
	}
}

func TestDownmixAndSmooth(t *testing.T) {
	st := []float32{1, 3, 2, 2, 0, 0, 4, 4, 9, 9}
	m, err := Downmix(st, 4, 2)
	if err != nil || len(m) != 2 || m[0] != 2 || m[1] != 2 {
		t.Errorf("Downmix = %v %v", m, err)
	}
	if _, err := Downmix(st, 44100, 4000); err == nil {
		t.Error("a rate that does not divide was accepted")
	}
	for n, want := range map[int]int{1: 1, 7: 8, 11: 12, 97: 100, 1025: 1080} {
		if got := smooth(n); got != want {
			t.Errorf("smooth(%d) = %d, want %d", n, got, want)
		}
	}
}
