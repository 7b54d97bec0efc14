package review

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"dyadcode/annotate"
	"dyadcode/annotate/metrics"
	"dyadcode/annotate/report"
)

// TestMetricsTableShowsCompute checks, for both demo codings, that every
// behaviour's count in every episode column reads what metrics.Compute
// gives, and that a censored latency reads "censored", not 0.
func TestMetricsTableShowsCompute(t *testing.T) {
	newTestApp(t)
	s, obs := demo(t)
	for _, o := range obs {
		t.Run(o.Coder, func(t *testing.T) {
			v := NewMetricsView(nil, s, o, demoEnd)
			w := test.NewWindow(v)
			defer w.Close()
			want, err := metrics.Compute(o, s, demoEnd)
			if err != nil {
				t.Fatal(err)
			}
			_, cols := v.table.Length()
			if cols != 1+len(want) {
				t.Fatalf("%d columns, want measure + %d rows", cols, len(want))
			}
			for c, r := range want {
				head := tableHeader(v.table, c+1)
				if r.Session && head != "session" || !r.Session && head != r.Episode {
					t.Errorf("column %d header %q, want %q", c+1, head, r.Episode)
				}
			}
			checked, censored := 0, 0
			nrows, _ := v.table.Length()
			for row := range nrows {
				line := v.lines[row]
				if line.column == "" {
					continue
				}
				for c, r := range want {
					wv, ok := r.Get(line.column)
					if !ok {
						t.Fatalf("Compute has no column %s", line.column)
					}
					got := tableText(v.table, row, c+1)
					if strings.HasSuffix(line.column, "_count") {
						if got != wv.String() {
							t.Errorf("%s in %s reads %q, Compute gives %s", line.column, r.Episode, got, wv.String())
						}
						checked++
					}
					if wv.Censored {
						censored++
						if got != "censored" {
							t.Errorf("%s in %s is censored but reads %q", line.column, r.Episode, got)
						}
					}
				}
			}
			if checked == 0 || censored == 0 {
				t.Errorf("checked %d counts and %d censored cells; the demo has both", checked, censored)
			}
			// A hand-computed anchor: alice and ben each coded 3
			// check-backs, all in episodes 2 and 3.
			found := false
			for r := range nrows {
				if v.lines[r].column == "check_back_count" {
					found = true
					if got := tableText(v.table, r, len(want)); got != "3" {
						t.Errorf("session check_back count reads %q, want 3", got)
					}
				}
			}
			if !found {
				t.Error("no check_back_count row")
			}
		})
	}
}

// TestMetricsFollowEdits recomputes after an edit through the editor.
func TestMetricsFollowEdits(t *testing.T) {
	newTestApp(t)
	s, obs := demo(t)
	o := obs[0]
	v := NewMetricsView(nil, s, o, demoEnd)
	count := func() string {
		for r, l := range v.lines {
			if l.column == "smile_count" {
				return tableText(v.table, r, len(v.rows))
			}
		}
		return "(no row)"
	}
	before := count()
	ed := annotate.NewEditor(o, s, nil, nil, nil)
	if _, err := ed.Tag("smile", 40*annotate.Second); err != nil {
		t.Fatal(err)
	}
	v.Recompute()
	if after := count(); after == before {
		t.Errorf("smile count still %s after adding one", after)
	}
	// An event after the video's end is an error Compute reports; it is
	// shown, not panicked on.
	v.SetObservation(o, 30*annotate.Second)
	if !v.problem.Visible() || !strings.Contains(v.problem.Text, "after the end") {
		t.Errorf("problem %q (visible %v)", v.problem.Text, v.problem.Visible())
	}
}

// TestMetricsSave writes the event plot (PNG and SVG) and the HTML report
// through the path-taking saves the dialogs use.
func TestMetricsSave(t *testing.T) {
	newTestApp(t)
	s, obs := demo(t)
	v := NewMetricsView(nil, s, obs[1], demoEnd)
	v.SetVideoName("session.mp4")
	dir := t.TempDir()

	png := filepath.Join(dir, "plot.png")
	if err := v.SavePlot(png); err != nil {
		t.Fatal(err)
	}
	if b := decodePNG(t, png).Bounds(); b.Dx() < 600 || b.Dy() < 200 {
		t.Errorf("event plot is only %v", b)
	}
	svg := filepath.Join(dir, "plot.svg")
	if err := v.SavePlot(svg); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(svg); !bytes.Contains(data, []byte("<svg")) {
		t.Error("the SVG plot has no <svg")
	}
	csvPath := filepath.Join(dir, "metrics.csv")
	if err := v.SaveCSV(csvPath); err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := metrics.WriteWide(&want, v.Rows()); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(csvPath); !bytes.Equal(got, want.Bytes()) || !bytes.HasPrefix(got, []byte(strings.Join(metrics.WideHeader, ","))) {
		t.Errorf("metrics CSV differs from metrics.WriteWide's:\n%.300s", got)
	}
	if n := bytes.Count(want.Bytes(), []byte("\n")); n != 1+len(v.Rows()) {
		t.Errorf("%d CSV lines for %d rows", n, len(v.Rows()))
	}
	html := filepath.Join(dir, "report.html")
	if err := v.SaveReport(html); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(html)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<html", "ben", "session.mp4", "data:image/png;base64,", "check_back"} {
		if !bytes.Contains(data, []byte(want)) {
			t.Errorf("report lacks %q", want)
		}
	}

	// With the app's project-wide input the report compares the coders.
	v.ReportInput = func() (report.Input, error) {
		return report.Input{Title: "demo", Scheme: s, Agreement: report.Agreement, Observations: []report.Observation{
			{Obs: obs[0], Video: "session.mp4", End: demoEnd}, {Obs: obs[1], Video: "session.mp4", End: demoEnd}}}, nil
	}
	if err := v.SaveReport(html); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(html); !bytes.Contains(data, []byte("alice")) || !bytes.Contains(data, []byte("κ")) {
		t.Error("the project report lacks the other coder or the agreement")
	}

	for _, c := range []struct {
		name string
		err  error
		is   error
	}{
		{"plot as gif", v.SavePlot(filepath.Join(dir, "p.gif")), ErrFormat},
		{"report as txt", v.SaveReport(filepath.Join(dir, "r.txt")), ErrFormat},
		{"CSV as xlsx", v.SaveCSV(filepath.Join(dir, "m.xlsx")), ErrFormat},
		{"plot into a missing directory", v.SavePlot(filepath.Join(dir, "no", "p.png")), os.ErrNotExist},
		{"plot without a scheme", NewMetricsView(nil, nil, obs[0], demoEnd).SavePlot(filepath.Join(dir, "q.png")), ErrNoScheme},
	} {
		if !errors.Is(c.err, c.is) {
			t.Errorf("%s: error %v, want %v", c.name, c.err, c.is)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "q.png")); !os.IsNotExist(err) {
		t.Error("a failed save left a file behind")
	}
}

// TestMetricsScreenshot renders the view for a person to look at.
func TestMetricsScreenshot(t *testing.T) {
	newTestApp(t)
	s, obs := demo(t)
	v := NewMetricsView(nil, s, obs[0], demoEnd)
	v.SetVideoName("session.mp4")
	w := test.NewWindow(v)
	defer w.Close()
	w.Resize(fyne.NewSize(1366, 768))
	decodePNG(t, capture(t, w, shotDir(t), "metrics-view.png"))
}

// TestMetricsShowAll adds the behaviours nobody coded, which are left
// out by default (a block of zeros says nothing).
func TestMetricsShowAll(t *testing.T) {
	newTestApp(t)
	s, obs := demo(t)
	// The demo codes every behaviour of the scheme; add one it does not.
	s.Behaviors = append(s.Behaviors, annotate.Behavior{Code: "hides", Name: "Hides", Subject: "child", Kind: annotate.State})
	v := NewMetricsView(nil, s, obs[0], demoEnd)
	heads := func() map[string]bool {
		m := map[string]bool{}
		for _, l := range v.lines {
			if l.column == "" {
				m[l.label] = true
			}
		}
		return m
	}
	coded := map[string]bool{}
	for _, e := range obs[0].Events {
		coded[e.Behavior] = true
	}
	var never []annotate.Behavior
	for _, b := range s.Behaviors {
		if !coded[b.Code] {
			never = append(never, b)
		}
	}
	if len(never) == 0 {
		t.Fatal("the demo codes every behaviour; nothing to show")
	}
	label := func(b annotate.Behavior) string { return b.Code + " — " + b.Name }
	if heads()[label(never[0])] {
		t.Errorf("%s shown by default", never[0].Code)
	}
	test.Tap(v.showAll)
	h := heads()
	for _, b := range s.Behaviors {
		if !h[label(b)] {
			t.Errorf("%s missing with all shown", b.Code)
		}
	}
}
