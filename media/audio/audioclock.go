package audio

import (
	"time"

	"dyadcode/mediatime"
)

// audioClock turns the raw audio position of a segment (samples handed to
// the device minus what it still holds) into the clock the player follows,
// and judges whether the device really plays in real time. It is pure
// arithmetic on the positions and instants it is given, so it is tested with
// exact numbers; Output feeds it from oto.
type audioClock struct {
	start     mediatime.Time // media time the segment started at
	speed     float64
	startedAt time.Time

	last        mediatime.Time // last time returned (the clock never goes back)
	progressPos mediatime.Time // raw position at the last progress
	progressAt  time.Time
	rawLast     mediatime.Time // last raw (staircase) position
	rawAt       time.Time      // when it was first seen
	proven      bool
}

// Verdicts of audioClock.at besides clockOK.
const (
	clockOK = iota
	clockStalled
	clockTooFast
	clockProven // first time the device was seen playing at the right pace
)

// stallAfter: a device that took samples for this long of wall time without
// the playhead moving is taken for dead (a machine without a sound card:
// oto reports no error and its clock never moves).
const stallAfter = 300 * time.Millisecond

// fastSlack is how far ahead of the wall clock the audio clock may run
// (plus half the elapsed time) before the device counts as not real-time.
const fastSlack = 150 * mediatime.Millisecond

// provenAfter: a segment that played this long at a plausible pace proves
// the device works.
const provenAfter = time.Second

// interpCap bounds the interpolation past the last audio step: the device
// buffer (two periods). If no step comes for longer the device is late, and
// the clock waits for it (or the stall check gives it up).
const interpCap = deviceBuffer

func newAudioClock(start mediatime.Time, speed float64, now time.Time) audioClock {
	return audioClock{start: start, speed: speed, startedAt: now, last: start,
		progressPos: start, progressAt: now, rawLast: start, rawAt: now}
}

// at returns the clock for raw position raw seen at now, and a verdict. On
// clockStalled and clockTooFast the time returned is where the wall clock
// should take over.
func (c *audioClock) at(raw mediatime.Time, now time.Time) (mediatime.Time, int) {
	if raw > c.progressPos {
		c.progressPos, c.progressAt = raw, now
	} else if now.Sub(c.progressAt) > stallAfter {
		return c.last, clockStalled
	}
	// A device that swallows samples faster than real time (ALSA's null
	// plugin, a broken driver) would race the video ahead.
	el := now.Sub(c.startedAt)
	wallT := c.start + c.scaled(el)
	if raw > wallT+fastSlack+(wallT-c.start)/2 {
		return max(wallT, c.last), clockTooFast
	}
	verdict := clockOK
	if !c.proven && el > provenAfter && raw-c.start > c.scaled(el)/2 {
		c.proven = true
		verdict = clockProven
	}
	// The device takes samples a period (~30 ms) at a time, so the raw
	// clock is a staircase; between steps it is interpolated on the wall
	// clock, at most interpCap past the last step, so a frame interval (33
	// ms at 30 fps) never sees the clock stand still. Not before the device
	// has started to play.
	if raw != c.rawLast {
		c.rawLast, c.rawAt = raw, now
	}
	t := raw
	if raw > c.start {
		t += min(c.scaled(now.Sub(c.rawAt)), c.scaled(interpCap))
	}
	// oto appends a chunk to its buffer just after our Read returns; a Now
	// in between overestimates by one chunk. Never going back hides it.
	if t < c.last {
		t = c.last
	}
	c.last = t
	return t, verdict
}

// scaled is a wall duration in media time at the clock's speed.
func (c *audioClock) scaled(d time.Duration) mediatime.Time {
	return mediatime.Time(float64(d.Microseconds()) * c.speed)
}
