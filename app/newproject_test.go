package app

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"dyadcode/store"
)

// A new project is proposed under a free name and never created over one.
func TestNewProjectNeverExisting(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"study.dyad", "study 2.dyad"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("coded"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got := FreeProjectName(dir, "study"); got != "study 3" {
		t.Errorf("proposed %q beside study.dyad and study 2.dyad, want study 3", got)
	}
	for _, name := range []string{"study.dyad", "study 2.dyad"} {
		err := CheckNewProject(filepath.Join(dir, name))
		if !errors.Is(err, store.ErrExists) {
			t.Errorf("%s: %v, want ErrExists", name, err)
		}
		if want := filepath.Join(dir, name) + " already exists"; err == nil || len(err.Error()) < len(want) || err.Error()[:len(want)] != want {
			t.Errorf("%s: message %q does not start %q", name, err, want)
		}
	}
	if err := CheckNewProject(filepath.Join(dir, "study 3.dyad")); err != nil {
		t.Errorf("a free name refused: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "study.dyad")); string(b) != "coded" {
		t.Error("the existing project was touched")
	}
}
