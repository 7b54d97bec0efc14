package store

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// "Dana " and "DANA" record as dana, the coder's first spelling.
func TestObservationCoderSpelling(t *testing.T) {
	p, v := newProject(t)
	for _, typed := range []string{"dana", "Dana ", "DANA"} {
		o, err := p.NewObservation(v.ID, typed)
		if err != nil {
			t.Fatal(err)
		}
		if o.Coder != "dana" {
			t.Errorf("typed %q, recorded %q", typed, o.Coder)
		}
	}
	if coders, _ := p.Coders(); len(coders) != 1 {
		t.Errorf("coders %q, want dana once", coders)
	}
}

// The backups folder is "NAME backups", which no file chooser shows as a
// project; an old NAME.dyad.backups folder moves there at the next open.
func TestBackupFolderNotLikeAProject(t *testing.T) {
	p, _ := newProject(t)
	path := p.Path()
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	old := path + ".backups"
	if err := os.MkdirAll(old, 0o755); err != nil {
		t.Fatal(err)
	}
	stem := strings.TrimSuffix(filepath.Base(path), ".dyad")
	keep := filepath.Join(old, stem+"-20200101T000000.000000000Z-tx1.dyad")
	if err := os.WriteFile(keep, []byte("an old backup"), 0o644); err != nil {
		t.Fatal(err)
	}
	q, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	dir := filepath.Join(filepath.Dir(path), stem+" backups")
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Errorf("%s still there: %v", old, err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, filepath.Base(keep))); err != nil || string(b) != "an old backup" {
		t.Errorf("the old backup did not move to %s: %v", dir, err)
	}
	if strings.Contains(filepath.Base(dir), ".dyad") {
		t.Errorf("backup folder %s looks like a project", dir)
	}
}
