package audio

import (
	"sync"
	"time"

	"dyadcode/mediatime"
)

// WallClock is the playback clock when there is no audio to follow: the file
// has none, the machine has no sound card, or the speed is outside the
// audible range. It runs on the monotonic wall clock scaled by the speed.
// All methods are safe from any goroutine.
type WallClock struct {
	mu      sync.Mutex
	base    mediatime.Time // media time at since
	since   time.Time      // monotonic instant the current run started
	running bool
	speed   float64
}

// NewWallClock returns a paused clock at media time 0 and speed 1.
func NewWallClock() *WallClock { return &WallClock{speed: 1} }

func (c *WallClock) nowLocked(now time.Time) mediatime.Time {
	if !c.running {
		return c.base
	}
	el := now.Sub(c.since)
	if el < 0 {
		el = 0
	}
	return c.base + mediatime.Time(float64(el.Microseconds())*c.speed)
}

// Now is the current media time.
func (c *WallClock) Now() mediatime.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nowLocked(time.Now())
}

// Running reports whether the clock advances.
func (c *WallClock) Running() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.running
}

// Play starts the clock from where it stands.
func (c *WallClock) Play() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.running {
		c.since = time.Now()
		c.running = true
	}
}

// Pause stops the clock where it stands.
func (c *WallClock) Pause() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.base = c.nowLocked(time.Now())
	c.running = false
}

// Seek moves the clock to t, keeping it running or paused. It never fails;
// the error is there to satisfy Transport.
func (c *WallClock) Seek(t mediatime.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.base = t
	c.since = time.Now()
	return nil
}

// SetSpeed changes the rate from now on without a jump in media time. The
// speed is clamped to [MinSpeed, MaxSpeed].
func (c *WallClock) SetSpeed(f float64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	c.base = c.nowLocked(now)
	c.since = now
	c.speed = clampSpeed(f)
}

// Speed is the current rate.
func (c *WallClock) Speed() float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.speed
}

// UsingAudioClock is always false for a wall clock.
func (c *WallClock) UsingAudioClock() bool { return false }

// Close does nothing; a wall clock holds no resources.
func (c *WallClock) Close() error { return nil }
