package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dyadcode/media/avsync/avsynctest"
)

// demoCSV are the bundled demo's two codings of one session.
var (
	aliceCSV = filepath.Join("..", "..", "assets", "demo", "alice.csv")
	benCSV   = filepath.Join("..", "..", "assets", "demo", "ben.csv")
)

func runSeq(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &cmdEnv{stdin: strings.NewReader(""), stdout: &out, stderr: &errb})
	return code, out.String(), errb.String()
}

// The demo's reunion chain in alice's coding: calm(0.5) distress(24)
// cg_return(30) approach(31) seek_comfort(31.5) calm(33.5) distress(39)
// cg_return(52.5) approach(53) seek_comfort(53.4) calm(55): each of the
// five links twice, N = 10. Window: cg_return at 30 and 52.5 s, [0, 5)
// at 1 s units: given units 30–34 and 52–56; calm [0.5, 24), [33.5, 39),
// [55, open → 60): a = 4, b = 6, c = 31, d = 19; Q = −110/262.
const chain = "cg_return,approach,seek_comfort,calm,distress"

func TestSequentialCommandText(t *testing.T) {
	code, out, errs := runSeq(t, "sequential", aliceCSV, "--codes", chain, "--given", "cg_return", "--target", "calm", "--window", "0:5")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	flat := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{"N = 10 transitions", "cg_return approach 2", "given 4 6 not given 31 19", "Yule's Q -0.420"} {
		if !strings.Contains(flat, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
}

func TestSequentialCommandJSONAndCSV(t *testing.T) {
	// Pooled over both demo codings; the JSON keys are the issue's
	// contract and undefined values are null.
	code, out, errs := runSeq(t, "sequential", aliceCSV, benCSV, "--codes", chain+",smile", "--format", "json",
		"--given", "cg_return", "--target", "calm", "--window", "-2:0", "--slice", "0.5")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var m struct {
		Params map[string]any
		Lag    struct {
			Codes     []string
			Total     int64
			Sequences int
			Cells     []map[string]any
		}
		Window map[string]any
	}
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if m.Lag.Sequences != 2 || len(m.Lag.Cells) != 36 || m.Params["window_lo_s"] != -2.0 || m.Params["unit_s"] != 0.5 {
		t.Errorf("sequences %d, %d cells, params %v", m.Lag.Sequences, len(m.Lag.Cells), m.Params)
	}
	for _, k := range []string{"given", "target", "a", "b", "c", "d", "yules_q", "odds_ratio", "adjusted_residual", "p_target_given", "p_target_not_given"} {
		if _, ok := m.Window[k]; !ok {
			t.Errorf("window lacks %q", k)
		}
	}
	for _, c := range m.Lag.Cells {
		for _, k := range []string{"given", "target", "count", "expected", "probability", "adjusted_residual", "yules_q"} {
			if _, ok := c[k]; !ok {
				t.Errorf("cell lacks %q", k)
			}
		}
	}
	// Lag 20 over 11 events: no transitions, so every statistic is
	// undefined and null, never 0.
	code, out, errs = runSeq(t, "sequential", aliceCSV, "--codes", chain, "--format", "json", "--lag", "20")
	if code != 0 || !strings.Contains(out, `"total": 0`) || !strings.Contains(out, `"probability": null`) ||
		!strings.Contains(out, `"yules_q": null`) || strings.Contains(out, `"probability": 0`) {
		t.Errorf("lag 20: exit %d %s\n%s", code, errs, out)
	}

	dir := t.TempDir()
	path := filepath.Join(dir, "seq.csv")
	if code, _, errs := runSeq(t, "sequential", aliceCSV, "--codes", chain, "--format", "csv", "-o", path, "--lag", "2"); code != 0 {
		t.Fatalf("csv: exit %d: %s", code, errs)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil || len(recs) != 1+25 || recs[0][0] != "scope" || recs[1][2] != "2" {
		t.Errorf("CSV %v %q", err, recs)
	}
}

func TestSequentialCommandMistakes(t *testing.T) {
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"sequential"}, "need a project or CSV files"},
		{[]string{"sequential", aliceCSV, "--lag", "0"}, "--lag must be 1 or more"},
		{[]string{"sequential", aliceCSV, "--given", "calm"}, "needs both --given and --target"},
		{[]string{"sequential", aliceCSV, "--given", "a", "--target", "b", "--window", "5"}, "is not LO:HI"},
		{[]string{"sequential", aliceCSV, "--given", "a", "--target", "b", "--window", "3:1"}, "is empty"},
		{[]string{"sequential", aliceCSV, "--given", "a", "--target", "b", "--slice", "0"}, "--slice must be more than 0"},
		{[]string{"sequential", aliceCSV, "--format", "xml"}, "unknown --format"},
	} {
		code, _, errs := runSeq(t, c.args...)
		if code != 2 || !strings.Contains(errs, c.msg) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, code, errs, c.msg)
		}
	}
	// A code the scheme does not have: exit 1 naming the input and code.
	code, _, errs := runSeq(t, "sequential", aliceCSV, "--codes", "calm,giggle")
	if code != 1 || !strings.Contains(errs, "alice.csv") || !strings.Contains(errs, `"giggle" is not a behaviour`) {
		t.Errorf("unknown code: exit %d, stderr %q", code, errs)
	}
	code, _, errs = runSeq(t, "sequential", aliceCSV, "--episode", "9 Free play")
	if code != 1 || !strings.Contains(errs, "episode is not marked") {
		t.Errorf("unknown episode: exit %d, stderr %q", code, errs)
	}
}

func TestSyncCommand(t *testing.T) {
	ref, later := avsynctest.Reference, avsynctest.Later
	code, out, errs := runSeq(t, "sync", ref.Path(t), later.Path(t), "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r struct {
		Offset     float64 `json:"offset_s"`
		Confidence float64 `json:"confidence"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if want := avsynctest.Offset(ref, later); math.Abs(r.Offset-want) > 0.010 || r.Confidence < 2.5 {
		t.Errorf("offset %.4f (confidence %.1f), want %.3f", r.Offset, r.Confidence, want)
	}
	code, out, _ = runSeq(t, "sync", ref.Path(t), avsynctest.OtherRoom.Path(t))
	if code != 0 || !strings.Contains(out, "LOW") {
		t.Errorf("no shared sound: exit %d, %q", code, out)
	}
	if code, _, errs := runSeq(t, "sync", ref.Path(t)); code != 2 || !strings.Contains(errs, "give a reference and another") {
		t.Errorf("one file: exit %d, %q", code, errs)
	}
	if code, _, errs := runSeq(t, "sync", ref.Path(t), "/nonexistent.mp4"); code != 1 || !strings.Contains(errs, "/nonexistent.mp4") {
		t.Errorf("missing file: exit %d, %q", code, errs)
	}
}

// `dyadcode report` carries each observation's sequential analysis.
func TestReportHasSequentialSection(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.html")
	if code, _, errs := runSeq(t, "report", aliceCSV, "-o", path); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<summary>Sequential analysis</summary>", "Lag-1 transitions: count (adjusted residual)", `alt="lag heat map of observation`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

// A project as input: both coders' observations pooled, restricted to an
// episode or a time range. Each coding (metricsProject): explore 20 s,
// distress 55 s (running, closed at the 100 s video end), approach 60 s.
func TestSequentialCommandOnProject(t *testing.T) {
	path := metricsProject(t)
	code, out, errs := runSeq(t, "sequential", path, "--format", "json", "--given", "distress", "--target", "approach", "--window", "0:10")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r struct {
		Lag struct {
			Total     int64
			Sequences int
			Cells     []struct {
				Given, Target string
				Count         int64
			}
		}
		Window struct{ A, B, C, D int64 }
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	// explore→distress and distress→approach in each of 2 sequences;
	// distress at 55 s opens units 55–64 of 100, approach at 60 s is in
	// unit 60: per coding a 1, b 9, c 0, d 90.
	if r.Lag.Total != 4 || r.Lag.Sequences != 2 || r.Window != (struct{ A, B, C, D int64 }{2, 18, 0, 180}) {
		t.Errorf("total %d, sequences %d, window %+v", r.Lag.Total, r.Lag.Sequences, r.Window)
	}
	for _, args := range [][]string{{"--episode", "4 First separation"}, {"--from", "50", "--to", "100"}} {
		code, out, errs := runSeq(t, append([]string{"sequential", path, "--observation", "1,2", "--format", "csv", "--codes", "explore,distress,approach"}, args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, rec := range recs[1:] {
			want := "0"
			if rec[3] == "distress" && rec[4] == "approach" {
				want = "2"
			}
			if rec[5] != want {
				t.Errorf("%v: %s→%s count %s, want %s", args, rec[3], rec[4], rec[5], want)
			}
		}
	}
	if code, _, errs := runSeq(t, "sequential", path, "--from", "9", "--to", "3"); code != 2 || !strings.Contains(errs, "--to must be after --from") {
		t.Errorf("bad range: exit %d, %q", code, errs)
	}
}
