package review

import (
	"bytes"
	"encoding/csv"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"dyadcode/annotate"
	"dyadcode/annotate/plot"
	"dyadcode/annotate/sequential"
)

// newSequentialTest opens the view on alice's demo coding in a test
// window; jumps are recorded.
func newSequentialTest(t *testing.T) (*Sequential, *[]string) {
	t.Helper()
	newTestApp(t)
	s, obs := demo(t)
	var codes []string
	for _, b := range s.Behaviors {
		codes = append(codes, b.Code)
	}
	var jumps []string
	analyze := func(opt sequential.Options) (*sequential.Report, error) {
		return sequential.Analyze([]sequential.Input{{Obs: obs[0], End: demoEnd}}, s, opt)
	}
	var episodes []string
	for _, e := range s.Episodes {
		episodes = append(episodes, e.Name)
	}
	v := NewSequentialView(nil, codes, episodes, "alice", analyze, func(o string, at annotate.Time) {
		jumps = append(jumps, o+"@"+at.Seconds())
	})
	w := test.NewWindow(v)
	w.Resize(fyne.NewSize(1000, 700))
	t.Cleanup(w.Close)
	return v, &jumps
}

func TestSequentialHeatMapListsAndJumps(t *testing.T) {
	v, jumps := newSequentialTest(t)
	// The demo's reunion chain: calm(0.5) distress(24) cg_return(30)
	// approach(31) seek_comfort(31.5) calm(33.5) distress(39)
	// cg_return(52.5) approach(53) seek_comfort(53.4) calm(55): each of
	// the five links twice, N = 10.
	v.codes.SetText("cg_return,approach,seek_comfort,calm,distress")
	v.Compute()
	if v.problem.Visible() {
		t.Fatalf("problem: %s", v.problem.Text)
	}
	lt := v.Report().Lag
	if lt.Total != 10 || !strings.Contains(v.summary.Text, "10 transitions between 11 events") {
		t.Fatalf("total %d, summary %q", lt.Total, v.summary.Text)
	}
	cell := v.heatCellAt("cg_return", "approach")
	want := lt.Cell("cg_return", "approach")
	if cell.text.Text != "2" || cell.sub.Text != "z "+want.AdjustedResidual.Format(2) {
		t.Errorf("cell shows %q %q, table has %d %v", cell.text.Text, cell.sub.Text, want.Count, want.AdjustedResidual)
	}
	if cell.bg.FillColor != plot.ResidualColor(want.AdjustedResidual) {
		t.Errorf("cell colour %v, want the residual colour %v", cell.bg.FillColor, plot.ResidualColor(want.AdjustedResidual))
	}
	if z := lt.Cell("calm", "calm").AdjustedResidual; v.heatCellAt("calm", "calm").bg.FillColor != plot.ResidualColor(z) {
		t.Errorf("calm→calm colour differs from %v", z)
	}

	test.Tap(cell)
	got := v.Listed()
	if len(got) != 2 || got[0].From != 30*annotate.Second || got[1].From != 52500*annotate.Millisecond || got[1].To != 53*annotate.Second {
		t.Fatalf("listed %+v", got)
	}
	if !strings.HasPrefix(v.cellInfo.Text, "cg_return → approach: 2 transitions") {
		t.Errorf("cell info %q", v.cellInfo.Text)
	}
	v.transitions.Select(1)
	if len(*jumps) != 1 || (*jumps)[0] != "1@52.500000" {
		t.Errorf("jumps %v, want the second cg_return at 52.5 s of observation 1", *jumps)
	}

	// Lag 2 and structural zeros come from the form too.
	v.lag.SetText("2")
	v.noSelf.SetChecked(true)
	v.Compute()
	if r := v.Report(); r.Lag.Lag != 2 || !r.Params.NoSelf || v.heatCellAt("calm", "calm").text.Text != "—" || len(v.Listed()) != 0 {
		t.Errorf("lag 2 / no self not applied: %+v", r.Params)
	}

	// Scope: the first reunion [30, 37.5) holds cg_return approach
	// seek_comfort calm → three lag-1 transitions; a permutation test
	// gives each defined Q a p.
	v.lag.SetText("1")
	v.noSelf.SetChecked(false)
	v.perms.SetText("200")
	v.scope.SetSelected("5 First reunion")
	if r := v.Report(); r.Params.Episode != "5 First reunion" || r.Lag.Total != 3 || !r.Lag.Cell("cg_return", "approach").PermutationP.Valid {
		t.Errorf("episode scope: %+v, total %d", r.Params, r.Lag.Total)
	}
	test.Tap(v.heatCellAt("cg_return", "approach"))
	if !strings.Contains(v.cellInfo.Text, "(permutation p ") {
		t.Errorf("cell info %q lacks the permutation p", v.cellInfo.Text)
	}
	v.perms.SetText("-1")
	v.Compute()
	if !strings.Contains(v.problem.Text, "permutations") {
		t.Errorf("bad permutations: problem %q", v.problem.Text)
	}
	v.perms.SetText("0")
	v.scope.SetSelected(SessionScope)

	// A bad lag keeps the last result and says why.
	v.lag.SetText("zero")
	v.Compute()
	if !v.problem.Visible() || !strings.Contains(v.problem.Text, "lag") || v.Report().Lag.Lag != 1 || v.Report().Params.Episode != "" {
		t.Errorf("bad lag: problem %q", v.problem.Text)
	}
}

func TestSequentialWindowAndExports(t *testing.T) {
	v, _ := newSequentialTest(t)
	// cg_return at 30 and 52.5 s, window [0, 5) at 1 s units: given units
	// 30–34 and 52–56. calm [0.5, 24), [33.5, 39), [55, open → 60):
	// units 0–23, 33–38, 55–59. a = {33, 34, 55, 56} = 4, b = 6, c = 31,
	// d = 19; Q = (76 − 186)/(76 + 186) = −0.420.
	v.SetWindow("cg_return", "calm", "0", "5", "1")
	if v.problem.Visible() {
		t.Fatalf("problem: %s", v.problem.Text)
	}
	if got := v.WindowCells(); got != [2][2]string{{"4", "6"}, {"31", "19"}} {
		t.Errorf("2×2 table %v", got)
	}
	if !strings.Contains(v.WindowStats(), "Yule's Q -0.420") || !strings.Contains(v.WindowStats(), "60 units of 1 s (calm: state)") {
		t.Errorf("stats %q", v.WindowStats())
	}

	dir := t.TempDir()
	csvPath := filepath.Join(dir, "seq.csv")
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
		t.Fatal(err)
	}
	last := recs[len(recs)-1]
	if last[1] != "window" || last[12] != "4" || last[15] != "19" {
		t.Errorf("CSV window row %q", last)
	}
	for _, name := range []string{"lag.png", "lag.svg", "window.png", "window.svg"} {
		p := filepath.Join(dir, name)
		save := v.SaveHeatMap
		if strings.HasPrefix(name, "window") {
			save = v.SaveWindow
		}
		if err := save(p); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(name, ".png") {
			if _, err := png.Decode(bytes.NewReader(b)); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		} else if !strings.Contains(string(b), "<svg") {
			t.Errorf("%s is no SVG", name)
		}
	}
	if err := v.SaveHeatMap(filepath.Join(dir, "lag.gif")); err == nil {
		t.Error("a GIF was written")
	}

	// Only a given code: the form says what is missing.
	v.SetWindow("cg_return", "", "0", "5", "1")
	if !strings.Contains(v.problem.Text, "given and a target") {
		t.Errorf("problem %q", v.problem.Text)
	}
}
