package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dyadcode/media"
	"dyadcode/media/mediatest"
	"dyadcode/store"
)

func TestProxyCommand(t *testing.T) {
	src := mediatest.Path(t, mediatest.NTSC)
	dir := t.TempDir()
	cases := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"makes proxy", []string{"proxy", src, "-o", filepath.Join(dir, "p.mp4"), "--gop", "10"}, 0, "150 frames", "100%"},
		{"quiet", []string{"proxy", src, "-q", "-o", filepath.Join(dir, "q.mp4")}, 0, "keyframe every 12", ""},
		{"no output", []string{"proxy", src}, 2, "", "-o OUT.mp4"},
		{"bad gop", []string{"proxy", src, "-o", filepath.Join(dir, "x.mp4"), "--gop", "0"}, 2, "", "--gop"},
		{"not media", []string{"proxy", "/etc/hostname", "-o", filepath.Join(dir, "x.mp4")}, 1, "", "/etc/hostname"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(c.args, &cmdEnv{stdout: &out, stderr: &errb})
			if code != c.code || !strings.Contains(out.String(), c.stdout) || !strings.Contains(errb.String(), c.stderr) {
				t.Fatalf("exit %d (want %d)\nstdout %q (want %q)\nstderr %q (want %q)", code, c.code, out.String(), c.stdout, errb.String(), c.stderr)
			}
		})
	}
	ix, err := media.BuildIndex(filepath.Join(dir, "p.mp4"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !ix.Key[10] || ix.Key[5] {
		t.Errorf("--gop 10 not honoured: key[5]=%v key[10]=%v", ix.Key[5], ix.Key[10])
	}
	if _, err := os.Stat(filepath.Join(dir, "x.mp4")); err == nil {
		t.Error("a failed proxy left an output file")
	}
}

// TestProxyRecordedInProject: --project points the project's video at the
// proxy, found by the original's content; a video the project lacks is
// refused before any transcoding.
func TestProxyRecordedInProject(t *testing.T) {
	src := mediatest.Path(t, mediatest.NTSC)
	dir := t.TempDir()
	proj := filepath.Join(dir, "study.dyad")
	for _, args := range [][]string{{"new", proj}, {"add-video", proj, src}} {
		var out, errb bytes.Buffer
		if code := run(args, &cmdEnv{stdout: &out, stderr: &errb}); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errb.String())
		}
	}
	var out, errb bytes.Buffer
	other := mediatest.Path(t, mediatest.NoAudio)
	if code := run([]string{"proxy", other, "-q", "-o", filepath.Join(dir, "other.mp4"), "--project", proj}, &cmdEnv{stdout: &out, stderr: &errb}); code != 1 ||
		!strings.Contains(errb.String(), "is not a video of") {
		t.Fatalf("proxy of a video not in the project: exit %d, %s", code, errb.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "other.mp4")); err == nil {
		t.Error("a refused proxy was still made")
	}
	proxy := filepath.Join(dir, "proxy.mp4")
	out.Reset()
	errb.Reset()
	if code := run([]string{"proxy", src, "-q", "-o", proxy, "--project", proj}, &cmdEnv{stdout: &out, stderr: &errb}); code != 0 {
		t.Fatalf("proxy --project: exit %d: %s", code, errb.String())
	}
	p, err := store.Open(proj, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	vs, err := p.Videos()
	if err != nil || len(vs) != 1 {
		t.Fatalf("videos %v, %v", vs, err)
	}
	if vs[0].Proxy != proxy || vs[0].Path != src {
		t.Errorf("video after proxy: path %q proxy %q, want path %q proxy %q", vs[0].Path, vs[0].Proxy, src, proxy)
	}
}
