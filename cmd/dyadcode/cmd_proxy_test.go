package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dyadcode/media"
	"dyadcode/media/mediatest"
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
