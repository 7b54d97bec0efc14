package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestObservations(t *testing.T) {
	_, proj, _, _ := twoCoders(t)
	out := cliOK(t, "observations", proj)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines:\n%s", len(lines), out)
	}
	if f := strings.Fields(lines[0]); strings.Join(f, " ") != "ID VIDEO CODER EVENTS MODIFIED" {
		t.Errorf("header %q", lines[0])
	}
	row := regexp.MustCompile(`^(\d+)\s+(v\d+) (\S+)\s+(\S+)\s+(\d+)\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$`)
	for i, want := range [][]string{{"1", "v1", "child01.mp4", "carol", "16"}, {"2", "v1", "child01.mp4", "dan", "24"}} {
		m := row.FindStringSubmatch(lines[i+1])
		if m == nil || strings.Join(m[1:], " ") != strings.Join(want, " ") {
			t.Errorf("row %d %q, want %v", i+1, lines[i+1], want)
		}
	}

	empty := filepath.Join(t.TempDir(), "empty.dyad")
	cliOK(t, "new", empty)
	if out := cliOK(t, "observations", empty); !strings.Contains(out, "no observations yet") {
		t.Errorf("empty project: %q", out)
	}
	if code, _, errs := cli(t, "observations"); code != 2 || !strings.Contains(errs, "need one project") {
		t.Errorf("no project: exit %d %q", code, errs)
	}
}
