package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// TestEventsTableClicks: a click on a row, found the way the driver finds
// it (the topmost tappable object under the pointer), selects the event and
// leaves the video where it is; a double click on the row moves the video
// to the event.
func TestEventsTableClicks(t *testing.T) {
	h := openCoding(t, makeProject(t))
	v := h.view()
	h.typeKeys("m") // smile at frame 0
	h.right(5)
	h.typeKeys("v") // vocalization at frame 5
	h.right(20)
	pump()
	if v.cur.Index != 25 {
		t.Fatalf("video at frame %d, want 25 (a click must be seen not to move it)", v.cur.Index)
	}
	if len(v.events.rows) != 2 {
		t.Fatalf("%d rows, want 2", len(v.events.rows))
	}
	// The cells on screen, through the widgets' live renderers (the
	// table makes its cells in its own renderer).
	var walk func(o fyne.CanvasObject, f func(fyne.CanvasObject))
	walk = func(o fyne.CanvasObject, f func(fyne.CanvasObject)) {
		f(o)
		switch c := o.(type) {
		case fyne.Widget:
			for _, ch := range test.WidgetRenderer(c).Objects() {
				walk(ch, f)
			}
		case *fyne.Container:
			for _, ch := range c.Objects {
				walk(ch, f)
			}
		}
	}
	cellAt := func(row int) (*eventCell, fyne.Position) {
		t.Helper()
		d := fyne.CurrentApp().Driver()
		var cell *eventCell
		walk(v.events.table, func(o fyne.CanvasObject) {
			if c, ok := o.(*eventCell); ok && c.Visible() && c.id.Row == row && c.id.Col == colBehavior {
				cell = c
			}
		})
		if cell == nil {
			t.Fatalf("no cell for row %d", row)
		}
		return cell, d.AbsolutePositionForObject(cell).Add(fyne.NewPos(cell.Size().Width/2, cell.Size().Height/2))
	}
	cases := []struct {
		name      string
		row       int
		double    bool
		wantFrame int64 // -1: where the video was
	}{
		{"click selects the first row, video stays", 0, false, -1},
		{"click selects the second row, video stays", 1, false, -1},
		{"double click goes to the vocalization", 1, true, 5},
		{"double click goes to the smile", 0, true, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cell, pos := cellAt(c.row)
			want := v.events.rows[c.row]
			before := v.cur.Index
			if c.double {
				test.DoubleTap(cell)
				waitFor(t, "the seek to the event", func() bool { return v.cur.Index == c.wantFrame })
			} else {
				test.TapCanvas(h.s.win.Canvas(), pos)
				pump()
				if v.cur.Index != before {
					t.Errorf("a click moved the video from frame %d to %d", before, v.cur.Index)
				}
			}
			if v.selected != want.ID || v.events.selected != want.ID {
				t.Errorf("selected %d (table %d), want %s's %d", v.selected, v.events.selected, want.Behavior, want.ID)
			}
		})
	}
}
