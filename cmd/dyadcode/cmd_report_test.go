// Wiring to the project store (package dyadcode/store), built only with
// -tags dyadstore until store is committed; then delete this constraint.

//go:build dyadstore

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReportCommand(t *testing.T) {
	path := metricsProject(t)
	out := filepath.Join(t.TempDir(), "report.html")
	code, _, errs := runMetricsCmd(t, "report", path, "-o", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(errs, "2 observation(s)") {
		t.Errorf("stderr %q", errs)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	html := string(data)
	for _, want := range []string{"<h1>study.dyad</h1>", "Video child01.mp4", "Agreement between coders",
		"Time-slice agreement: alice (A, reference) vs ben", "Observation 1 — coder alice", "Observation 2 — coder ben"} {
		if !strings.Contains(html, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if n := strings.Count(html, `src="data:image/png;base64,`); n != 3 {
		t.Errorf("%d images, want 3 (comparison + 2 event plots)", n)
	}
	if code, _, errs := runMetricsCmd(t, "report", path); code != 2 || !strings.Contains(errs, "need -o") {
		t.Errorf("no -o: exit %d %q", code, errs)
	}
}
