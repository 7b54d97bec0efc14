package store

import (
	"os"
	"path/filepath"
	"testing"
)

func TestIsProjectFile(t *testing.T) {
	p, _ := newProject(t)
	path := p.Path()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		f := filepath.Join(dir, name)
		if err := os.WriteFile(f, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return f
	}
	// Meta 0 destroyed: meta 1 still identifies the file.
	noMeta0 := append([]byte(nil), data...)
	for i := range 4096 {
		noMeta0[i] = 0
	}
	for _, c := range []struct {
		path string
		want bool
	}{
		{path, true},
		{write("half.dyad", data[:len(data)/2]), true},
		{write("nometa0.dyad", noMeta0), true},
		{write("out.csv", []byte("project,video\nstudy,a.mp4\n")), false},
		{write("empty.dyad", nil), false},
		{write("short.dyad", data[:20]), false},
		{filepath.Join(dir, "missing.dyad"), false},
		{dir, false},
	} {
		if got := IsProjectFile(c.path); got != c.want {
			t.Errorf("IsProjectFile(%s) = %v, want %v", filepath.Base(c.path), got, c.want)
		}
	}
}
