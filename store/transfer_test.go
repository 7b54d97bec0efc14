package store

import (
	"errors"
	"path/filepath"
	"testing"

	"dyadcode/annotate"
)

func TestTransfer(t *testing.T) {
	dir := t.TempDir()
	p, err := Create(filepath.Join(dir, "study.dyad"), annotate.DefaultScheme())
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	v, err := p.AddVideo(annotate.Video{Path: filepath.Join(dir, "clips", "child01.mp4"), Fingerprint: "fp1", Size: 10,
		Duration: 90 * annotate.Second, Rate: annotate.Rate{Num: 30000, Den: 1001}})
	if err != nil {
		t.Fatal(err)
	}
	o, err := p.NewObservation(v.ID, "alice")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := p.Transfer(o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Project != "study" || tr.Video != "child01.mp4" || tr.End != 90*annotate.Second ||
		tr.Rate != (annotate.Rate{Num: 30000, Den: 1001}) || tr.Obs.ID != o.ID || tr.Obs.Coder != "alice" {
		t.Errorf("Transfer = %+v (obs %+v)", tr, tr.Obs)
	}
	if _, err := p.Transfer("99"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Transfer of a missing observation: %v, want ErrNotFound", err)
	}
}
