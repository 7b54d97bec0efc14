package review

import (
	"image/color"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"

	"dyadcode/annotate"
	"dyadcode/annotate/agreement"
	"dyadcode/ui/timeline"
)

// timelineLanes stacks the coders' lanes on the coding window's timeline
// widget: one group per behaviour with a lane per coder, the slices where
// the coders differ highlighted in that behaviour's lanes, and events
// whose onset found no match marked.
type timelineLanes struct {
	tl *timeline.Timeline
	// starts maps an item ID to its event's start, for seeking on a click.
	starts map[uint64]annotate.Time
	// What was last given to the timeline, kept for tests.
	lanes []timeline.Lane
	items []timeline.Item
	hs    []timeline.Highlight
}

func newTimelineLanes(seek func(annotate.Time)) *timelineLanes {
	l := &timelineLanes{tl: timeline.New(), starts: map[uint64]annotate.Time{}}
	// The coders' events are shown, not edited here (each coder corrects
	// their own observation): without this a selected event's edge could be
	// dragged and would spring back on release.
	l.tl.ReadOnly = true
	l.tl.OnSeek = seek
	l.tl.OnSelect = func(id uint64) {
		if t, ok := l.starts[id]; ok && id != 0 {
			seek(t)
		}
	}
	return l
}

func (l *timelineLanes) object() fyne.CanvasObject { return l.tl }

func (l *timelineLanes) show(obs []*annotate.Observation, s *annotate.Scheme, r *agreement.Report, an *agreement.Analysis) {
	coders := r.Params.Coders
	end := r.Params.End
	laneOf := map[string]int{} // identity + "\x00" + coder index
	var lanes []timeline.Lane
	for _, id := range r.Behaviors {
		code := id[strings.LastIndexByte(id, ':')+1:]
		var clr color.Color
		if s != nil {
			if b, ok := s.Behavior(code); ok {
				clr = parseColor(b.Color)
			}
		}
		for k, name := range coders {
			laneOf[id+"\x00"+strconv.Itoa(k)] = len(lanes)
			lanes = append(lanes, timeline.Lane{Key: id + "/" + strconv.Itoa(k), Label: name, Group: id, Color: clr})
		}
	}
	clear(l.starts)
	var items []timeline.Item
	for k, o := range obs {
		for j, e := range o.Events {
			lane, ok := laneOf[r.Identity(e)+"\x00"+strconv.Itoa(k)]
			if !ok {
				continue
			}
			id := uint64(k)<<32 | uint64(j+1)
			l.starts[id] = e.Start
			items = append(items, timeline.Item{
				ID: id, Lane: lane, Start: e.Start, End: e.EndOr(end),
				Point: r.IsPoint(e), Open: e.Open, Mark: k < 2 && an.Unmatched(k, e),
			})
		}
	}
	var bands []timeline.Band
	if len(obs) > 0 {
		for _, sp := range obs[0].Spans(end) {
			bands = append(bands, timeline.Band{Label: sp.Name, Start: sp.Start, End: sp.End})
		}
	}
	var hs []timeline.Highlight
	for _, d := range an.Disagreements {
		if d.Kind != agreement.SliceDisagreement {
			continue
		}
		for _, id := range d.Behaviors {
			for k := range coders {
				hs = append(hs, timeline.Highlight{Start: d.Start, End: d.End, Lane: laneOf[id+"\x00"+strconv.Itoa(k)]})
			}
		}
	}
	l.lanes, l.items, l.hs = lanes, items, hs
	l.tl.SetData(lanes, items, bands, end)
	l.tl.SetHighlights(hs)
	l.tl.ZoomAll()
}

func (l *timelineLanes) setPlayhead(t annotate.Time) { l.tl.SetPlayhead(t) }

// parseColor reads a scheme colour "#rrggbb"; nil lets the timeline pick.
func parseColor(s string) color.Color {
	if len(s) == 7 && s[0] == '#' {
		if v, err := strconv.ParseUint(s[1:], 16, 32); err == nil {
			return color.NRGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 255}
		}
	}
	return nil
}
