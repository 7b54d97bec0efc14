package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRelocate(t *testing.T) {
	dir, proj, _, _ := twoCoders(t)
	other := makeVideo(t, dir, "child02.mp4", 1, 7)
	cliOK(t, "add-video", proj, other)
	if out := cliOK(t, "relocate", proj, dir); !strings.Contains(out, "no video was missing") {
		t.Errorf("nothing missing: %q", out)
	}

	// The lab moves the videos to a new drive and renames one.
	moved := filepath.Join(t.TempDir(), "drive", "2024", "renamed.mp4")
	os.MkdirAll(filepath.Dir(moved), 0o755)
	if err := os.Rename(filepath.Join(dir, "child01.mp4"), moved); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(other, filepath.Join(dir, "gone.bin")); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(dir, "gone.bin"))
	code, out, errs := cli(t, "relocate", proj, filepath.Dir(filepath.Dir(moved)))
	if code != 1 || !strings.Contains(out, "found v1 at "+moved) || !strings.Contains(errs, "1 video(s) still missing: v2 ") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	if got := projectVideos(t, proj)[0].Path; got != moved {
		t.Errorf("v1 recorded at %s", got)
	}
	// The observations follow the video.
	if out := cliOK(t, "observations", proj); !strings.Contains(out, "v1 renamed.mp4") {
		t.Errorf("observations after relocate:\n%s", out)
	}
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"relocate", proj}, 2, "need a project and a folder"},
		{[]string{"relocate", proj, filepath.Join(dir, "nowhere")}, 1, "nowhere"},
		{[]string{"relocate", proj, moved}, 2, "is not a folder"},
	} {
		code, _, errs := cli(t, c.args...)
		if code != c.code || !strings.Contains(errs, c.msg) {
			t.Errorf("%v: exit %d, stderr %q; want %d with %q", c.args, code, errs, c.code, c.msg)
		}
	}
}
