package audio

import (
	"testing"
	"time"

	"dyadcode/mediatime"
)

// The wall clock: advances while playing, stops when paused, scales with
// speed. Bounds are generous (a loaded CI machine sleeps long), monotonicity
// is strict.
func TestWallClock(t *testing.T) {
	t.Parallel() // sleep-bound
	for _, tc := range []struct {
		speed float64
	}{{1}, {0.25}, {2}, {4}} {
		c := NewWallClock()
		c.SetSpeed(tc.speed)
		if c.Running() || c.Now() != 0 {
			t.Fatalf("new clock running=%v now=%v", c.Running(), c.Now())
		}
		checkTransport(t, c, tc.speed)
	}
}

// checkTransport drives any Transport through play, pause and seek.
func checkTransport(t *testing.T, c Transport, speed float64) {
	t.Helper()
	base := c.Now()
	start := time.Now()
	c.Play()
	if !c.Running() {
		t.Fatal("not running after Play")
	}
	prev := c.Now()
	for time.Since(start) < 150*time.Millisecond {
		n := c.Now()
		if n < prev {
			t.Fatalf("speed %g: clock went back from %v to %v", speed, prev, n)
		}
		prev = n
		time.Sleep(5 * time.Millisecond)
	}
	elapsed := time.Since(start)
	got := c.Now() - base
	// At least most of the wall time scaled by speed, at most all of it plus
	// slack (the clock may have started a little before start).
	lo := mediatime.Time(float64(100*time.Millisecond/time.Microsecond) * speed)
	hi := mediatime.Time(float64((elapsed+100*time.Millisecond)/time.Microsecond) * speed)
	if got < lo || got > hi {
		t.Errorf("speed %g: after %v the clock reads %v, want %v..%v", speed, elapsed, got, lo, hi)
	}
	c.Pause()
	if c.Running() {
		t.Fatal("running after Pause")
	}
	p1 := c.Now()
	time.Sleep(50 * time.Millisecond)
	if p2 := c.Now(); p2 != p1 {
		t.Errorf("speed %g: paused clock moved from %v to %v", speed, p1, p2)
	}
	if p1 < base+got {
		t.Errorf("speed %g: pause went back from %v to %v", speed, got, p1)
	}
	if err := c.Seek(10 * mediatime.Second); err != nil {
		t.Fatal(err)
	}
	if n := c.Now(); n != 10*mediatime.Second {
		t.Errorf("after Seek(10s) paused clock reads %v", n)
	}
	c.Play()
	time.Sleep(30 * time.Millisecond)
	if n := c.Now(); n <= 10*mediatime.Second {
		t.Errorf("speed %g: clock did not advance after seek+play: %v", speed, n)
	}
	c.Pause()
}

func TestWallClockSpeedChangeKeepsTime(t *testing.T) {
	c := NewWallClock()
	c.Play()
	time.Sleep(20 * time.Millisecond)
	before := c.Now()
	c.SetSpeed(0.1)
	after := c.Now()
	if after < before || after-before > 50*mediatime.Millisecond {
		t.Errorf("speed change jumped the clock from %v to %v", before, after)
	}
	for _, f := range []float64{-1, 0, 1e9} {
		c.SetSpeed(f)
		if s := c.Speed(); s < MinSpeed || s > MaxSpeed {
			t.Errorf("SetSpeed(%g) left speed %g outside limits", f, s)
		}
	}
}
