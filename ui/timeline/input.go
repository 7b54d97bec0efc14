package timeline

import (
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"dyadcode/annotate"
)

// Interfaces the widget implements so Fyne routes pointer input to it.
var (
	_ fyne.Tappable          = (*Timeline)(nil)
	_ fyne.SecondaryTappable = (*Timeline)(nil)
	_ fyne.Draggable         = (*Timeline)(nil)
	_ fyne.Scrollable        = (*Timeline)(nil)
	_ desktop.Hoverable      = (*Timeline)(nil)
	_ desktop.Cursorable     = (*Timeline)(nil)
)

type dragKind int

const (
	dragNone dragKind = iota
	dragPan
	dragScrub
	dragLanes     // vertical scroll of the lanes, from the label column
	dragBand      // where an episode starts, on the episodes band
	dragMoveStart // this and below edit an item
	dragMoveEnd
	dragMovePoint
)

// dragState is the drag in progress. Fyne reports a drag as a series of
// Dragged events (the first one's Position minus Dragged is where the button
// went down) and a DragEnd.
type dragState struct {
	kind      dragKind
	origin    fyne.Position
	viewStart annotate.Time // pan: the view's start when the drag began
	vscroll   float32       // lanes: the vertical scroll when it began
	id        uint64        // edit: the item
	orig      annotate.Time // edit: the edge's time before the drag
	at        annotate.Time // edit: the edge's snapped time now
	wanted    annotate.Time // edit: where the pointer put it, before Room
	lastSeek  annotate.Time // scrub: the last time sent to OnSeek
	band      int           // band: which one (by start order)
}

// Tapped selects the item under the pointer, or seeks to the time under it
// on empty space (clearing the selection).
func (t *Timeline) Tapped(ev *fyne.PointEvent) {
	g := t.geometry()
	p := ev.Position
	switch g.regionAt(p.X, p.Y) {
	case regionRuler, regionBand, regionWave:
		t.seek(g.timeAt(p.X))
	case regionLanes:
		h := t.hitItem(&g, p.X, p.Y)
		if h.item >= 0 {
			id := t.items[h.item].ID
			changed := id != t.selected
			t.selected = id
			if changed {
				t.Refresh()
			}
			if t.OnSelect != nil {
				t.OnSelect(id)
			}
			return
		}
		if t.selected != 0 {
			t.selected = 0
			t.Refresh()
			if t.OnSelect != nil {
				t.OnSelect(0)
			}
		}
		t.seek(g.timeAt(p.X))
	}
}

// TappedSecondary selects the item under the pointer and asks the app for a
// context menu.
func (t *Timeline) TappedSecondary(ev *fyne.PointEvent) {
	g := t.geometry()
	p := ev.Position
	reg := g.regionAt(p.X, p.Y)
	if reg == regionNone || reg == regionLabels {
		return
	}
	id := uint64(0)
	if reg == regionLanes {
		if h := t.hitItem(&g, p.X, p.Y); h.item >= 0 {
			id = t.items[h.item].ID
			if id != t.selected {
				t.selected = id
				t.Refresh()
				if t.OnSelect != nil {
					t.OnSelect(id)
				}
			}
		}
	}
	if t.OnContext != nil {
		t.OnContext(id, t.snapFloor(max(min(g.timeAt(p.X), t.total), 0)), ev.AbsolutePosition)
	}
}

// userView applies a view change made by the coder and reports it.
func (t *Timeline) userView(start, end annotate.Time) {
	s0, e0 := t.viewStart, t.viewEnd
	t.viewSet = true
	t.setView(start, end)
	t.Refresh()
	if (t.viewStart != s0 || t.viewEnd != e0) && t.OnViewChange != nil {
		t.OnViewChange(t.viewStart, t.viewEnd)
	}
}

// seek reports the start of the frame shown at time at, kept in the session.
func (t *Timeline) seek(at annotate.Time) {
	at = t.snapFloor(max(min(at, t.total), 0))
	if t.OnSeek != nil {
		t.OnSeek(at)
	}
}

// Dragged moves a grabbed edge or point (selected items only, so a stray
// drag never edits data), scrubs on the time axis, and pans elsewhere.
func (t *Timeline) Dragged(ev *fyne.DragEvent) {
	g := t.geometry()
	if t.drag.kind == dragNone {
		t.beginDrag(&g, ev.Position.Subtract(fyne.NewPos(ev.Dragged.DX, ev.Dragged.DY)))
	}
	x := ev.Position.X
	switch t.drag.kind {
	case dragPan:
		dt := annotate.Time(math.Round(float64(x-t.drag.origin.X) * g.perPixel()))
		span := t.viewEnd - t.viewStart
		t.userView(t.drag.viewStart-dt, t.drag.viewStart-dt+span)
	case dragLanes:
		t.vscroll = t.drag.vscroll - (ev.Position.Y - t.drag.origin.Y)
		t.Refresh()
	case dragBand:
		if t.drag.band >= len(t.bands) {
			t.drag = dragState{}
			return
		}
		at := t.clampBand(t.drag.band, t.snapNearest(g.timeAt(x)))
		if at != t.drag.at {
			t.drag.at = at
			t.Refresh()
		}
	case dragScrub:
		at := t.snapFloor(max(min(g.timeAt(x), t.total), 0))
		if at != t.drag.lastSeek {
			t.drag.lastSeek = at
			if t.OnSeek != nil {
				t.OnSeek(at)
			}
		}
	case dragMoveStart, dragMoveEnd, dragMovePoint:
		i, ok := t.byID[t.drag.id]
		if !ok {
			t.drag = dragState{}
			return
		}
		// Past either end of the plot the view follows the edge, so an
		// edge can be dragged beyond what is shown.
		if right := g.w - 1; x > right || x < g.plotX0 {
			over := x - right
			if x < g.plotX0 {
				over = x - g.plotX0
			}
			dt := annotate.Time(math.Round(float64(over) * g.perPixel()))
			t.userView(t.viewStart+dt, t.viewEnd+dt)
			g = t.geometry()
			x = max(min(x, right), g.plotX0)
		}
		want := t.snapNearest(g.timeAt(x))
		at := t.clampEdit(&t.items[i], t.drag.kind, want)
		t.drag.wanted = want
		if at != t.drag.at {
			t.drag.at = at
			t.Refresh()
		}
	}
}

// beginDrag decides what a drag starting at p does.
func (t *Timeline) beginDrag(g *geom, p fyne.Position) {
	t.drag = dragState{kind: dragPan, origin: p, viewStart: t.viewStart, vscroll: t.vscroll, lastSeek: -1}
	switch g.regionAt(p.X, p.Y) {
	case regionRuler:
		t.drag.kind = dragScrub
	case regionLabels:
		t.drag.kind = dragLanes
	case regionBand:
		if i, ok := t.bandEdgeAt(g, p.X); ok {
			t.drag.kind, t.drag.band = dragBand, i
			t.drag.orig, t.drag.at = t.bands[i].Start, t.bands[i].Start
		}
	case regionLanes:
		if t.ReadOnly {
			return // a drag on an item pans, as on empty space
		}
		h := t.hitItem(g, p.X, p.Y)
		if h.item < 0 || t.items[h.item].ID != t.selected {
			return
		}
		it := &t.items[h.item]
		switch h.edge {
		case edgeStart:
			t.drag.kind, t.drag.orig = dragMoveStart, it.Start
		case edgeEnd:
			t.drag.kind, t.drag.orig = dragMoveEnd, it.End
		case edgePoint:
			t.drag.kind, t.drag.orig = dragMovePoint, it.Start
		default:
			return
		}
		t.drag.id = it.ID
		t.drag.at, t.drag.wanted = t.drag.orig, t.drag.orig
	}
}

// clampEdit keeps an edited time inside the session, inside the app's
// Room for the item, and a state at least one frame long (a state may not
// end before it starts).
func (t *Timeline) clampEdit(it *Item, kind dragKind, at annotate.Time) annotate.Time {
	return t.clampEditIn(it, kind, at, true)
}

// clampEditIn is clampEdit, with or without the app's Room.
func (t *Timeline) clampEditIn(it *Item, kind dragKind, at annotate.Time, room bool) annotate.Time {
	minLen := annotate.Time(1)
	if t.grid != nil {
		minLen = max(t.grid.typical(), 1)
	}
	at = max(min(at, t.total), 0)
	if room && t.Room != nil {
		lo, hi := t.Room(it.ID)
		switch kind {
		case dragMoveStart:
			at = max(at, lo)
		case dragMoveEnd:
			at = min(at, hi)
		case dragMovePoint:
			at = min(max(at, lo), hi)
		}
	}
	switch kind {
	case dragMoveStart:
		if !it.Open && at > it.End-minLen {
			at = t.snapFloor(it.End - minLen)
		}
	case dragMoveEnd:
		if at < it.Start+minLen {
			at = t.snapNearest(it.Start + minLen)
		}
	}
	return at
}

// DragEnd reports an edit once, when the button is released.
func (t *Timeline) DragEnd() {
	d := t.drag
	t.drag = dragState{}
	if d.kind >= dragMoveStart && d.wanted != d.at && t.OnStopped != nil {
		i, ok := t.byID[d.id]
		// Only a stop by Room is reported; the session's bounds and the
		// one-frame minimum are the widget's own.
		if ok && t.Room != nil && t.clampEditIn(&t.items[i], d.kind, d.wanted, false) != d.at {
			t.OnStopped(d.id, d.wanted, d.at)
		}
	}
	switch d.kind {
	case dragMoveStart, dragMovePoint:
		t.Refresh()
		if d.at != d.orig && t.OnMoveStart != nil {
			t.OnMoveStart(d.id, d.at)
		}
	case dragMoveEnd:
		t.Refresh()
		if d.at != d.orig && t.OnMoveEnd != nil {
			t.OnMoveEnd(d.id, d.at)
		}
	case dragBand:
		t.Refresh()
		if d.at != d.orig && t.OnMoveBand != nil {
			t.OnMoveBand(d.orig, d.at)
		}
	}
}

// bandEdgeAt finds the band whose start is within grabbing distance of x,
// when bands are editable.
func (t *Timeline) bandEdgeAt(g *geom, x float32) (int, bool) {
	if t.OnMoveBand == nil || t.ReadOnly {
		return 0, false
	}
	best, bestD := -1, float32(edgeGrab+1)
	for i, b := range t.bands {
		if d := abs32(float32(g.x(b.Start)) - x); d < bestD {
			best, bestD = i, d
		}
	}
	return best, best >= 0
}

// clampBand keeps band i's new start inside the session and at least one
// frame after the previous band's start and before the next one's, so two
// episode marks never meet.
func (t *Timeline) clampBand(i int, at annotate.Time) annotate.Time {
	minLen := annotate.Time(1)
	if t.grid != nil {
		minLen = max(t.grid.typical(), 1)
	}
	at = max(min(at, t.total), 0)
	if i > 0 {
		at = max(at, t.snapNearest(t.bands[i-1].Start+minLen))
	}
	if i+1 < len(t.bands) {
		at = min(at, t.snapNearest(t.bands[i+1].Start-minLen))
	}
	return at
}

// Scrolled: Ctrl+wheel (Cmd on macOS) zooms around the pointer, the wheel
// over the labels scrolls the lanes vertically, any other wheel or Shift+wheel
// (which arrives as horizontal) pans.
func (t *Timeline) Scrolled(ev *fyne.ScrollEvent) {
	t.ScrolledWithModifier(ev, t.modifiers())
}

// ScrolledWithModifier is Scrolled with the held modifier keys given, for
// drivers (and tests) where the desktop driver cannot be asked.
func (t *Timeline) ScrolledWithModifier(ev *fyne.ScrollEvent, mod fyne.KeyModifier) {
	g := t.geometry()
	p := ev.Position
	if mod&(fyne.KeyModifierControl|fyne.KeyModifierSuper) != 0 {
		at := t.zoomAnchor()
		if p.X >= g.plotX0 && p.X < g.w {
			at = g.timeAt(p.X)
		}
		d := ev.Scrolled.DY
		if d == 0 {
			d = ev.Scrolled.DX
		}
		if d != 0 {
			t.userView(t.zoomed(at, math.Pow(2, -float64(d)/wheelPerDouble)))
		}
		return
	}
	// The wheel scrolls the lanes wherever the pointer is over the
	// timeline when they do not all fit (it did only over the labels, so
	// lanes below the fold looked missing); a sideways wheel, or Shift
	// with the wheel, pans in time, as does the wheel when all lanes show.
	shift := mod&fyne.KeyModifierShift != 0
	if !shift && g.contentH > g.lanesH && ev.Scrolled.DY != 0 {
		t.vscroll -= ev.Scrolled.DY
		t.Refresh()
		if ev.Scrolled.DX == 0 {
			return
		}
		ev = &fyne.ScrollEvent{PointEvent: ev.PointEvent, Scrolled: fyne.Delta{DX: ev.Scrolled.DX}}
	}
	dx := ev.Scrolled.DX + ev.Scrolled.DY
	if dx == 0 {
		return
	}
	dt := annotate.Time(math.Round(float64(dx*panPerWheel) * g.perPixel()))
	t.userView(t.viewStart-dt, t.viewEnd-dt)
}

// MouseIn is part of desktop.Hoverable: the position picks the cursor.
func (t *Timeline) MouseIn(ev *desktop.MouseEvent) { t.MouseMoved(ev) }

// MouseMoved is part of desktop.Hoverable.
func (t *Timeline) MouseMoved(ev *desktop.MouseEvent) {
	t.hover, t.hovering = ev.Position, true
	if t.rend != nil {
		t.rend.placeCursor()
	}
}

// MouseOut is part of desktop.Hoverable.
func (t *Timeline) MouseOut() {
	t.hovering = false
	if t.rend != nil {
		t.rend.placeCursor()
	}
}

// Cursor shows a resize cursor over a grabbable edge or point (none when
// ReadOnly).
func (t *Timeline) Cursor() desktop.Cursor {
	if t.drag.kind >= dragMoveStart || t.drag.kind == dragBand {
		return desktop.HResizeCursor
	}
	if !t.hovering {
		return desktop.DefaultCursor
	}
	g := t.geometry()
	if g.regionAt(t.hover.X, t.hover.Y) == regionBand {
		if _, ok := t.bandEdgeAt(&g, t.hover.X); ok {
			return desktop.HResizeCursor
		}
		return desktop.DefaultCursor
	}
	if t.selected == 0 || t.ReadOnly {
		return desktop.DefaultCursor
	}
	if h := t.hitItem(&g, t.hover.X, t.hover.Y); h.item >= 0 && h.edge != edgeNone && t.items[h.item].ID == t.selected {
		return desktop.HResizeCursor
	}
	return desktop.DefaultCursor
}

// scrollLaneIntoView scrolls the lane area vertically so lane l is shown.
func (t *Timeline) scrollLaneIntoView(l int) {
	g := t.geometry()
	r, ok := g.laneRow(l)
	if !ok {
		return
	}
	switch {
	case r.y < g.lanesY:
		t.vscroll -= g.lanesY - r.y
	case r.y+r.h > g.h:
		t.vscroll += r.y + r.h - g.h
	}
}
