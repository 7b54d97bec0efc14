package audio

import (
	"testing"
	"time"

	"dyadcode/mediatime"
)

// The audio clock on an exact simulated timeline: a device that starts
// after a delay and takes one 30 ms period at a time (the raw position is a
// staircase). The clock must be monotonic, within a period of the sample
// really heard, never stand still for a frame interval once playing, and
// prove the device once.
func TestAudioClockStaircase(t *testing.T) {
	const (
		period = 30 * time.Millisecond
		delay  = 20 * time.Millisecond
		step   = 5 * time.Millisecond
	)
	for _, speed := range []float64{0.5, 1, 1.5, 2} {
		t0 := time.Unix(1000, 0)
		start := 7 * mediatime.Second
		c := newAudioClock(start, speed, t0)
		media := func(d time.Duration) mediatime.Time { return mediatime.Time(float64(d.Microseconds()) * speed) }
		prev := start
		proven := 0
		var frozeSince time.Duration
		for w := time.Duration(0); w <= 3*time.Second; w += step {
			heard := start
			raw := start
			if w > delay {
				heard = start + media(w-delay)
				raw = start + media((w-delay)/period*period)
			}
			got, v := c.at(raw, t0.Add(w))
			switch v {
			case clockProven:
				proven++
			case clockOK:
			default:
				t.Fatalf("%g×: verdict %d at %v", speed, v, w)
			}
			if got < prev {
				t.Fatalf("%g×: clock went back at %v: %v -> %v", speed, w, prev, got)
			}
			if d := got - heard; d > media(period)+media(step) || d < -media(period)-media(step) {
				t.Errorf("%g×: at %v clock %v, heard %v (off by %v)", speed, w, got, heard, d)
			}
			if got == prev && w > delay+period {
				if frozeSince == 0 {
					frozeSince = w
				} else if w-frozeSince > 2*step {
					t.Errorf("%g×: clock stood still from %v to %v", speed, frozeSince, w)
				}
			} else {
				frozeSince = 0
			}
			prev = got
		}
		if proven != 1 {
			t.Errorf("%g×: device proven %d times", speed, proven)
		}
	}
}

// A device that never plays, one that stops, and one that runs too fast.
func TestAudioClockVerdicts(t *testing.T) {
	t0 := time.Unix(1000, 0)
	ms := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Millisecond) }

	// Never plays: stalled once stallAfter has passed, at the start.
	c := newAudioClock(mediatime.Second, 1, t0)
	for w := 0; w <= 300; w += 10 {
		if got, v := c.at(mediatime.Second, ms(w)); v != clockOK || got != mediatime.Second {
			t.Fatalf("silent device at %d ms: %v verdict %d", w, got, v)
		}
	}
	if got, v := c.at(mediatime.Second, ms(310)); v != clockStalled || got != mediatime.Second {
		t.Errorf("silent device after 310 ms: %v verdict %d, want stalled at 1 s", got, v)
	}

	// Plays 500 ms then stops: stalled 300 ms later, held near where it stopped.
	c = newAudioClock(0, 1, t0)
	var last mediatime.Time
	verdict := clockOK
	w := 0
	for ; w <= 1000 && verdict != clockStalled; w += 10 {
		raw := mediatime.Time(min(w, 500)) * mediatime.Millisecond
		last, verdict = c.at(raw, ms(w))
	}
	if verdict != clockStalled || w < 800 || w > 830 {
		t.Errorf("stopped device: verdict %d at %d ms", verdict, w)
	}
	if last < 500*mediatime.Millisecond || last > 500*mediatime.Millisecond+mediatime.Time(interpCap/time.Microsecond) {
		t.Errorf("stopped device handed over at %v", last)
	}

	// Ten times too fast: given up within the slack, handed over at the wall time.
	c = newAudioClock(0, 1, t0)
	for w := 0; w <= 1000; w += 10 {
		got, v := c.at(mediatime.Time(10*w)*mediatime.Millisecond, ms(w))
		if v == clockTooFast {
			if w > 30 || got > mediatime.Time(w)*mediatime.Millisecond+fastSlack {
				t.Errorf("fast device caught at %d ms, handed over at %v", w, got)
			}
			return
		}
		if got > mediatime.Time(w)*mediatime.Millisecond+fastSlack+mediatime.Time(w)*mediatime.Millisecond/2 {
			t.Fatalf("fast device drove the clock to %v at %d ms", got, w)
		}
	}
	t.Error("a device ten times too fast was never caught")
}
