package timeline

import (
	"sort"

	"dyadcode/annotate"
)

// frameGrid maps between media time and frame numbers, so edits snap to the
// instants where frames start and the axis can count frames.
type frameGrid interface {
	// index is the frame shown at t: the last frame starting at or before t
	// (0 before the first).
	index(t annotate.Time) int64
	// start is frame n's start time.
	start(n int64) annotate.Time
	// typical is a representative frame interval, for zoom limits.
	typical() annotate.Time
}

// durationGrid is frames of a fixed interval starting at 0.
type durationGrid annotate.Time

func (d durationGrid) index(t annotate.Time) int64 {
	if t <= 0 {
		return 0
	}
	return int64(t / annotate.Time(d))
}
func (d durationGrid) start(n int64) annotate.Time { return annotate.Time(n) * annotate.Time(d) }
func (d durationGrid) typical() annotate.Time      { return annotate.Time(d) }

// rateGrid is a constant exact frame rate: frame n starts at
// round(n·Den·10⁶/Num) µs, without the drift of a truncated interval.
type rateGrid annotate.Rate

func (r rateGrid) start(n int64) annotate.Time {
	num := n * r.Den * int64(annotate.Second)
	return annotate.Time((num + r.Num/2) / r.Num)
}

func (r rateGrid) index(t annotate.Time) int64 {
	if t <= 0 {
		return 0
	}
	n := int64(t) * r.Num / (r.Den * int64(annotate.Second))
	// Rounding in start can move a boundary by a microsecond: settle n so
	// that start(n) <= t < start(n+1).
	for n > 0 && r.start(n) > t {
		n--
	}
	for r.start(n+1) <= t {
		n++
	}
	return n
}

func (r rateGrid) typical() annotate.Time { return annotate.Rate(r).FrameDuration() }

// ptsGrid is the decoded frames' own start times (variable frame rate).
type ptsGrid []annotate.Time

func (p ptsGrid) index(t annotate.Time) int64 {
	i := sort.Search(len(p), func(i int) bool { return p[i] > t })
	return int64(max(i-1, 0))
}

func (p ptsGrid) start(n int64) annotate.Time {
	switch {
	case n < 0:
		return p[0] + annotate.Time(n)*p.typical()
	case n < int64(len(p)):
		return p[n]
	default:
		return p[len(p)-1] + annotate.Time(n-int64(len(p))+1)*p.typical()
	}
}

func (p ptsGrid) typical() annotate.Time {
	if len(p) < 2 {
		return 40 * annotate.Millisecond
	}
	return max((p[len(p)-1]-p[0])/annotate.Time(len(p)-1), 1)
}

// snapNearest returns the frame start nearest to at (at itself without a
// grid); ties go to the earlier frame.
func (t *Timeline) snapNearest(at annotate.Time) annotate.Time {
	if t.grid == nil {
		return at
	}
	n := t.grid.index(at)
	a, b := t.grid.start(n), t.grid.start(n+1)
	if at < a {
		return a
	}
	if b-at < at-a {
		return b
	}
	return a
}

// snapFloor returns the start of the frame shown at at.
func (t *Timeline) snapFloor(at annotate.Time) annotate.Time {
	if t.grid == nil {
		return at
	}
	return t.grid.start(t.grid.index(at))
}
