package timeline

import (
	"image"
	"image/color"
	"math"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"

	"dyadcode/annotate"
)

// renderer draws the timeline: one raster for everything but text and the
// playhead, a pool of reused text objects, and the playhead rectangles, which
// move without repainting the raster.
type renderer struct {
	t        *Timeline
	raster   *canvas.Raster
	img      *image.RGBA
	texts    []*canvas.Text
	used     int
	playhead *canvas.Rectangle
	head     *canvas.Rectangle
	cursor   *canvas.Rectangle // thin line under the mouse pointer
	readout  *canvas.Text      // time (and frame) under the pointer, else the view's start
	objects  []fyne.CanvasObject
	measure  map[measureKey]float32
	fit      map[fitKey]string
	pal      palette2
}

type measureKey struct {
	s    string
	size float32
	bold bool
}

type fitKey struct {
	s string
	w float32
}

// palette2 is the theme's colours resolved for one draw.
type palette2 struct {
	bg, fg, labelBg, rulerBg, grid, alt, band1, band2, sel, mark, hl, wave, playhead color.NRGBA
}

func newRenderer(t *Timeline) *renderer {
	r := &renderer{
		t:        t,
		playhead: canvas.NewRectangle(color.Transparent),
		head:     canvas.NewRectangle(color.Transparent),
		cursor:   canvas.NewRectangle(color.Transparent),
		readout:  canvas.NewText("", color.Black),
		measure:  map[measureKey]float32{},
		fit:      map[fitKey]string{},
	}
	r.raster = canvas.NewRaster(r.draw)
	r.rebuildObjects()
	return r
}

func (r *renderer) rebuildObjects() {
	r.objects = r.objects[:0]
	r.objects = append(r.objects, r.raster)
	for _, tx := range r.texts {
		r.objects = append(r.objects, tx)
	}
	r.objects = append(r.objects, r.readout, r.cursor, r.playhead, r.head)
}

func (r *renderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *renderer) Destroy()                     {}
func (r *renderer) MinSize() fyne.Size           { return r.t.MinSize() }

func (r *renderer) Layout(size fyne.Size) {
	r.raster.Move(fyne.NewPos(0, 0))
	r.raster.Resize(size)
	r.layoutOverlay()
}

func (r *renderer) Refresh() {
	r.layoutOverlay()
	canvas.Refresh(r.raster)
}

// colors resolves the theme's colours for the current variant.
func (r *renderer) colors() palette2 {
	th := r.t.Theme()
	v := theme.VariantDark
	if app := fyne.CurrentApp(); app != nil {
		v = app.Settings().ThemeVariant()
	}
	c := func(n fyne.ThemeColorName) color.NRGBA { return toNRGBA(th.Color(n, v)) }
	alpha := func(x color.NRGBA, a uint8) color.NRGBA { x.A = a; return x }
	fg := c(theme.ColorNameForeground)
	primary := c(theme.ColorNamePrimary)
	warn := c(theme.ColorNameWarning)
	return palette2{
		bg:       c(theme.ColorNameBackground),
		fg:       fg,
		labelBg:  c(theme.ColorNameHeaderBackground),
		rulerBg:  c(theme.ColorNameInputBackground),
		grid:     alpha(fg, 0x22),
		alt:      alpha(fg, 0x0d),
		band1:    alpha(primary, 0x40),
		band2:    alpha(primary, 0x20),
		sel:      fg,
		mark:     warn,
		hl:       alpha(warn, 0x50),
		wave:     alpha(fg, 0x99),
		playhead: primary,
	}
}

// layoutOverlay places the text labels and the playhead for the current
// view. Texts come from a pool that only grows to the most ever shown.
func (r *renderer) layoutOverlay() {
	t := r.t
	r.pal = r.colors()
	g := t.geometry()
	r.used = 0
	fg := r.pal.fg

	mid := func(y, h, size float32) float32 { return y + (h-size*1.25)/2 }
	r.text(r.fitText("Episodes", g.labelW-10, labelTextSize, false), 6, mid(g.bandY, bandHeight, labelTextSize), labelTextSize, false, fg)
	if g.waveH > 0 {
		r.text("Audio", 6, mid(g.waveY, g.waveH, labelTextSize), labelTextSize, false, fg)
	}
	for _, rw := range g.rows {
		if rw.y < g.lanesY-1 || rw.y+rw.h > g.h+1 {
			continue
		}
		if rw.lane < 0 {
			r.text(r.fitText(rw.group, g.labelW-6, labelTextSize, true), 4, mid(rw.y, rw.h, labelTextSize), labelTextSize, true, fg)
			continue
		}
		size := float32(labelTextSize)
		if rw.h < 15 {
			size = rw.h - 3
		}
		r.text(r.fitText(t.lanes[rw.lane].Label, g.labelW-14, size, false), 10, mid(rw.y, rw.h, size), size, false, fg)
	}

	// Tick labels.
	p := t.plan(&g)
	lastRight := float32(-1)
	t.eachTick(&g, p, func(at annotate.Time, frame int64, major bool) {
		if !major {
			return
		}
		x := float32(g.x(at)) + 3
		s := tickLabel(p, at, frame)
		w := r.width(s, tickTextSize, false)
		if x < lastRight || x+w > g.w {
			return
		}
		lastRight = x + w + 4
		r.text(s, x, 1, tickTextSize, false, fg)
	})

	// Episode labels where they fit.
	for _, b := range t.drawnBands() {
		if b.End < g.viewStart || b.Start > g.viewStart+g.span {
			continue
		}
		x0 := max(float32(g.x(b.Start)), g.plotX0) + 3
		x1 := min(float32(g.x(b.End)), g.w) - 3
		if x1-x0 < 12 {
			continue
		}
		s := r.fitText(b.Label, x1-x0, labelTextSize, false)
		if s == "" {
			continue
		}
		r.text(s, x0, mid(g.bandY, bandHeight, labelTextSize), labelTextSize, false, fg)
	}

	for i := r.used; i < len(r.texts); i++ {
		r.texts[i].Hidden = true
	}
	r.placePlayheadIn(&g)
	r.placeCursorIn(&g)
}

// placeCursor updates the pointer line and the time readout only.
func (r *renderer) placeCursor() {
	g := r.t.geometry()
	r.placeCursorIn(&g)
}

// placeCursorIn shows where the pointer is in time, to the millisecond and
// the frame, in the corner above the labels; without a pointer over the
// plot it shows the view's start, which says where frame-numbered ticks are.
func (r *renderer) placeCursorIn(g *geom) {
	t := r.t
	at, over := g.viewStart, false
	if t.hovering && t.hover.X >= g.plotX0 && t.hover.X < g.w && t.hover.Y >= 0 && t.hover.Y < g.h {
		at, over = max(min(g.timeAt(t.hover.X), t.total), 0), true
	}
	s := at.Clock()
	if t.grid != nil {
		n := t.grid.index(at)
		if over {
			at = t.grid.start(n)
			s = at.Clock()
		}
		s += " #" + strconv.FormatInt(n, 10)
	}
	if r.readout.Text != s || r.readout.Color != r.pal.fg {
		r.readout.Text, r.readout.Color, r.readout.TextSize = s, r.pal.fg, tickTextSize
		r.readout.Move(fyne.NewPos(4, 4))
		r.readout.Resize(fyne.NewSize(g.labelW-6, tickTextSize*1.25))
		r.readout.Refresh()
	}
	if !over || t.drag.kind != dragNone {
		if !r.cursor.Hidden {
			r.cursor.Hidden = true
			canvas.Refresh(r.cursor)
		}
		return
	}
	r.cursor.FillColor = withAlpha(r.pal.fg, 0x70)
	r.cursor.Hidden = false
	r.cursor.Move(fyne.NewPos(float32(math.Round(float64(t.hover.X))), g.bandY))
	r.cursor.Resize(fyne.NewSize(1, g.h-g.bandY))
	canvas.Refresh(r.cursor)
}

// text shows s at (x, y) using the next pooled text object.
func (r *renderer) text(s string, x, y, size float32, bold bool, c color.Color) {
	if s == "" {
		return
	}
	if r.used == len(r.texts) {
		r.texts = append(r.texts, canvas.NewText("", c))
		r.rebuildObjects()
	}
	tx := r.texts[r.used]
	r.used++
	tx.Hidden = false
	changed := tx.Text != s || tx.TextSize != size || tx.TextStyle.Bold != bold || tx.Color != c
	tx.Text, tx.TextSize, tx.TextStyle.Bold, tx.Color = s, size, bold, c
	tx.Move(fyne.NewPos(x, y))
	tx.Resize(fyne.NewSize(r.width(s, size, bold), size*1.25))
	if changed {
		tx.Refresh()
	}
}

func (r *renderer) width(s string, size float32, bold bool) float32 {
	k := measureKey{s, size, bold}
	if w, ok := r.measure[k]; ok {
		return w
	}
	if len(r.measure) > 4096 { // tick labels change with every pan; keep the cache bounded
		clear(r.measure)
	}
	w := fyne.MeasureText(s, size, fyne.TextStyle{Bold: bold}).Width
	r.measure[k] = w
	return w
}

// fitText shortens s with an ellipsis to fit width w ("" if nothing fits).
func (r *renderer) fitText(s string, w, size float32, bold bool) string {
	if r.width(s, size, bold) <= w {
		return s
	}
	k := fitKey{s, w}
	if f, ok := r.fit[k]; ok {
		return f
	}
	if len(r.fit) > 1024 {
		clear(r.fit)
	}
	rs := []rune(s)
	f := ""
	for n := len(rs) - 1; n > 0; n-- {
		c := strings.TrimSpace(string(rs[:n])) + "…"
		if r.width(c, size, bold) <= w {
			f = c
			break
		}
	}
	r.fit[k] = f
	return f
}

// placePlayhead moves the playhead objects only (no raster repaint).
func (r *renderer) placePlayhead() {
	g := r.t.geometry()
	r.placePlayheadIn(&g)
}

func (r *renderer) placePlayheadIn(g *geom) {
	t := r.t
	if t.playhead < g.viewStart || t.playhead > g.viewStart+g.span || g.w <= 0 {
		r.playhead.Hidden, r.head.Hidden = true, true
		return
	}
	x := float32(math.Round(g.x(t.playhead)))
	r.playhead.FillColor = r.pal.playhead
	r.head.FillColor = r.pal.playhead
	r.playhead.Hidden, r.head.Hidden = false, false
	r.playhead.Move(fyne.NewPos(x-1, g.bandY-6))
	r.playhead.Resize(fyne.NewSize(2, g.h-g.bandY+6))
	r.head.Move(fyne.NewPos(x-4, g.bandY-6))
	r.head.Resize(fyne.NewSize(8, 6))
	canvas.Refresh(r.playhead)
	canvas.Refresh(r.head)
}

// pixmap is an RGBA image with a scale from DIP to pixels and a clip.
type pixmap struct {
	img  *image.RGBA
	s    float64
	clip image.Rectangle
	// The blend tables of the last colour blended: highlights blend the
	// same colour thousands of times per frame.
	lutColor color.NRGBA
	lut      *[4][256]uint8
}

// px converts a DIP coordinate to pixels.
func (p *pixmap) px(v float64) int { return int(math.Round(v * p.s)) }

// fill paints an opaque (or straight-alpha-over-nothing) rectangle in pixels.
func (p *pixmap) fill(x0, y0, x1, y1 int, c color.NRGBA) {
	if c.A != 0xff {
		p.blend(x0, y0, x1, y1, c)
		return
	}
	r := image.Rect(x0, y0, x1, y1).Intersect(p.clip)
	if r.Empty() {
		return
	}
	pix := p.img.Pix
	stride := p.img.Stride
	first := r.Min.Y*stride + r.Min.X*4
	row := pix[first : first+r.Dx()*4]
	for i := 0; i < len(row); i += 4 {
		row[i], row[i+1], row[i+2], row[i+3] = c.R, c.G, c.B, 0xff
	}
	for y := r.Min.Y + 1; y < r.Max.Y; y++ {
		o := y*stride + r.Min.X*4
		copy(pix[o:o+len(row)], row)
	}
}

// blend composites a translucent colour over the rectangle. The colour is
// constant, so each channel's result depends only on the pixel's value:
// three 256-entry tables replace the per-pixel multiplications and divisions.
func (p *pixmap) blend(x0, y0, x1, y1 int, c color.NRGBA) {
	r := image.Rect(x0, y0, x1, y1).Intersect(p.clip)
	if r.Empty() || c.A == 0 {
		return
	}
	if p.lut == nil || p.lutColor != c {
		if p.lut == nil {
			p.lut = new([4][256]uint8)
		}
		p.lutColor = c
		a := uint32(c.A)
		na := 255 - a
		for v := uint32(0); v < 256; v++ {
			p.lut[0][v] = uint8((v*na + uint32(c.R)*a) / 255)
			p.lut[1][v] = uint8((v*na + uint32(c.G)*a) / 255)
			p.lut[2][v] = uint8((v*na + uint32(c.B)*a) / 255)
			p.lut[3][v] = uint8(v*na/255 + a)
		}
	}
	lr, lg, lb, la := &p.lut[0], &p.lut[1], &p.lut[2], &p.lut[3]
	pix := p.img.Pix
	n := r.Dx() * 4
	for y := r.Min.Y; y < r.Max.Y; y++ {
		o := y*p.img.Stride + r.Min.X*4
		row := pix[o : o+n : o+n]
		for i := 0; i+3 < len(row); i += 4 {
			row[i] = lr[row[i]]
			row[i+1] = lg[row[i+1]]
			row[i+2] = lb[row[i+2]]
			row[i+3] = la[row[i+3]]
		}
	}
}

// outline draws a rectangle's border of width bw pixels.
func (p *pixmap) outline(x0, y0, x1, y1, bw int, c color.NRGBA) {
	p.fill(x0, y0, x1, y0+bw, c)
	p.fill(x0, y1-bw, x1, y1, c)
	p.fill(x0, y0, x0+bw, y1, c)
	p.fill(x1-bw, y0, x1, y1, c)
}

// draw is the raster generator: it paints everything but text and the
// playhead at the raster's pixel size into a reused image.
func (r *renderer) draw(w, h int) image.Image {
	if r.img == nil || r.img.Rect.Dx() != w || r.img.Rect.Dy() != h {
		r.img = image.NewRGBA(image.Rect(0, 0, w, h))
	}
	t := r.t
	g := t.geometry()
	if g.w <= 0 || g.h <= 0 || w <= 0 || h <= 0 {
		return r.img
	}
	pal := r.colors()
	p := &pixmap{img: r.img, s: float64(w) / float64(g.w), clip: r.img.Rect}
	px := p.px
	plotX0 := px(float64(g.plotX0))
	X := func(at annotate.Time) float64 { return g.x(at) * p.s } // in pixels, unrounded

	p.fill(0, 0, w, h, pal.bg)
	p.fill(0, 0, plotX0, h, pal.labelBg)
	p.fill(plotX0, 0, w, px(rulerHeight), pal.rulerBg)

	// Lane rows: alternate shading and group headers.
	lanesY := px(float64(g.lanesY))
	p.clip = image.Rect(0, lanesY, w, h)
	for _, rw := range g.rows {
		y0, y1 := px(float64(rw.y)), px(float64(rw.y+rw.h))
		if rw.lane < 0 {
			p.fill(0, y0, w, y1, pal.labelBg)
			p.fill(0, y1-1, w, y1, pal.grid)
			continue
		}
		if rw.lane%2 == 1 {
			p.fill(plotX0, y0, w, y1, over(pal.bg, pal.alt)) // opaque: a blend per pixel costs 5× more
		}
		p.fill(px(2), y0+1, px(6), y1-1, t.laneColors[rw.lane])
	}
	if g.contentH > g.lanesH {
		// A scroll indicator: more lanes than fit (the wheel over the labels
		// scrolls them).
		x0, x1 := plotX0-px(4), plotX0-px(1)
		p.fill(x0, lanesY, x1, h, pal.grid)
		ty := float64(g.lanesY) + float64(t.vscroll/g.contentH*g.lanesH)
		th := float64(g.lanesH * g.lanesH / g.contentH)
		p.fill(x0, px(ty), x1, px(ty+th), withAlpha(pal.fg, 0x90))
	}
	p.clip = r.img.Rect

	// Grid lines and tick marks.
	plan := t.plan(&g)
	rulerBottom := px(rulerHeight)
	frameLine := withAlpha(pal.fg, 0x12)
	t.eachTick(&g, plan, func(at annotate.Time, _ int64, major bool) {
		x := int(X(at))
		if major {
			p.fill(x, rulerBottom-px(8), x+max(1, px(1)), rulerBottom, pal.fg)
			p.fill(x, rulerBottom, x+1, h, pal.grid)
		} else {
			p.fill(x, rulerBottom-px(4), x+1, rulerBottom, pal.grid)
			if plan.frames {
				// Zoomed to frames: faint frame boundaries across the lanes
				// show which frame an edge sits on.
				p.fill(x, lanesY, x+1, h, frameLine)
			}
		}
	})
	p.fill(0, rulerBottom-1, w, rulerBottom, pal.grid)

	// Episodes band.
	bandY0, bandY1 := px(float64(g.bandY)), px(float64(g.bandY+bandHeight))
	p.clip = image.Rect(plotX0, 0, w, h)
	for i, b := range t.drawnBands() {
		if b.End < g.viewStart || b.Start > g.viewStart+g.span {
			continue
		}
		c := over(pal.bg, pal.band1)
		if i%2 == 1 {
			c = over(pal.bg, pal.band2)
		}
		x0, x1 := int(X(b.Start)), int(math.Ceil(X(b.End)))
		p.fill(x0, bandY0+1, max(x1, x0+1), bandY1-1, c)
		p.fill(x0, bandY0, x0+max(1, px(1)), h, pal.grid)
	}
	p.fill(0, bandY1-1, w, bandY1, pal.grid)

	// Waveform.
	if g.waveH > 0 {
		r.drawWave(p, &g, pal)
	}

	// Highlights, items and overlays in the lane area.
	p.clip = image.Rect(plotX0, lanesY, w, h)
	r.drawHighlights(p, &g, pal)
	r.drawItems(p, &g, pal)
	p.clip = r.img.Rect
	return r.img
}

// drawWave draws one min..max line per pixel column.
func (r *renderer) drawWave(p *pixmap, g *geom, pal palette2) {
	t := r.t
	n := len(t.peaks)
	dur := t.end
	if dur <= 0 {
		dur = t.total
	}
	y0, y1 := p.px(float64(g.waveY)), p.px(float64(g.waveY+g.waveH))
	mid := float64(y0+y1) / 2
	half := float64(y1-y0)/2 - 1
	p.fill(0, y1-1, p.img.Rect.Dx(), y1, pal.grid)
	x0, x1 := p.px(float64(g.plotX0)), p.img.Rect.Dx()
	perPx := g.perPixel() / p.s // µs per pixel
	wave := over(pal.bg, pal.wave)
	bucket := func(at float64) int { return int(math.Floor(at / float64(dur) * float64(n))) }
	for x := x0; x < x1; x++ {
		a := float64(g.viewStart) + float64(x-x0)*perPx
		b0, b1 := bucket(a), bucket(a+perPx)
		if b1 <= b0 {
			b1 = b0 + 1
		}
		if b0 >= n || b1 <= 0 {
			continue
		}
		b0, b1 = max(b0, 0), min(b1, n)
		lo, hi := float32(1), float32(-1)
		for _, pk := range t.peaks[b0:b1] {
			lo, hi = min(lo, pk.Min), max(hi, pk.Max)
		}
		if hi < lo {
			continue
		}
		ya := int(mid - float64(max(min(hi, 1), -1))*half)
		yb := int(mid-float64(max(min(lo, 1), -1))*half) + 1
		p.fill(x, ya, x+1, yb, wave)
	}
}

// drawHighlights blends highlighted ranges, each pixel once per lane so
// adjacent slices do not darken their shared pixels.
func (r *renderer) drawHighlights(p *pixmap, g *geom, pal palette2) {
	t := r.t
	if len(t.highlights) == 0 {
		return
	}
	a, b := g.viewStart, g.viewStart+g.span
	lo := searchTime(t.hlMaxEnd, a)
	lastAll := -1
	lastLane := map[int]int{}
	rulerBottom := p.px(rulerHeight)
	for _, hl := range t.highlights[lo:] {
		if hl.Start > b {
			break
		}
		if hl.End < a {
			continue
		}
		x0 := int(g.x(hl.Start) * p.s)
		x1 := max(int(math.Ceil(g.x(hl.End)*p.s)), x0+1)
		if hl.Lane < 0 {
			x0 = max(x0, lastAll)
			if x1 <= x0 {
				continue
			}
			lastAll = x1
			p.blend(x0, p.clip.Min.Y, x1, p.clip.Max.Y, pal.hl)
			save := p.clip
			p.clip = image.Rect(save.Min.X, 0, save.Max.X, rulerBottom)
			p.fill(x0, rulerBottom-p.px(3), x1, rulerBottom, pal.mark)
			p.clip = save
			continue
		}
		rw, ok := g.laneRow(hl.Lane)
		if !ok {
			continue
		}
		if last, ok := lastLane[hl.Lane]; ok {
			x0 = max(x0, last)
		}
		if x1 <= x0 {
			continue
		}
		lastLane[hl.Lane] = x1
		p.blend(x0, p.px(float64(rw.y)), x1, p.px(float64(rw.y+rw.h)), pal.hl)
	}
}

// searchTime returns the first index whose running maximum reaches at.
func searchTime(maxEnd []annotate.Time, at annotate.Time) int {
	lo, hi := 0, len(maxEnd)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if maxEnd[m] < at {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// drawItems paints the visible items of each visible lane. Items are
// visited in start order; pixels a previous item already covered are not
// painted again, so ten thousand items in a few hundred pixel columns cost
// about as much as the columns. Marked, selected and dragged items are
// painted last, on top, with their outlines.
func (r *renderer) drawItems(p *pixmap, g *geom, pal palette2) {
	t := r.t
	slop := annotate.Time(math.Ceil(4 * g.perPixel()))
	a, b := g.viewStart-slop, g.viewStart+g.span+slop
	var overlay []int
	pw := max(p.px(pointWidth), 2)
	for _, rw := range g.rows {
		if rw.lane < 0 {
			continue
		}
		y0, y1 := p.px(float64(rw.y+2)), p.px(float64(rw.y+rw.h-2))
		if y1 <= p.clip.Min.Y || y0 >= p.clip.Max.Y {
			continue
		}
		if y1 <= y0 {
			y1 = y0 + 1
		}
		c := t.laneColors[rw.lane]
		lo, hi := t.visible(rw.lane, a, b)
		covered := math.MinInt
		for _, oi := range t.index[rw.lane].order[lo:hi] {
			it := &t.items[oi]
			if it.Mark || it.ID == t.selected || (t.drag.kind >= dragMoveStart && it.ID == t.drag.id) {
				overlay = append(overlay, int(oi))
				continue
			}
			x0, x1 := r.itemPixels(p, g, it, pw)
			if x1 <= covered {
				continue
			}
			x0 = max(x0, covered)
			covered = x1
			if it.Open {
				p.blend(x0, y0, x1, y1, withAlpha(c, 0xa0))
				continue
			}
			p.fill(x0, y0, x1, y1, c)
		}
	}
	for _, i := range overlay {
		it := t.items[i]
		if t.drag.kind >= dragMoveStart && it.ID == t.drag.id {
			switch t.drag.kind {
			case dragMoveStart, dragMovePoint:
				it.Start = t.drag.at
				if it.Point {
					it.End = it.Start
				}
			case dragMoveEnd:
				it.End = t.drag.at
			}
		}
		rw, ok := g.laneRow(it.Lane)
		if !ok {
			continue
		}
		y0, y1 := p.px(float64(rw.y+2)), p.px(float64(rw.y+rw.h-2))
		x0, x1 := r.itemPixels(p, g, &it, pw)
		c := t.laneColors[it.Lane]
		if it.Open {
			p.blend(x0, y0, x1, y1, withAlpha(c, 0xa0))
		} else {
			p.fill(x0, y0, x1, y1, c)
		}
		bw := max(p.px(2), 2)
		// Thin items get a wider outline so a marked or selected point stays
		// visible at any zoom.
		ox0, ox1 := x0-bw, x1+bw
		if ox1-ox0 < 4*bw {
			m := (x0 + x1) / 2
			ox0, ox1 = m-2*bw, m+2*bw
		}
		if it.Mark {
			p.outline(ox0, y0-bw, ox1, y1+bw, bw, pal.mark)
		}
		if it.ID == t.selected {
			p.outline(ox0-bw*boolInt(it.Mark), y0-bw, ox1+bw*boolInt(it.Mark), y1+bw, bw, pal.sel)
			if !it.Point && !t.ReadOnly {
				// Edge handles: where a drag grabs.
				p.fill(x0-bw, y0-2*bw, x0+bw, y1+2*bw, pal.sel)
				if !it.Open {
					p.fill(x1-bw, y0-2*bw, x1+bw, y1+2*bw, pal.sel)
				}
			}
		}
	}
}

// itemPixels is an item's horizontal pixel span, at least one pixel (a
// point's drawn width for points).
func (r *renderer) itemPixels(p *pixmap, g *geom, it *Item, pw int) (int, int) {
	if it.Point {
		x := int(math.Round(g.x(it.Start) * p.s))
		return x - pw/2, x - pw/2 + pw
	}
	x0 := int(math.Round(g.x(it.Start) * p.s))
	x1 := int(math.Round(g.x(r.t.itemEnd(it)) * p.s))
	return x0, max(x1, x0+1)
}

func withAlpha(c color.NRGBA, a uint8) color.NRGBA { c.A = a; return c }

// over composites src over an opaque dst, giving an opaque colour.
func over(dst, src color.NRGBA) color.NRGBA {
	a := uint32(src.A)
	mix := func(d, s uint8) uint8 { return uint8((uint32(d)*(255-a) + uint32(s)*a) / 255) }
	return color.NRGBA{mix(dst.R, src.R), mix(dst.G, src.G), mix(dst.B, src.B), 0xff}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
