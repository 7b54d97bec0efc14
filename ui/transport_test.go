package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// TestClockLineFits lays the coding view out from its minimum width up and
// checks that the clock and the frame number are drawn whole inside the
// window and do not overlap, that the episode name ends inside it (shortened
// with "…" only when it must be), and that the clock line shares the
// buttons' row on a wide window and takes its own row on a narrow one.
func TestClockLineFits(t *testing.T) {
	h := openCoding(t, makeProject(t))
	v := h.view()
	h.typeKeys("2") // "2 Caregiver and child", the longest default name but one
	pump()
	// The widest frame number an hour of 30 fps video shows (set again
	// before each layout: a decoded frame puts the real one back).
	const wideFrame = "#107999/107999"
	v.frameLbl.SetText(wideFrame)
	minW := h.s.win.Content().MinSize().Width
	cases := []struct {
		name    string
		width   float32
		twoRows bool
	}{
		{"minimum width", minW, true},
		{"1100 px", 1100, true},
		{"1366 px", 1366, false},
		{"1920 px", 1920, false},
	}
	d := fyne.CurrentApp().Driver()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pump()
			v.frameLbl.SetText(wideFrame)
			h.s.win.Resize(fyne.NewSize(c.width+50, 700)) // a real size change, so the layouts run
			h.s.win.Resize(fyne.NewSize(c.width, 700))
			win := h.s.win.Canvas().Size()
			if win.Width > c.width+1 {
				t.Fatalf("window %v wide, asked for %v", win.Width, c.width)
			}
			type box struct {
				name string
				pos  fyne.Position
				size fyne.Size
			}
			drawn := func(name string, txt *canvas.Text) box {
				// The text as drawn, not its object's size: a canvas.Text
				// paints past its bounds when they are too small.
				return box{name, d.AbsolutePositionForObject(txt), fyne.MeasureText(txt.Text, txt.TextSize, txt.TextStyle)}
			}
			clock, frame, ep := drawn("clock", v.clock), drawn("frame", v.frameLbl.text), drawn("episode", v.episode.text)
			for _, b := range []box{clock, frame, ep} {
				if b.pos.X < 0 || b.pos.Y < 0 || b.pos.X+b.size.Width > win.Width+0.5 || b.pos.Y+b.size.Height > win.Height+0.5 {
					t.Errorf("%s %q drawn at %v size %v, outside the %v window", b.name, b.name, b.pos, b.size, win)
				}
			}
			if clock.pos.X+clock.size.Width > frame.pos.X || frame.pos.X+frame.size.Width > ep.pos.X {
				t.Errorf("clock at %v+%v, frame at %v+%v, episode at %v overlap", clock.pos.X, clock.size.Width, frame.pos.X, frame.size.Width, ep.pos.X)
			}
			// Nor under a button of the bar (Go to…, zoom, transport).
			for _, o := range testLaidOut(v.content) {
				b, ok := o.(*widget.Button)
				if !ok || !b.Visible() {
					continue
				}
				bp, bs := d.AbsolutePositionForObject(b), b.Size()
				for _, x := range []box{clock, frame, ep} {
					if x.pos.X < bp.X+bs.Width && bp.X < x.pos.X+x.size.Width && x.pos.Y < bp.Y+bs.Height && bp.Y < x.pos.Y+x.size.Height {
						t.Errorf("%s at %v size %v under the button %q at %v size %v", x.name, x.pos, x.size, b.Text, bp, bs)
					}
				}
			}
			if v.frameLbl.text.Text != wideFrame || v.clock.Text != "00:00:00.000" {
				t.Errorf("clock %q frame %q shortened", v.clock.Text, v.frameLbl.text.Text)
			}
			shown := v.episode.text.Text
			if shown != v.episode.Text && (!strings.HasSuffix(shown, "…") || !strings.HasPrefix(v.episode.Text, strings.TrimSuffix(shown, "…"))) {
				t.Errorf("episode shown as %q for %q", shown, v.episode.Text)
			}
			// The clock line is in its own row when its top is above the
			// play button's.
			play := d.AbsolutePositionForObject(v.playBtn)
			twoRows := frame.pos.Y+v.frameLbl.obj.Size().Height <= play.Y
			if twoRows != c.twoRows {
				t.Errorf("clock line own row = %v (frame y %v, play button y %v), want %v", twoRows, frame.pos.Y, play.Y, c.twoRows)
			}
			// At the very minimum width the bar may need a row per group
			// and the episode name may end in "…"; from 1100 px it shows.
			if c.twoRows && c.width >= 1100 && shown != v.episode.Text {
				t.Errorf("episode shortened to %q on its own row of %v px", shown, win.Width)
			}
		})
	}
}

func TestEllipsize(t *testing.T) {
	size, style := theme.TextSize(), fyne.TextStyle{Italic: true}
	wide := func(s string) float32 { return fyne.MeasureText(s, size, style).Width }
	name := "7 Stranger returns"
	cases := []struct {
		name string
		w    float32
		want string
	}{
		{"fits", wide(name), name},
		{"no limit", 0, name},
		{"a few runes short", wide("7 Stranger retur…"), "7 Stranger retur…"},
		{"drops the trailing space", wide("7 Stranger…"), "7 Stranger…"},
		{"nothing fits", 1, "…"},
	}
	for _, c := range cases {
		if got := ellipsize(name, c.w, size, style); got != c.want {
			t.Errorf("%s: ellipsize(%q, %v) = %q, want %q", c.name, name, c.w, got, c.want)
		}
		if got := ellipsize(name, c.w, size, style); c.w > 0 && wide(got) > c.w && got != "…" {
			t.Errorf("%s: %q is %v wide, more than %v", c.name, got, wide(got), c.w)
		}
	}
}

// At 900×560 the speed label was drawn over the zoom buttons: the bar's
// two groups no longer fit side by side and overlapped. They take a row
// each instead; no button covers another or the speed.
func TestSpeedLabelClearOfButtons(t *testing.T) {
	h := openCoding(t, makeProject(t))
	v := h.view()
	d := fyne.CurrentApp().Driver()
	for _, size := range []fyne.Size{{Width: 900, Height: 560}, {Width: 1366, Height: 768}} {
		h.s.win.Resize(fyne.NewSize(size.Width+50, size.Height))
		h.s.win.Resize(size)
		pump()
		type box struct {
			name      string
			pos       fyne.Position
			size      fyne.Size
			isButton  bool
			isSpeedLb bool
		}
		sp := v.speedLbl
		boxes := []box{{name: "speed " + sp.Text, pos: d.AbsolutePositionForObject(sp), size: sp.Size(), isSpeedLb: true}}
		for _, o := range testLaidOut(v.content) {
			if b, ok := o.(*widget.Button); ok && b.Visible() {
				boxes = append(boxes, box{name: "button " + b.Text, pos: d.AbsolutePositionForObject(b), size: b.Size(), isButton: true})
			}
		}
		for i, a := range boxes {
			for _, b := range boxes[i+1:] {
				if a.pos.X < b.pos.X+b.size.Width-0.5 && b.pos.X < a.pos.X+a.size.Width-0.5 &&
					a.pos.Y < b.pos.Y+b.size.Height-0.5 && b.pos.Y < a.pos.Y+a.size.Height-0.5 {
					t.Errorf("%v: %s at %v %v overlaps %s at %v %v", size, a.name, a.pos, a.size, b.name, b.pos, b.size)
				}
			}
		}
	}
}
