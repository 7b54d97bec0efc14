package timeline

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"dyadcode/annotate"
)

// drag drives the widget the way the desktop driver does: a series of
// Dragged events whose Position is the pointer now and Dragged the step since
// the last event (so the first one's Position−Dragged is where the button
// went down), then DragEnd.
func drag(tl *Timeline, from fyne.Position, steps ...float32) {
	pos := from
	for _, dx := range steps {
		pos = pos.Add(fyne.NewPos(dx, 0))
		tl.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: pos}, Dragged: fyne.NewDelta(dx, 0)})
	}
	tl.DragEnd()
}

func TestDragToEdit(t *testing.T) {
	cases := []struct {
		name      string
		selectID  uint64 // 0: nothing selected before the drag
		lane      int
		from      float32 // x where the button goes down
		steps     []float32
		wantStart []move
		wantEnd   []move
		viewMoved bool
	}{
		// 3000 ms + 37 DIP·10 ms = 3370 ms, nearest 40 ms frame 3360 ms.
		{name: "end edge right", selectID: 1, lane: 0, from: xAt(ms(3000)), steps: []float32{10, 20, 7}, wantEnd: []move{{1, ms(3360)}}},
		// 1000 ms − 23 DIP = 770 ms: frames at 760 and 800, nearest 760.
		{name: "start edge left", selectID: 1, lane: 0, from: xAt(ms(1000)) + 1, steps: []float32{-12, -12}, wantStart: []move{{1, ms(760)}}},
		// 6000 ms + 10 DIP = 6100 ms, halfway between 6080 and 6120: ties go earlier.
		{name: "point as a whole", selectID: 2, lane: 1, from: xAt(ms(6000)), steps: []float32{4, 6}, wantStart: []move{{2, ms(6080)}}},
		{name: "start edge cannot pass the end", selectID: 1, lane: 0, from: xAt(ms(1000)), steps: []float32{150, 100}, wantStart: []move{{1, ms(2960)}}},
		{name: "end edge cannot pass the start", selectID: 3, lane: 0, from: xAt(ms(5400)), steps: []float32{-100}, wantEnd: []move{{3, ms(5040)}}},
		{name: "end edge stays in the session", selectID: 5, lane: 2, from: xAt(ms(7500)), steps: []float32{400}, wantEnd: []move{{5, ms(10000)}}},
		{name: "back to where it was: no edit", selectID: 1, lane: 0, from: xAt(ms(3000)), steps: []float32{30, -30}},
		{name: "unselected item pans instead", lane: 0, from: xAt(ms(3000)), steps: []float32{-50}, viewMoved: true},
		{name: "state body pans", selectID: 1, lane: 0, from: xAt(ms(2000)), steps: []float32{-50}, viewMoved: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			f.tl.SetView(ms(0), ms(10000))
			if c.selectID != 0 {
				f.tl.Select(c.selectID)
			}
			if c.viewMoved {
				f.tl.SetView(ms(0), ms(5000))
			}
			s0, _ := f.tl.View()
			y := f.laneMid(t, c.lane)
			from := c.from
			if c.viewMoved {
				from = fixPlotX0 + float32(ms(2000)-s0)/float32(ms(5))
			}
			drag(f.tl, fyne.NewPos(from, y), c.steps...)
			if !equalMoves(f.starts, c.wantStart) || !equalMoves(f.ends, c.wantEnd) {
				t.Fatalf("OnMoveStart %v, OnMoveEnd %v; want %v, %v", f.starts, f.ends, c.wantStart, c.wantEnd)
			}
			s1, e1 := f.tl.View()
			if c.viewMoved {
				// 50 DIP left at 5 ms per DIP pans 250 ms later.
				if s1 != s0+ms(250) || e1-s1 != ms(5000) {
					t.Errorf("view after pan [%v, %v), want start %v", s1, e1, s0+ms(250))
				}
			} else if s1 != s0 {
				t.Errorf("editing drag moved the view to %v", s1)
			}
		})
	}
}

func equalMoves(a, b []move) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// While the drag is on, the item is drawn at its new place but nothing is
// reported; the data given by SetData is not changed by the widget.
func TestDragPreviewDoesNotReport(t *testing.T) {
	f := newFixture(t)
	f.tl.Select(1)
	y := f.laneMid(t, 0)
	f.tl.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(xAt(ms(3000))+50, y)}, Dragged: fyne.NewDelta(50, 0)})
	if len(f.ends) != 0 {
		t.Fatalf("OnMoveEnd called during the drag: %v", f.ends)
	}
	img := f.w.Canvas().Capture()
	sc := float32(img.Bounds().Dx()) / fixWidth
	if c := toNRGBA(img.At(int((xAt(ms(3000))+30)*sc), int(y*sc))); c != red {
		t.Errorf("dragged end not drawn at its new place: pixel %v", c)
	}
	f.tl.DragEnd()
	if len(f.ends) != 1 || f.ends[0] != (move{1, ms(3480)}) {
		t.Fatalf("OnMoveEnd %v, want once at 3480 ms", f.ends)
	}
	if f.tl.items[f.tl.byID[1]].End != ms(3000) {
		t.Error("widget changed its item; the app must apply the edit and call SetData")
	}
}

func TestScrubOnRuler(t *testing.T) {
	f := newFixture(t)
	drag(f.tl, fyne.NewPos(xAt(ms(1000)), 5), 10, 0.5, 30)
	want := []annotate.Time{ms(1080), ms(1400)} // 1100→1080, 1105→1080 (same frame, not repeated), 1405→1400
	if len(f.seeks) != len(want) || f.seeks[0] != want[0] || f.seeks[1] != want[1] {
		t.Fatalf("scrub seeks %v, want %v", f.seeks, want)
	}
}

func TestZoom(t *testing.T) {
	cases := []struct {
		name      string
		view      [2]annotate.Time
		playhead  annotate.Time
		op        func(tl *Timeline)
		wantStart annotate.Time
		wantEnd   annotate.Time
	}{
		{"zoom in halves around the playhead", [2]annotate.Time{0, ms(10000)}, ms(4000), (*Timeline).ZoomIn, ms(2000), ms(7000)},
		{"zoom in without visible playhead: around the middle", [2]annotate.Time{ms(2000), ms(6000)}, ms(9000), (*Timeline).ZoomIn, ms(3000), ms(5000)},
		{"zoom out doubles", [2]annotate.Time{ms(2000), ms(4000)}, ms(3000), (*Timeline).ZoomOut, ms(1000), ms(5000)},
		{"zoom out stops at the session", [2]annotate.Time{ms(1000), ms(9000)}, ms(5000), (*Timeline).ZoomOut, 0, ms(10000)},
		{"zoom out near the start shifts right", [2]annotate.Time{ms(0), ms(4000)}, ms(500), (*Timeline).ZoomOut, 0, ms(8000)},
		{"zoom all", [2]annotate.Time{ms(2000), ms(3000)}, 0, (*Timeline).ZoomAll, 0, ms(10000)},
		{"zoom in stops at four frames", [2]annotate.Time{ms(1000), ms(1200)}, ms(1100), (*Timeline).ZoomIn, ms(1020), ms(1180)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			f.tl.SetView(c.view[0], c.view[1])
			f.tl.SetPlayhead(c.playhead)
			c.op(f.tl)
			if s, e := f.tl.View(); s != c.wantStart || e != c.wantEnd {
				t.Errorf("view [%v, %v), want [%v, %v)", s, e, c.wantStart, c.wantEnd)
			}
		})
	}
}

func TestCtrlWheelZoomsAroundPointer(t *testing.T) {
	cases := []struct {
		name     string
		x        float32
		dy       float32
		wantSpan annotate.Time
	}{
		{"two notches in halve the span", fixPlotX0 + 300, 50, ms(2000)},
		{"two notches out double it", fixPlotX0 + 300, -50, ms(8000)},
		{"one notch in: factor 1/sqrt 2", fixPlotX0 + 123, 25, 2828427},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			f.tl.SetView(ms(2000), ms(6000)) // 4 ms per DIP
			g := f.tl.geometry()
			before := g.timeAt(c.x)
			f.tl.ScrolledWithModifier(&fyne.ScrollEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(c.x, 100)}, Scrolled: fyne.NewDelta(0, c.dy)}, fyne.KeyModifierControl)
			s, e := f.tl.View()
			if d := e - s - c.wantSpan; d < -1 || d > 1 {
				t.Errorf("span %v, want %v", e-s, c.wantSpan)
			}
			g = f.tl.geometry()
			if after := g.timeAt(c.x); after-before > 2 || before-after > 2 {
				t.Errorf("time under the pointer moved from %d to %d µs", before, after)
			}
		})
	}
}

func TestWheelPans(t *testing.T) {
	cases := []struct {
		name      string
		x         float32
		mod       fyne.KeyModifier
		dx, dy    float32
		wantStart annotate.Time
	}{
		// 2 DIP per unit of wheel at 4 ms per DIP.
		{"wheel down goes later", fixPlotX0 + 10, 0, 0, -25, ms(2200)},
		{"wheel up goes earlier", fixPlotX0 + 10, 0, 0, 25, ms(1800)},
		{"shift+wheel arrives horizontal", fixPlotX0 + 10, fyne.KeyModifierShift, -25, 0, ms(2200)},
		{"cannot pan before zero", fixPlotX0 + 10, 0, 0, 1000, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			f.tl.SetView(ms(2000), ms(6000))
			f.tl.ScrolledWithModifier(&fyne.ScrollEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(c.x, 100)}, Scrolled: fyne.NewDelta(c.dx, c.dy)}, c.mod)
			if s, e := f.tl.View(); s != c.wantStart || e-s != ms(4000) {
				t.Errorf("view [%v, %v), want start %v span 4 s", s, e, c.wantStart)
			}
		})
	}
}

func TestPlayheadFollows(t *testing.T) {
	f := newFixture(t)
	f.tl.SetView(ms(0), ms(2000))
	f.tl.SetPlayhead(ms(1900))
	f.tl.SetPlayhead(ms(2040)) // played past the right edge: page on
	if s, e := f.tl.View(); s != ms(1940) || e != ms(3940) {
		t.Errorf("after playing on view [%v, %v), want [1.94 s, 3.94 s)", s, e)
	}
	f.tl.SetView(ms(5000), ms(7000)) // the coder looks elsewhere: do not yank the view back
	f.tl.SetPlayhead(ms(2080))
	if s, _ := f.tl.View(); s != ms(5000) {
		t.Errorf("view followed a playhead that was out of sight: start %v", s)
	}
}

// Only what is visible is drawn: the canvas object count does not grow
// with the number of events.
func TestObjectCountBounded(t *testing.T) {
	counts := map[int]int{}
	for _, n := range []int{10, 10000} {
		f := newFixture(t)
		lanes, items, bands := bigData(n, 20, ms(10000))
		f.tl.SetData(lanes, items, bands, ms(10000))
		objs := test.LaidOutObjects(f.tl)
		counts[n] = len(objs)
		f.w.Canvas().Capture() // and it paints
	}
	if counts[10000] > 120 || counts[10000] > counts[10]+10 {
		t.Errorf("objects: %d for 10 events, %d for 10000; want a small bound independent of events", counts[10], counts[10000])
	}
}

func TestFrameGrids(t *testing.T) {
	ntsc := rateGrid(annotate.Rate{Num: 30000, Den: 1001})
	cases := []struct {
		name  string
		grid  frameGrid
		at    annotate.Time
		index int64
		start annotate.Time
	}{
		{"duration grid", durationGrid(ms(40)), ms(81), 2, ms(80)},
		{"duration grid boundary", durationGrid(ms(40)), ms(80), 2, ms(80)},
		// Frame 107892 of 29.97 fps starts at 3599.9964 s (about 1 h): a
		// truncated 33366 µs interval would put it 72 ms early.
		{"NTSC rate one hour in", ntsc, 3599996400, 107892, 3599996400},
		{"NTSC rate just before", ntsc, 3599996399, 107891, 3599963033},
		{"pts grid", ptsGrid{0, 40000, 90000, 120000}, 100000, 2, 90000},
		{"pts grid before first", ptsGrid{1000, 41000}, 0, 0, 1000},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if n := c.grid.index(c.at); n != c.index {
				t.Errorf("index(%d) = %d, want %d", c.at, n, c.index)
			}
			if s := c.grid.start(c.index); s != c.start {
				t.Errorf("start(%d) = %d, want %d", c.index, s, c.start)
			}
		})
	}
}

// Dragging an edge past the plot's end pans the view with it.
func TestDragEdgePastViewPans(t *testing.T) {
	f := newFixture(t)
	f.tl.SetView(ms(4000), ms(9000)) // 5 ms per DIP; item 5 ends at x 824
	f.tl.Select(5)
	y := f.laneMid(t, 2)
	drag(f.tl, fyne.NewPos(fixPlotX0+700, y), 400) // to x 1224, 101 DIP past the last column
	if s, e := f.tl.View(); s != ms(4505) || e != ms(9505) {
		t.Errorf("view [%v, %v), want [4.505 s, 9.505 s)", s, e)
	}
	// The edge is at the last column: 4505 + 999·5 = 9500 ms, a tie between
	// frames 9480 and 9520 that goes to the earlier.
	if len(f.ends) != 1 || f.ends[0] != (move{5, ms(9480)}) {
		t.Errorf("OnMoveEnd %v, want [{5 9480 ms}]", f.ends)
	}
}

func TestHoverReadout(t *testing.T) {
	f := newFixture(t)
	r := f.tl.rend
	if want := "00:00:00.000 #0"; r.readout.Text != want {
		t.Errorf("readout without pointer %q, want %q", r.readout.Text, want)
	}
	test.MoveMouse(f.w.Canvas(), fyne.NewPos(xAt(ms(2345)), 100))
	if want := "00:00:02.320 #58"; r.readout.Text != want || r.cursor.Hidden {
		t.Errorf("readout over 2.345 s %q (cursor hidden %v), want %q", r.readout.Text, r.cursor.Hidden, want)
	}
	f.tl.MouseOut()
	if !r.cursor.Hidden || r.readout.Text != "00:00:00.000 #0" {
		t.Errorf("after the pointer left: readout %q, cursor hidden %v", r.readout.Text, r.cursor.Hidden)
	}
}

// On a HiDPI screen the raster is painted at device pixels.
func TestDrawScaled(t *testing.T) {
	f := newFixture(t)
	img := f.tl.rend.draw(2*fixWidth, 2*fixHeight)
	y := int(2 * f.laneMid(t, 0))
	for _, c := range []struct {
		x    float32
		want bool
	}{{xAt(ms(1000)) + 0.5, true}, {xAt(ms(2000)), true}, {xAt(ms(3000)) - 0.5, true}, {xAt(ms(1000)) - 0.5, false}, {xAt(ms(3000)) + 0.5, false}} {
		if got := toNRGBA(img.At(int(2*c.x), y)) == red; got != c.want {
			t.Errorf("device pixel at DIP %v red=%v, want %v", c.x, got, c.want)
		}
	}
}

func TestDragEpisodeStart(t *testing.T) {
	cases := []struct {
		name     string
		editable bool
		from     float32
		steps    []float32
		want     [][2]annotate.Time
	}{
		// 4000 ms + 23 DIP = 4230 ms, nearest frame 4240 ms.
		{"move reunion later", true, xAt(ms(4000)) + 2, []float32{20, 1}, [][2]annotate.Time{{ms(4000), ms(4240)}}},
		{"cannot reach the previous episode", true, xAt(ms(4000)), []float32{-600}, [][2]annotate.Time{{ms(4000), ms(40)}}},
		{"first episode stops before the next", true, xAt(0) + 1, []float32{700}, [][2]annotate.Time{{0, ms(3960)}}},
		{"not editable: pans instead", false, xAt(ms(4000)), []float32{20}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			var got [][2]annotate.Time
			if c.editable {
				f.tl.OnMoveBand = func(from, to annotate.Time) { got = append(got, [2]annotate.Time{from, to}) }
			}
			f.tl.SetView(ms(1000), ms(6000))
			f.tl.SetView(0, ms(10000))
			drag(f.tl, fyne.NewPos(c.from, rulerHeight+bandHeight/2), c.steps...)
			if len(got) != len(c.want) || (len(got) == 1 && got[0] != c.want[0]) {
				t.Errorf("OnMoveBand %v, want %v", got, c.want)
			}
		})
	}
}

// Drawing and hit testing look only at the items near the view: the index
// narrows 10,000 events over 2 hours to the few in a 10-second view, long
// states that began before the view included.
func TestVisibleWindowSearch(t *testing.T) {
	test.NewTempApp(t)
	tl := New()
	end := 2 * annotate.Hour
	lanes, items, _ := bigData(10000, 20, end)
	long := Item{ID: 99999, Lane: 0, Start: ms(1000), End: end - ms(1000)} // spans the view
	tl.SetData(lanes, append(items, long), nil, end)
	a, b := annotate.Hour, annotate.Hour+10*annotate.Second
	scanned, found := map[int]int{}, map[uint64]bool{}
	for l := range lanes {
		lo, hi := tl.visible(l, a, b)
		scanned[l] = hi - lo
		for _, i := range tl.index[l].order[lo:hi] {
			if it := tl.items[i]; it.Start <= b && tl.itemEnd(&it) >= a {
				found[it.ID] = true
			}
		}
	}
	want := map[uint64]bool{}
	for _, it := range append(items, long) {
		if it.Start <= b && it.End >= a {
			want[it.ID] = true
		}
	}
	if len(found) != len(want) || !found[long.ID] {
		t.Errorf("found %d visible items, a linear scan finds %d (long state found: %v)", len(found), len(want), found[long.ID])
	}
	// The long state makes lane 0 scan from its start (a running maximum of
	// ends cannot skip it; still only comparisons); every other lane of 500
	// items scans the few near the view.
	for l, n := range scanned {
		if l != 0 && n > 20 {
			t.Errorf("lane %d: scanned %d of %d items for a 10 s view", l, n, len(tl.index[l].order))
		}
	}
}

func TestCursorOverGrabbableEdges(t *testing.T) {
	cases := []struct {
		name     string
		selectID uint64
		band     bool // OnMoveBand set
		x, y     float32
		lane     int // -1: use y
		want     desktop.Cursor
	}{
		{"end edge of the selected state", 1, false, xAt(ms(3000)) + 2, 0, 0, desktop.HResizeCursor},
		{"start edge of the selected state", 1, false, xAt(ms(1000)) - 3, 0, 0, desktop.HResizeCursor},
		{"body of the selected state", 1, false, xAt(ms(2000)), 0, 0, desktop.DefaultCursor},
		{"edge of an unselected state", 0, false, xAt(ms(3000)), 0, 0, desktop.DefaultCursor},
		{"selected point", 2, false, xAt(ms(6000)) + 1, 0, 1, desktop.HResizeCursor},
		{"episode start, editable", 0, true, xAt(ms(4000)) + 1, rulerHeight + 5, -1, desktop.HResizeCursor},
		{"episode start, not editable", 0, false, xAt(ms(4000)), rulerHeight + 5, -1, desktop.DefaultCursor},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			if c.selectID != 0 {
				f.tl.Select(c.selectID)
			}
			if c.band {
				f.tl.OnMoveBand = func(_, _ annotate.Time) {}
			}
			y := c.y
			if c.lane >= 0 {
				y = f.laneMid(t, c.lane)
			}
			f.tl.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(c.x, y)}})
			if got := f.tl.Cursor(); got != c.want {
				t.Errorf("cursor %v, want %v", got, c.want)
			}
		})
	}
}

// A read-only timeline (the supervisor's lanes) lets nothing be grabbed: the
// same drags that edit an editable one raise no move callback, the cursor
// stays the arrow over the edges and while dragging, and a click still
// selects and seeks. Each case runs editable too, so the positions are known
// to be grabbable.
func TestReadOnlyNoEdits(t *testing.T) {
	cases := []struct {
		name     string
		selectID uint64
		lane     int // -1: the episodes band
		from     float32
		steps    []float32
	}{
		{"end edge of the selected state", 1, 0, xAt(ms(3000)), []float32{10, 20}},
		{"start edge of the selected state", 1, 0, xAt(ms(1000)) + 1, []float32{-12, -12}},
		{"selected point", 2, 1, xAt(ms(6000)), []float32{4, 6}},
		{"episode start", 0, -1, xAt(ms(4000)) + 2, []float32{20, 1}},
	}
	for _, c := range cases {
		for _, readOnly := range []bool{false, true} {
			name := c.name + "/editable"
			if readOnly {
				name = c.name + "/read-only"
			}
			t.Run(name, func(t *testing.T) {
				f := newFixture(t)
				f.tl.ReadOnly = readOnly
				var bands [][2]annotate.Time
				f.tl.OnMoveBand = func(from, to annotate.Time) { bands = append(bands, [2]annotate.Time{from, to}) }
				f.tl.SetView(0, ms(10000))
				if c.selectID != 0 {
					f.tl.Select(c.selectID)
				}
				y := float32(rulerHeight + bandHeight/2)
				if c.lane >= 0 {
					y = f.laneMid(t, c.lane)
				}
				from := fyne.NewPos(c.from, y)
				f.tl.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: from}})
				hover := f.tl.Cursor()
				// The cursor in the middle of the drag, then the release.
				pos := from.Add(fyne.NewPos(c.steps[0], 0))
				f.tl.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: pos}, Dragged: fyne.NewDelta(c.steps[0], 0)})
				during := f.tl.Cursor()
				drag(f.tl, pos, c.steps[1:]...)
				moves := len(f.starts) + len(f.ends) + len(bands)
				if readOnly {
					if moves != 0 {
						t.Errorf("read-only drag reported OnMoveStart %v, OnMoveEnd %v, OnMoveBand %v", f.starts, f.ends, bands)
					}
					if hover != desktop.DefaultCursor || during != desktop.DefaultCursor {
						t.Errorf("read-only cursor %v over the edge, %v while dragging; want the default", hover, during)
					}
				} else {
					if moves != 1 {
						t.Errorf("editable drag reported %d moves (starts %v, ends %v, bands %v), want 1", moves, f.starts, f.ends, bands)
					}
					if hover != desktop.HResizeCursor || during != desktop.HResizeCursor {
						t.Errorf("editable cursor %v over the edge, %v while dragging; want resize", hover, during)
					}
				}
			})
		}
	}

	t.Run("selection and seek still work", func(t *testing.T) {
		f := newFixture(t)
		f.tl.ReadOnly = true
		f.tl.SetView(0, ms(10000))
		f.tl.Tapped(&fyne.PointEvent{Position: fyne.NewPos(xAt(ms(2000)), f.laneMid(t, 0))})
		if sel, _ := f.tl.Selected(); sel != 1 || len(f.selects) != 1 || f.selects[0] != 1 {
			t.Errorf("tap on a state: selected %d, OnSelect %v; want 1", sel, f.selects)
		}
		f.tl.Tapped(&fyne.PointEvent{Position: fyne.NewPos(xAt(ms(2500)), rulerHeight/2)})
		if len(f.seeks) != 1 || f.seeks[0] != ms(2480) {
			t.Errorf("tap on the ruler: OnSeek %v, want [2480ms]", f.seeks)
		}
	})
}
