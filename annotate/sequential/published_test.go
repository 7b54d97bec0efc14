package sequential

import (
	"encoding/json"
	"os"
	"testing"

	"dyadcode/annotate"
)

// TestAgrestiPartyByGender reproduces published adjusted residuals:
// Agresti (2007), An Introduction to Categorical Data Analysis, 2nd ed.,
// Table 2.5 (party identification by gender, GSS): females 762 327 468,
// males 484 239 477; expected counts 703.7 319.6 533.7 / 542.3 246.4 411.3
// and standardized (= adjusted) residuals 4.50 0.70 −5.32 / −4.50 −0.70
// 5.32, as printed there to one and two decimals.
func TestAgrestiPartyByGender(t *testing.T) {
	tab, err := Contingency([][]int64{{762, 327, 468}, {484, 239, 477}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantE := [][]float64{{703.7, 319.6, 533.7}, {542.3, 246.4, 411.3}}
	wantZ := [][]float64{{4.50, 0.70, -5.32}, {-4.50, -0.70, 5.32}}
	for i := range wantE {
		for j := range wantE[i] {
			if !near(tab.Expected[i][j], wantE[i][j], 0.05) || !near(tab.Residual[i][j], wantZ[i][j], 0.005) {
				t.Errorf("cell %d,%d: e %v z %v, published %g %g", i, j, tab.Expected[i][j], tab.Residual[i][j], wantE[i][j], wantZ[i][j])
			}
		}
	}
}

// independent is testdata/independent.json, written by
// testdata/independent.py: a plain-Python transcription of the algorithm
// of the R package LagSequential 0.1.1 (Draper & O'Connor), run on the
// examples its documentation lists from the literature. Neither GSEQ nor R
// is available here, so this is an independent computation on published
// data, not published output.
type independent struct {
	BQ2011Lag1  []refCell `json:"bq2011_lag1"`
	BQ2011Lag2  []refCell `json:"bq2011_lag2"`
	Griffin     []refCell `json:"griffin"`
	Collapsed   []int     `json:"bq2011_collapsed"`
	CollapsedNS []struct {
		Given, Target    int
		Count            int64
		Expected         float64
		AdjustedResidual float64 `json:"adjusted_residual"`
	} `json:"bq2011_collapsed_noself"`
}

type refCell struct {
	Count            int64    `json:"count"`
	Expected         float64  `json:"expected"`
	Probability      *float64 `json:"probability"`
	AdjustedResidual *float64 `json:"adjusted_residual"`
	YulesQ           *float64 `json:"yules_q"`
}

func orUndef(p *float64) float64 {
	if p == nil {
		return undef
	}
	return *p
}

func loadIndependent(t *testing.T) independent {
	t.Helper()
	b, err := os.ReadFile("testdata/independent.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref independent
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	return ref
}

// bq2011 is the 75-event sequence of Bakeman & Quera (2011), Sequential
// Analysis and Observational Methods for the Behavioral Sciences, p. 159
// (codes 1 Chat, 2 Write, 3 Read, 4 Ask, 5 Attentive), as LagSequential's
// documentation lists it.
var bq2011 = []int{2, 1, 4, 3, 3, 4, 3, 4, 2, 1, 4, 4, 5, 4, 1, 3, 4, 5, 3, 2, 2, 1, 4, 1, 2,
	5, 2, 1, 2, 3, 3, 1, 4, 4, 1, 4, 1, 3, 3, 3, 1, 5, 2, 1, 1, 3, 1, 4, 1, 2,
	3, 3, 4, 5, 5, 2, 3, 3, 5, 2, 5, 4, 4, 2, 3, 1, 5, 5, 2, 2, 1, 3, 3, 3, 3}

var bqCodes = []string{"Chat", "Write", "Read", "Ask", "Attentive"}

func bqObservation(codes []int) *annotate.Observation {
	names := make([]string, len(codes))
	for i, c := range codes {
		names[i] = bqCodes[c-1]
	}
	return seq("bq", names...)
}

func checkCells(t *testing.T, name string, got []LagCell, want []refCell) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d cells, want %d", name, len(got), len(want))
	}
	for c, w := range want {
		g := got[c]
		if g.Count != w.Count || !same(g.Expected, w.Expected) || !same(g.Probability, orUndef(w.Probability)) ||
			!same(g.AdjustedResidual, orUndef(w.AdjustedResidual)) || !same(g.YulesQ, orUndef(w.YulesQ)) {
			t.Errorf("%s cell %s→%s: %+v, independent %+v", name, g.Given, g.Target, g, w)
		}
	}
}

func TestBakemanQuera2011Example(t *testing.T) {
	ref := loadIndependent(t)
	in := inputs("", bqObservation(bq2011))
	r := analyze(t, in, nil, Options{Codes: bqCodes})
	if r.Lag.Total != 74 {
		t.Errorf("lag 1 total %d, want 74", r.Lag.Total)
	}
	checkCells(t, "lag 1", r.Lag.Cells, ref.BQ2011Lag1)
	r = analyze(t, in, nil, Options{Codes: bqCodes, Lag: 2})
	checkCells(t, "lag 2", r.Lag.Cells, ref.BQ2011Lag2)

	// The same sequence with repeats collapsed, self-transitions as
	// structural zeros: IPF expected counts and hat-matrix residuals.
	r = analyze(t, inputs("", bqObservation(ref.Collapsed)), nil, Options{Codes: bqCodes, NoSelf: true})
	for _, w := range ref.CollapsedNS {
		g := r.Lag.Cell(bqCodes[w.Given], bqCodes[w.Target])
		if g.Count != w.Count || !same(g.Expected, w.Expected) || !same(g.AdjustedResidual, w.AdjustedResidual) {
			t.Errorf("no self %s→%s: %+v, independent %+v", g.Given, g.Target, *g, w)
		}
	}
}

// TestGriffinGottmanMatrix: the husband/wife affect transition matrix of
// Griffin & Gottman (1990, p. 137), through Contingency.
func TestGriffinGottmanMatrix(t *testing.T) {
	ref := loadIndependent(t)
	m := [][]int64{{0, 0, 0, 0, 2, 2}, {0, 10, 5, 5, 60, 20}, {0, 9, 2, 1, 3, 0}, {0, 3, 0, 1, 5, 0}, {3, 54, 6, 2, 24, 8}, {1, 24, 2, 1, 3, 12}}
	tab, err := Contingency(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	var cells []LagCell
	for i := range m {
		for j := range m[i] {
			cells = append(cells, LagCell{Count: m[i][j], Expected: tab.Expected[i][j], Probability: tab.Probability[i][j],
				AdjustedResidual: tab.Residual[i][j], YulesQ: tab.Q[i][j]})
		}
	}
	checkCells(t, "Griffin & Gottman", cells, ref.Griffin)
}
