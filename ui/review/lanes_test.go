package review

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"dyadcode/annotate"
	"dyadcode/annotate/agreement"
	"dyadcode/ui/timeline"
)

// TestTimelineLanes checks what the supervisor view puts on the timeline
// for the demo: a lane per behaviour and coder, every event once, the
// unmatched onsets marked (as many as the report's omissions and
// commissions), the disagreeing slices highlighted in the lanes of the
// behaviours that differ, and a tap on an event seeking to it.
func TestTimelineLanes(t *testing.T) {
	newTestApp(t)
	s, obs := demo(t)
	var seeks []annotate.Time
	v := NewAgreementView(nil, s, obs, demoEnd, func(t annotate.Time) { seeks = append(seeks, t) })
	w := test.NewWindow(v)
	defer w.Close()
	w.Resize(fyne.NewSize(1366, 768))
	l := v.lanes
	r := v.Report()
	if got, want := len(l.lanes), 2*len(r.Behaviors); got != want {
		t.Errorf("%d lanes, want %d behaviours × 2 coders", got, want)
	}
	if got, want := len(l.items), len(obs[0].Events)+len(obs[1].Events); got != want {
		t.Errorf("%d items, want every event once (%d)", got, want)
	}
	marked, unmatched := 0, 0
	for _, it := range l.items {
		if it.Mark {
			marked++
		}
		if l.lanes[it.Lane].Label != obs[it.ID>>32].Coder {
			t.Errorf("item %d of %s drawn in %s's lane", it.ID, obs[it.ID>>32].Coder, l.lanes[it.Lane].Label)
		}
	}
	for _, id := range r.Behaviors {
		e := r.Events.PerBehavior[id]
		unmatched += e.Omissions + e.Commissions
	}
	if marked != unmatched {
		t.Errorf("%d events marked, the report has %d omissions + commissions", marked, unmatched)
	}
	var want int
	for _, d := range v.Disagreements() {
		if d.Kind == agreement.SliceDisagreement {
			want += 2 * len(d.Behaviors)
		}
	}
	if len(l.hs) != want || want == 0 {
		t.Errorf("%d highlights, want %d (both coders' lanes of each differing behaviour)", len(l.hs), want)
	}
	for _, h := range l.hs {
		if h.Lane < 0 || h.End <= h.Start {
			t.Errorf("bad highlight %+v", h)
		}
	}
	ds := v.Disagreements()
	v.SelectDisagreement(len(ds) - 1)
	if got := l.tl.Playhead(); got != ds[len(ds)-1].Start {
		t.Errorf("playhead at %v after selecting the disagreement at %v", got, ds[len(ds)-1].Start)
	}
	for id, at := range l.starts {
		l.tl.OnSelect(id)
		if len(seeks) == 0 || seeks[len(seeks)-1] != at {
			t.Fatalf("selecting item %d did not seek to %v (seeks %v)", id, at, seeks)
		}
		break
	}
}

// TestTimelineLanesReadOnly finds a selected event's edge on the supervisor's
// timeline (where an editable timeline shows the resize cursor) and drags
// it: nothing may be reported as moved and the cursor stays the arrow.
func TestTimelineLanesReadOnly(t *testing.T) {
	newTestApp(t)
	s, obs := demo(t)
	v := NewAgreementView(nil, s, obs, demoEnd, func(annotate.Time) {})
	w := test.NewWindow(v)
	defer w.Close()
	w.Resize(fyne.NewSize(1366, 768))
	tl := v.lanes.tl
	if !tl.ReadOnly {
		t.Fatal("the supervisor's timeline is editable")
	}
	var moves []annotate.Time
	tl.OnMoveStart = func(_ uint64, at annotate.Time) { moves = append(moves, at) }
	tl.OnMoveEnd = func(_ uint64, at annotate.Time) { moves = append(moves, at) }
	// Zoom onto the first state event so its edges are far apart.
	var it timeline.Item
	for _, c := range v.lanes.items {
		if !c.Point && c.End-c.Start > 2*annotate.Second {
			it = c
			break
		}
	}
	if it.ID == 0 {
		t.Fatal("the demo has no state event longer than 2 s")
	}
	tl.SetView(it.Start-annotate.Second, it.End+annotate.Second)
	tl.Select(it.ID)
	hover := func(p fyne.Position) desktop.Cursor {
		tl.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: p}})
		return tl.Cursor()
	}
	// Find a grabbable edge as an editable timeline would see it.
	tl.ReadOnly = false
	var edge fyne.Position
	found := false
	sz := tl.Size()
	for y := float32(0); y < sz.Height && !found; y += 2 {
		for x := float32(0); x < sz.Width && !found; x++ {
			if hover(fyne.NewPos(x, y)) == desktop.HResizeCursor {
				edge, found = fyne.NewPos(x, y), true
			}
		}
	}
	tl.ReadOnly = true
	if !found {
		t.Fatalf("no grabbable edge of the selected event %d in a %v timeline", it.ID, sz)
	}
	if c := hover(edge); c != desktop.DefaultCursor {
		t.Errorf("cursor %v over the selected event's edge, want the default", c)
	}
	for _, dx := range []float32{15, 25} {
		tl.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: edge.AddXY(dx, 0)}, Dragged: fyne.NewDelta(dx, 0)})
		edge = edge.AddXY(dx, 0)
	}
	if c := tl.Cursor(); c != desktop.DefaultCursor {
		t.Errorf("cursor %v while dragging the edge, want the default", c)
	}
	tl.DragEnd()
	if len(moves) != 0 {
		t.Errorf("dragging an edge on the supervisor's timeline reported moves to %v", moves)
	}
	if sel, _ := tl.Selected(); sel != it.ID {
		t.Errorf("selection %d after the drag, want %d still", sel, it.ID)
	}
}
