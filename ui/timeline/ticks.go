package timeline

import (
	"fmt"

	"dyadcode/annotate"
)

// Tick spacing: major ticks carry a label and must leave room for it; minor
// ticks subdivide them.
const (
	minMinorPx      = 6
	framesModePx    = 8   // zoomed in so far that one frame is this wide: count frames
	labelPxSeconds  = 70  // "00:12:30" plus a gap
	labelPxMillis   = 100 // "00:12:30.250" plus a gap
	labelPxFrames   = 62  // "#123456" plus a gap
	maxTicksPerDraw = 4000
)

// timeSteps are the major tick intervals in time mode, with the number of
// minor ticks each is divided into.
var timeSteps = []struct {
	step annotate.Time
	div  int
}{
	{1 * annotate.Millisecond, 5}, {2 * annotate.Millisecond, 4}, {5 * annotate.Millisecond, 5},
	{10 * annotate.Millisecond, 5}, {20 * annotate.Millisecond, 4}, {50 * annotate.Millisecond, 5},
	{100 * annotate.Millisecond, 5}, {200 * annotate.Millisecond, 4}, {500 * annotate.Millisecond, 5},
	{annotate.Second, 5}, {2 * annotate.Second, 4}, {5 * annotate.Second, 5}, {10 * annotate.Second, 5},
	{15 * annotate.Second, 3}, {30 * annotate.Second, 3}, {annotate.Minute, 4}, {2 * annotate.Minute, 4},
	{5 * annotate.Minute, 5}, {10 * annotate.Minute, 5}, {15 * annotate.Minute, 3}, {30 * annotate.Minute, 3},
	{annotate.Hour, 4}, {2 * annotate.Hour, 4}, {5 * annotate.Hour, 5}, {10 * annotate.Hour, 5},
	{24 * annotate.Hour, 4},
}

var frameSteps = []int64{1, 2, 5, 10, 20, 25, 50, 100, 250, 500, 1000}

// tickPlan says how the axis is divided for the current zoom.
type tickPlan struct {
	frames       bool
	major, minor annotate.Time // time mode
	majorN       int64         // frame mode: frames per major tick
	millis       bool          // time mode labels need milliseconds
}

func (t *Timeline) plan(g *geom) tickPlan {
	pp := g.perPixel() // µs per DIP
	if t.grid != nil {
		if fpx := float64(t.grid.typical()) / pp; fpx >= framesModePx {
			p := tickPlan{frames: true, majorN: frameSteps[len(frameSteps)-1]}
			for _, k := range frameSteps {
				if float64(k)*fpx >= labelPxFrames {
					p.majorN = k
					break
				}
			}
			return p
		}
	}
	last := timeSteps[len(timeSteps)-1]
	p := tickPlan{major: last.step, minor: last.step / annotate.Time(last.div)}
	for _, s := range timeSteps {
		need := float64(labelPxSeconds)
		if s.step < annotate.Second {
			need = labelPxMillis
		}
		if float64(s.step)/pp >= need {
			p.major = s.step
			p.minor = s.step / annotate.Time(s.div)
			break
		}
	}
	if float64(p.minor)/pp < minMinorPx {
		p.minor = p.major
	}
	p.millis = p.major < annotate.Second
	return p
}

// eachTick calls f for every tick in the view, left to right, with the
// frame number in frame mode.
func (t *Timeline) eachTick(g *geom, p tickPlan, f func(at annotate.Time, frame int64, major bool)) {
	end := g.viewStart + g.span
	if p.frames {
		n := t.grid.index(g.viewStart)
		for i := 0; i < maxTicksPerDraw; i, n = i+1, n+1 {
			at := t.grid.start(n)
			if at > end {
				return
			}
			if at >= g.viewStart {
				f(at, n, n%p.majorN == 0)
			}
		}
		return
	}
	at := (g.viewStart + p.minor - 1) / p.minor * p.minor
	for i := 0; i < maxTicksPerDraw && at <= end; i, at = i+1, at+p.minor {
		f(at, 0, at%p.major == 0)
	}
}

// tickLabel formats a major tick: hh:mm:ss, with milliseconds when the ticks
// are closer than a second, or the frame number when counting frames.
func tickLabel(p tickPlan, at annotate.Time, frame int64) string {
	if p.frames {
		return fmt.Sprintf("#%d", frame)
	}
	c := at.Clock()
	if !p.millis && len(c) > 4 {
		return c[:len(c)-4]
	}
	return c
}
