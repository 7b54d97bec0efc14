package timeline

import (
	"math"

	"dyadcode/annotate"
)

// geom is the widget's layout for its current size, in DIP.
type geom struct {
	w, h          float32
	labelW        float32 // label column at the left
	plotX0, plotW float32 // the time area
	rulerY        float32
	bandY         float32
	waveY, waveH  float32 // waveH 0: no waveform lane
	lanesY        float32 // top of the (vertically scrollable) lane area
	lanesH        float32
	laneH         float32
	contentH      float32 // height of all lane rows, may exceed lanesH
	rows          []row   // lane and group rows, y already scrolled
	viewStart     annotate.Time
	span          annotate.Time
}

// row is one horizontal strip of the lane area: a group header (lane -1) or
// a lane.
type row struct {
	lane  int
	group string
	y, h  float32
}

// geometry computes the layout from the widget's size and data.
func (t *Timeline) geometry() geom {
	size := t.Size()
	g := geom{w: size.Width, h: size.Height, viewStart: t.viewStart, span: max(t.viewEnd-t.viewStart, 1)}
	g.labelW = min(labelWidth, g.w/4)
	g.plotX0 = g.labelW
	g.plotW = max(g.w-g.labelW, 1)
	g.rulerY = 0
	g.bandY = rulerHeight
	g.waveY = g.bandY + bandHeight
	if len(t.peaks) > 0 {
		g.waveH = waveHeight
	}
	g.lanesY = g.waveY + g.waveH
	g.lanesH = max(g.h-g.lanesY, 0)

	groups := 0
	prev := ""
	for _, l := range t.lanes {
		if l.Group != "" && l.Group != prev {
			groups++
		}
		prev = l.Group
	}
	if n := len(t.lanes); n > 0 {
		g.laneH = (g.lanesH - float32(groups)*groupHeight) / float32(n)
		g.laneH = float32(math.Floor(float64(max(min(g.laneH, maxLaneHeight), minLaneHeight))))
	}
	g.contentH = float32(groups)*groupHeight + float32(len(t.lanes))*g.laneH
	t.vscroll = max(min(t.vscroll, g.contentH-g.lanesH), 0)

	rows := t.rowsCache[:0]
	y := g.lanesY - t.vscroll
	prev = ""
	for i, l := range t.lanes {
		if l.Group != "" && l.Group != prev {
			rows = append(rows, row{lane: -1, group: l.Group, y: y, h: groupHeight})
			y += groupHeight
		}
		prev = l.Group
		rows = append(rows, row{lane: i, group: l.Group, y: y, h: g.laneH})
		y += g.laneH
	}
	t.rowsCache = rows
	g.rows = rows
	return g
}

// x returns the horizontal position of time at.
func (g *geom) x(at annotate.Time) float64 {
	return float64(g.plotX0) + float64(at-g.viewStart)*float64(g.plotW)/float64(g.span)
}

// timeAt returns the time at horizontal position x.
func (g *geom) timeAt(x float32) annotate.Time {
	return g.viewStart + annotate.Time(math.Round(float64(x-g.plotX0)*float64(g.span)/float64(g.plotW)))
}

// perPixel is the media time one DIP covers.
func (g *geom) perPixel() float64 { return float64(g.span) / float64(g.plotW) }

// rowAt returns the row under y in the lane area.
func (g *geom) rowAt(y float32) (row, bool) {
	if y < g.lanesY || y >= g.h {
		return row{}, false
	}
	for _, r := range g.rows {
		if y >= r.y && y < r.y+r.h {
			return r, true
		}
	}
	return row{}, false
}

// laneRow returns lane l's row.
func (g *geom) laneRow(l int) (row, bool) {
	for _, r := range g.rows {
		if r.lane == l {
			return r, true
		}
	}
	return row{}, false
}

// region is the part of the widget a position falls in.
type region int

const (
	regionNone region = iota
	regionLabels
	regionRuler
	regionBand
	regionWave
	regionLanes
)

func (g *geom) regionAt(x, y float32) region {
	switch {
	case x < 0 || y < 0 || x >= g.w || y >= g.h:
		return regionNone
	case x < g.plotX0:
		return regionLabels
	case y < g.bandY:
		return regionRuler
	case y < g.waveY:
		return regionBand
	case y < g.lanesY:
		return regionWave
	default:
		return regionLanes
	}
}

// hit is what a position in the lane area points at.
type hit struct {
	item int // index into items, -1 for none
	edge edge
}

type edge int

const (
	edgeNone edge = iota
	edgeStart
	edgeEnd
	edgePoint
)

// hitItem finds the item under (x, y): a point or a state edge within a few
// pixels, else a state containing the time. The selected item wins ties, so
// its edges stay grabbable where neighbours touch.
func (t *Timeline) hitItem(g *geom, x, y float32) hit {
	r, ok := g.rowAt(y)
	if !ok || r.lane < 0 || x < g.plotX0 {
		return hit{item: -1}
	}
	at := g.timeAt(x)
	slop := annotate.Time(math.Ceil(float64(max(hitSlop, edgeGrab)) * g.perPixel()))
	lo, hi := t.visible(r.lane, at-slop, at+slop)
	best, bestEdge, bestDist := -1, edgeNone, float32(math.MaxFloat32)
	// Smaller scores win; the selected item's edges and points beat anything
	// else within grabbing distance.
	consider := func(i int, e edge, d float32) {
		if t.items[i].ID == t.selected && e != edgeNone {
			d -= edgeGrab + 1
		}
		if d <= bestDist { // later starts are drawn on top
			best, bestEdge, bestDist = i, e, d
		}
	}
	order := t.index[r.lane].order
	for _, oi := range order[lo:hi] {
		i := int(oi)
		it := &t.items[i]
		xs := float32(g.x(it.Start))
		if it.Point {
			if d := abs32(x - xs); d <= hitSlop+pointWidth/2 {
				consider(i, edgePoint, d)
			}
			continue
		}
		xe := float32(g.x(t.itemEnd(it)))
		ds, de := abs32(x-xs), abs32(x-xe)
		switch {
		case it.ID == t.selected && ds <= edgeGrab && ds <= de:
			consider(i, edgeStart, ds)
		case it.ID == t.selected && !it.Open && de <= edgeGrab:
			consider(i, edgeEnd, de)
		case x >= xs && x <= xe:
			consider(i, edgeNone, 0)
		case ds <= hitSlop || de <= hitSlop:
			consider(i, edgeNone, min(ds, de))
		}
	}
	return hit{item: best, edge: bestEdge}
}

func abs32(v float32) float32 {
	if v < 0 {
		return -v
	}
	return v
}
