package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBackup(t *testing.T) {
	dir, proj, carol, dan := twoCoders(t)
	copyPath := filepath.Join(dir, "copy.dyad")
	if out := cliOK(t, "backup", proj, "-o", copyPath); !strings.Contains(out, "(2 observations, checked)") {
		t.Errorf("backup said %q", out)
	}
	// The copy is a project with the same coding.
	_, danRows, _ := strings.Cut(string(dan), "\n")
	got := cliOK(t, "export", copyPath)
	// The project column is the file's name.
	want := strings.ReplaceAll(string(carol)+danRows, "\nstudy,", "\ncopy,")
	if got != want {
		t.Errorf("copy exports differently: %s", firstDiff([]byte(want), []byte(got)))
	}

	os.WriteFile(filepath.Join(dir, "old.dyad"), []byte("an older copy"), 0o644)
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"backup", proj, "-o", copyPath}, 1, "exists; use --force"},
		{[]string{"backup", proj}, 2, "-o COPY.dyad is required"},
		{[]string{"backup", proj, "-o", proj, "--force"}, 1, "cannot replace the project itself"},
		{[]string{"backup", filepath.Join(dir, "none.dyad"), "-o", filepath.Join(dir, "x.dyad")}, 1, "no such project"},
	} {
		code, _, errs := cli(t, c.args...)
		if code != c.code || !strings.Contains(errs, c.msg) {
			t.Errorf("%v: exit %d, stderr %q; want %d with %q", c.args, code, errs, c.code, c.msg)
		}
	}
	cliOK(t, "backup", proj, "-o", filepath.Join(dir, "old.dyad"), "--force")
	if out := cliOK(t, "observations", filepath.Join(dir, "old.dyad")); !strings.Contains(out, "dan") {
		t.Errorf("--force copy: %s", out)
	}
}
