package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runAgreeCmd runs `dyadcode agree args...` in-process.
func runAgreeCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(append([]string{"agree"}, args...), &cmdEnv{stdin: strings.NewReader(""), stdout: &out, stderr: &errb})
	return code, out.String(), errb.String()
}

// writeCSV writes a file in a temporary directory and returns its path.
func writeCSV(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

var (
	demoAlice = filepath.Join("..", "..", "assets", "demo", "alice.csv")
	demoBen   = filepath.Join("..", "..", "assets", "demo", "ben.csv")
)

// agreeJSON is the part of the JSON contract the tests read.
type agreeJSON struct {
	Params struct {
		Slice   float64  `json:"slice_s"`
		Tol     float64  `json:"tol_s"`
		End     float64  `json:"end_s"`
		NSlices int      `json:"n_slices"`
		Coders  []string `json:"coders"`
	} `json:"params"`
	Slice struct {
		N          int       `json:"n"`
		Kappa      *float64  `json:"kappa"`
		Percent    *float64  `json:"percent_agreement"`
		Categories []string  `json:"categories"`
		Confusion  [][]int64 `json:"confusion_A_rows_B_cols"`
	} `json:"slice"`
	PerBehavior map[string]struct {
		N11, N10, N01, N00 int64
		Kappa              *float64 `json:"kappa"`
		Percent            *float64 `json:"percent_agreement"`
	} `json:"per_behavior"`
	Events struct {
		Tolerance   float64 `json:"tolerance_s"`
		PerBehavior map[string]struct {
			NA          int          `json:"n_a"`
			NB          int          `json:"n_b"`
			Agreements  int          `json:"agreements"`
			Omissions   int          `json:"omissions"`
			Commissions int          `json:"commissions"`
			Percent     *float64     `json:"percent_agreement"`
			F1          *float64     `json:"f1"`
			Precision   *float64     `json:"precision"`
			Recall      *float64     `json:"recall"`
			MeanAbs     *float64     `json:"mean_abs_onset_diff_s"`
			Pairs       [][2]float64 `json:"pairs_onsets_A_B"`
		} `json:"per_behavior"`
	} `json:"events"`
	Fleiss *struct {
		Coders         int `json:"coders"`
		SliceComposite struct {
			Kappa *float64 `json:"kappa"`
		} `json:"slice_composite"`
	} `json:"fleiss"`
	Warnings []string `json:"warnings"`
	Episodes []struct {
		Name    string `json:"name"`
		NSlices int    `json:"n_slices"`
	} `json:"episodes"`
}

func decodeAgree(t *testing.T, out string) agreeJSON {
	t.Helper()
	var r agreeJSON
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("output is not the JSON report: %v\n%s", err, out)
	}
	return r
}

func approx(p *float64, want float64) bool {
	return p != nil && *p > want-1e-9 && *p < want+1e-9
}

func TestAgreeDemoCoders(t *testing.T) {
	code, out, errs := runAgreeCmd(t, demoAlice, demoBen, "--duration", "60", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	r := decodeAgree(t, out)
	if r.Params.NSlices != 600 || r.Params.End != 60 || r.Params.Slice != 0.1 || r.Params.Tol != 0.5 ||
		strings.Join(r.Params.Coders, ",") != "alice,ben" {
		t.Errorf("params %+v", r.Params)
	}
	// Smiles: alice 2.0, 11.0, 35.2; ben 2.04, 49.0. One match (2.0–2.04),
	// two omissions, one commission.
	sm, ok := r.Events.PerBehavior["child:smile"]
	if !ok {
		t.Fatalf("no child:smile in %v", r.Events.PerBehavior)
	}
	if sm.NA != 3 || sm.NB != 2 || sm.Agreements != 1 || sm.Omissions != 2 || sm.Commissions != 1 ||
		!approx(sm.Percent, 25) || !approx(sm.Precision, 0.5) || !approx(sm.Recall, 1.0/3) || !approx(sm.F1, 0.4) ||
		!approx(sm.MeanAbs, 0.04) || len(sm.Pairs) != 1 || sm.Pairs[0] != [2]float64{2, 2.04} {
		t.Errorf("child:smile events %+v", sm)
	}
	// Ben coded a vocalization at 26.4 s that alice did not.
	if v := r.Events.PerBehavior["child:vocalize"]; v.Commissions < 1 {
		t.Errorf("child:vocalize %+v", v)
	}
	if r.Slice.N != 600 || r.Slice.Kappa == nil || *r.Slice.Kappa <= 0 || *r.Slice.Kappa >= 1 {
		t.Errorf("slice κ %+v", r.Slice)
	}
	if r.Fleiss != nil {
		t.Errorf("fleiss with two coders: %+v", r.Fleiss)
	}
	if len(r.Episodes) != 8 || r.Episodes[0].Name != "1 Introduction" {
		t.Errorf("episodes %+v", r.Episodes)
	}
	var sum int
	for _, e := range r.Episodes {
		sum += e.NSlices
	}
	if sum != 600 {
		t.Errorf("episodes cover %d slices", sum)
	}
}

func TestAgreeMinimalCSVsAndFormats(t *testing.T) {
	dir := t.TempDir()
	a := writeCSV(t, dir, "ann.csv", "behavior,start_s,end_s\nsmile,1.7,1.7\ncalm,0,3\ncry,0.3,0.3\n")
	b := writeCSV(t, dir, "bob.csv", "behavior,start_s,end_s\nsmile,2.2,2.2\ncalm,0,3\ncry,0.35,0.35\n")
	c := writeCSV(t, dir, "cy.csv", "behavior,start_s,end_s\nsmile,1.9,1.9\ncalm,0,1\n")

	t.Run("json: exact tolerance edge, slice 3, κ null for a behaviour everywhere", func(t *testing.T) {
		code, out, errs := runAgreeCmd(t, a, b, "--format", "json", "--duration", "3")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		r := decodeAgree(t, out)
		if strings.Join(r.Params.Coders, ",") != "ann,bob" {
			t.Errorf("coders named after the files: %v", r.Params.Coders)
		}
		if e := r.Events.PerBehavior["smile"]; e.Agreements != 1 {
			t.Errorf("1.7 vs 2.2 at 0.5 s: %+v", e)
		}
		if k := r.PerBehavior["cry"]; k.N11 != 1 || k.N10 != 0 {
			t.Errorf("0.3 and 0.35 both in slice 3: %+v", k)
		}
		if k := r.PerBehavior["calm"]; k.Kappa != nil || !approx(k.Percent, 100) {
			t.Errorf("calm everywhere for both: %+v", k)
		}
	})
	t.Run("tolerance 0 needs identical onsets", func(t *testing.T) {
		code, out, errs := runAgreeCmd(t, a, b, "--format", "json", "--tolerance", "0")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		if e := decodeAgree(t, out).Events.PerBehavior["smile"]; e.Agreements != 0 {
			t.Errorf("%+v", e)
		}
	})
	t.Run("three coders: Fleiss", func(t *testing.T) {
		code, out, errs := runAgreeCmd(t, a, b, c, "--format", "json", "--duration", "2")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		r := decodeAgree(t, out)
		if r.Fleiss == nil || r.Fleiss.Coders != 3 || r.Fleiss.SliceComposite.Kappa == nil {
			t.Errorf("fleiss %+v", r.Fleiss)
		}
	})
	t.Run("csv: one row per behaviour", func(t *testing.T) {
		code, out, errs := runAgreeCmd(t, a, b, "--format", "csv")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 4 || recs[0][0] != "scope" || recs[0][3] != "behavior" {
			t.Fatalf("csv:\n%s", out)
		}
		for _, rec := range recs[1:] {
			if rec[0] != "session" || len(rec) != len(recs[0]) {
				t.Errorf("row %q", rec)
			}
		}
	})
	t.Run("text", func(t *testing.T) {
		code, out, errs := runAgreeCmd(t, a, b, "--slice", "0.05")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		for _, w := range []string{"A (reference) = ann, B = bob", "slice 0.05 s (60 slices", "smile", "calm"} {
			if !strings.Contains(out, w) {
				t.Errorf("no %q in\n%s", w, out)
			}
		}
	})
}

func TestAgreeWarningsGoToStderrInCSV(t *testing.T) {
	// The demo files end with states left open (calm from 55 s); with the
	// duration they are closed at 60 s and the report says so.
	code, out, errs := runAgreeCmd(t, demoAlice, demoBen, "--format", "csv", "--duration", "60")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.HasPrefix(out, "scope,") {
		t.Errorf("stdout is not the CSV: %.200s", out)
	}
	if !strings.Contains(errs, "warning:") {
		t.Errorf("no warnings on stderr: %q", errs)
	}
}

func TestAgreeErrors(t *testing.T) {
	dir := t.TempDir()
	a := writeCSV(t, dir, "a.csv", "behavior,start_s,end_s\nsmile,1,1\n")
	bad := writeCSV(t, dir, "bad.csv", "behavior,start_s,end_s\nsmile,one,1\n")
	cases := []struct {
		name string
		args []string
		code int
		want string
		csv  bool // reaches the CSV reader
	}{
		{"no inputs", nil, 2, "two or more CSV files", false},
		{"unknown format", []string{a, a, "--format", "xml"}, 2, "xml", false},
		{"zero slice", []string{a, a, "--slice", "0"}, 2, "--slice", false},
		{"slice not a number", []string{a, a, "--slice", "0.1s"}, 2, "--slice", false},
		{"negative tolerance", []string{a, a, "--tolerance", "-1"}, 2, "negative", false},
		{"video without a project", []string{a, a, "--video", "x.mp4"}, 2, "project", false},
		{"project without --video", []string{"p.dyad"}, 2, "--video", false},
		{"one observation", []string{a}, 1, "at least two coders", true},
		{"missing file", []string{a, filepath.Join(dir, "nope.csv")}, 1, "nope.csv", true},
		{"malformed file", []string{a, bad}, 1, "bad.csv", true},
		{"tiny slice over a long window", []string{a, a, "--slice", "0.000001", "--duration", "100000"}, 1, "wider slice", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.csv {
			}
			code, _, errs := runAgreeCmd(t, c.args...)
			if code != c.code || !strings.Contains(errs, c.want) {
				t.Errorf("exit %d (want %d), stderr %q (want %q)", code, c.code, errs, c.want)
			}
		})
	}
}
