package ui

import (
	"fyne.io/fyne/v2"

	"dyadcode/annotate"
	"dyadcode/media/audio"
	"dyadcode/ui/timeline"
)

// codingTimeline adapts the timeline widget to the coding view: one lane
// per behaviour in scheme order (grouped by subject), the observation's
// episodes as bands, and its callbacks routed to the view's edit commands.
type codingTimeline struct {
	*timeline.Timeline
}

func newTimeline(v *codingView) timelineView {
	t := &codingTimeline{timeline.New()}
	if v.video.Rate.Valid() {
		t.SetFrameRate(v.video.Rate)
	}
	t.SetFollow(true)
	t.OnSeek = func(at annotate.Time) {
		v.seek(at)
		v.win.Canvas().Unfocus()
	}
	t.OnSelect = func(id uint64) {
		v.selectEvent(annotate.EventID(id))
		v.win.Canvas().Unfocus()
	}
	t.OnMoveStart = func(id uint64, at annotate.Time) { v.moveStart(annotate.EventID(id), at) }
	t.OnMoveEnd = func(id uint64, at annotate.Time) { v.moveEnd(annotate.EventID(id), at) }
	// A drag stops where the domain would refuse the edit (a state of the
	// same exclusive group, the video's bounds) and the view says why.
	t.Room = func(id uint64) (annotate.Time, annotate.Time) { return v.ed.Room(annotate.EventID(id)) }
	t.OnStopped = func(id uint64, wanted, at annotate.Time) { v.dragStopped(annotate.EventID(id), wanted, at) }
	// Dragging an episode's start on the band moves its mark: one undo
	// step per drag, since the widget reports only where the drag ends.
	t.OnMoveBand = v.moveEpisode
	return t
}

// timelineData turns an observation into the widget's lanes, items and
// bands. Lanes follow the scheme grouped by subject, the order of the
// coding panel; events of codes no longer in the scheme get a lane at the
// end so nothing coded is hidden.
func timelineData(o *annotate.Observation, s *annotate.Scheme, end annotate.Time) ([]timeline.Lane, []timeline.Item, []timeline.Band) {
	var lanes []timeline.Lane
	laneOf := map[string]int{}
	point := map[string]bool{}
	for _, b := range s.Behaviors {
		point[b.Code] = b.Kind == annotate.Point
	}
	subjects := append(s.SubjectCodes(), "")
	names := map[string]string{}
	for _, sub := range s.Subjects {
		names[sub.Code] = sub.Name
	}
	for _, sub := range subjects {
		for _, b := range s.Behaviors {
			if b.Subject != sub {
				continue
			}
			label := b.Name
			if label == "" {
				label = b.Code
			}
			laneOf[b.Code] = len(lanes)
			lanes = append(lanes, timeline.Lane{Key: b.Key, Label: label, Group: names[sub], Color: parseColor(b.Color)})
		}
	}
	items := make([]timeline.Item, 0, len(o.Events))
	for _, e := range o.Events {
		l, ok := laneOf[e.Behavior]
		if !ok {
			l = len(lanes)
			laneOf[e.Behavior] = l
			lanes = append(lanes, timeline.Lane{Label: e.Behavior, Group: "Not in scheme"})
		}
		items = append(items, timeline.Item{ID: uint64(e.ID), Lane: l, Start: e.Start, End: e.End,
			Point: point[e.Behavior], Open: e.Open})
	}
	if end <= 0 {
		end = o.LastTime()
	}
	var bands []timeline.Band
	for _, sp := range o.Spans(end) {
		bands = append(bands, timeline.Band{Label: sp.Name, Start: sp.Start, End: sp.End})
	}
	return lanes, items, bands
}

func (t *codingTimeline) setEdits(o *annotate.Observation, s *annotate.Scheme, end annotate.Time) {
	lanes, items, bands := timelineData(o, s, end)
	t.SetData(lanes, items, bands, end)
}

func (t *codingTimeline) widget() fyne.CanvasObject { return t.Timeline }

func (t *codingTimeline) setPlayhead(at annotate.Time)    { t.SetPlayhead(at) }
func (t *codingTimeline) selectEvent(id annotate.EventID) { t.Select(uint64(id)) }
func (t *codingTimeline) setWaveform(p []audio.Peak)      { t.SetWaveform(p) }
func (t *codingTimeline) zoomIn()                         { t.ZoomIn() }
func (t *codingTimeline) zoomOut()                        { t.ZoomOut() }
func (t *codingTimeline) zoomAll()                        { t.ZoomAll() }
