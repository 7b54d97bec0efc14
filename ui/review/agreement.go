package review

import (
	"errors"
	"fmt"
	"image/png"
	"io"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dyadcode/annotate"
	"dyadcode/annotate/agreement"
	"dyadcode/annotate/plot"
)

// ErrNoScheme is returned by exports that need the coding scheme (the
// comparison plot's lanes come from it) when the view has none.
var ErrNoScheme = errors.New("no coding scheme")

// SessionScope is the scope selector's entry for the whole video.
const SessionScope = "Whole session"

// AllBehaviors is the behaviour filter's entry that lists everything.
const AllBehaviors = "All behaviours"

// Agreement is the supervisor's view of two or more observations of one
// video: slice width and tolerance, the agreement table per behaviour,
// the coders' lanes stacked with their disagreements, and the list of
// disagreements that seeks the video. The first observation is coder A,
// the reference, as in agreement.Compare.
type Agreement struct {
	widget.BaseWidget

	win    fyne.Window
	scheme *annotate.Scheme
	obs    []*annotate.Observation
	end    annotate.Time
	seek   func(annotate.Time)

	sliceEntry, tolEntry *widget.Entry
	scope                *widget.Select
	summary              *widget.Label
	problem              *widget.Label
	warnings             *widget.Label
	warnTab              *container.TabItem
	stats                *widget.Table
	list                 *widget.Table
	lanes                *timelineLanes
	computeBtn           *widget.Button
	tabs                 *container.AppTabs
	listTab              *container.TabItem
	ratingsTab           *container.TabItem
	ratings              *widget.Table
	ratingRows           [][]string
	content              fyne.CanvasObject

	report   *agreement.Report
	analysis *agreement.Analysis
	section  *agreement.Section
	// statRows are the table's cells below the header; disagreements the
	// list's rows.
	statHead      []string
	statRows      [][]string
	disagreements []agreement.Disagreement
	// current is the disagreement last jumped to, -1 for none.
	current int
	// from, to bound the scope shown (to included when closed, for the
	// last stretch); behavior filters the list.
	from, to annotate.Time
	closed   bool
	behavior *widget.Select
}

// NewAgreementView builds the supervisor view and computes the agreement
// with the default slice (0.1 s) and tolerance (0.5 s). end is the video's
// duration (0: the latest time coded). seek may be nil.
func NewAgreementView(win fyne.Window, s *annotate.Scheme, obs []*annotate.Observation, end annotate.Time,
	seek func(annotate.Time)) *Agreement {
	a := &Agreement{win: win, scheme: s, obs: obs, end: end, seek: seek, current: -1}
	a.ExtendBaseWidget(a)

	a.sliceEntry = widget.NewEntry()
	a.sliceEntry.SetText(agreement.DefaultSlice.ShortSeconds())
	a.tolEntry = widget.NewEntry()
	a.tolEntry.SetText(agreement.DefaultTolerance.ShortSeconds())
	apply := func(string) { a.apply() }
	a.sliceEntry.OnSubmitted = apply
	a.tolEntry.OnSubmitted = apply
	a.scope = widget.NewSelect([]string{SessionScope}, func(string) { a.showSection() })
	a.summary = widget.NewLabel("")
	a.summary.Truncation = fyne.TextTruncateEllipsis
	a.summary.TextStyle = fyne.TextStyle{Bold: true}
	a.problem = widget.NewLabel("")
	a.problem.Importance = widget.DangerImportance
	a.problem.Wrapping = fyne.TextWrapWord
	a.problem.Hide()
	a.warnings = widget.NewLabel("")
	a.warnings.Wrapping = fyne.TextWrapWord

	a.stats = widget.NewTableWithHeaders(
		func() (int, int) { return len(a.statRows), len(a.statHead) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			// Style first: SetText refreshes a recycled cell once.
			l.Alignment = fyne.TextAlignTrailing
			if id.Col == 0 {
				l.Alignment = fyne.TextAlignLeading
			}
			l.TextStyle.Bold = id.Row == 0
			l.SetText(a.statRows[id.Row][id.Col])
		})
	a.stats.ShowHeaderColumn = false
	a.stats.StickyColumnCount = 1
	a.stats.CreateHeader = func() fyne.CanvasObject {
		l := widget.NewLabel("")
		l.TextStyle.Bold = true
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}
	a.stats.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(a.statHead) {
			l := o.(*widget.Label)
			l.Alignment = fyne.TextAlignTrailing // over right-aligned numbers
			if id.Col == 0 {
				l.Alignment = fyne.TextAlignLeading
			}
			l.SetText(a.statHead[id.Col])
		}
	}
	// A click on a behaviour's row lists its disagreements.
	a.stats.OnSelected = func(id widget.TableCellID) {
		a.stats.UnselectAll()
		if id.Row > 0 && id.Row < len(a.statRows) {
			a.ShowBehavior(a.statRows[id.Row][0])
		} else if id.Row == 0 {
			a.ShowBehavior(AllBehaviors)
		}
	}

	a.list = widget.NewTableWithHeaders(
		func() (int, int) { return len(a.disagreements), 3 + len(a.coders()) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			l.TextStyle.Bold = id.Row == a.current
			l.SetText(a.disagreementCell(id.Row, id.Col))
		})
	a.list.ShowHeaderColumn = false
	a.list.CreateHeader = a.stats.CreateHeader
	a.list.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		o.(*widget.Label).SetText(a.listHeader(id.Col))
	}
	// A click seeks and the row turns bold; the table's own selection is
	// cleared at once so a second click on the same cell seeks again
	// (after the supervisor has played on from there).
	a.list.OnSelected = func(id widget.TableCellID) {
		a.list.UnselectAll()
		a.jump(id.Row)
	}

	a.lanes = newTimelineLanes(a.seekTo)

	a.computeBtn = widget.NewButton("Compute", a.apply)
	csvBtn := widget.NewButton("Export CSV…", func() {
		saveDialog(a.win, "Export agreement CSV", "agreement.csv", []string{"csv"},
			func(w io.Writer, _ string) error { return a.writeCSV(w) })
	})
	pngBtn := widget.NewButton("Export plot…", func() {
		saveDialog(a.win, "Export comparison plot", "comparison.png", []string{"png", "svg"},
			func(w io.Writer, ext string) error { return a.writePlot(w, ext) })
	})
	shotBtn := widget.NewButton("Export timeline…", func() {
		saveDialog(a.win, "Export timeline with disagreements", "disagreements.png", []string{"png"},
			func(w io.Writer, _ string) error { return a.writeTimeline(w) })
	})
	bar := container.NewHBox(
		widget.NewLabel("Slice (s)"), sized(a.sliceEntry, 80),
		widget.NewLabel("Tolerance (s)"), sized(a.tolEntry, 80),
		a.computeBtn,
		widget.NewLabel("Scope"), sized(a.scope, 230),
		widget.NewSeparator(), csvBtn, pngBtn, shotBtn,
		widget.NewButton("Copy table", func() { copyText(a.TableText()) }),
	)
	a.configureColumns()
	top := container.NewVBox(bar, a.summary, a.problem)
	// The statistics and the disagreement list each need the full width
	// for their columns on a laptop screen, so they share it as tabs under
	// the lanes, which stay in view while the supervisor walks the list.
	a.behavior = widget.NewSelect([]string{AllBehaviors}, func(string) {
		if a.analysis != nil {
			a.filterList()
		}
	})
	a.behavior.Selected = AllBehaviors
	a.listTab = container.NewTabItem("Disagreements", container.NewBorder(
		container.NewHBox(widget.NewLabel("Behaviour"), sized(a.behavior, 260),
			widget.NewLabel("Select a row to jump there; the list follows the scope.")),
		nil, nil, nil, a.list))
	a.ratings = widget.NewTableWithHeaders(
		func() (int, int) { return len(a.ratingRows), len(ratingHead) },
		a.stats.CreateCell,
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			l.Alignment = fyne.TextAlignTrailing
			if id.Col == 0 {
				l.Alignment = fyne.TextAlignLeading
			}
			l.SetText(a.ratingRows[id.Row][id.Col])
		})
	a.ratings.ShowHeaderColumn = false
	a.ratings.CreateHeader = a.stats.CreateHeader
	a.ratings.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(ratingHead) {
			o.(*widget.Label).SetText(ratingHead[id.Col])
		}
	}
	a.ratings.OnSelected = func(widget.TableCellID) { a.ratings.UnselectAll() }
	a.ratings.SetColumnWidth(0, 230)
	for c := 1; c < len(ratingHead); c++ {
		a.ratings.SetColumnWidth(c, 100)
	}
	a.ratingsTab = container.NewTabItem("Ratings", a.ratings)
	a.warnTab = container.NewTabItem("Warnings", container.NewVScroll(a.warnings))
	a.tabs = container.NewAppTabs(container.NewTabItem("Per behaviour", a.stats), a.listTab, a.ratingsTab, a.warnTab)
	split := container.NewVSplit(a.lanes.object(), a.tabs)
	split.Offset = 0.5
	a.content = container.NewBorder(top, nil, nil, nil, split)
	a.apply()
	return a
}

// sized gives an entry a fixed width in an HBox.
func sized(o fyne.CanvasObject, w float32) fyne.CanvasObject {
	return container.NewGridWrap(fyne.NewSize(w, o.MinSize().Height), o)
}

// CreateRenderer implements fyne.Widget.
func (a *Agreement) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(a.content)
}

// coderLabels names the coders for the report: their names, with the
// observation ID added where one coder coded the video twice (a
// test–retest check), so the columns can be told apart.
func coderLabels(obs []*annotate.Observation) []string {
	count := map[string]int{}
	for _, o := range obs {
		count[o.Coder]++
	}
	labels := make([]string, len(obs))
	for i, o := range obs {
		switch {
		case o.Coder == "" && o.ID == "":
			labels[i] = fmt.Sprintf("coder %d", i+1)
		case o.Coder == "":
			labels[i] = "observation " + o.ID
		case count[o.Coder] > 1:
			labels[i] = fmt.Sprintf("%s (obs %s)", o.Coder, o.ID)
		default:
			labels[i] = o.Coder
		}
	}
	return labels
}

// coders are the report's coder names, or the observations' before the
// first successful comparison.
func (a *Agreement) coders() []string {
	if a.report != nil {
		return a.report.Params.Coders
	}
	return coderLabels(a.obs)
}

// SetObservations replaces the compared observations (after the
// supervisor picks others, or a coder edits one) and recomputes with the
// current slice and tolerance.
func (a *Agreement) SetObservations(obs []*annotate.Observation, end annotate.Time) {
	a.obs, a.end = obs, end
	a.apply()
}

// apply reads the entries and recomputes; bad input is shown, and the
// previous results stay on screen.
func (a *Agreement) apply() {
	var errs []string
	w, err := annotate.ParseSeconds(a.sliceEntry.Text)
	if err == nil && w <= 0 {
		err = errors.New("must be above 0")
	}
	if err != nil {
		errs = append(errs, fmt.Sprintf("slice width %q: %v", a.sliceEntry.Text, err))
	}
	tol, err := annotate.ParseSeconds(a.tolEntry.Text)
	if err == nil && tol < 0 {
		err = errors.New("must not be negative")
	}
	if err != nil {
		errs = append(errs, fmt.Sprintf("tolerance %q: %v", a.tolEntry.Text, err))
	}
	if len(errs) > 0 {
		a.showProblem(strings.Join(errs, "; "))
		return
	}
	if err := a.SetOptions(w, tol); err != nil {
		a.showProblem(err.Error())
	}
}

func (a *Agreement) showProblem(msg string) { setProblem(a.problem, a.content, msg) }

func (a *Agreement) hideProblem() { setProblem(a.problem, a.content, "") }

// SetOptions recomputes the agreement with slice width w and onset
// tolerance tol (0 is an exact match here, unlike agreement.Options where
// 0 means the default) and updates every part of the view. The entries
// show the values used.
func (a *Agreement) SetOptions(w, tol annotate.Time) error {
	if w <= 0 || tol < 0 {
		return fmt.Errorf("agreement: slice %s s must be above 0 and tolerance %s s not negative", w.Seconds(), tol.Seconds())
	}
	opt := agreement.Options{Slice: w, Tolerance: tol, End: a.end}
	if tol == 0 {
		opt.Tolerance = agreement.ExactOnsets
	}
	r, err := agreement.Compare(a.obs, coderLabels(a.obs), a.scheme, opt)
	if err != nil {
		return fmt.Errorf("agreement: %w", err)
	}
	a.sliceEntry.SetText(w.ShortSeconds())
	a.tolEntry.SetText(tol.ShortSeconds())
	a.hideProblem()
	a.report = r
	a.analysis = agreement.Analyze(r)
	a.lanes.show(a.obs, a.scheme, r, a.analysis)

	filters := append([]string{AllBehaviors}, r.Behaviors...)
	if !contains(filters, a.behavior.Selected) {
		a.behavior.Selected = AllBehaviors
	}
	a.behavior.Options = filters
	a.behavior.Refresh()
	scopes := []string{SessionScope}
	for _, ep := range r.Episodes {
		scopes = append(scopes, ep.Name)
	}
	cur := a.scope.Selected
	a.scope.Options = scopes
	if cur == "" || !contains(scopes, cur) {
		cur = SessionScope
	}
	a.scope.Selected = cur // set directly: showSection runs once, below
	a.scope.Refresh()
	a.showSection() // also fills the disagreement list

	a.warnTab.Text = fmt.Sprintf("Warnings (%d)", len(r.Warnings))
	a.warnings.SetText("The comparison raised no warnings.")
	if len(r.Warnings) > 0 {
		a.warnings.SetText("• " + strings.Join(r.Warnings, "\n• "))
	}
	a.configureColumns()
	a.showRatings()
	a.ratingsTab.Text = fmt.Sprintf("Ratings (%d)", len(a.ratingRows))
	a.tabs.Refresh()
	return nil
}

// filterList lists the disagreements of the scope shown (an episode's
// run from its start to its end) and of the chosen behaviour.
func (a *Agreement) filterList() {
	all := a.analysis.Disagreements
	a.disagreements = nil // a new slice: callers may hold the old one
	for _, d := range all {
		if d.Start < a.from || d.Start > a.to || d.Start == a.to && !a.closed {
			continue
		}
		if b := a.behavior.Selected; b != "" && b != AllBehaviors && !slices.Contains(d.Behaviors, b) {
			continue
		}
		a.disagreements = append(a.disagreements, d)
	}
	a.current = -1
	a.list.UnselectAll()
	a.list.Refresh()
	a.list.ScrollToTop()
	if len(a.disagreements) == len(all) {
		a.listTab.Text = fmt.Sprintf("Disagreements (%d)", len(all))
	} else {
		a.listTab.Text = fmt.Sprintf("Disagreements (%d of %d)", len(a.disagreements), len(all))
	}
	a.tabs.Refresh()
}

// ShowBehavior lists only the disagreements about behaviour id (""
// or AllBehaviors: all) and brings the list to the front.
func (a *Agreement) ShowBehavior(id string) {
	if id == "" {
		id = AllBehaviors
	}
	a.behavior.SetSelected(id) // filters
	a.tabs.Select(a.listTab)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Report is the agreement currently shown (nil before a comparison
// succeeded).
func (a *Agreement) Report() *agreement.Report { return a.report }

// Disagreements are the listed disagreements in time order.
func (a *Agreement) Disagreements() []agreement.Disagreement { return a.disagreements }

// SelectDisagreement selects row i of the list, as a click does: the
// video seeks to its start.
func (a *Agreement) SelectDisagreement(i int) {
	a.tabs.Select(a.listTab)
	a.list.Select(widget.TableCellID{Row: i, Col: 0})
}

func (a *Agreement) jump(i int) {
	if i < 0 || i >= len(a.disagreements) {
		return
	}
	a.current = i
	a.list.Refresh()
	a.list.ScrollTo(widget.TableCellID{Row: i, Col: 0})
	a.seekTo(a.disagreements[i].Start)
}

// Current is the index of the disagreement last jumped to, -1 for none.
func (a *Agreement) Current() int { return a.current }

// NextDisagreement jumps to the disagreement after the current one (the
// first when none is current); false when there is none. The app binds
// it to a key so a supervisor can walk the disagreements with the video.
func (a *Agreement) NextDisagreement() bool {
	if a.current+1 >= len(a.disagreements) {
		return false
	}
	a.jump(a.current + 1)
	return true
}

// PreviousDisagreement jumps to the disagreement before the current one.
func (a *Agreement) PreviousDisagreement() bool {
	if a.current <= 0 {
		return false
	}
	a.jump(a.current - 1)
	return true
}

// seekTo moves the lanes' playhead and the video to t.
func (a *Agreement) seekTo(t annotate.Time) {
	a.lanes.setPlayhead(t)
	if a.seek != nil {
		a.seek(t)
	}
}

// showSection fills the statistics table from the selected scope.
func (a *Agreement) showSection() {
	r := a.report
	if r == nil {
		return
	}
	sec := &r.Section
	scopeText := "whole session"
	a.from, a.to, a.closed = 0, r.Params.End, true
	for i := range r.Episodes {
		if r.Episodes[i].Name == a.scope.Selected {
			sec = &r.Episodes[i].Section
			ep := r.Episodes[i]
			scopeText = fmt.Sprintf("episode %s [%s, %s s)", ep.Name, ep.Start.ShortSeconds(), ep.End.ShortSeconds())
			a.from, a.to, a.closed = ep.Start, ep.End, i == len(r.Episodes)-1
		}
	}
	a.section = sec
	// The lanes and the list follow the scope.
	if a.scope.Selected == SessionScope || a.scope.Selected == "" {
		a.lanes.tl.ZoomAll()
	} else {
		a.lanes.tl.SetView(a.from, a.to)
	}
	a.filterList()
	p := r.Params
	coders := p.Coders
	a.summary.SetText(fmt.Sprintf("%s (A, reference) vs %s, %s: time-slice κ %s, agreement %s %% over %d slices of %s s; onset tolerance %s s",
		coders[0], strings.Join(coders[1:], ", "), scopeText, fmtValue(sec.Slice.Kappa, 3), fmtValue(sec.Slice.Percent, 1),
		sec.Slice.N, p.Slice.ShortSeconds(), p.Tolerance.ShortSeconds()) + fleissText(sec))

	// "judged by" is the figure each behaviour stands on: onset matching
	// for a point (its slice κ counts a point tagged a slice apart as two
	// disagreements), time-slice κ for a state.
	a.statHead = []string{"behaviour", "judged by", "κ", "agree %", "pos. agr.", "PABAK", "A events", "B events", "matched", "omitted", "added", "event %", "F1", "mean |Δ| s"}
	if sec.Fleiss != nil {
		a.statHead = append(a.statHead, "Fleiss κ")
	}
	overall := make([]string, len(a.statHead))
	overall[0] = "all (time-slice categories)"
	overall[1] = "κ " + fmtValue(sec.Slice.Kappa, 3)
	overall[2] = fmtValue(sec.Slice.Kappa, 3)
	overall[3] = fmtValue(sec.Slice.Percent, 1)
	if sec.Fleiss != nil {
		overall[len(overall)-1] = fmtValue(sec.Fleiss.SliceComposite.Kappa, 3)
	}
	a.statRows = [][]string{overall}
	for _, id := range r.Behaviors {
		b, e := sec.PerBehavior[id], sec.Events.PerBehavior[id]
		if b == nil || e == nil {
			continue
		}
		judged := r.PrimaryOf(sec, id).Text
		if !r.PointBehavior(id) {
			judged = "κ " + fmtValue(b.Kappa, 3)
		}
		row := []string{id, judged, fmtValue(b.Kappa, 3), fmtValue(b.Percent, 1), fmtValue(b.Positive, 3), fmtValue(b.PABAK, 3),
			strconv.Itoa(e.NA), strconv.Itoa(e.NB), strconv.Itoa(e.Agreements), strconv.Itoa(e.Omissions),
			strconv.Itoa(e.Commissions), fmtValue(e.Percent, 1), fmtValue(e.F1, 3), fmtValue(e.MeanAbsDiff, 3)}
		if sec.Fleiss != nil {
			row = append(row, fmtValue(sec.Fleiss.PerBehavior[id].Kappa, 3))
		}
		a.statRows = append(a.statRows, row)
	}
	a.configureColumns()
	a.stats.Refresh()
}

// ratingHead are the columns of the ratings tab: weighted κ between A and
// B and the ICCs over all coders, subjects being the episodes rated.
var ratingHead = []string{"scale", "range", "episodes", "κ", "κ linear", "κ quadratic", "ICC(1)", "ICC(A,1)", "ICC(C,1)"}

// showRatings fills the ratings tab from the report.
func (a *Agreement) showRatings() {
	a.ratingRows = nil
	for _, ra := range a.report.Ratings {
		name := ra.Scale
		if a.scheme != nil {
			if sc, ok := a.scheme.Rating(ra.Scale); ok && sc.Name != "" {
				name = sc.Name
			}
		}
		rng := "values used"
		if ra.Min != nil && ra.Max != nil {
			rng = fmt.Sprintf("%d–%d", *ra.Min, *ra.Max)
		}
		a.ratingRows = append(a.ratingRows, []string{name, rng, strconv.Itoa(len(ra.Episodes)),
			fmtValue(ra.Kappa, 3), fmtValue(ra.Linear, 3), fmtValue(ra.Quadratic, 3),
			fmtValue(ra.ICC1, 3), fmtValue(ra.ICCA1, 3), fmtValue(ra.ICCC1, 3)})
	}
	a.ratings.Refresh()
}

func fleissText(sec *agreement.Section) string {
	if sec.Fleiss == nil {
		return ""
	}
	return fmt.Sprintf("; Fleiss κ over %d coders %s", sec.Fleiss.Coders, fmtValue(sec.Fleiss.SliceComposite.Kappa, 3))
}

// fmtValue shows a statistic with prec decimals, "–" when undefined.
func fmtValue(v agreement.Value, prec int) string {
	if !v.Valid {
		return "–"
	}
	return strconv.FormatFloat(v.V, 'f', prec, 64)
}

// configureColumns sizes the tables' columns to their content kinds.
func (a *Agreement) configureColumns() {
	a.stats.SetColumnWidth(0, 220)
	for c := 1; c < len(a.statHead); c++ {
		a.stats.SetColumnWidth(c, 84)
	}
	a.stats.SetColumnWidth(1, 290)
	if i := slices.Index(a.statHead, "mean |Δ| s"); i > 0 {
		a.stats.SetColumnWidth(i, 110)
	}
	a.list.SetColumnWidth(0, 170)
	a.list.SetColumnWidth(1, 110)
	a.list.SetColumnWidth(2, 220)
	for c := range a.coders() {
		a.list.SetColumnWidth(3+c, 260)
	}
}

func (a *Agreement) listHeader(col int) string {
	switch col {
	case 0:
		return "time"
	case 1:
		return "what"
	case 2:
		return "behaviour"
	}
	if cs := a.coders(); col-3 < len(cs) && col >= 3 {
		return cs[col-3]
	}
	return ""
}

func (a *Agreement) disagreementCell(row, col int) string {
	if row < 0 || row >= len(a.disagreements) {
		return ""
	}
	d := a.disagreements[row]
	switch col {
	case 0:
		if d.End > d.Start {
			return d.Start.Clock() + " +" + (d.End - d.Start).ShortSeconds() + " s"
		}
		return d.Start.Clock()
	case 1:
		return d.Kind.String()
	case 2:
		return strings.Join(d.Behaviors, ", ")
	}
	if k := col - 3; k >= 0 && k < len(d.Have) {
		return d.Have[k]
	}
	return ""
}

// TableText is the per-behaviour table of the scope shown as
// tab-separated text (what Copy table puts on the clipboard), with the
// scope and parameters in a first line.
func (a *Agreement) TableText() string {
	if a.report == nil {
		return ""
	}
	return a.summary.Text + "\n" + tsv(a.statHead, a.statRows)
}

// ExportCSV writes the report's CSV (one row per behaviour and scope,
// agreement.CSVHeader) to path.
func (a *Agreement) ExportCSV(path string) error {
	return writeFileAtomic(path, a.writeCSV)
}

func (a *Agreement) writeCSV(w io.Writer) error {
	if a.report == nil {
		return errors.New("no agreement computed")
	}
	return a.report.CSV(w)
}

// ExportPlot writes the comparison timeline (annotate/plot's Compare) to
// path, PNG or SVG by its extension.
func (a *Agreement) ExportPlot(path string) error {
	ext := extOf(path)
	if ext != "png" && ext != "svg" {
		return fmt.Errorf("%s: %w: use .png or .svg", path, ErrFormat)
	}
	return writeFileAtomic(path, func(w io.Writer) error { return a.writePlot(w, ext) })
}

func (a *Agreement) writePlot(w io.Writer, ext string) error {
	f, err := comparePlot(a.obs, a.scheme, a.end, a.coders())
	if err != nil {
		return err
	}
	return f.Write(w, ext)
}

// ExportTimeline writes the lanes as drawn on screen, every lane at full
// height with the disagreeing slices highlighted and unmatched events
// marked, as a PNG (at twice the screen resolution, for print).
func (a *Agreement) ExportTimeline(path string) error {
	if ext := extOf(path); ext != "png" {
		return fmt.Errorf("%s: %w: use .png", path, ErrFormat)
	}
	return writeFileAtomic(path, a.writeTimeline)
}

// ErrNoTimeline is returned by ExportTimeline when the view has no
// timeline to draw (nothing compared yet).
var ErrNoTimeline = errors.New("no timeline to export")

func (a *Agreement) writeTimeline(w io.Writer) error {
	if a.report == nil {
		return ErrNoTimeline
	}
	return png.Encode(w, a.lanes.tl.Snapshot(1600, 2))
}

func comparePlot(obs []*annotate.Observation, s *annotate.Scheme, end annotate.Time, coders []string) (*plot.Figure, error) {
	if s == nil {
		return nil, fmt.Errorf("comparison plot: %w", ErrNoScheme)
	}
	return plot.Compare(obs, s, end, "Coders: "+strings.Join(coders, " / "))
}
