package agreement

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// readTable reads a hand-typed reference table from testdata/agreement:
// '#' comment lines, a header, then one row per subject whose first column
// is the subject's label. It returns the rater columns.
func readTable(t *testing.T, name string) [][]string {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "testdata", "agreement", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comment = '#'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var out [][]string
	for _, rec := range recs[1:] {
		out = append(out, rec[1:])
	}
	return out
}

func column(rows [][]string, j int) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r[j]
	}
	return out
}

func ints(t *testing.T, s []string) []int {
	t.Helper()
	out := make([]int, len(s))
	for i, v := range s {
		n, err := strconv.Atoi(v)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = n
	}
	return out
}

func floats(t *testing.T, rows [][]string) [][]float64 {
	t.Helper()
	out := make([][]float64, len(rows))
	for i, r := range rows {
		for _, v := range r {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatal(err)
			}
			out[i] = append(out[i], f)
		}
	}
	return out
}

// near4 reports whether got rounds to want at 4 decimals, the precision
// the published values are given with.
func near4(got Value, want float64) bool {
	return got.Valid && math.Abs(got.V-want) < 0.00005
}

func TestPublishedReferenceValues(t *testing.T) {
	diag := readTable(t, "diagnoses.csv")
	anx := readTable(t, "anxiety.csv")
	sf := readTable(t, "shrout_fleiss_1979.csv")
	if len(diag) != 30 || len(diag[0]) != 6 || len(anx) != 20 || len(anx[0]) != 3 || len(sf) != 6 || len(sf[0]) != 4 {
		t.Fatalf("reference tables have the wrong shape: %dx%d, %dx%d, %dx%d",
			len(diag), len(diag[0]), len(anx), len(anx[0]), len(sf), len(sf[0]))
	}

	fl, err := FleissKappa(diag)
	if err != nil {
		t.Fatal(err)
	}
	k12, err := Kappa(column(diag, 0), column(diag, 1))
	if err != nil {
		t.Fatal(err)
	}
	a1, a2 := ints(t, column(anx, 0)), ints(t, column(anx, 1))
	weighted := func(w Weights) Value {
		v, err := WeightedKappa(a1, a2, w, nil)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	anxICC, err := IntraclassCorrelation(floats(t, anx))
	if err != nil {
		t.Fatal(err)
	}
	sfICC, err := IntraclassCorrelation(floats(t, sf))
	if err != nil {
		t.Fatal(err)
	}
	anxK, err := Kappa(column(anx, 0), column(anx, 1))
	if err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name string
		got  Value
		want float64
	}{
		{"Fleiss 1971 diagnoses, Fleiss κ, 6 raters", fl.Kappa, 0.4302},
		{"diagnoses raters 1 and 2, Cohen κ", k12.Kappa, 0.6512},
		{"diagnoses raters 1 and 2, percent agreement", k12.Percent, 73.3333},
		{"anxiety raters 1 and 2, Cohen κ (labels)", anxK.Kappa, 0.1195},
		{"anxiety raters 1 and 2, κ (ordinal, unweighted)", weighted(Unweighted), 0.1195},
		{"anxiety raters 1 and 2, linear weighted κ", weighted(Linear), 0.1892},
		{"anxiety raters 1 and 2, quadratic weighted κ", weighted(Quadratic), 0.2968},
		{"anxiety 3 raters ICC(A,1)", anxICC.ICCA1, 0.1980},
		{"anxiety 3 raters ICC(C,1)", anxICC.ICCC1, 0.2160},
		{"anxiety 3 raters ICC(1)", anxICC.ICC1, 0.1750},
		{"Shrout & Fleiss 1979 ICC(1)", sfICC.ICC1, 0.1657},
		{"Shrout & Fleiss 1979 ICC(A,1)", sfICC.ICCA1, 0.2898},
		{"Shrout & Fleiss 1979 ICC(C,1)", sfICC.ICCC1, 0.7148},
	}
	for _, c := range cases {
		if !near4(c.got, c.want) {
			t.Errorf("%s = %v (%.6f), want %.4f", c.name, c.got, c.got.V, c.want)
		}
	}
}

func TestUndefinedAndEdgeStatistics(t *testing.T) {
	cases := []struct {
		name      string
		a, b      []string
		wantKappa Value
		wantPO    Value
	}{
		{"both raters one category: p_e = 1, κ undefined", []string{"x", "x", "x"}, []string{"x", "x", "x"}, Value{}, Of(1)},
		{"no units: everything undefined", nil, nil, Value{}, Value{}},
		{"perfect agreement over two categories", []string{"x", "y"}, []string{"x", "y"}, Of(1), Of(1)},
		{"one rater constant, other varies: κ = 0", []string{"x", "x", "x", "x"}, []string{"x", "y", "x", "y"}, Of(0), Of(0.5)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			k, err := Kappa(c.a, c.b)
			if err != nil {
				t.Fatal(err)
			}
			if k.Kappa != c.wantKappa || k.PO != c.wantPO {
				t.Errorf("κ = %+v, p_o = %+v; want %+v, %+v", k.Kappa, k.PO, c.wantKappa, c.wantPO)
			}
		})
	}
	if _, err := Kappa([]string{"x"}, nil); err == nil {
		t.Error("Kappa accepted raters with different numbers of labels")
	}
	if _, err := WeightedKappa([]int{1, 8}, []int{1, 2}, Linear, &[2]int{1, 7}); err == nil {
		t.Error("WeightedKappa accepted 8 on a 1–7 scale")
	}
	if _, err := IntraclassCorrelation([][]float64{{1, 2}, {3}}); err == nil {
		t.Error("ICC accepted a ragged table")
	}
	if _, err := FleissKappa([][]string{{"a", "b"}, {"a"}}); err == nil {
		t.Error("Fleiss accepted a ragged table")
	}
	c, err := IntraclassCorrelation([][]float64{{3, 3}, {3, 3}})
	if err != nil {
		t.Fatal(err)
	}
	if c.ICC1.Valid || c.ICCA1.Valid || c.ICCC1.Valid {
		t.Errorf("ICC of identical values should be undefined, got %+v", c)
	}
}

func TestDeclaredScaleChangesWeights(t *testing.T) {
	// Values 1, 2 and 7 on a 1–7 scale: over the used categories {1, 2, 7}
	// a 2-vs-7 disagreement is one step of two; over the declared scale it
	// is five steps of six. The two weightings must differ.
	a := []int{1, 2, 7, 2, 1}
	b := []int{1, 7, 7, 1, 2}
	used, err := WeightedKappa(a, b, Linear, nil)
	if err != nil {
		t.Fatal(err)
	}
	scale, err := WeightedKappa(a, b, Linear, &[2]int{1, 7})
	if err != nil {
		t.Fatal(err)
	}
	if !used.Valid || !scale.Valid || math.Abs(used.V-scale.V) < 1e-9 {
		t.Errorf("linear κ over used categories %v and over 1–7 %v should differ", used, scale)
	}
}

func TestValueJSON(t *testing.T) {
	data, err := json.Marshal(map[string]Value{"a": Of(0.25), "b": {}, "c": Of(math.NaN())})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(data), `{"a":0.25,"b":null,"c":null}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	var back map[string]Value
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if back["a"] != Of(0.25) || back["b"].Valid {
		t.Errorf("round trip gave %+v", back)
	}
	if s := (Value{}).Format(2); !strings.EqualFold(s, "NA") {
		t.Errorf("undefined formats as %q", s)
	}
}

// TestOrdinalAgreementOnAnxiety: the entry point ratings and episode
// measures use gives the same published values.
func TestOrdinalAgreementOnAnxiety(t *testing.T) {
	rows := readTable(t, "anxiety.csv")
	values := make([][]int, len(rows))
	for i, r := range rows {
		values[i] = ints(t, r)
	}
	o, err := OrdinalAgreement(values, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		got  Value
		want float64
	}{
		{"κ", o.Kappa, 0.1195}, {"linear", o.Linear, 0.1892}, {"quadratic", o.Quadratic, 0.2968},
		{"ICC(A,1)", o.ICCA1, 0.1980}, {"ICC(C,1)", o.ICCC1, 0.2160}, {"ICC(1)", o.ICC1, 0.1750},
	} {
		if !near4(c.got, c.want) {
			t.Errorf("%s = %v, want %.4f", c.name, c.got, c.want)
		}
	}
	if _, err := OrdinalAgreement([][]int{{1, 2}, {3}}, nil); err == nil {
		t.Error("ragged table accepted")
	}
}
