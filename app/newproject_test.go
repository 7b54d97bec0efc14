package app

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestNewProjectPathNeverExisting(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"study.dyad", "study 2.dyad"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("coded"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got := FreeProjectName(dir, "study"); got != "study 3" {
		t.Errorf("proposed %q beside study.dyad and study 2.dyad, want study 3", got)
	}
	tests := []struct {
		typed string
		want  string
		err   error
	}{
		{"pilot", "pilot.dyad", nil},
		{" pilot.dyad ", "pilot.dyad", nil},
		{"study", "", ErrProjectExists},
		{"study.dyad", "", ErrProjectExists},
		{"study 2", "", ErrProjectExists},
		{"", "", nil},
		{"../elsewhere", "", nil},
	}
	for _, tt := range tests {
		path, err := NewProjectPath(dir, tt.typed)
		switch {
		case tt.want != "" && (err != nil || path != filepath.Join(dir, tt.want)):
			t.Errorf("%q: %q, %v; want %s", tt.typed, path, err, tt.want)
		case tt.want == "" && err == nil:
			t.Errorf("%q: accepted as %q", tt.typed, path)
		case tt.err != nil && !errors.Is(err, tt.err):
			t.Errorf("%q: %v, want %v", tt.typed, err, tt.err)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "study.dyad")); string(b) != "coded" {
		t.Error("the existing project was touched")
	}
}
