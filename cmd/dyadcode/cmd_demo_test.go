package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDemo(t *testing.T) {
	data := t.TempDir()
	t.Setenv("XDG_DATA_HOME", data)
	want := filepath.Join(data, "dyadcode", "demo", "demo.dyad")
	out := cliOK(t, "demo", "--path-only")
	if strings.TrimSpace(out) != want {
		t.Fatalf("demo --path-only printed %q, want %s", out, want)
	}
	// The demo project exports exactly the bundled CSV files: the whole
	// chain (csvio import, store, csvio export) keeps every byte.
	alice := fileBytes(t, filepath.Join("..", "..", "assets", "demo", "alice.csv"))
	ben := fileBytes(t, filepath.Join("..", "..", "assets", "demo", "ben.csv"))
	_, benRows, _ := bytes.Cut(ben, []byte("\n"))
	if got := cliOK(t, "export", want); got != string(alice)+string(benRows) {
		t.Errorf("demo export differs from alice.csv + ben.csv: %s", firstDiff(append(alice, benRows...), []byte(got)))
	}
	if got := cliOK(t, "observations", want); !strings.Contains(got, "alice") || !strings.Contains(got, "ben") {
		t.Errorf("observations: %s", got)
	}

	// Without --path-only the window opens on the demo.
	saved := runGUI
	defer func() { runGUI = saved }()
	var opened string
	runGUI = func(p string) error { opened = p; return nil }
	cliOK(t, "demo")
	if opened != want {
		t.Errorf("GUI opened %q, want %s", opened, want)
	}
	runGUI = nil
	code, _, errs := cli(t, "demo")
	if code != 1 || !strings.Contains(errs, want) {
		t.Errorf("no GUI: exit %d, %q", code, errs)
	}

	if code, _, errs := cli(t, "demo", "extra"); code != 2 || !strings.Contains(errs, "no arguments") {
		t.Errorf("demo extra: exit %d, %q", code, errs)
	}
	if _, err := os.Stat(want); err != nil {
		t.Fatal(err)
	}
}
