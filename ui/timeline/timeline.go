// Package timeline is the Fyne widget under the video in the coding window:
// one lane per behaviour (grouped by subject), an episodes band, an optional
// audio waveform lane, a time axis and a playhead. It zooms from the whole
// session down to single frames, seeks on a click, selects an item on a click,
// and lets the coder drag a selected state's edges (or a point) with times
// snapped to frames.
//
// The widget never talks to the store or the media engine: the app gives it
// data (SetData, SetPlayhead, ...) and reacts to its callbacks, which are all
// called on the Fyne goroutine from the input handlers. Keys are the app's
// business, not the widget's.
//
// Drawing: lanes, items, episodes, waveform, highlights and tick marks are
// painted into one reused raster image, so the object count stays constant
// however many events there are; only text (labels, tick labels) and the
// playhead are separate canvas objects, pooled and reused between refreshes.
// Items are indexed per lane by start time with a running maximum of end
// times, so the visible window is found by binary search and drawing costs
// O(visible items + width), not O(events).
package timeline

import (
	"cmp"
	"image/color"
	"math"
	"slices"
	"sort"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"dyadcode/annotate"
	"dyadcode/media/audio"
)

// Peak is one waveform bucket, the smallest and largest sample in it in
// [-1, 1], as media/audio.Waveform computes them. The timeline imports the
// audio package for this type only: it never decodes anything.
type Peak = audio.Peak

// Lane is one row of the timeline, normally one behaviour. Lanes with the same
// non-empty Group (the subject) are drawn together under a group header, in
// the order given; the caller orders lanes so that groups are contiguous.
type Lane struct {
	Key, Label, Group string
	Color             color.Color // nil: a colour from a built-in palette
}

// Item is one event drawn in a lane. A point has Point set and End ignored;
// an Open state (still running) is drawn up to the playhead (or End if that
// is later), its end not draggable.
type Item struct {
	ID         uint64 // non-zero; 0 means "nothing" in OnSelect
	Lane       int
	Start, End annotate.Time
	Point      bool
	Open       bool
	Mark       bool // highlighted, e.g. an unmatched event in the supervisor view
}

// Band is one episode on the episodes band.
type Band struct {
	Label      string
	Start, End annotate.Time
}

// Highlight is a highlighted time range, such as a slice where two coders
// disagree. Lane < 0 highlights the range across all lanes.
type Highlight struct {
	Start, End annotate.Time
	Lane       int
}

// Geometry in device-independent pixels.
const (
	rulerHeight    = 22
	bandHeight     = 18
	waveHeight     = 36
	groupHeight    = 15
	minLaneHeight  = 12
	maxLaneHeight  = 22
	labelWidth     = 124
	edgeGrab       = 5  // how near an edge a press grabs it
	hitSlop        = 4  // tap tolerance around thin items
	pointWidth     = 3  // a point's drawn width
	panPerWheel    = 2  // pixels panned per unit of wheel delta
	wheelPerDouble = 50 // Ctrl+wheel delta that doubles or halves the span (two notches on Linux)
	minSpanFrames  = 4  // the deepest zoom shows this many frames
	defaultMinSpan = 40 * annotate.Millisecond
	labelTextSize  = 11
	tickTextSize   = 10
)

// Timeline is the timeline widget. Create it with New; set data with SetData.
// All methods must be called on the Fyne goroutine.
type Timeline struct {
	widget.BaseWidget

	// OnSeek is called with the time under a click on empty space (or while
	// scrubbing on the time axis), floored to the start of the frame shown
	// there.
	OnSeek func(annotate.Time)
	// OnSelect is called when a click selects an item (its ID), or clears the
	// selection by clicking empty space (0).
	OnSelect func(id uint64)
	// OnMoveStart and OnMoveEnd are called once when a drag of a selected
	// item's start or end edge ends, with the new time snapped to a frame.
	// Dragging a point moves it as a whole and calls OnMoveStart.
	OnMoveStart, OnMoveEnd func(id uint64, t annotate.Time)
	// Room, when set, says how far item id's start may go back (lo) and
	// its end forward (hi): a drag stops there, as ELAN stops a boundary at
	// its neighbour, instead of ending on a time the app would refuse.
	Room func(id uint64) (lo, hi annotate.Time)
	// OnStopped is called when a drag ends held back by Room, with where
	// the pointer wanted the edge and where it stopped, so the app can say
	// why; OnMoveStart or OnMoveEnd still follow if the edge moved at all.
	OnStopped func(id uint64, wanted, at annotate.Time)
	// OnContext is called on a secondary click (right button) with the item
	// under the pointer (0 for none; it is selected first), the time there
	// and the absolute canvas position, for a context menu.
	OnContext func(id uint64, at annotate.Time, abs fyne.Position)
	// OnMoveBand, when set, lets the coder drag where an episode starts on
	// the episodes band; it is called once when the drag ends with the
	// band's old and new start (snapped to a frame, kept strictly between
	// the neighbouring bands' starts). When nil, bands cannot be dragged.
	OnMoveBand func(from, to annotate.Time)
	// OnViewChange is called when the coder zooms or pans (not for SetView),
	// so the app can show the span or keep zoom buttons in step.
	OnViewChange func(start, end annotate.Time)
	// ReadOnly turns off every edit by pointer: no edge, point or episode
	// start can be grabbed and no resize cursor or edge handles are shown, so
	// a view that cannot save an edit (the supervisor's agreement lanes)
	// never lets a drag look as if it changed something. Selecting, seeking,
	// scrubbing, panning and zooming still work. OnMoveStart, OnMoveEnd and
	// OnMoveBand are never called while it is set.
	ReadOnly bool

	lanes      []Lane
	laneColors []color.NRGBA
	items      []Item
	byID       map[uint64]int
	index      []laneIndex
	bands      []Band
	highlights []Highlight
	hlMaxEnd   []annotate.Time // running maximum of highlight ends, for binary search
	peaks      []Peak
	end        annotate.Time // session duration as given by SetData
	empty      bool          // no data at all: total is a placeholder
	total      annotate.Time // timeline extent: end, or the data's extent if larger
	grid       frameGrid

	playhead  annotate.Time
	follow    bool
	viewStart annotate.Time
	viewEnd   annotate.Time
	viewSet   bool
	selected  uint64
	vscroll   float32 // lane rows scrolled up by this many DIP
	drag      dragState
	hover     fyne.Position
	hovering  bool
	modifiers func() fyne.KeyModifier
	rend      *renderer
	rowsCache []row
}

// laneIndex lists one lane's items sorted by start, with the running maximum
// of their ends so that the first item that can reach a time is found by
// binary search even when long states start far before the view.
type laneIndex struct {
	order  []int32
	maxEnd []annotate.Time
}

// New returns an empty timeline that follows the playhead.
func New() *Timeline {
	t := &Timeline{follow: true, byID: map[uint64]int{}, empty: true}
	t.ExtendBaseWidget(t)
	t.modifiers = currentModifiers
	return t
}

// currentModifiers asks the desktop driver which modifier keys are held: a
// scroll event does not carry them.
func currentModifiers() fyne.KeyModifier {
	app := fyne.CurrentApp()
	if app == nil {
		return 0
	}
	if d, ok := app.Driver().(desktop.Driver); ok {
		return d.CurrentKeyModifiers()
	}
	return 0
}

// openEnd stands for the unknown end of a running state in the index.
const openEnd = annotate.Time(math.MaxInt64)

// SetData replaces everything drawn: lanes, items (copied; any order), episode
// bands and the session duration end (0 if unknown: the data's extent is used).
// Items whose lane does not exist are ignored. The view is kept (clamped) and
// the selection too when its item is still there.
func (t *Timeline) SetData(lanes []Lane, items []Item, bands []Band, end annotate.Time) {
	t.lanes = append(t.lanes[:0], lanes...)
	t.laneColors = t.laneColors[:0]
	for i, l := range t.lanes {
		t.laneColors = append(t.laneColors, laneColor(l.Color, i))
	}
	t.items = t.items[:0]
	clear(t.byID)
	for _, it := range items {
		if it.Lane < 0 || it.Lane >= len(lanes) {
			continue
		}
		if it.Point || it.End < it.Start {
			it.End = it.Start
		}
		t.byID[it.ID] = len(t.items)
		t.items = append(t.items, it)
	}
	t.bands = append(t.bands[:0], bands...)
	slices.SortStableFunc(t.bands, func(a, b Band) int { return cmp.Compare(a.Start, b.Start) })
	t.end = max(end, 0)
	t.rebuildIndex()
	if _, ok := t.byID[t.selected]; !ok {
		t.selected = 0
	}
	if t.drag.kind >= dragMoveStart {
		if _, ok := t.byID[t.drag.id]; !ok {
			t.drag = dragState{}
		}
	}
	// A view showing the whole session keeps showing all of it when the
	// session grows (the duration became known, events were added at the end).
	// Zooming an empty timeline meant nothing: the first data shows whole.
	wasAll := t.viewStart == 0 && t.viewEnd == t.total
	wasEmpty := t.empty
	t.empty = len(t.items) == 0 && len(t.bands) == 0 && t.end <= 0
	t.computeTotal()
	if t.viewSet && !wasAll && !wasEmpty {
		t.setView(t.viewStart, t.viewEnd)
	} else {
		t.viewStart, t.viewEnd = 0, t.total
	}
	t.Refresh()
}

func (t *Timeline) rebuildIndex() {
	if cap(t.index) < len(t.lanes) {
		t.index = make([]laneIndex, len(t.lanes))
	}
	t.index = t.index[:len(t.lanes)]
	for i := range t.index {
		t.index[i].order = t.index[i].order[:0]
	}
	for i, it := range t.items {
		li := &t.index[it.Lane]
		li.order = append(li.order, int32(i))
	}
	for l := range t.index {
		li := &t.index[l]
		slices.SortFunc(li.order, func(a, b int32) int {
			x, y := &t.items[a], &t.items[b]
			if c := cmp.Compare(x.Start, y.Start); c != 0 {
				return c
			}
			return cmp.Compare(x.End, y.End)
		})
		li.maxEnd = li.maxEnd[:0]
		m := annotate.Time(math.MinInt64)
		for _, i := range li.order {
			e := t.items[i].End
			if t.items[i].Open {
				e = openEnd
			}
			m = max(m, e)
			li.maxEnd = append(li.maxEnd, m)
		}
	}
}

// visible returns the range [lo, hi) of lane l's sorted order that may
// overlap [a, b]; callers still check each item.
func (t *Timeline) visible(l int, a, b annotate.Time) (lo, hi int) {
	li := &t.index[l]
	lo = sort.Search(len(li.order), func(i int) bool { return li.maxEnd[i] >= a })
	hi = lo + sort.Search(len(li.order)-lo, func(i int) bool { return t.items[li.order[lo+i]].Start > b })
	return lo, hi
}

func (t *Timeline) computeTotal() {
	total := t.end
	if total <= 0 {
		for _, it := range t.items {
			total = max(total, it.End, it.Start)
		}
		for _, b := range t.bands {
			total = max(total, b.End)
		}
		total = max(total, t.playhead)
	}
	t.total = max(total, annotate.Second)
}

// SetFrameDuration sets the frame interval used to snap edited times and to
// label the axis in frames when zoomed in far. Prefer SetFrameRate or
// SetFrameTimes when they are known: a truncated interval such as 33366 µs
// for 29.97 fps drifts from the true frame times over an hour.
func (t *Timeline) SetFrameDuration(d annotate.Time) {
	if d > 0 {
		t.grid = durationGrid(d)
	} else {
		t.grid = nil
	}
	t.setView(t.viewStart, t.viewEnd)
	t.Refresh()
}

// SetFrameRate snaps to the exact frame times of a constant frame rate:
// frame n starts at n·Den/Num seconds, rounded to a microsecond.
func (t *Timeline) SetFrameRate(r annotate.Rate) {
	if r.Valid() {
		t.grid = rateGrid(r)
	} else {
		t.grid = nil
	}
	t.setView(t.viewStart, t.viewEnd)
	t.Refresh()
}

// SetFrameTimes snaps to the given frame start times (media.Index.PTS: sorted,
// media time), which is exact for variable-frame-rate video. The slice is
// not copied and must not change afterwards.
func (t *Timeline) SetFrameTimes(pts []annotate.Time) {
	if len(pts) > 0 {
		t.grid = ptsGrid(pts)
	} else {
		t.grid = nil
	}
	t.setView(t.viewStart, t.viewEnd)
	t.Refresh()
}

// SetWaveform shows an audio waveform lane; the peaks are evenly spaced over
// [0, end) of the session, as audio.WaveformOf gives them with End set to the
// session's end, so the lane lines up with the picture. nil removes the lane.
func (t *Timeline) SetWaveform(peaks []Peak) {
	t.peaks = peaks
	t.Refresh()
}

// SetHighlights highlights time ranges (any order), drawn beneath the items:
// Lane < 0 across all lanes (and marked on the time axis), else in one lane.
func (t *Timeline) SetHighlights(hs []Highlight) {
	t.highlights = append(t.highlights[:0], hs...)
	sort.Slice(t.highlights, func(a, b int) bool { return t.highlights[a].Start < t.highlights[b].Start })
	t.hlMaxEnd = t.hlMaxEnd[:0]
	m := annotate.Time(math.MinInt64)
	for _, h := range t.highlights {
		m = max(m, h.End)
		t.hlMaxEnd = append(t.hlMaxEnd, m)
	}
	t.Refresh()
}

// SetFollow sets whether the view pages along when the playhead, visible
// before, leaves it (on by default).
func (t *Timeline) SetFollow(on bool) { t.follow = on }

// Playhead returns the playhead time.
func (t *Timeline) Playhead() annotate.Time { return t.playhead }

// SetPlayhead moves the playhead. When following and the playhead was visible
// but now is not, the view pages so that it stays in sight. Only the playhead
// object moves unless the view changes or a running state must grow, so this
// is cheap enough to call for every frame shown.
func (t *Timeline) SetPlayhead(at annotate.Time) {
	old := t.playhead
	t.playhead = at
	if t.end <= 0 && at > t.total {
		t.computeTotal()
	}
	span := t.viewEnd - t.viewStart
	wasVisible := old >= t.viewStart && old <= t.viewEnd
	if t.follow && wasVisible && t.drag.kind == dragNone && (at < t.viewStart || at > t.viewEnd) {
		if at > t.viewEnd && at < t.viewEnd+span/2 {
			// Playing on: page so the playhead continues from near the left.
			t.setView(at-span/20, at-span/20+span)
		} else {
			t.setView(at-span/2, at-span/2+span)
		}
		t.Refresh()
		return
	}
	if t.rend == nil {
		return
	}
	if t.openVisible() {
		t.Refresh()
		return
	}
	t.rend.placePlayhead()
}

// openVisible reports whether a running state is visible, whose drawn end
// follows the playhead.
func (t *Timeline) openVisible() bool {
	for l := range t.index {
		li := &t.index[l]
		if n := len(li.maxEnd); n > 0 && li.maxEnd[n-1] == openEnd {
			for _, i := range li.order {
				if it := &t.items[i]; it.Open && it.Start <= t.viewEnd {
					return true
				}
			}
		}
	}
	return false
}

// View returns the visible time range.
func (t *Timeline) View() (start, end annotate.Time) { return t.viewStart, t.viewEnd }

// SetView shows [start, end), clamped to the session and to the deepest zoom.
func (t *Timeline) SetView(start, end annotate.Time) {
	t.setView(start, end)
	t.viewSet = true
	t.Refresh()
}

func (t *Timeline) minSpan() annotate.Time {
	if t.grid != nil {
		if d := t.grid.typical(); d > 0 {
			return minSpanFrames * d
		}
	}
	return defaultMinSpan
}

// setView clamps without refreshing.
func (t *Timeline) setView(start, end annotate.Time) {
	span := end - start
	span = max(span, t.minSpan())
	span = min(span, t.total)
	start = max(min(start, t.total-span), 0)
	t.viewStart, t.viewEnd = start, start+span
}

// ZoomIn halves the span around the playhead when it is visible, else around
// the middle of the view.
func (t *Timeline) ZoomIn() { t.zoomAt(t.zoomAnchor(), 0.5) }

// ZoomOut doubles the span, like ZoomIn.
func (t *Timeline) ZoomOut() { t.zoomAt(t.zoomAnchor(), 2) }

// ZoomAll shows the whole session.
func (t *Timeline) ZoomAll() {
	t.viewSet = true
	t.setView(0, t.total)
	t.Refresh()
}

func (t *Timeline) zoomAnchor() annotate.Time {
	if t.playhead >= t.viewStart && t.playhead <= t.viewEnd {
		return t.playhead
	}
	return t.viewStart + (t.viewEnd-t.viewStart)/2
}

// zoomAt scales the span by factor keeping the time at in its place on
// screen.
func (t *Timeline) zoomAt(at annotate.Time, factor float64) {
	t.viewSet = true
	t.setView(t.zoomed(at, factor))
	t.Refresh()
}

// zoomed is the view scaled by factor around time at.
func (t *Timeline) zoomed(at annotate.Time, factor float64) (start, end annotate.Time) {
	span := t.viewEnd - t.viewStart
	frac := 0.5
	if span > 0 {
		frac = float64(at-t.viewStart) / float64(span)
	}
	ns := annotate.Time(math.Round(float64(span) * factor))
	ns = max(min(ns, t.total), t.minSpan())
	start = at - annotate.Time(math.Round(frac*float64(ns)))
	return start, start + ns
}

// Select selects the item with this ID (0 or an unknown ID clears the
// selection) without calling OnSelect, and scrolls it into view if needed.
func (t *Timeline) Select(id uint64) {
	i, ok := t.byID[id]
	if !ok {
		id = 0
	}
	t.selected = id
	if ok {
		it := t.items[i]
		span := t.viewEnd - t.viewStart
		if it.Start > t.viewEnd || t.itemEnd(&it) < t.viewStart {
			t.setView(it.Start-span/4, it.Start-span/4+span)
		}
		t.scrollLaneIntoView(it.Lane)
	}
	t.Refresh()
}

// Selected returns the selected item's ID.
func (t *Timeline) Selected() (uint64, bool) { return t.selected, t.selected != 0 }

// itemEnd is the end drawn for an item: a running state reaches the
// playhead, or its End when the caller closed it provisionally further on
// (the supervisor view closes running states at the end of the video).
func (t *Timeline) itemEnd(it *Item) annotate.Time {
	if it.Open {
		return max(it.Start, it.End, t.playhead)
	}
	return it.End
}

// drawnBands is the bands as drawn: during a band drag, the dragged band
// starts (and the one before it ends) at the dragged time.
func (t *Timeline) drawnBands() []Band {
	if t.drag.kind != dragBand || t.drag.band >= len(t.bands) {
		return t.bands
	}
	bs := slices.Clone(t.bands)
	i := t.drag.band
	bs[i].Start = t.drag.at
	if i > 0 && bs[i-1].End == t.bands[i].Start {
		bs[i-1].End = t.drag.at
	}
	return bs
}

// CreateRenderer is part of fyne.Widget.
func (t *Timeline) CreateRenderer() fyne.WidgetRenderer {
	t.ExtendBaseWidget(t)
	r := newRenderer(t)
	t.rend = r
	return r
}

// MinSize fits the axis, the episodes band and three lanes.
func (t *Timeline) MinSize() fyne.Size {
	t.ExtendBaseWidget(t)
	return fyne.NewSize(labelWidth+200, rulerHeight+bandHeight+3*minLaneHeight)
}

// palette gives lanes without a colour distinct, colour-blind-friendly hues
// (Okabe–Ito).
var palette = []color.NRGBA{
	{0xE6, 0x9F, 0x00, 0xff}, {0x56, 0xB4, 0xE9, 0xff}, {0x00, 0x9E, 0x73, 0xff},
	{0xF0, 0xE4, 0x42, 0xff}, {0x00, 0x72, 0xB2, 0xff}, {0xD5, 0x5E, 0x00, 0xff},
	{0xCC, 0x79, 0xA7, 0xff}, {0x99, 0x99, 0x99, 0xff},
}

func laneColor(c color.Color, i int) color.NRGBA {
	if c == nil {
		return palette[i%len(palette)]
	}
	return toNRGBA(c)
}

func toNRGBA(c color.Color) color.NRGBA {
	return color.NRGBAModel.Convert(c).(color.NRGBA)
}
