package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dyadcode/media/mediatest"
)

func TestProbeCommand(t *testing.T) {
	ntsc := mediatest.Path(t, mediatest.NTSC)
	rot := mediatest.Path(t, mediatest.Rotated)
	empty := filepath.Join(t.TempDir(), "empty.mp4")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	full, err := os.ReadFile(mediatest.Path(t, mediatest.FastStart))
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(t.TempDir(), "cut.mp4")
	if err := os.WriteFile(cut, full[:len(full)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	ts := mediatest.Path(t, mediatest.MPEGTS)
	cases := []struct {
		name    string
		args    []string
		code    int
		out     []string
		errText string
	}{
		{"text", []string{"probe", ntsc}, 0, []string{"frames:      150", "30000/1001", "h264 320x240", "audio:       aac"}, ""},
		{"rotated", []string{"probe", rot}, 0, []string{"rotated 90° (shown 240x320)"}, ""},
		{"json", []string{"probe", ntsc, "--json"}, 0, []string{`"frames": 150`, `"frame_rate": "30000/1001"`}, ""},
		{"no args", []string{"probe"}, 2, nil, "want one VIDEO"},
		{"truncated", []string{"probe", cut}, 1, []string{"frames:"}, "truncated or damaged after"},
		{"frames", []string{"probe", "--frames", ts}, 0, []string{"frame,time_s,key\n0,0.000000,1\n1,0.040000,0\n", "\n99,3.960000,0\n"}, ""},
		{"empty file", []string{"probe", empty}, 1, nil, "empty.mp4"},
		{"missing", []string{"probe", "/nonexistent/x.mp4"}, 1, nil, "/nonexistent/x.mp4"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(c.args, &cmdEnv{stdout: &out, stderr: &errb})
			if code != c.code {
				t.Fatalf("exit %d, want %d; stderr %s", code, c.code, errb.String())
			}
			for _, s := range c.out {
				if !strings.Contains(out.String(), s) {
					t.Errorf("output lacks %q:\n%s", s, out.String())
				}
			}
			if !strings.Contains(errb.String(), c.errText) || (c.errText == "" && errb.Len() > 0) {
				t.Errorf("stderr %q lacks %q", errb.String(), c.errText)
			}
		})
	}
	t.Run("json parses", func(t *testing.T) {
		var out bytes.Buffer
		if code := run([]string{"probe", "--json", ntsc}, &cmdEnv{stdout: &out, stderr: &out}); code != 0 {
			t.Fatal(out.String())
		}
		var p probeJSON
		if err := json.Unmarshal(out.Bytes(), &p); err != nil {
			t.Fatal(err)
		}
		if p.Frames != 150 || p.Width != 320 || !p.HasAudio || p.Duration != "5.005000" {
			t.Errorf("got %+v", p)
		}
	})
}
