package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dyadcode/app"
	"dyadcode/ui"
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

	// Without --path-only the window opens on the demo, with the media
	// engine the command line was given.
	var opened ui.Options
	var stdout, errb bytes.Buffer
	env := &cmdEnv{stdout: &stdout, stderr: &errb, engine: app.Media{},
		gui: func(o ui.Options) error { opened = o; return nil }}
	if code := run([]string{"demo"}, env); code != 0 {
		t.Fatalf("demo: exit %d, %s", code, errb.String())
	}
	if opened.Project != want || opened.Engine == nil {
		t.Errorf("GUI opened %+v, want %s with an engine", opened, want)
	}
	// A window that cannot open: exit 1, naming the demo's path.
	env.gui = func(ui.Options) error { return errors.New("no display") }
	if code := run([]string{"demo"}, env); code != 1 || !strings.Contains(errb.String(), want) || !strings.Contains(errb.String(), "no display") {
		t.Errorf("no GUI: exit %d, %q", code, errb.String())
	}

	if code, _, errs := cli(t, "demo", "extra"); code != 2 || !strings.Contains(errs, "no arguments") {
		t.Errorf("demo extra: exit %d, %q", code, errs)
	}
	if _, err := os.Stat(want); err != nil {
		t.Fatal(err)
	}
}
