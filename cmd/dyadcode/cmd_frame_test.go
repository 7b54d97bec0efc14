package main

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dyadcode/media"
	"dyadcode/media/mediatest"
)

func TestFrameCommand(t *testing.T) {
	video := mediatest.Path(t, mediatest.MPEGTS) // non-zero start time
	rot := mediatest.Path(t, mediatest.Rotated)
	dir := t.TempDir()
	d, err := media.Open(video, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	want := func(n int64) []byte {
		f, err := d.Frame(n)
		if err != nil {
			t.Fatal(err)
		}
		return append([]byte(nil), f.Image.Pix...)
	}
	cases := []struct {
		name     string
		args     []string
		code     int
		frame    int64 // -1: no file expected
		w, h     int
		errWants string
	}{
		{"index", []string{"frame", video, "--index", "37", "-o", filepath.Join(dir, "a.png")}, 0, 37, 320, 240, ""},
		{"at", []string{"frame", video, "--at", "1.5", "-o", filepath.Join(dir, "b.png")}, 0, 37, 320, 240, ""},
		{"at inside frame", []string{"frame", video, "--at", "1.539", "-o", filepath.Join(dir, "c.png")}, 0, 38, 320, 240, ""},
		{"rotated", []string{"frame", rot, "--index", "0", "-o", filepath.Join(dir, "r.png")}, 0, -2, 240, 320, ""},
		{"sized", []string{"frame", rot, "--index", "0", "--size", "120x160", "-o", filepath.Join(dir, "s.png")}, 0, -2, 120, 160, ""},
		{"both", []string{"frame", video, "--index", "1", "--at", "1", "-o", filepath.Join(dir, "x.png")}, 2, -1, 0, 0, "exactly one"},
		{"neither", []string{"frame", video, "-o", filepath.Join(dir, "x.png")}, 2, -1, 0, 0, "exactly one"},
		{"no output", []string{"frame", video, "--index", "1"}, 2, -1, 0, 0, "-o OUT.png"},
		{"bad time", []string{"frame", video, "--at", "1e3", "-o", filepath.Join(dir, "x.png")}, 2, -1, 0, 0, "--at"},
		{"past end", []string{"frame", video, "--index", "100", "-o", filepath.Join(dir, "x.png")}, 1, -1, 0, 0, "past the last frame"},
		{"missing", []string{"frame", filepath.Join(dir, "none.mp4"), "--index", "1", "-o", filepath.Join(dir, "x.png")}, 1, -1, 0, 0, "none.mp4"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(c.args, &cmdEnv{stdout: &out, stderr: &errb})
			if code != c.code {
				t.Fatalf("exit %d, want %d: %s", code, c.code, errb.String())
			}
			if !strings.Contains(errb.String(), c.errWants) || (c.errWants == "" && errb.Len() > 0) {
				t.Errorf("stderr %q lacks %q", errb.String(), c.errWants)
			}
			if c.frame == -1 {
				if _, err := os.Stat(filepath.Join(dir, "x.png")); err == nil {
					t.Error("an output file was written on error")
				}
				return
			}
			f, err := os.Open(c.args[len(c.args)-1])
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			img, err := png.Decode(f)
			if err != nil {
				t.Fatal(err)
			}
			if b := img.Bounds(); b.Dx() != c.w || b.Dy() != c.h {
				t.Fatalf("PNG is %v, want %dx%d", b, c.w, c.h)
			}
			if c.frame >= 0 {
				rgba, ok := img.(*image.RGBA)
				if !ok {
					nrgba := img.(*image.NRGBA) // opaque RGBA is written as NRGBA-compatible
					rgba = &image.RGBA{Pix: nrgba.Pix, Stride: nrgba.Stride, Rect: nrgba.Rect}
				}
				if !bytes.Equal(rgba.Pix, want(c.frame)) {
					t.Errorf("PNG pixels are not frame %d's", c.frame)
				}
			}
		})
	}
}
