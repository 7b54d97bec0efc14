package timeline

import (
	"image"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/software"
)

// Snapshot renders the timeline as it is now (view, selection, highlights,
// playhead) off screen, width DIP wide and tall enough to show every lane at
// full height, at the given scale (2 for a sharp PNG in a report). It draws
// a copy, so the widget on screen is not touched.
func (t *Timeline) Snapshot(width, scale float32) image.Image {
	c := &Timeline{
		lanes: t.lanes, laneColors: t.laneColors, items: t.items, byID: t.byID, index: t.index,
		bands: t.bands, highlights: t.highlights, hlMaxEnd: t.hlMaxEnd, peaks: t.peaks,
		end: t.end, total: t.total, grid: t.grid, playhead: t.playhead,
		viewStart: t.viewStart, viewEnd: t.viewEnd, viewSet: true, selected: t.selected,
		modifiers: t.modifiers,
	}
	c.ExtendBaseWidget(c)
	g := t.geometry()
	groups := 0
	for _, r := range g.rows {
		if r.lane < 0 {
			groups++
		}
	}
	h := g.lanesY + float32(groups)*groupHeight + float32(len(t.lanes))*maxLaneHeight
	cv := software.NewCanvas()
	cv.SetPadded(false)
	cv.SetScale(max(scale, 1))
	cv.SetContent(c)
	cv.Resize(fyne.NewSize(max(width, labelWidth+200), h))
	return cv.Capture()
}
