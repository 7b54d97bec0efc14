package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"dyadcode/media/mediatest"
	"dyadcode/store"
)

// TestAddVideoProbes: with FFmpeg linked in, add-video records the exact
// duration, frame rate and frame count.
func TestAddVideoProbes(t *testing.T) {
	proj := filepath.Join(t.TempDir(), "p.dyad")
	video := mediatest.Path(t, mediatest.NTSC)
	var out, errb bytes.Buffer
	env := &cmdEnv{stdout: &out, stderr: &errb}
	if code := run([]string{"new", proj}, env); code != 0 {
		t.Fatalf("new: %s", errb.String())
	}
	if code := run([]string{"add-video", proj, video}, env); code != 0 {
		t.Fatalf("add-video: %s", errb.String())
	}
	if !strings.Contains(out.String(), "150 frames") {
		t.Errorf("add-video said %q", out.String())
	}
	p, err := store.Open(proj, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	vs, err := p.Videos()
	if err != nil || len(vs) != 1 {
		t.Fatalf("videos %v %v", vs, err)
	}
	v := vs[0]
	if v.Frames != 150 || v.Rate.Num != 30000 || v.Rate.Den != 1001 || v.Duration != 5005000 {
		t.Errorf("recorded %+v", v)
	}
}
