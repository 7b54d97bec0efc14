package ui

import (
	"cmp"
	"fmt"
	"image/color"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"dyadcode/annotate"
)

// Columns of the events table.
const (
	colTime = iota
	colBehavior
	colSubject
	colDuration
	colComment
	numCols
)

var colTitles = [numCols]string{"Time", "Behaviour", "Subject", "Duration", "Comment"}

// colWidths are the columns' widths; cell text is shortened to fit them
// (canvas.Text does not clip).
var colWidths = [numCols]float32{86, 112, 64, 64, 96}

// allBehaviors is the filter entry that shows every event.
const allBehaviors = "All behaviours"

// eventsTable lists an observation's events: sortable by any column,
// filterable by behaviour. A click on a row calls onPick, which selects the
// event (for Delete, Recode…) and leaves the video where it is; activating
// a row (double click, or Enter on the focused row) calls onActivate, which
// selects the event and moves the video there.
type eventsTable struct {
	scheme     *annotate.Scheme
	all        []annotate.Event
	rows       []annotate.Event // filtered and sorted view of all
	sortCol    int
	desc       bool
	filterCode string // "" = all
	selected   annotate.EventID

	table  *widget.Table
	filter *widget.Select
	count  *textLine

	onActivate func(annotate.Event)
	onPick     func(annotate.Event)
}

// eventCell is a table cell that tells a click from a double click. Fyne's
// Table selects (and so activates) on the button press and has no double
// tap; the driver gives pointer events to the topmost object that takes
// them, so a cell that is Tappable and DoubleTappable gets both instead of
// the table. (The driver then waits the double-tap delay before a single
// click, as for any double-tappable widget.)
type eventCell struct {
	widget.BaseWidget
	t       *eventsTable
	content *fyne.Container // background and text, as updateCell fills them
	id      widget.TableCellID
}

var (
	_ fyne.Tappable       = (*eventCell)(nil)
	_ fyne.DoubleTappable = (*eventCell)(nil)
)

func newEventCell(t *eventsTable, content *fyne.Container) *eventCell {
	c := &eventCell{t: t, content: content}
	c.ExtendBaseWidget(c)
	return c
}

func (c *eventCell) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(c.content) }

// Tapped selects the row's event without moving the video.
func (c *eventCell) Tapped(*fyne.PointEvent) {
	if c.id.Row >= 0 && c.id.Row < len(c.t.rows) && c.t.onPick != nil {
		c.t.onPick(c.t.rows[c.id.Row])
	}
}

// DoubleTapped activates the row, as Enter does: select and go there.
func (c *eventCell) DoubleTapped(*fyne.PointEvent) {
	if c.id.Row >= 0 && c.id.Row < len(c.t.rows) {
		c.t.table.Select(c.id)
	}
}

func newEventsTable(s *annotate.Scheme, onActivate func(annotate.Event)) *eventsTable {
	t := &eventsTable{scheme: s, onActivate: onActivate}
	t.table = widget.NewTableWithHeaders(
		func() (int, int) { return len(t.rows), numCols },
		// Cells are plain canvas.Text, not Labels: a Label shapes its text
		// again for truncation on every refresh, and the table refreshes
		// every visible cell after each key press.
		func() fyne.CanvasObject {
			bg := canvas.NewRectangle(color.Transparent)
			l := canvas.NewText("00:00:00.000", theme.Color(theme.ColorNameForeground))
			l.TextSize = theme.TextSize()
			return newEventCell(t, container.NewStack(bg, container.NewPadded(l)))
		},
		t.updateCell,
	)
	t.table.ShowHeaderColumn = false
	// Headers are light tappable text, not Buttons: the table makes every
	// row as tall as its header, and a Button would cost a third of the
	// rows on a laptop screen.
	t.table.CreateHeader = func() fyne.CanvasObject { return newHeaderCell() }
	t.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		b := o.(*headerCell)
		if id.Col < 0 || id.Col >= numCols {
			b.SetText("")
			return
		}
		title := colTitles[id.Col]
		if id.Col == t.sortCol {
			if t.desc {
				title += " ▼"
			} else {
				title += " ▲"
			}
		}
		col := id.Col
		b.OnTapped = func() { t.sortBy(col) }
		b.SetText(title)
	}
	for c, w := range colWidths {
		t.table.SetColumnWidth(c, w)
	}
	t.table.OnSelected = func(id widget.TableCellID) {
		t.table.UnselectAll()
		if id.Row >= 0 && id.Row < len(t.rows) && t.onActivate != nil {
			t.onActivate(t.rows[id.Row])
		}
	}
	t.count = newTextLine(fyne.TextStyle{})
	t.count.SetText("0 events")
	t.filter = widget.NewSelect(t.filterOptions(), func(v string) { t.setFilter(v) })
	t.filter.SetSelected(allBehaviors)
	return t
}

func (t *eventsTable) filterOptions() []string {
	opts := []string{allBehaviors}
	for _, b := range t.scheme.Behaviors {
		opts = append(opts, b.Code)
	}
	return opts
}

// setScheme follows a scheme edit (new codes in the filter).
func (t *eventsTable) setScheme(s *annotate.Scheme) {
	t.scheme = s
	t.filter.Options = t.filterOptions()
	t.filter.Refresh()
}

func (t *eventsTable) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	cell := o.(*eventCell)
	cell.id = id
	st := cell.content
	bg := st.Objects[0].(*canvas.Rectangle)
	l := st.Objects[1].(*fyne.Container).Objects[0].(*canvas.Text)
	if id.Row < 0 || id.Row >= len(t.rows) {
		l.Text = ""
		l.Refresh()
		return
	}
	e := t.rows[id.Row]
	if e.ID == t.selected {
		bg.FillColor = theme.Color(theme.ColorNameSelection)
	} else {
		bg.FillColor = color.Transparent
	}
	bg.Refresh()
	txt := cellText(e, id.Col)
	if len(txt) > 80 {
		txt = string([]rune(txt)[:min(len([]rune(txt)), 80)])
	}
	l.Color = theme.Color(theme.ColorNameForeground)
	l.Text = fitText(txt, colWidths[id.Col]-2*theme.Padding()-2, l.TextSize, l.TextStyle)
	l.Refresh()
}

func cellText(e annotate.Event, col int) string {
	switch col {
	case colTime:
		return e.Start.Clock()
	case colBehavior:
		if len(e.Modifiers) > 0 {
			return e.Behavior + " (" + strings.Join(e.Modifiers, "|") + ")"
		}
		return e.Behavior
	case colSubject:
		return e.Subject
	case colDuration:
		switch {
		case e.Open:
			return "running"
		case e.End == e.Start:
			return "·"
		}
		return fmt.Sprintf("%.3f s", e.Duration().Float())
	case colComment:
		return strings.ReplaceAll(e.Comment, "\n", " ")
	}
	return ""
}

// setEvents replaces the table's contents (after any edit) and highlights
// sel, refreshing the table once.
func (t *eventsTable) setEvents(evs []annotate.Event, sel annotate.EventID) {
	t.all = evs
	t.selected = sel
	t.rebuild()
	if r := t.rowOf(sel); r >= 0 {
		t.table.ScrollTo(widget.TableCellID{Row: r, Col: 0})
	}
}

func (t *eventsTable) setFilter(v string) {
	if v == allBehaviors {
		v = ""
	}
	t.filterCode = v
	t.rebuild()
}

func (t *eventsTable) sortBy(col int) {
	if t.sortCol == col {
		t.desc = !t.desc
	} else {
		t.sortCol, t.desc = col, false
	}
	t.rebuild()
}

func (t *eventsTable) rebuild() {
	t.rows = t.rows[:0]
	for _, e := range t.all {
		if t.filterCode == "" || e.Behavior == t.filterCode {
			t.rows = append(t.rows, e)
		}
	}
	col, desc := t.sortCol, t.desc
	slices.SortStableFunc(t.rows, func(a, b annotate.Event) int {
		var c int
		switch col {
		case colBehavior:
			c = strings.Compare(a.Behavior, b.Behavior)
		case colSubject:
			c = strings.Compare(a.Subject, b.Subject)
		case colDuration:
			c = cmp.Compare(a.Duration(), b.Duration())
		case colComment:
			c = strings.Compare(a.Comment, b.Comment)
		}
		if c == 0 { // ties and the time column: media order
			c = cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.ID, b.ID))
		}
		if desc {
			c = -c
		}
		return c
	})
	n := len(t.rows)
	switch {
	case t.filterCode != "":
		t.count.SetText(fmt.Sprintf("%d of %d events", n, len(t.all)))
	case n == 1:
		t.count.SetText("1 event")
	default:
		t.count.SetText(fmt.Sprintf("%d events", n))
	}
	t.table.Refresh()
}

// selectEvent highlights an event's row and scrolls to it; 0 clears.
func (t *eventsTable) selectEvent(id annotate.EventID) {
	t.selected = id
	for i, e := range t.rows {
		if e.ID == id {
			t.table.ScrollTo(widget.TableCellID{Row: i, Col: 0})
			break
		}
	}
	t.table.Refresh()
}

// rowOf returns the row showing an event, or -1 (filtered out or gone).
func (t *eventsTable) rowOf(id annotate.EventID) int {
	for i, e := range t.rows {
		if e.ID == id {
			return i
		}
	}
	return -1
}

// headerCell is a column title that sorts by its column when tapped.
type headerCell struct {
	widget.BaseWidget
	text     *canvas.Text
	OnTapped func()
}

func newHeaderCell() *headerCell {
	h := &headerCell{text: canvas.NewText("", theme.Color(theme.ColorNameForeground))}
	h.text.TextStyle = fyne.TextStyle{Bold: true}
	h.text.TextSize = theme.TextSize()
	h.ExtendBaseWidget(h)
	return h
}

func (h *headerCell) SetText(s string) {
	h.text.Text = s
	h.text.Refresh()
}

func (h *headerCell) Tapped(*fyne.PointEvent) {
	if h.OnTapped != nil {
		h.OnTapped()
	}
}

func (h *headerCell) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewPadded(h.text))
}
