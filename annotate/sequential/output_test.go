package sequential

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"dyadcode/annotate"
)

func contractReport(t *testing.T) *Report {
	t.Helper()
	o := seq("o1", "A", "B", "A", "B", "B", "A")
	o.Events = append(o.Events, annotate.Event{ID: 99, Behavior: "C", Start: 8 * annotate.Second, End: 9 * annotate.Second})
	annotate.SortEvents(o.Events)
	return analyze(t, inputs("10", o), nil, Options{Codes: []string{"A", "B", "Z"},
		Window: &WindowSpec{Given: "A", Target: "C", Hi: 2 * annotate.Second}})
}

// TestJSONContract: the keys the issue fixes, and null (never 0) for an
// undefined statistic.
func TestJSONContract(t *testing.T) {
	b, err := json.Marshal(contractReport(t))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if _, ok := m["params"].(map[string]any); !ok {
		t.Fatalf("no params object in %s", b)
	}
	lag := m["lag"].(map[string]any)
	for _, k := range []string{"codes", "total", "cells"} {
		if _, ok := lag[k]; !ok {
			t.Errorf("lag lacks %q", k)
		}
	}
	cells := lag["cells"].([]any)
	if len(cells) != 9 {
		t.Fatalf("%d cells", len(cells))
	}
	for _, c := range cells {
		for _, k := range []string{"given", "target", "count", "expected", "probability", "adjusted_residual", "yules_q"} {
			if _, ok := c.(map[string]any)[k]; !ok {
				t.Errorf("cell lacks %q: %v", k, c)
			}
		}
	}
	// Z never occurs: Z→A has no probability and no Q.
	za := cells[6].(map[string]any)
	if za["given"] != "Z" || za["target"] != "A" || za["probability"] != nil || za["yules_q"] != nil || za["count"] != 0.0 {
		t.Errorf("Z→A = %v", za)
	}
	win := m["window"].(map[string]any)
	for _, k := range []string{"given", "target", "a", "b", "c", "d", "yules_q", "odds_ratio", "adjusted_residual", "p_target_given", "p_target_not_given"} {
		if _, ok := win[k]; !ok {
			t.Errorf("window lacks %q", k)
		}
	}
	// Windows [1,3) [3,5) [6,8) ... : C [8, 9) is never in a window, so
	// a = 0 and Q = (0·d − b·c)/(0 + b·c) = −1, OR = 0, defined.
	if win["a"] != 0.0 || win["yules_q"] != -1.0 {
		t.Errorf("window %v", win)
	}
	var back Report
	if err := json.Unmarshal(b, &back); err != nil || back.Lag.Cells[6].Probability.Valid || back.Lag.Total != 5 {
		t.Errorf("round trip: %v %+v", err, back.Lag.Cells[6])
	}
}

func TestCSVAndText(t *testing.T) {
	r := contractReport(t)
	var buf bytes.Buffer
	if err := r.CSV(&buf); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(recs[0], CSVHeader) || len(recs) != 1+9+1 {
		t.Fatalf("CSV %q", recs)
	}
	col := func(name string) int { return slices.Index(CSVHeader, name) }
	ab := recs[2] // A→B
	if ab[col("given")] != "A" || ab[col("target")] != "B" || ab[col("count")] != "2" || ab[col("expected")] != "1.2" ||
		ab[col("yules_q")] != "1" || ab[col("adjusted_residual")] != "1.490712" || ab[col("permutation_p")] != "" {
		t.Errorf("A→B row %q", ab)
	}
	if za := recs[7]; za[col("given")] != "Z" || za[col("probability")] != "" || za[col("yules_q")] != "" {
		t.Errorf("Z→A row %q (undefined must be empty)", za)
	}
	if wr := recs[10]; wr[col("table")] != "window" || wr[col("a")] != "0" || wr[col("window_hi_s")] != "2" || wr[col("target_kind")] != "state" {
		t.Errorf("window row %q", wr)
	}

	buf.Reset()
	if err := r.Text(&buf); err != nil {
		t.Fatal(err)
	}
	// Compare with runs of blanks collapsed: tabwriter pads columns.
	txt := strings.Join(strings.Fields(buf.String()), " ")
	for _, want := range []string{"N = 5 transitions", "A B 2 1.200 1.000 1.49 1.000 NA", "Z A 0 0.000 NA NA NA", "Yule's Q -1.000",
		"given 0 6 not given 1 3", "code Z occurs in none"} {
		if !strings.Contains(txt, want) {
			t.Errorf("text lacks %q:\n%s", want, txt)
		}
	}
}
