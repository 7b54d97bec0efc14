package review

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dyadcode/annotate"
	"dyadcode/annotate/agreement"
)

func sec(s string) annotate.Time { return annotate.MustSeconds(s) }

// TestAgreementTableShowsCompare types slice widths and tolerances into
// the view and checks every cell of the statistics table against what
// agreement.Compare computes for the same input.
func TestAgreementTableShowsCompare(t *testing.T) {
	newTestApp(t)
	s, obs := demo(t)
	v := NewAgreementView(nil, s, obs, demoEnd, nil)
	w := test.NewWindow(v)
	defer w.Close()
	w.Resize(fyne.NewSize(1366, 768))

	cases := []struct {
		slice, tol string
		opt        agreement.Options
	}{
		{"0.1", "0.5", agreement.Options{}},
		{"0.5", "1", agreement.Options{Slice: sec("0.5"), Tolerance: sec("1")}},
		{"0.04", "0", agreement.Options{Slice: sec("0.04"), Tolerance: agreement.ExactOnsets}},
		{"1", "0.05", agreement.Options{Slice: sec("1"), Tolerance: sec("0.05")}},
	}
	for _, c := range cases {
		t.Run(c.slice+"/"+c.tol, func(t *testing.T) {
			v.sliceEntry.SetText(c.slice)
			v.tolEntry.SetText(c.tol)
			test.Tap(v.computeBtn)
			if v.problem.Visible() {
				t.Fatalf("problem shown: %s", v.problem.Text)
			}
			c.opt.End = demoEnd
			want, err := agreement.Compare(obs, nil, s, c.opt)
			if err != nil {
				t.Fatal(err)
			}
			if got := tableText(v.stats, 0, 2); got != fmtValue(want.Slice.Kappa, 3) {
				t.Errorf("overall κ cell %q, Compare gives %v", got, want.Slice.Kappa)
			}
			if !strings.Contains(v.summary.Text, "κ "+fmtValue(want.Slice.Kappa, 3)) {
				t.Errorf("summary %q lacks κ %s", v.summary.Text, fmtValue(want.Slice.Kappa, 3))
			}
			if rows, _ := v.stats.Length(); rows != 1+len(want.Behaviors) {
				t.Errorf("%d table rows, want overall + %d behaviours", rows, len(want.Behaviors))
			}
			head := map[string]int{}
			_, cols := v.stats.Length()
			for c := range cols {
				head[tableHeader(v.stats, c)] = c
			}
			for _, id := range want.Behaviors {
				row := findRow(v.stats, id)
				if row < 0 {
					t.Errorf("no row for %s", id)
					continue
				}
				b, e := want.PerBehavior[id], want.Events.PerBehavior[id]
				for col, wantText := range map[string]string{
					"κ": fmtValue(b.Kappa, 3), "agree %": fmtValue(b.Percent, 1), "pos. agr.": fmtValue(b.Positive, 3),
					"PABAK": fmtValue(b.PABAK, 3), "matched": itoa(e.Agreements), "omitted": itoa(e.Omissions),
					"added": itoa(e.Commissions), "F1": fmtValue(e.F1, 3), "A events": itoa(e.NA), "B events": itoa(e.NB),
					"mean |Δ| s": fmtValue(e.MeanAbsDiff, 3),
				} {
					if got := tableText(v.stats, row, head[col]); got != wantText {
						t.Errorf("%s %s: cell %q, Compare gives %q", id, col, got, wantText)
					}
				}
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestAgreementBadEntries shows a problem and keeps the last good result.
func TestAgreementBadEntries(t *testing.T) {
	newTestApp(t)
	s, obs := demo(t)
	v := NewAgreementView(nil, s, obs, demoEnd, nil)
	before := v.Report()
	for _, c := range []struct{ slice, tol, want string }{
		{"abc", "0.5", "slice width"},
		{"0", "0.5", "above 0"},
		{"0.1", "-1", "tolerance"},
		{"0.0000001", "0.5", "slice width"},
		{"0.000001", "0.5", "slices"}, // 60 million slices: Compare refuses
	} {
		v.sliceEntry.SetText(c.slice)
		v.tolEntry.SetText(c.tol)
		test.Tap(v.computeBtn)
		if !v.problem.Visible() || !strings.Contains(v.problem.Text, c.want) {
			t.Errorf("slice %q tol %q: problem %q (visible %v), want it to mention %q", c.slice, c.tol, v.problem.Text, v.problem.Visible(), c.want)
		}
		if v.Report() != before {
			t.Errorf("slice %q tol %q: the report changed on bad input", c.slice, c.tol)
		}
	}
}

// TestDemoFirstDisagreement pins one hand-computed case: alice starts
// child:calm at 0.5 s, ben at 0.66 s, so at w = 0.1 s slices 5 and 6
// (midpoints 0.55, 0.65) are calm for alice only: [0.5, 0.7).
func TestDemoFirstDisagreement(t *testing.T) {
	newTestApp(t)
	s, obs := demo(t)
	v := NewAgreementView(nil, s, obs, demoEnd, nil)
	d := v.Disagreements()[0]
	want := agreement.Disagreement{Kind: agreement.SliceDisagreement, Start: sec("0.5"), End: sec("0.7"), Behaviors: []string{"child:calm"}, Have: []string{"child:calm", "none"}}
	if d.Kind != want.Kind || d.Start != want.Start || d.End != want.End || !slices.Equal(d.Behaviors, want.Behaviors) || !slices.Equal(d.Have, want.Have) {
		t.Errorf("first disagreement %+v, want %+v", d, want)
	}
	if got := tableText(v.list, 0, 3); got != "child:calm" {
		t.Errorf("alice's cell reads %q", got)
	}
	// Both coders left calm running at the end: Compare warns twice.
	if w := v.Report().Warnings; len(w) != 2 || v.warnTab.Text != "Warnings (2)" || !strings.Contains(v.warnings.Text, w[1]) {
		t.Errorf("warnings tab %q shows %q for %q", v.warnTab.Text, v.warnings.Text, w)
	}
}

// TestSelectDisagreementSeeks clicks rows of the disagreement list and
// checks the video is asked to seek to each one's time.
func TestSelectDisagreementSeeks(t *testing.T) {
	newTestApp(t)
	s, obs := demo(t)
	var seeks []annotate.Time
	v := NewAgreementView(nil, s, obs, demoEnd, func(t annotate.Time) { seeks = append(seeks, t) })
	w := test.NewWindow(v)
	defer w.Close()
	w.Resize(fyne.NewSize(1366, 768))
	ds := v.Disagreements()
	if len(ds) < 3 {
		t.Fatalf("only %d disagreements in the demo", len(ds))
	}
	kinds := map[agreement.DisagreementKind]int{}
	for i, d := range ds {
		if _, ok := kinds[d.Kind]; !ok {
			kinds[d.Kind] = i
		}
	}
	for _, k := range []agreement.DisagreementKind{agreement.SliceDisagreement, agreement.Omission, agreement.Commission} {
		if _, ok := kinds[k]; !ok {
			t.Errorf("the demo has no %v disagreement", k)
		}
	}
	rows := []int{0, len(ds) / 2, len(ds) - 1, kinds[agreement.Omission], kinds[agreement.Commission]}
	for _, row := range rows {
		seeks = nil
		v.SelectDisagreement(row)
		if len(seeks) != 1 || seeks[0] != ds[row].Start {
			t.Errorf("row %d (%v at %v): seeks %v, want [%v]", row, ds[row].Kind, ds[row].Start, seeks, ds[row].Start)
		}
		if got := tableText(v.list, row, 0); !strings.HasPrefix(got, ds[row].Start.Clock()) {
			t.Errorf("row %d time cell %q, want it to start %s", row, got, ds[row].Start.Clock())
		}
		if v.Current() != row {
			t.Errorf("current %d after selecting row %d", v.Current(), row)
		}
	}

	// A second click on the same row seeks again: the supervisor has
	// played on and wants to see the spot once more.
	seeks = nil
	v.SelectDisagreement(2)
	v.SelectDisagreement(2)
	if len(seeks) != 2 || seeks[0] != ds[2].Start || seeks[1] != ds[2].Start {
		t.Errorf("two clicks on row 2 seek %v", seeks)
	}
	// Walking with next and previous.
	seeks = nil
	if !v.NextDisagreement() || !v.NextDisagreement() || !v.PreviousDisagreement() {
		t.Fatal("next/previous refused in the middle of the list")
	}
	if want := []annotate.Time{ds[3].Start, ds[4].Start, ds[3].Start}; !slices.Equal(seeks, want) {
		t.Errorf("next, next, previous seek %v, want %v", seeks, want)
	}
	v.SelectDisagreement(len(ds) - 1)
	if v.NextDisagreement() {
		t.Error("next past the last disagreement")
	}
	v.SelectDisagreement(0)
	if v.PreviousDisagreement() {
		t.Error("previous before the first disagreement")
	}
	// A recompute starts the walk over.
	if err := v.SetOptions(sec("0.2"), sec("0.5")); err != nil {
		t.Fatal(err)
	}
	seeks = nil
	if v.Current() != -1 || !v.NextDisagreement() || seeks[0] != v.Disagreements()[0].Start {
		t.Errorf("after recompute: current %d, seeks %v", v.Current(), seeks)
	}
}

// TestAgreementExport writes the CSV and the comparison PNG (and SVG)
// through the path-taking exports the file dialogs use.
func TestAgreementExport(t *testing.T) {
	newTestApp(t)
	s, obs := demo(t)
	v := NewAgreementView(nil, s, obs, demoEnd, nil)
	dir := t.TempDir()

	csvPath := filepath.Join(dir, "agreement.csv")
	if err := v.ExportCSV(csvPath); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatalf("%s: %v", csvPath, err)
	}
	if !slices.Equal(recs[0], agreement.CSVHeader) {
		t.Errorf("header %v, want %v", recs[0], agreement.CSVHeader)
	}
	r := v.Report()
	if want := 1 + len(r.Behaviors)*(1+len(r.Episodes)); len(recs) != want {
		t.Errorf("%d CSV lines, want header + %d behaviours × (session + %d episodes) = %d", len(recs), len(r.Behaviors), len(r.Episodes), want)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	found := 0
	for _, rec := range recs[1:] {
		if rec[col["scope"]] != "session" {
			continue
		}
		id := rec[col["behavior"]]
		b, e := r.PerBehavior[id], r.Events.PerBehavior[id]
		if b == nil {
			t.Errorf("CSV behaviour %q is not in the report", id)
			continue
		}
		found++
		if got, want := rec[col["n10"]], strconv.FormatInt(b.N10, 10); got != want {
			t.Errorf("%s n10 %s, want %s", id, got, want)
		}
		if got := rec[col["agreements"]]; got != itoa(e.Agreements) {
			t.Errorf("%s agreements %s, want %d", id, got, e.Agreements)
		}
		if b.Kappa.Valid {
			k, err := strconv.ParseFloat(rec[col["kappa"]], 64)
			if err != nil || k-b.Kappa.V > 1e-6 || b.Kappa.V-k > 1e-6 {
				t.Errorf("%s kappa %q, want %v", id, rec[col["kappa"]], b.Kappa.V)
			}
		} else if rec[col["kappa"]] != "NA" {
			t.Errorf("%s kappa %q, want NA", id, rec[col["kappa"]])
		}
	}
	if found != len(r.Behaviors) {
		t.Errorf("%d session rows, want %d", found, len(r.Behaviors))
	}

	pngPath := filepath.Join(dir, "comparison.png")
	if err := v.ExportPlot(pngPath); err != nil {
		t.Fatal(err)
	}
	img := decodePNG(t, pngPath)
	if b := img.Bounds(); b.Dx() < 600 || b.Dy() < 300 {
		t.Errorf("comparison PNG is only %v", b)
	}
	shot := filepath.Join(shotDir(t), "disagreements.png")
	if err := v.ExportTimeline(shot); err != nil {
		t.Fatal(err)
	}
	if b := decodePNG(t, shot).Bounds(); b.Dx() != 3200 || b.Dy() < 2*2*len(r.Behaviors)*12 {
		t.Errorf("timeline PNG is %v, want 3200 wide and every lane", b)
	}
	if err := v.ExportTimeline(filepath.Join(dir, "t.svg")); !errors.Is(err, ErrFormat) {
		t.Errorf("timeline as SVG: %v", err)
	}
	svgPath := filepath.Join(dir, "comparison.svg")
	if err := v.ExportPlot(svgPath); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(svgPath); !bytes.Contains(data, []byte("<svg")) {
		t.Errorf("%s is not SVG", svgPath)
	}

	for _, c := range []struct {
		name string
		do   func() error
		is   error
	}{
		{"plot as jpg", func() error { return v.ExportPlot(filepath.Join(dir, "x.jpg")) }, ErrFormat},
		{"CSV into a missing directory", func() error { return v.ExportCSV(filepath.Join(dir, "missing", "a.csv")) }, os.ErrNotExist},
		{"plot without a scheme", func() error {
			return NewAgreementView(nil, nil, obs, demoEnd, nil).ExportPlot(filepath.Join(dir, "n.png"))
		}, ErrNoScheme},
	} {
		err := c.do()
		if !errors.Is(err, c.is) {
			t.Errorf("%s: error %v, want %v", c.name, err, c.is)
		}
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".*tmp"))
	if len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

// TestAgreementScreenshot renders the view at 1366×768 with the test
// driver and writes it as PNG (to $REVIEW_SHOTS when set, for a person to
// look at; docs/agreement-view.png is such a capture).
func TestAgreementScreenshot(t *testing.T) {
	newTestApp(t)
	s, obs := demo(t)
	v := NewAgreementView(nil, s, obs, demoEnd, nil)
	w := test.NewWindow(v)
	defer w.Close()
	w.Resize(fyne.NewSize(1366, 768))
	dir := shotDir(t)
	decodePNG(t, capture(t, w, dir, "agreement-table.png"))
	v.sliceEntry.SetText("x")
	test.Tap(v.computeBtn)
	decodePNG(t, capture(t, w, dir, "agreement-problem.png"))
	v.sliceEntry.SetText("0.1")
	test.Tap(v.computeBtn)
	v.SelectDisagreement(0)
	img := decodePNG(t, capture(t, w, dir, "agreement-view.png"))
	if b := img.Bounds(); b.Dx() < 1366 || b.Dy() < 768 {
		t.Errorf("capture is %v, want at least 1366×768", b)
	}
}

// TestAgreementEdgeInputs: one observation cannot be compared (the
// reason is shown, exports refuse, nothing panics); three coders add the
// Fleiss κ column with Compare's values.
func TestAgreementEdgeInputs(t *testing.T) {
	newTestApp(t)
	s, obs := demo(t)

	one := NewAgreementView(nil, s, obs[:1], demoEnd, nil)
	w := test.NewWindow(one)
	w.Resize(fyne.NewSize(1000, 700))
	if !one.problem.Visible() || !strings.Contains(one.problem.Text, "coder") {
		t.Errorf("one observation: problem %q (visible %v)", one.problem.Text, one.problem.Visible())
	}
	if err := one.ExportCSV(filepath.Join(t.TempDir(), "a.csv")); err == nil {
		t.Error("exported a CSV with nothing compared")
	}
	w.Close()

	three := []*annotate.Observation{obs[0], obs[1], obs[0]}
	v := NewAgreementView(nil, s, three, demoEnd, nil)
	want, err := agreement.Compare(three, nil, s, agreement.Options{End: demoEnd})
	if err != nil {
		t.Fatal(err)
	}
	_, cols := v.stats.Length()
	if got := tableHeader(v.stats, cols-1); got != "Fleiss κ" {
		t.Fatalf("last column %q, want Fleiss κ", got)
	}
	if got := tableText(v.stats, 0, cols-1); got != fmtValue(want.Fleiss.SliceComposite.Kappa, 3) {
		t.Errorf("overall Fleiss κ %q, Compare gives %v", got, want.Fleiss.SliceComposite.Kappa)
	}
	for _, id := range want.Behaviors {
		if got := tableText(v.stats, findRow(v.stats, id), cols-1); got != fmtValue(want.Fleiss.PerBehavior[id].Kappa, 3) {
			t.Errorf("%s Fleiss κ %q, Compare gives %v", id, got, want.Fleiss.PerBehavior[id].Kappa)
		}
	}
	if got := tableHeader(v.list, 5); got != "alice (obs 1)" {
		t.Errorf("third coder column %q", got)
	}

	// The same coder twice (test–retest) gets told apart by observation.
	again := *obs[0]
	again.ID = "9"
	v = NewAgreementView(nil, s, []*annotate.Observation{obs[0], &again}, demoEnd, nil)
	if a, b := tableHeader(v.list, 3), tableHeader(v.list, 4); a != "alice (obs 1)" || b != "alice (obs 9)" {
		t.Errorf("coder columns %q, %q", a, b)
	}
	if !strings.Contains(v.summary.Text, "κ 1.000") || len(v.Disagreements()) != 0 {
		t.Errorf("a coding compared with itself: %q, %d disagreements", v.summary.Text, len(v.Disagreements()))
	}
	if err := v.SetOptions(0, 0); err == nil {
		t.Error("SetOptions took a zero slice")
	}
}

// TestAgreementScopes switches the table to an episode and back.
func TestAgreementScopes(t *testing.T) {
	newTestApp(t)
	s, obs := demo(t)
	v := NewAgreementView(nil, s, obs, demoEnd, nil)
	r := v.Report()
	if got := len(v.scope.Options); got != 1+len(r.Episodes) {
		t.Fatalf("%d scopes, want session + %d episodes", got, len(r.Episodes))
	}
	for _, ep := range r.Episodes {
		v.scope.SetSelected(ep.Name)
		if got := tableText(v.stats, 0, 2); got != fmtValue(ep.Slice.Kappa, 3) {
			t.Errorf("%s: κ cell %q, want %v", ep.Name, got, ep.Slice.Kappa)
		}
		if !strings.Contains(v.summary.Text, ep.Name) {
			t.Errorf("summary %q does not name %s", v.summary.Text, ep.Name)
		}
	}
	v.scope.SetSelected(SessionScope)
	if got := tableText(v.stats, 0, 2); got != fmtValue(r.Slice.Kappa, 3) {
		t.Errorf("session κ cell %q", got)
	}
	// Item 8: a point is judged by its onsets, a state by κ.
	if got := tableText(v.stats, findRow(v.stats, "child:smile"), 1); !strings.Contains(got, "onsets matched") {
		t.Errorf("smile judged by %q, want onset matching", got)
	}
	if got := tableText(v.stats, findRow(v.stats, "child:calm"), 1); !strings.HasPrefix(got, "κ ") {
		t.Errorf("calm judged by %q, want κ", got)
	}
}

// TestExportButtonsOpenDialogs taps the export buttons in a window and
// checks a file dialog opens over the view.
func TestExportButtonsOpenDialogs(t *testing.T) {
	newTestApp(t)
	s, obs := demo(t)
	w := test.NewWindow(nil)
	defer w.Close()
	w.Resize(fyne.NewSize(1366, 768))
	v := NewAgreementView(w, s, obs, demoEnd, nil)
	m := NewMetricsView(w, s, obs[0], demoEnd)
	for _, c := range []struct {
		name    string
		content fyne.CanvasObject
		button  string
	}{
		{"agreement CSV", v, "Export CSV…"},
		{"agreement plot", v, "Export plot…"},
		{"agreement timeline", v, "Export timeline…"},
		{"metrics plot", m, "Save plot…"},
		{"metrics CSV", m, "Save CSV…"},
		{"metrics report", m, "Save report…"},
	} {
		w.SetContent(c.content)
		btn := findButton(c.content, c.button)
		if btn == nil {
			t.Fatalf("%s: no button %q", c.name, c.button)
		}
		test.Tap(btn)
		top := w.Canvas().Overlays().Top()
		if top == nil {
			t.Errorf("%s: no dialog opened", c.name)
			continue
		}
		w.Canvas().Overlays().Remove(top)
	}
}

// TestAgreementRatings rates the reunions for both demo coders through
// their editors and checks the ratings tab shows the weighted κ and ICC
// agreement.Compare computes.
func TestAgreementRatings(t *testing.T) {
	newTestApp(t)
	s, obs := demo(t)
	values := map[string][2][2]int{ // scale -> episode 5, 8 -> alice, ben
		"proximity_seeking":   {{6, 5}, {7, 7}},
		"avoidance":           {{1, 2}, {2, 1}},
		"resistance":          {{3, 3}, {4, 2}},
		"contact_maintaining": {{5, 5}, {6, 6}},
	}
	for k, o := range obs {
		ed := annotate.NewEditor(o, s, nil, nil, nil)
		for sc, v := range values {
			for e, ep := range []string{"5 First reunion", "8 Second reunion"} {
				if _, err := ed.Rate(ep, sc, v[e][k]); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	v := NewAgreementView(nil, s, obs, demoEnd, nil)
	want, err := agreement.Compare(obs, nil, s, agreement.Options{End: demoEnd})
	if err != nil {
		t.Fatal(err)
	}
	if rows, _ := v.ratings.Length(); rows != len(want.Ratings) || rows != len(values) {
		t.Fatalf("%d rating rows, Compare has %d scales", rows, len(want.Ratings))
	}
	defined := 0
	for i, ra := range want.Ratings {
		if ra.Quadratic.Valid && ra.ICCA1.Valid {
			defined++
		}
		sc, _ := s.Rating(ra.Scale)
		for col, w := range map[int]string{0: sc.Name, 1: "1–7", 2: "2", 3: fmtValue(ra.Kappa, 3), 4: fmtValue(ra.Linear, 3),
			5: fmtValue(ra.Quadratic, 3), 6: fmtValue(ra.ICC1, 3), 7: fmtValue(ra.ICCA1, 3), 8: fmtValue(ra.ICCC1, 3)} {
			if got := tableText(v.ratings, i, col); got != w {
				t.Errorf("%s %s: %q, want %q", ra.Scale, ratingHead[col], got, w)
			}
		}
	}
	if defined == 0 {
		t.Error("no scale has a defined weighted κ and ICC; the test data prove nothing")
	}
	if v.ratingsTab.Text != "Ratings (4)" {
		t.Errorf("tab reads %q", v.ratingsTab.Text)
	}
}

// TestDisagreementFilters narrows the list to an episode (the lanes zoom
// to it) and to one behaviour, by the filter and by a click on the
// behaviour's row of the statistics table.
func TestDisagreementFilters(t *testing.T) {
	newTestApp(t)
	s, obs := demo(t)
	v := NewAgreementView(nil, s, obs, demoEnd, nil)
	w := test.NewWindow(v)
	defer w.Close()
	w.Resize(fyne.NewSize(1366, 768))
	all := v.Disagreements()
	r := v.Report()

	ep := r.Episodes[4] // 5 First reunion, [30, 37.5)
	v.scope.SetSelected(ep.Name)
	var want []agreement.Disagreement
	for _, d := range all {
		if d.Start >= ep.Start && d.Start < ep.End {
			want = append(want, d)
		}
	}
	if got := v.Disagreements(); len(got) != len(want) || len(got) == 0 || len(got) == len(all) {
		t.Errorf("episode %s lists %d disagreements, want %d of %d", ep.Name, len(got), len(want), len(all))
	}
	if from, to := v.lanes.tl.View(); from != ep.Start || to != ep.End {
		t.Errorf("lanes show [%v, %v), want the episode [%v, %v)", from, to, ep.Start, ep.End)
	}
	if !strings.Contains(v.listTab.Text, fmt.Sprintf("(%d of %d)", len(want), len(all))) {
		t.Errorf("tab reads %q", v.listTab.Text)
	}
	v.scope.SetSelected(SessionScope)
	if len(v.Disagreements()) != len(all) {
		t.Errorf("back to the session: %d of %d listed", len(v.Disagreements()), len(all))
	}

	for _, id := range []string{"child:calm", "child:smile", "caregiver:cg_soothe"} {
		row := findRow(v.stats, id)
		v.stats.Select(widget.TableCellID{Row: row, Col: 1})
		if v.tabs.Selected() != v.listTab {
			t.Errorf("%s: the list did not come to the front", id)
		}
		n := 0
		for _, d := range all {
			if slices.Contains(d.Behaviors, id) {
				n++
			}
		}
		got := v.Disagreements()
		if len(got) != n || n == 0 {
			t.Errorf("%s: %d listed, %d disagreements name it", id, len(got), n)
		}
		for _, d := range got {
			if !slices.Contains(d.Behaviors, id) {
				t.Errorf("%s: listed %+v", id, d)
			}
		}
	}
	v.ShowBehavior("")
	if len(v.Disagreements()) != len(all) {
		t.Errorf("all behaviours: %d of %d listed", len(v.Disagreements()), len(all))
	}
}
