package timeline

import (
	"image"
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"dyadcode/annotate"
)

// pixel returns the captured colour at DIP position (x, y).
func pixel(img image.Image, x, y float32) color.NRGBA {
	sc := float32(img.Bounds().Dx()) / fixWidth
	return toNRGBA(img.At(int(x*sc), int(y*sc)))
}

func TestRenderHighlightsAndMarks(t *testing.T) {
	f := newFixture(t)
	before := f.w.Canvas().Capture()
	f.tl.SetHighlights([]Highlight{
		{Start: ms(8000), End: ms(9000), Lane: -1},
		{Start: ms(500), End: ms(700), Lane: 1},
	})
	after := f.w.Canvas().Capture()
	warn := toNRGBA(theme.Color(theme.ColorNameWarning))
	g := f.tl.geometry()
	lane2, _ := g.laneRow(2)
	cases := []struct {
		name    string
		x, y    float32
		changed bool
		want    *color.NRGBA // exact colour expected after, if any
	}{
		{"all-lane range tints lane 0", xAt(ms(8500)), f.laneMid(t, 0), true, nil},
		{"all-lane range tints lane 2", xAt(ms(8500)), f.laneMid(t, 2), true, nil},
		{"all-lane range is marked on the axis", xAt(ms(8500)), rulerHeight - 2, true, &warn},
		{"lane range tints its lane", xAt(ms(600)), f.laneMid(t, 1), true, nil},
		{"lane range leaves other lanes", xAt(ms(600)), f.laneMid(t, 0), false, nil},
		{"outside every range", xAt(ms(9500)), f.laneMid(t, 0), false, nil},
		{"marked item has a warning outline", xAt(ms(7250)), lane2.y + 1, false, &warn},
		{"red state stays red under no highlight", xAt(ms(2000)), f.laneMid(t, 0), false, &red},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, a := pixel(before, c.x, c.y), pixel(after, c.x, c.y)
			if (a != b) != c.changed {
				t.Errorf("pixel before %v after %v; want changed=%v", b, a, c.changed)
			}
			if c.want != nil && a != *c.want {
				t.Errorf("pixel %v, want %v", a, *c.want)
			}
		})
	}
}

func TestRenderWaveform(t *testing.T) {
	f := newFixture(t)
	// Silence for the first half of the session, full scale in the second.
	peaks := make([]Peak, 100)
	for i := 50; i < 100; i++ {
		peaks[i] = Peak{Min: -1, Max: 1}
	}
	f.tl.SetWaveform(peaks)
	g := f.tl.geometry()
	if g.waveH != waveHeight {
		t.Fatalf("no waveform lane: height %v", g.waveH)
	}
	img := f.w.Canvas().Capture()
	bg := toNRGBA(theme.Color(theme.ColorNameBackground))
	top := g.waveY + 4
	if c := pixel(img, xAt(ms(2500)), top); c != bg {
		t.Errorf("silent part near the top of the lane is %v, want background %v", c, bg)
	}
	if c := pixel(img, xAt(ms(7500)), top); c == bg {
		t.Errorf("loud part near the top of the lane is background")
	}
	// Lanes moved down by the waveform's height and still hit.
	test.TapAt(f.tl, fyne.NewPos(xAt(ms(2000)), f.laneMid(t, 0)))
	if len(f.selects) != 1 || f.selects[0] != 1 {
		t.Errorf("tap on the red state below the waveform selected %v", f.selects)
	}
	f.tl.SetWaveform(nil)
	if g := f.tl.geometry(); g.waveH != 0 {
		t.Errorf("waveform lane not removed")
	}
}

func TestOpenStateReachesPlayhead(t *testing.T) {
	f := newFixture(t)
	items := append(fixtureItems(), Item{ID: 9, Lane: 1, Start: ms(1000), Open: true})
	f.tl.SetData(fixtureLanes(), items, nil, ms(10000))
	f.tl.SetPlayhead(ms(4000))
	img := f.w.Canvas().Capture()
	bg := pixel(img, xAt(ms(4500)), f.laneMid(t, 1))
	if c := pixel(img, xAt(ms(3000)), f.laneMid(t, 1)); c == bg {
		t.Errorf("running state not drawn up to the playhead: %v", c)
	}
	f.tl.SetPlayhead(ms(5000))
	img = f.w.Canvas().Capture()
	if c := pixel(img, xAt(ms(4500)), f.laneMid(t, 1)); c == bg {
		t.Errorf("running state did not grow with the playhead")
	}
}

// Many items in one pixel column: all are indexed, the topmost is hit and
// the column is painted.
func TestDenseItems(t *testing.T) {
	f := newFixture(t)
	var items []Item
	for i := 0; i < 2000; i++ { // 2000 points within 2 DIP around 5 s
		items = append(items, Item{ID: uint64(i + 1), Lane: 1, Start: ms(4990) + annotate.Time(i*10), Point: true})
	}
	f.tl.SetData(fixtureLanes(), items, nil, ms(10000))
	img := f.w.Canvas().Capture()
	if c := pixel(img, xAt(ms(5000)), f.laneMid(t, 1)); c != green {
		t.Errorf("dense column is %v, want green", c)
	}
	test.TapAt(f.tl, fyne.NewPos(xAt(ms(5000)), f.laneMid(t, 1)))
	if len(f.selects) != 1 {
		t.Fatalf("selects %v", f.selects)
	}
	i := f.tl.byID[f.selects[0]]
	if d := f.tl.items[i].Start - ms(5000); d < -ms(5) || d > ms(5) {
		t.Errorf("selected point at %v, want the one under the pointer (5 s)", f.tl.items[i].Start)
	}
}

func TestVerticalScrollOfLanes(t *testing.T) {
	f := newFixture(t)
	lanes, items, _ := bigData(200, 30, ms(10000))
	f.tl.SetData(lanes, items, nil, ms(10000))
	g := f.tl.geometry()
	if g.contentH <= g.lanesH {
		t.Fatalf("30 lanes fit in %v DIP; the test needs overflow", g.lanesH)
	}
	last := len(lanes) - 1
	r, _ := g.laneRow(last)
	if r.y < g.h {
		t.Fatalf("last lane visible before scrolling (y=%v)", r.y)
	}
	// Shift with the wheel over the plot pans time, not lanes.
	f.tl.ScrolledWithModifier(&fyne.ScrollEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(500, 200)}, Scrolled: fyne.NewDelta(0, -2000)}, fyne.KeyModifierShift)
	if f.tl.vscroll != 0 {
		t.Errorf("Shift+wheel over the plot scrolled lanes")
	}
	// The wheel scrolls lanes anywhere over the timeline, up to the last
	// one: over the plot as over the labels.
	f.tl.ScrolledWithModifier(&fyne.ScrollEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(500, 200)}, Scrolled: fyne.NewDelta(0, -1000)}, 0)
	if f.tl.vscroll == 0 {
		t.Errorf("the wheel over the plot did not scroll the lanes")
	}
	f.tl.ScrolledWithModifier(&fyne.ScrollEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(50, 200)}, Scrolled: fyne.NewDelta(0, -2000)}, 0)
	g = f.tl.geometry()
	r, _ = g.laneRow(last)
	if r.y+r.h != g.h {
		t.Errorf("after scrolling down the last lane ends at %v, want the bottom %v", r.y+r.h, g.h)
	}
	// Dragging the labels scrolls back.
	drag(f.tl, fyne.NewPos(50, 200))
	f.tl.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(50, 1200)}, Dragged: fyne.NewDelta(0, 1000)})
	f.tl.DragEnd()
	if f.tl.vscroll != 0 {
		t.Errorf("drag on the labels left vscroll %v", f.tl.vscroll)
	}
	// Selecting an item scrolls its lane into view.
	for _, it := range items {
		if it.Lane == last {
			f.tl.Select(it.ID)
			break
		}
	}
	g = f.tl.geometry()
	r, _ = g.laneRow(last)
	if r.y < g.lanesY || r.y+r.h > g.h {
		t.Errorf("selected item's lane at y=%v not in view", r.y)
	}
}

func TestContextAndViewCallbacks(t *testing.T) {
	f := newFixture(t)
	var ctx []move
	var views [][2]annotate.Time
	f.tl.OnContext = func(id uint64, at annotate.Time, _ fyne.Position) { ctx = append(ctx, move{id, at}) }
	f.tl.OnViewChange = func(s, e annotate.Time) { views = append(views, [2]annotate.Time{s, e}) }
	test.TapSecondaryAt(f.tl, fyne.NewPos(xAt(ms(3500)), f.laneMid(t, 2)))
	test.TapSecondaryAt(f.tl, fyne.NewPos(xAt(ms(9000)), f.laneMid(t, 2)))
	if len(ctx) != 2 || ctx[0] != (move{4, ms(3480)}) || ctx[1] != (move{0, ms(9000)}) {
		t.Errorf("OnContext %v", ctx)
	}
	if len(f.selects) != 1 || f.selects[0] != 4 {
		t.Errorf("secondary tap selected %v, want [4]", f.selects)
	}
	f.tl.SetView(ms(1000), ms(3000)) // programmatic: not reported
	f.tl.ScrolledWithModifier(&fyne.ScrollEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(xAt(ms(2000)), 100)}, Scrolled: fyne.NewDelta(0, 50)}, fyne.KeyModifierControl)
	if len(views) != 1 {
		t.Fatalf("OnViewChange %v, want one call for the wheel zoom", views)
	}
	if s, e := f.tl.View(); views[0] != [2]annotate.Time{s, e} {
		t.Errorf("OnViewChange %v, view [%v, %v)", views[0], s, e)
	}
}

func TestSnapshotShowsEveryLane(t *testing.T) {
	f := newFixture(t)
	lanes, items, _ := bigData(300, 30, ms(10000))
	lanes[29].Color = red
	items = append(items, Item{ID: 999, Lane: 29, Start: ms(2000), End: ms(8000)})
	f.tl.SetData(lanes, items, nil, ms(10000))
	img := f.tl.Snapshot(fixWidth, 2)
	// ruler 22 + band 18 + 4 subject headers of 15 + 30 lanes of 22.
	wantH := 2 * (22 + 18 + 4*15 + 30*22)
	if b := img.Bounds(); b.Dx() != 2*fixWidth || b.Dy() != wantH {
		t.Fatalf("snapshot %v, want %dx%d", b, 2*fixWidth, wantH)
	}
	// The last lane, hidden on screen, is drawn: the red state in its middle.
	y := wantH - 2*22/2
	if c := toNRGBA(img.At(int(2*xAt(ms(5000))), y)); c != red {
		t.Errorf("last lane's state in the snapshot is %v, want red", c)
	}
	if f.tl.Size().Height != fixHeight {
		t.Errorf("snapshot resized the widget on screen")
	}
}

// The supervisor view passes running states closed at the end of the video.
func TestOpenStateWithProvisionalEnd(t *testing.T) {
	f := newFixture(t)
	items := append(fixtureItems(), Item{ID: 9, Lane: 1, Start: ms(1000), End: ms(9000), Open: true})
	f.tl.SetData(fixtureLanes(), items, nil, ms(10000))
	f.tl.SetPlayhead(ms(2000))
	img := f.w.Canvas().Capture()
	bg := pixel(img, xAt(ms(9500)), f.laneMid(t, 1))
	if c := pixel(img, xAt(ms(8500)), f.laneMid(t, 1)); c == bg {
		t.Errorf("running state with End 9 s not drawn at 8.5 s")
	}
}

// Nothing the app can pass makes the widget panic: no data, no size, bad
// lane numbers, reversed ranges, times outside the session.
func TestRobustToOddInput(t *testing.T) {
	test.NewTempApp(t)
	tl := New()
	// Before it has a size or any data.
	tl.Tapped(&fyne.PointEvent{Position: fyne.NewPos(10, 10)})
	tl.ScrolledWithModifier(&fyne.ScrollEvent{Scrolled: fyne.NewDelta(0, 30)}, fyne.KeyModifierControl)
	drag(tl, fyne.NewPos(5, 5), 10)
	tl.ZoomIn()
	tl.ZoomOut()
	tl.SetPlayhead(ms(500))
	w := test.NewWindow(tl)
	defer w.Close()
	w.Resize(fyne.NewSize(400, 120))
	w.Canvas().Capture()

	tl.SetData(fixtureLanes(), []Item{
		{ID: 1, Lane: 7, Start: ms(100), End: ms(200)},  // no such lane: ignored
		{ID: 2, Lane: -1, Start: ms(100), End: ms(200)}, // likewise
		{ID: 3, Lane: 0, Start: ms(900), End: ms(100)},  // reversed: drawn as an instant
		{ID: 4, Lane: 1, Start: -ms(500), End: ms(300)}, // before zero
		{ID: 5, Lane: 2, Start: ms(5000), End: ms(99000)},
	}, []Band{{"x", ms(3000), ms(1000)}}, 0)
	tl.SetHighlights([]Highlight{{Start: ms(10), End: ms(5), Lane: 9}, {Start: ms(0), End: ms(100), Lane: -1}})
	tl.SetWaveform([]Peak{{Min: 5, Max: -5}, {Min: -2, Max: 2}})
	tl.SetFrameTimes([]annotate.Time{0})
	if _, e := tl.View(); e != ms(99000) {
		t.Errorf("without a duration the view should reach the data's end 99 s, got %v", e)
	}
	if len(tl.items) != 3 {
		t.Errorf("kept %d items, want 3 (bad lanes dropped)", len(tl.items))
	}
	w.Canvas().Capture()
	for _, x := range []float32{0, 50, 200, 399} {
		for _, y := range []float32{0, 30, 60, 119} {
			test.TapAt(tl, fyne.NewPos(x, y))
			drag(tl, fyne.NewPos(x, y), -30, 60)
		}
	}
	tl.Select(3)
	drag(tl, fyne.NewPos(200, 60), 15)
	tl.SetData(nil, nil, nil, 0)
	w.Canvas().Capture()
	if _, ok := tl.Selected(); ok {
		t.Error("selection survived the removal of its item")
	}
}
