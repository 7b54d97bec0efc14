package review

import (
	"fmt"
	"image/color"
	"io"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dyadcode/annotate"
	"dyadcode/annotate/plot"
	"dyadcode/annotate/sequential"
)

// SequentialAnalyze runs a sequential analysis with the view's options;
// the app passes the one action both front ends share, so the view never
// loads observations itself.
type SequentialAnalyze func(opt sequential.Options) (*sequential.Report, error)

// Sequential is the view of Review ▸ Sequential analysis: the lag table
// as a heat map of adjusted residuals (click a cell to list its
// transitions, click a transition to go there), and a time-window
// analysis with its 2×2 table. Both export as CSV and PNG/SVG.
type Sequential struct {
	widget.BaseWidget

	win     fyne.Window
	analyze SequentialAnalyze
	// seek goes to a time of an observation (nil: no jumping).
	seek func(obs string, t annotate.Time)
	name string // base of export file names

	codes, lag, lo, hi, unit *widget.Entry
	perms                    *widget.Entry
	noSelf                   *widget.Check
	scope                    *widget.Select
	given, target            *widget.Select
	computeBtn               *widget.Button
	problem                  *widget.Label
	summary                  *widget.Label
	heat                     *fyne.Container
	cellInfo                 *widget.Label
	transitions              *widget.List
	windowGrid               *fyne.Container
	windowStats              *widget.Label
	content                  fyne.CanvasObject

	report *sequential.Report
	// selected is the heat map cell whose transitions are listed, -1 for
	// none; listed are its transitions.
	selected int
	listed   []sequential.Transition
}

// NewSequentialView builds the view. codes are the codes offered for the
// time window's given and target (the scheme's), episodes the scopes
// offered besides the whole session; name is the base of the export file
// names. It computes the lag table at once.
func NewSequentialView(win fyne.Window, codes, episodes []string, name string, analyze SequentialAnalyze, seek func(obs string, t annotate.Time)) *Sequential {
	v := &Sequential{win: win, analyze: analyze, seek: seek, name: name, selected: -1}
	v.ExtendBaseWidget(v)
	entry := func(text, hint string) *widget.Entry {
		e := widget.NewEntry()
		e.SetText(text)
		e.SetPlaceHolder(hint)
		e.OnSubmitted = func(string) { v.Compute() }
		return e
	}
	v.codes = entry("", "all coded, in scheme order")
	v.lag = entry("1", "")
	v.noSelf = widget.NewCheck("Self-transitions are structural zeros", nil)
	v.perms = entry("0", "0: no permutation test")
	v.scope = widget.NewSelect(append([]string{SessionScope}, episodes...), nil)
	v.scope.SetSelectedIndex(0)
	v.scope.OnChanged = func(string) { v.Compute() }
	v.given = widget.NewSelect(append([]string{""}, codes...), nil)
	v.target = widget.NewSelect(append([]string{""}, codes...), nil)
	v.lo = entry("0", "s")
	v.hi = entry("5", "s")
	v.unit = entry("1", "s")
	v.computeBtn = widget.NewButton("Compute", v.Compute)
	v.computeBtn.Importance = widget.HighImportance
	v.problem = widget.NewLabel("")
	v.problem.Importance = widget.DangerImportance
	v.problem.Wrapping = fyne.TextWrapWord
	v.problem.Hide()
	v.summary = widget.NewLabel("")
	v.summary.TextStyle.Bold = true
	v.summary.Wrapping = fyne.TextWrapWord
	v.heat = container.NewGridWithColumns(1)
	v.cellInfo = widget.NewLabel("Click a cell to list its transitions.")
	v.cellInfo.Wrapping = fyne.TextWrapWord
	v.transitions = widget.NewList(
		func() int { return len(v.listed) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			tr := v.listed[i]
			where := tr.Observation
			if tr.Episode != "" {
				where += ", " + tr.Episode
			}
			o.(*widget.Label).SetText(fmt.Sprintf("%s %s → %s %s  (%s)", tr.From.Clock(), tr.Given, tr.To.Clock(), tr.Target, where))
		})
	v.transitions.OnSelected = func(i widget.ListItemID) { v.Jump(i) }
	v.windowGrid = container.NewGridWithColumns(3)
	v.windowStats = widget.NewLabel("Choose a given and a target code for a time-window analysis.")
	v.windowStats.Wrapping = fyne.TextWrapWord

	form := widget.NewForm(
		widget.NewFormItem("Scope", v.scope),
		widget.NewFormItem("Codes", v.codes),
		widget.NewFormItem("Lag", v.lag),
		widget.NewFormItem("", v.noSelf),
		widget.NewFormItem("Permutations", v.perms),
	)
	winForm := widget.NewForm(
		widget.NewFormItem("Given", v.given),
		widget.NewFormItem("Target", v.target),
		widget.NewFormItem("Window from (s)", v.lo),
		widget.NewFormItem("to (s)", v.hi),
		widget.NewFormItem("Unit (s)", v.unit),
	)
	exports := container.NewHBox(
		widget.NewButton("Save CSV…", func() {
			saveDialog(v.win, "Save sequential analysis", v.name+"-sequential.csv", []string{"csv"},
				func(w io.Writer, _ string) error { return v.writeCSV(w) })
		}),
		widget.NewButton("Save heat map…", func() {
			saveDialog(v.win, "Save lag heat map", v.name+"-lag.png", []string{"png", "svg"}, v.writeHeatMap)
		}),
		widget.NewButton("Save window table…", func() {
			saveDialog(v.win, "Save time-window table", v.name+"-window.png", []string{"png", "svg"}, v.writeWindow)
		}),
	)
	split := container.NewHSplit(container.NewScroll(v.heat), v.transitions)
	split.SetOffset(0.7)
	lagTab := container.NewBorder(nil, v.cellInfo, nil, nil, split)
	winTab := container.NewBorder(nil, nil, nil, nil, container.NewVBox(v.windowGrid, v.windowStats))
	tabs := container.NewAppTabs(container.NewTabItem("Lag table", lagTab), container.NewTabItem("Time window", winTab))
	top := container.NewVBox(container.NewGridWithColumns(2, form, winForm), container.NewHBox(v.computeBtn, exports), v.problem, v.summary)
	v.content = container.NewBorder(top, nil, nil, nil, tabs)
	v.Compute()
	return v
}

func (v *Sequential) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(v.content) }

// Report is the last computed analysis (nil before one succeeded).
func (v *Sequential) Report() *sequential.Report { return v.report }

// options reads the form.
func (v *Sequential) options() (sequential.Options, error) {
	var opt sequential.Options
	for _, c := range strings.Split(v.codes.Text, ",") {
		if c = strings.TrimSpace(c); c != "" {
			opt.Codes = append(opt.Codes, c)
		}
	}
	lag, err := strconv.Atoi(strings.TrimSpace(v.lag.Text))
	if err != nil || lag < 1 {
		return opt, fmt.Errorf("lag %q is not a whole number of 1 or more", v.lag.Text)
	}
	opt.Lag, opt.NoSelf = lag, v.noSelf.Checked
	if sc := v.scope.Selected; sc != "" && sc != SessionScope {
		opt.Episode = sc
	}
	n, err := strconv.Atoi(strings.TrimSpace(v.perms.Text))
	if err != nil || n < 0 || n > sequential.MaxPermutations {
		return opt, fmt.Errorf("permutations %q is not a whole number from 0 to %d", v.perms.Text, sequential.MaxPermutations)
	}
	// A fixed seed: the same form gives the same p every time.
	opt.Permutations, opt.Seed = n, 1
	if v.given.Selected == "" && v.target.Selected == "" {
		return opt, nil
	}
	if v.given.Selected == "" || v.target.Selected == "" {
		return opt, fmt.Errorf("a time window needs both a given and a target code")
	}
	ws := &sequential.WindowSpec{Given: v.given.Selected, Target: v.target.Selected}
	for _, f := range []struct {
		e    *widget.Entry
		name string
		dst  *annotate.Time
	}{{v.lo, "window from", &ws.Lo}, {v.hi, "window to", &ws.Hi}, {v.unit, "unit", &ws.Unit}} {
		t, err := annotate.ParseSeconds(f.e.Text)
		if err != nil {
			return opt, fmt.Errorf("%s: %w", f.name, err)
		}
		*f.dst = t
	}
	opt.Window = ws
	return opt, nil
}

// Compute runs the analysis with the form's options and shows it; a
// problem is shown in the view and keeps the last good result.
func (v *Sequential) Compute() {
	opt, err := v.options()
	if err == nil {
		var r *sequential.Report
		if r, err = v.analyze(opt); err == nil {
			v.report = r
		}
	}
	if err != nil {
		setProblem(v.problem, v.content, err.Error())
		return
	}
	setProblem(v.problem, v.content, "")
	v.show()
}

// show lays the report out: summary, heat map, window table.
func (v *Sequential) show() {
	r := v.report
	lt := r.Lag
	s := fmt.Sprintf("Lag %d: %d transitions between %d events in %d sequence(s) of %s.", lt.Lag, lt.Total, lt.Events, lt.Sequences, strings.Join(r.Params.Observations, ", "))
	if lt.SelfExcluded > 0 {
		s += fmt.Sprintf(" %d self-transitions excluded.", lt.SelfExcluded)
	}
	if len(r.Warnings) > 0 {
		s += " Warnings: " + strings.Join(r.Warnings, "; ")
	}
	v.summary.SetText(s)
	v.buildHeatMap()
	v.selected, v.listed = -1, nil
	v.cellInfo.SetText("Click a cell to list its transitions.")
	v.transitions.UnselectAll()
	v.transitions.Refresh()
	v.buildWindow()
}

// heatCell is one tappable cell of the heat map.
type heatCell struct {
	widget.BaseWidget
	bg    *canvas.Rectangle
	text  *canvas.Text
	sub   *canvas.Text
	onTap func()
}

func newHeatCell(fill color.Color, text, sub string, onTap func()) *heatCell {
	c := &heatCell{bg: canvas.NewRectangle(fill), text: canvas.NewText(text, color.Black), sub: canvas.NewText(sub, color.Black), onTap: onTap}
	c.text.Alignment, c.sub.Alignment = fyne.TextAlignCenter, fyne.TextAlignCenter
	c.text.TextStyle.Bold = true
	c.sub.TextSize = c.text.TextSize * 0.85
	c.ExtendBaseWidget(c)
	return c
}

func (c *heatCell) Tapped(*fyne.PointEvent) {
	if c.onTap != nil {
		c.onTap()
	}
}

func (c *heatCell) MinSize() fyne.Size { return fyne.NewSize(72, 44) }

func (c *heatCell) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(c.bg, container.NewCenter(container.NewVBox(c.text, c.sub))))
}

// heatCellAt returns the heat map cell given → target (nil when the codes
// are not in the table), for tests and keyboard-free automation.
func (v *Sequential) heatCellAt(given, target string) *heatCell {
	lt := v.report.Lag
	i, j := indexOf(lt.Codes, given), indexOf(lt.Codes, target)
	if i < 0 || j < 0 {
		return nil
	}
	k := len(lt.Codes)
	// Row 0 and column 0 of the grid are the labels.
	return v.heat.Objects[(i+1)*(k+1)+j+1].(*heatCell)
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

func (v *Sequential) buildHeatMap() {
	lt := v.report.Lag
	k := len(lt.Codes)
	label := func(s string, bold bool) fyne.CanvasObject {
		// Not truncated: the grid's columns take the widest code.
		l := widget.NewLabel(s)
		l.TextStyle.Bold = bold
		return l
	}
	objs := []fyne.CanvasObject{label("given \\ target", false)}
	for _, c := range lt.Codes {
		objs = append(objs, label(c, true))
	}
	for i, g := range lt.Codes {
		objs = append(objs, label(g, true))
		for j := range k {
			cell := lt.Cells[i*k+j]
			idx := i*k + j
			if cell.Structural {
				objs = append(objs, newHeatCell(color.RGBA{R: 190, G: 190, B: 190, A: 255}, "—", "structural 0", nil))
				continue
			}
			objs = append(objs, newHeatCell(plot.ResidualColor(cell.AdjustedResidual), strconv.FormatInt(cell.Count, 10),
				"z "+cell.AdjustedResidual.Format(2), func() { v.Select(idx) }))
		}
	}
	v.heat.Layout = container.NewGridWithColumns(k + 1).Layout
	v.heat.Objects = objs
	v.heat.Refresh()
}

// Select lists the transitions of heat map cell idx (row-major in the
// lag table's cells).
func (v *Sequential) Select(idx int) {
	lt := v.report.Lag
	if idx < 0 || idx >= len(lt.Cells) {
		return
	}
	c := lt.Cells[idx]
	v.selected = idx
	v.listed = lt.Transitions(c.Given, c.Target)
	perm := ""
	if c.PermutationP.Valid {
		perm = fmt.Sprintf(" (permutation p %s)", c.PermutationP.Format(4))
	}
	v.cellInfo.SetText(fmt.Sprintf("%s → %s: %d transitions, expected %s, p(target | given) %s, adjusted residual %s, Yule's Q %s%s. Click one to go there.",
		c.Given, c.Target, c.Count, c.Expected.Format(2), c.Probability.Format(3), c.AdjustedResidual.Format(2), c.YulesQ.Format(3), perm))
	v.transitions.UnselectAll()
	v.transitions.Refresh()
}

// Listed is the transitions of the selected cell.
func (v *Sequential) Listed() []sequential.Transition { return v.listed }

// Jump goes to listed transition i: the given event's onset.
func (v *Sequential) Jump(i int) {
	if i < 0 || i >= len(v.listed) || v.seek == nil {
		return
	}
	v.seek(v.listed[i].Observation, v.listed[i].From)
}

// WindowCells is the 2×2 table as shown, rows given / not given.
func (v *Sequential) WindowCells() [2][2]string {
	var out [2][2]string
	if len(v.windowGrid.Objects) == 9 {
		for i := range 2 {
			for j := range 2 {
				out[i][j] = v.windowGrid.Objects[(i+1)*3+j+1].(*widget.Label).Text
			}
		}
	}
	return out
}

// WindowStats is the window analysis's statistics line.
func (v *Sequential) WindowStats() string { return v.windowStats.Text }

func (v *Sequential) buildWindow() {
	w := v.report.Window
	if w == nil {
		v.windowGrid.Objects = nil
		v.windowGrid.Refresh()
		v.windowStats.SetText("Choose a given and a target code for a time-window analysis.")
		return
	}
	l := func(s string, bold bool) fyne.CanvasObject {
		lb := widget.NewLabel(s)
		lb.TextStyle.Bold = bold
		return lb
	}
	i64 := func(n int64) fyne.CanvasObject { return l(strconv.FormatInt(n, 10), false) }
	v.windowGrid.Objects = []fyne.CanvasObject{
		l("", false), l(w.Target, true), l("not "+w.Target, true),
		l(fmt.Sprintf("within [%s, %s) s of %s", w.Lo.ShortSeconds(), w.Hi.ShortSeconds(), w.Given), true), i64(w.A), i64(w.B),
		l("not within", true), i64(w.C), i64(w.D),
	}
	v.windowGrid.Refresh()
	v.windowStats.SetText(fmt.Sprintf("%d units of %s s (%s: %s). Yule's Q %s, odds ratio %s, adjusted residual %s, P(%s | given) %s, P(%s | not given) %s.",
		w.Units, w.Unit.ShortSeconds(), w.Target, w.TargetKind, w.YulesQ.Format(3), w.OddsRatio.Format(3), w.AdjustedResidual.Format(2),
		w.Target, w.PTargetGiven.Format(3), w.Target, w.PTargetNotGiven.Format(3)))
}

func (v *Sequential) writeCSV(w io.Writer) error {
	if v.report == nil {
		return fmt.Errorf("nothing computed")
	}
	return v.report.CSV(w)
}

func (v *Sequential) writeHeatMap(w io.Writer, ext string) error {
	if v.report == nil {
		return fmt.Errorf("nothing computed")
	}
	f, err := plot.LagHeatMap(v.report.Lag, "")
	if err != nil {
		return err
	}
	return f.Write(w, ext)
}

func (v *Sequential) writeWindow(w io.Writer, ext string) error {
	if v.report == nil || v.report.Window == nil {
		return fmt.Errorf("no time-window analysis: choose a given and a target code and compute")
	}
	f, err := plot.WindowTable(v.report.Window, "")
	if err != nil {
		return err
	}
	return f.Write(w, ext)
}

// ExportCSV, SaveHeatMap and SaveWindow write the exports to path (the
// format from its extension), atomically; the save dialogs do the same.
func (v *Sequential) ExportCSV(path string) error { return writeFileAtomic(path, v.writeCSV) }

func (v *Sequential) SaveHeatMap(path string) error {
	return writeFileAtomic(path, func(w io.Writer) error { return v.writeHeatMap(w, extOf(path)) })
}

func (v *Sequential) SaveWindow(path string) error {
	return writeFileAtomic(path, func(w io.Writer) error { return v.writeWindow(w, extOf(path)) })
}

// SetWindow fills the time-window form (given, target, seconds) and
// computes, as a user would.
func (v *Sequential) SetWindow(given, target, lo, hi, unit string) {
	v.given.SetSelected(given)
	v.target.SetSelected(target)
	v.lo.SetText(lo)
	v.hi.SetText(hi)
	v.unit.SetText(unit)
	v.Compute()
}
