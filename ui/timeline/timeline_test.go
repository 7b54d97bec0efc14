package timeline

import (
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"dyadcode/annotate"
)

// The fixture is laid out so that positions are easy to compute by hand:
// the plot starts at x = 124 (the label column) and is 1000 DIP wide showing
// [0, 10 s), so one DIP is 10 ms; frames are 40 ms (25 fps).
const (
	fixPlotX0 = labelWidth
	fixPlotW  = 1000
	fixWidth  = fixPlotX0 + fixPlotW
	fixHeight = 300
	msPerDIP  = 10
)

var (
	red   = color.NRGBA{0xff, 0, 0, 0xff}
	green = color.NRGBA{0, 0xc0, 0, 0xff}
	blue  = color.NRGBA{0, 0, 0xff, 0xff}
)

func ms(v int64) annotate.Time { return annotate.Time(v) * annotate.Millisecond }

// xAt is where time at is drawn in the fixture (view [0, 10 s)).
func xAt(at annotate.Time) float32 {
	return fixPlotX0 + float32(at)/float32(msPerDIP*annotate.Millisecond)
}

type fixture struct {
	tl      *Timeline
	w       fyne.Window
	seeks   []annotate.Time
	selects []uint64
	starts  []move
	ends    []move
}

type move struct {
	id uint64
	at annotate.Time
}

func fixtureLanes() []Lane {
	return []Lane{
		{Key: "c:cry", Label: "cry", Group: "child", Color: red},
		{Key: "c:look", Label: "look at mother", Group: "child", Color: green},
		{Key: "m:touch", Label: "touch", Group: "mother", Color: blue},
	}
}

func fixtureItems() []Item {
	return []Item{
		{ID: 1, Lane: 0, Start: ms(1000), End: ms(3000)},             // red state, x 224..324
		{ID: 2, Lane: 1, Start: ms(6000), Point: true},               // point, x 724
		{ID: 3, Lane: 0, Start: ms(5000), End: ms(5400)},             // short state, x 624..664
		{ID: 4, Lane: 2, Start: ms(2000), End: ms(4000)},             // x 324..424
		{ID: 5, Lane: 2, Start: ms(7000), End: ms(7500), Mark: true}, // marked
	}
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	test.NewTempApp(t)
	f := &fixture{tl: New()}
	f.tl.OnSeek = func(at annotate.Time) { f.seeks = append(f.seeks, at) }
	f.tl.OnSelect = func(id uint64) { f.selects = append(f.selects, id) }
	f.tl.OnMoveStart = func(id uint64, at annotate.Time) { f.starts = append(f.starts, move{id, at}) }
	f.tl.OnMoveEnd = func(id uint64, at annotate.Time) { f.ends = append(f.ends, move{id, at}) }
	f.tl.SetFrameDuration(ms(40))
	f.tl.SetData(fixtureLanes(), fixtureItems(), []Band{{"separation", ms(0), ms(4000)}, {"reunion", ms(4000), ms(10000)}}, ms(10000))
	f.w = test.NewWindow(f.tl)
	f.w.SetPadded(false)
	f.w.Resize(fyne.NewSize(fixWidth, fixHeight))
	t.Cleanup(f.w.Close)
	if s, e := f.tl.View(); s != 0 || e != ms(10000) {
		t.Fatalf("initial view = [%v, %v), want the whole session", s, e)
	}
	return f
}

// laneMid is the vertical middle of lane l. The layout is ruler (22),
// episodes band (18), then a header row (15) per subject and the lanes.
func (f *fixture) laneMid(t *testing.T, l int) float32 {
	t.Helper()
	g := f.tl.geometry()
	r, ok := g.laneRow(l)
	if !ok {
		t.Fatalf("lane %d has no row", l)
	}
	return r.y + r.h/2
}

func TestLayoutRows(t *testing.T) {
	f := newFixture(t)
	// ruler 22 + band 18 = 40; "child" header 15; lanes 22 high (clamped).
	want := map[int]float32{0: 40 + 15, 1: 40 + 15 + 22, 2: 40 + 15 + 22 + 22 + 15}
	g := f.tl.geometry()
	for l, y := range want {
		r, _ := g.laneRow(l)
		if r.y != y || r.h != maxLaneHeight {
			t.Errorf("lane %d row at y=%v h=%v, want y=%v h=%v", l, r.y, r.h, y, maxLaneHeight)
		}
	}
}

func TestTapHitTesting(t *testing.T) {
	cases := []struct {
		name     string
		x        float32
		lane     int     // lane whose middle is tapped; -1: y given
		y        float32 // when lane is -1
		selected uint64  // OnSelect value expected (0: none expected unless clearing)
		seek     annotate.Time
		seeks    bool
	}{
		{name: "inside red state", x: xAt(ms(2000)), lane: 0, selected: 1},
		{name: "near its end", x: xAt(ms(3000)) + 2, lane: 0, selected: 1},
		{name: "point within slop", x: xAt(ms(6000)) + 3, lane: 1, selected: 2},
		{name: "short state", x: xAt(ms(5200)), lane: 0, selected: 3},
		{name: "other subject's lane", x: xAt(ms(3900)), lane: 2, selected: 4},
		{name: "empty lane space seeks to the frame there", x: xAt(ms(3500)) + 0.7, lane: 1, seeks: true, seek: ms(3480)},
		{name: "empty space between items", x: xAt(ms(4500)), lane: 0, seeks: true, seek: ms(4480)},
		{name: "ruler seeks", x: xAt(ms(8000)), lane: -1, y: 5, seeks: true, seek: ms(8000)},
		{name: "episodes band seeks", x: xAt(ms(1234)), lane: -1, y: 30, seeks: true, seek: ms(1200)},
		{name: "label column does nothing", x: 50, lane: 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			y := c.y
			if c.lane >= 0 {
				y = f.laneMid(t, c.lane)
			}
			test.TapAt(f.tl, fyne.NewPos(c.x, y))
			if c.selected != 0 {
				if len(f.selects) != 1 || f.selects[0] != c.selected {
					t.Fatalf("OnSelect calls %v, want [%d]", f.selects, c.selected)
				}
				if id, ok := f.tl.Selected(); !ok || id != c.selected {
					t.Errorf("Selected() = %d, %v", id, ok)
				}
			} else if len(f.selects) != 0 {
				t.Errorf("unexpected OnSelect %v", f.selects)
			}
			if c.seeks {
				if len(f.seeks) != 1 || f.seeks[0] != c.seek {
					t.Fatalf("OnSeek calls %v, want [%v]", f.seeks, c.seek)
				}
			} else if len(f.seeks) != 0 {
				t.Errorf("unexpected OnSeek %v", f.seeks)
			}
		})
	}
}

func TestTapEmptyClearsSelection(t *testing.T) {
	f := newFixture(t)
	test.TapAt(f.tl, fyne.NewPos(xAt(ms(2000)), f.laneMid(t, 0)))
	test.TapAt(f.tl, fyne.NewPos(xAt(ms(9000)), f.laneMid(t, 0)))
	if want := []uint64{1, 0}; len(f.selects) != 2 || f.selects[0] != want[0] || f.selects[1] != want[1] {
		t.Fatalf("OnSelect calls %v, want %v", f.selects, want)
	}
	if _, ok := f.tl.Selected(); ok {
		t.Error("selection not cleared")
	}
	if len(f.seeks) != 1 || f.seeks[0] != ms(9000) {
		t.Errorf("seeks %v, want [9s]", f.seeks)
	}
}

func TestCaptureColours(t *testing.T) {
	f := newFixture(t)
	f.tl.SetPlayhead(ms(8500))
	img := f.w.Canvas().Capture()
	sc := float32(img.Bounds().Dx()) / fixWidth
	at := func(x, y float32) color.NRGBA {
		return toNRGBA(img.At(int(x*sc), int(y*sc)))
	}
	if c := at(xAt(ms(2000)), f.laneMid(t, 0)); c != red {
		t.Errorf("pixel inside the red state is %v, want %v", c, red)
	}
	if c := at(xAt(ms(3000))+10, f.laneMid(t, 0)); c == red {
		t.Errorf("pixel after the red state is red")
	}
	if c := at(xAt(ms(3000)), f.laneMid(t, 2)); c != blue {
		t.Errorf("pixel inside the blue state is %v, want %v", c, blue)
	}
	primary := toNRGBA(theme.Color(theme.ColorNamePrimary))
	for _, l := range []int{0, 1, 2} {
		if c := at(xAt(ms(8500)), f.laneMid(t, l)); c != primary {
			t.Errorf("playhead column in lane %d is %v, want the primary colour %v", l, c, primary)
		}
	}
	if c := at(xAt(ms(8500))+6, f.laneMid(t, 1)); c == primary {
		t.Errorf("playhead is wider than expected")
	}
}
