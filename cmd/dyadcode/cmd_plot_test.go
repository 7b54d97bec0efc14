// Wiring to the project store (package dyadcode/store), built only with
// -tags dyadstore until store is committed; then delete this constraint.

//go:build dyadstore

package main

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPlotCommand(t *testing.T) {
	path := metricsProject(t)
	dir := t.TempDir()
	for _, c := range []struct {
		name, obs, file string
	}{
		{"event plot", "1", "one.png"},
		{"comparison", "1,2", "both.png"},
		{"svg", "2", "two.svg"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(dir, c.file)
			if code, _, errs := runMetricsCmd(t, "plot", path, "--observation", c.obs, "-o", out); code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasSuffix(c.file, ".svg") {
				if !bytes.Contains(data, []byte("<svg")) || !bytes.Contains(data, []byte("distress")) {
					t.Fatalf("not an SVG event plot: %.100s", data)
				}
				return
			}
			img, err := png.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if img.Bounds().Dx() < 1000 {
				t.Errorf("plot only %d px wide", img.Bounds().Dx())
			}
		})
	}
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"plot", path, "--observation", "1"}, "need -o"},
		{[]string{"plot", path, "--observation", "1", "-o", "x.gif"}, ".png or .svg"},
		{[]string{"plot", path, "-o", filepath.Join(dir, "x.png")}, "choose with --observation"},
	} {
		if code, _, errs := runMetricsCmd(t, c.args...); code != 2 || !strings.Contains(errs, c.msg) {
			t.Errorf("%v: exit %d, %q; want 2 with %q", c.args, code, errs, c.msg)
		}
	}
}
