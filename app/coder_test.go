package app

import (
	"os"
	"path/filepath"
	"testing"

	"dyadcode/annotate"
	"dyadcode/store"
)

func TestCoderObservationFoldsNames(t *testing.T) {
	dir := t.TempDir()
	p, err := store.Create(filepath.Join(dir, "study.dyad"), annotate.DefaultScheme())
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	video := filepath.Join(dir, "v.mp4")
	if err := os.WriteFile(video, []byte("a file with content"), 0o644); err != nil {
		t.Fatal(err)
	}
	v, err := p.AddVideo(annotate.Video{Path: video})
	if err != nil {
		t.Fatal(err)
	}
	o, err := p.NewObservation(v.ID, "dana")
	if err != nil {
		t.Fatal(err)
	}
	for _, typed := range []string{"dana", "Dana ", " DANA"} {
		id, ok, err := CoderObservation(p, v.ID, typed)
		if err != nil || !ok || id != o.ID {
			t.Errorf("%q: %q %v %v, want dana's observation %s", typed, id, ok, err, o.ID)
		}
	}
	if _, ok, _ := CoderObservation(p, v.ID, "ben"); ok {
		t.Error("ben found dana's observation")
	}
}
