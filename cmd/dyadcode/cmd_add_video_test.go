package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dyadcode/annotate"
	"dyadcode/store"
)

// projectVideos opens a project read-only and lists its videos.
func projectVideos(t *testing.T, path string) []annotate.Video {
	t.Helper()
	p, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	vs, err := p.Videos()
	if err != nil {
		t.Fatal(err)
	}
	return vs
}

func TestAddVideo(t *testing.T) {
	dir := t.TempDir()
	proj := filepath.Join(dir, "study.dyad")
	cliOK(t, "new", proj)
	a := makeVideo(t, dir, "child01.mp4", 2, 1)
	b := makeVideo(t, dir, "child02.mp4", 1, 2)

	out := cliOK(t, "add-video", proj, a)
	if !strings.Contains(out, "added v1 ") || !strings.Contains(out, "child01.mp4") || !strings.Contains(out, "25 fps, 50 frames") {
		t.Errorf("add-video said %q", out)
	}
	// The same content again, under another name, is the same video.
	dup := filepath.Join(dir, "copy of child01.mp4")
	if err := os.WriteFile(dup, fileBytes(t, a), 0o644); err != nil {
		t.Fatal(err)
	}
	if out := cliOK(t, "add-video", proj, dup); !strings.Contains(out, "already in the project as v1") {
		t.Errorf("duplicate: %q", out)
	}
	cliOK(t, "add-video", proj, b)
	vs := projectVideos(t, proj)
	if len(vs) != 2 {
		t.Fatalf("%d videos, want 2", len(vs))
	}
	v := vs[0]
	abs, _ := filepath.Abs(a)
	if v.ID != "v1" || v.Path != abs || v.Size != int64(len(fileBytes(t, a))) || v.Fingerprint == "" {
		t.Errorf("recorded %+v", v)
	}
	if v.Duration != annotate.MustSeconds("2") || v.Rate != (annotate.Rate{Num: 25, Den: 1}) || v.Frames != 50 {
		t.Errorf("timing %s s, %v, %d frames; want 2 s at 25/1, 50 frames", v.Duration.Seconds(), v.Rate, v.Frames)
	}

	// A video that moved is pointed at its new place when added again.
	moved := filepath.Join(dir, "moved.mp4")
	if err := os.Rename(b, moved); err != nil {
		t.Fatal(err)
	}
	code, out, errs := cli(t, "add-video", proj, moved)
	if code != 0 || !strings.Contains(out, "already in the project as v2") || !strings.Contains(errs, "had moved") {
		t.Errorf("moved video: exit %d, %q, %q", code, out, errs)
	}
	if got := projectVideos(t, proj)[1].Path; filepath.Base(got) != "moved.mp4" {
		t.Errorf("path after move %s", got)
	}

	// A file that is no media file is refused, naming it.
	notVideo := filepath.Join(dir, "notes.mp4")
	os.WriteFile(notVideo, []byte("not a video at all"), 0o644)
	code, out, errs = cli(t, "add-video", proj, notVideo)
	if code != 1 || out != "" || !strings.Contains(errs, notVideo+" cannot be coded: ") || !strings.Contains(errs, "not a media file") {
		t.Errorf("not a video: exit %d, %q, %q", code, out, errs)
	}
	if n := len(projectVideos(t, proj)); n != 2 {
		t.Errorf("%d videos after a refused add-video, want 2", n)
	}
}

func TestAddVideoErrors(t *testing.T) {
	dir := t.TempDir()
	proj := filepath.Join(dir, "study.dyad")
	cliOK(t, "new", proj)
	other := filepath.Join(dir, "second.dyad")
	cliOK(t, "new", other)
	before := fileBytes(t, proj)
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"add-video", proj}, 2, "need a project and a video"},
		{[]string{"add-video", proj, filepath.Join(dir, "none.mp4")}, 1, "none.mp4"},
		{[]string{"add-video", proj, dir}, 1, "not a regular file"},
		{[]string{"add-video", proj, proj}, 1, proj + " is a dyadcode project, not a video"},
		{[]string{"add-video", proj, other}, 1, other + " is a dyadcode project, not a video"},
		{[]string{"add-video", filepath.Join(dir, "other.dyad"), filepath.Join(dir, "x.mp4")}, 1, "no such project"},
	} {
		code, _, errs := cli(t, c.args...)
		if code != c.code || !strings.Contains(errs, c.msg) {
			t.Errorf("%v: exit %d, stderr %q; want %d with %q", c.args, code, errs, c.code, c.msg)
		}
	}
	if string(fileBytes(t, proj)) != string(before) {
		t.Error("a failed add-video changed the project")
	}
}
