package review

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dyadcode/annotate"
	"dyadcode/annotate/metrics"
	"dyadcode/annotate/plot"
	"dyadcode/annotate/report"
	"dyadcode/annotate/sequential"
)

// Metrics shows the measures of one observation per episode
// (metrics.Compute) and saves its event plot and HTML report.
type Metrics struct {
	widget.BaseWidget

	win    fyne.Window
	scheme *annotate.Scheme
	obs    *annotate.Observation
	end    annotate.Time
	video  string

	// ReportInput, when set, supplies what Save report writes (the app
	// passes the whole project's observations, so agreement sections
	// appear); nil writes a report of this observation alone.
	ReportInput func() (report.Input, error)

	table     *widget.Table
	problem   *widget.Label
	caption   *widget.Label
	showAll   *widget.Check
	plotBtn   *widget.Button
	csvBtn    *widget.Button
	reportBtn *widget.Button
	content   fyne.CanvasObject

	rows []metrics.Row
	// lines are the table's rows: a measure column of the rows, or a
	// heading (column == "").
	lines []metricLine
}

type metricLine struct {
	label, column string
}

// NewMetricsView builds the metrics view of o; end is the video's
// duration (0: the latest time coded). Call Recompute after o changes.
func NewMetricsView(win fyne.Window, s *annotate.Scheme, o *annotate.Observation, end annotate.Time) *Metrics {
	m := &Metrics{win: win, scheme: s, obs: o, end: end}
	m.ExtendBaseWidget(m)
	m.problem = widget.NewLabel("")
	m.problem.Importance = widget.DangerImportance
	m.problem.Wrapping = fyne.TextWrapWord
	m.problem.Hide()
	m.caption = widget.NewLabel("")
	m.caption.TextStyle.Bold = true
	m.caption.Truncation = fyne.TextTruncateEllipsis
	m.showAll = widget.NewCheck("Show behaviours never coded", func(bool) { m.layoutLines(); m.table.Refresh() })

	m.table = widget.NewTableWithHeaders(
		func() (int, int) { return len(m.lines), 1 + len(m.rows) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			// Style first: SetText refreshes a recycled cell once.
			l.TextStyle.Bold = id.Row < len(m.lines) && m.lines[id.Row].column == ""
			l.Alignment = fyne.TextAlignTrailing
			if id.Col == 0 {
				l.Alignment = fyne.TextAlignLeading
			}
			l.SetText(m.cell(id.Row, id.Col))
		})
	m.table.ShowHeaderColumn = false
	m.table.StickyColumnCount = 1
	m.table.CreateHeader = func() fyne.CanvasObject {
		l := widget.NewLabel("")
		l.TextStyle.Bold = true
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}
	m.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		l := o.(*widget.Label)
		l.Alignment = fyne.TextAlignTrailing // over right-aligned numbers
		if id.Col == 0 {
			l.Alignment = fyne.TextAlignLeading
		}
		l.SetText(m.header(id.Col))
	}
	m.table.OnSelected = func(widget.TableCellID) { m.table.UnselectAll() }

	m.plotBtn = widget.NewButton("Save plot…", func() {
		saveDialog(m.win, "Save event plot", m.baseName()+".png", []string{"png", "svg"},
			func(w io.Writer, ext string) error { return m.writePlot(w, ext) })
	})
	m.reportBtn = widget.NewButton("Save report…", func() {
		saveDialog(m.win, "Save HTML report", m.baseName()+".html", []string{"html"}, m.writeReport)
	})
	m.csvBtn = widget.NewButton("Save CSV…", func() {
		saveDialog(m.win, "Save metrics CSV", m.baseName()+"-metrics.csv", []string{"csv"},
			func(w io.Writer, _ string) error { return m.writeCSV(w) })
	})
	copyBtn := widget.NewButton("Copy table", func() { copyText(m.TableText()) })
	bar := container.NewHBox(m.csvBtn, m.plotBtn, m.reportBtn, copyBtn, widget.NewSeparator(), m.showAll)
	m.content = container.NewBorder(container.NewVBox(bar, m.caption, m.problem), nil, nil, nil, m.table)
	m.Recompute()
	return m
}

// CreateRenderer implements fyne.Widget.
func (m *Metrics) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(m.content)
}

// SetVideoName names the video in titles and suggested file names.
func (m *Metrics) SetVideoName(name string) {
	m.video = name
	m.Recompute()
}

// SetObservation shows another observation (or the same after edits).
func (m *Metrics) SetObservation(o *annotate.Observation, end annotate.Time) {
	m.obs, m.end = o, end
	m.Recompute()
}

// Recompute recomputes the metrics from the observation as it is now;
// the app calls it after edits.
func (m *Metrics) Recompute() {
	if m.table == nil { // during construction
		return
	}
	m.rows = nil
	problem := ""
	switch {
	case m.scheme == nil:
		problem = fmt.Sprintf("metrics: %v", ErrNoScheme)
	case m.obs == nil:
		problem = "metrics: no observation"
	default:
		rows, err := metrics.Compute(m.obs, m.scheme, m.endOf())
		if err != nil {
			problem = fmt.Sprintf("metrics: %v", err)
		}
		m.rows = rows
	}
	setProblem(m.problem, m.content, problem)
	m.caption.SetText(m.title())
	m.layoutLines()
	m.table.SetColumnWidth(0, 236)
	for c := 1; c <= len(m.rows); c++ {
		m.table.SetColumnWidth(c, 122)
	}
	m.table.Refresh()
}

// endOf is the video's end, or the latest coded time when unknown.
func (m *Metrics) endOf() annotate.Time {
	if m.end > 0 {
		return m.end
	}
	return m.obs.LastTime()
}

func (m *Metrics) title() string {
	if m.obs == nil {
		return ""
	}
	t := fmt.Sprintf("Observation %s by %s", m.obs.ID, m.obs.Coder)
	if m.video != "" {
		t = m.video + " — " + t
	}
	if m.end <= 0 {
		t += " (video duration unknown: the last coded time is the end)"
	}
	return t
}

// baseName suggests a file name: video and coder.
func (m *Metrics) baseName() string {
	parts := []string{}
	if m.video != "" {
		parts = append(parts, strings.TrimSuffix(filepath.Base(m.video), filepath.Ext(m.video)))
	}
	if m.obs != nil {
		parts = append(parts, m.obs.Coder)
	}
	name := strings.Join(parts, "-")
	if name == "" {
		name = "observation"
	}
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>| `, r) {
			return '_'
		}
		return r
	}, name)
}

// layoutLines orders the table like the HTML report: the derived
// measures the lab reports, the ratings, then each behaviour's basic
// measures (only behaviours coded somewhere unless "show all" is on).
func (m *Metrics) layoutLines() {
	m.lines = nil
	if len(m.rows) == 0 {
		return
	}
	ms, _ := metrics.ParseMeasures(m.scheme) // Compute succeeded, so they parse
	if len(ms) > 0 {
		m.lines = append(m.lines, metricLine{label: "Measures"})
	}
	for _, ms := range ms {
		for _, col := range ms.Columns() {
			if strings.HasSuffix(col, "_first_censored") {
				continue // shown as "censored" in the _first_s cell
			}
			m.lines = append(m.lines, metricLine{label: col, column: col})
		}
	}
	if len(m.scheme.Ratings) > 0 {
		m.lines = append(m.lines, metricLine{label: "Ratings"})
		for _, r := range m.scheme.Ratings {
			m.lines = append(m.lines, metricLine{label: r.Name, column: "rating_" + r.Code})
		}
	}
	session := m.rows[len(m.rows)-1]
	for _, b := range m.scheme.Behaviors {
		if v, _ := session.Get(b.Code + "_count"); v.Int == 0 && !m.showAll.Checked {
			continue // never coded: a block of zeros says nothing
		}
		head := b.Code
		if b.Name != "" {
			head += " — " + b.Name
		}
		m.lines = append(m.lines, metricLine{label: head})
		for _, v := range session.Values {
			suffix, ok := strings.CutPrefix(v.Column, b.Code+"_")
			if ok && slices.Contains(behaviorSuffixes, suffix) {
				m.lines = append(m.lines, metricLine{label: "  " + suffix, column: v.Column})
			}
		}
	}
}

// behaviorSuffixes are a behaviour's basic columns shown (the latency
// censored flag shows as "censored" in the latency cell). Matching the
// suffix guards against one code being a prefix of another.
var behaviorSuffixes = []string{"count", "rate_per_min", "total_s", "mean_s", "pct", "latency_s"}

func (m *Metrics) header(col int) string {
	if col == 0 {
		return "measure"
	}
	if col-1 < len(m.rows) && col >= 1 {
		r := m.rows[col-1]
		if r.Session {
			return "session"
		}
		return r.Episode
	}
	return ""
}

// cell is the text at (row, col): the measure name in column 0, else the
// value in that episode: "–" when missing, "censored" when what it waits
// for never happened, ratios with two decimals.
func (m *Metrics) cell(row, col int) string {
	if row < 0 || row >= len(m.lines) {
		return ""
	}
	line := m.lines[row]
	if col == 0 {
		return line.label
	}
	if line.column == "" || col-1 >= len(m.rows) {
		return ""
	}
	v, ok := m.rows[col-1].Get(line.column)
	if !ok {
		return ""
	}
	return formatMetric(v)
}

func formatMetric(v metrics.Value) string {
	switch {
	case v.Censored:
		return "censored"
	case v.Missing:
		return "–"
	case v.Kind == metrics.Ratio:
		return strings.TrimSuffix(strings.TrimRight(strconv.FormatFloat(v.Float, 'f', 2, 64), "0"), ".")
	}
	return v.String()
}

// TableText is the table as shown, tab-separated (what Copy table puts
// on the clipboard): a measure per line, an episode per column.
func (m *Metrics) TableText() string {
	if len(m.rows) == 0 {
		return ""
	}
	head := make([]string, 1+len(m.rows))
	for c := range head {
		head[c] = m.header(c)
	}
	rows := make([][]string, len(m.lines))
	for r := range m.lines {
		rows[r] = make([]string, len(head))
		for c := range head {
			rows[r][c] = strings.TrimSpace(m.cell(r, c))
		}
	}
	return tsv(head, rows)
}

// Rows are the metrics shown, as metrics.Compute returned them.
func (m *Metrics) Rows() []metrics.Row { return m.rows }

// SaveCSV writes the metrics shown as the wide CSV of `dyadcode metrics`
// (metrics.WriteWide: one line per episode and the session, one column per
// measure), which R, SPSS and pandas open as is.
func (m *Metrics) SaveCSV(path string) error {
	if ext := extOf(path); ext != "csv" {
		return fmt.Errorf("%s: %w: use .csv", path, ErrFormat)
	}
	return writeFileAtomic(path, m.writeCSV)
}

func (m *Metrics) writeCSV(w io.Writer) error {
	if len(m.rows) == 0 {
		return fmt.Errorf("no metrics to save")
	}
	return metrics.WriteWide(w, m.rows)
}

// SavePlot writes the observation's event plot to path, PNG or SVG by
// its extension.
func (m *Metrics) SavePlot(path string) error {
	ext := extOf(path)
	if ext != "png" && ext != "svg" {
		return fmt.Errorf("%s: %w: use .png or .svg", path, ErrFormat)
	}
	return writeFileAtomic(path, func(w io.Writer) error { return m.writePlot(w, ext) })
}

func (m *Metrics) writePlot(w io.Writer, ext string) error {
	if m.scheme == nil {
		return fmt.Errorf("event plot: %w", ErrNoScheme)
	}
	if m.obs == nil {
		return fmt.Errorf("event plot: no observation")
	}
	f, err := plot.Events(m.obs, m.scheme, m.endOf(), m.title())
	if err != nil {
		return err
	}
	return f.Write(w, ext)
}

// SaveReport writes the self-contained HTML report (annotate/report) to
// path: ReportInput's when set, else this observation's.
func (m *Metrics) SaveReport(path string) error {
	if ext := extOf(path); ext != "html" && ext != "htm" {
		return fmt.Errorf("%s: %w: use .html", path, ErrFormat)
	}
	return writeFileAtomic(path, func(w io.Writer) error { return m.writeReport(w, "html") })
}

func (m *Metrics) writeReport(w io.Writer, _ string) error {
	var in report.Input
	if m.ReportInput != nil {
		var err error
		if in, err = m.ReportInput(); err != nil {
			return fmt.Errorf("report: %w", err)
		}
	} else {
		if m.obs == nil {
			return fmt.Errorf("report: no observation")
		}
		video := m.video
		if video == "" {
			video = "video " + m.obs.Video
		}
		in = report.Input{
			Title:        m.title(),
			Scheme:       m.scheme,
			Observations: []report.Observation{{Obs: m.obs, Video: video, End: m.end}},
			Sequential:   &sequential.Options{},
		}
	}
	return report.Write(w, in)
}
