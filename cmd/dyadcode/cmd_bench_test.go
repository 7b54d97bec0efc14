package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"dyadcode/media"
	"dyadcode/media/mediatest"
)

// TestBenchCommand runs a short bench: the figures are there and sane (the
// speeds themselves are reported, never asserted).
func TestBenchCommand(t *testing.T) {
	video := mediatest.Path(t, mediatest.NoAudio)
	var out, errb bytes.Buffer
	code := run([]string{"bench", "media", video, "--seeks", "5", "--steps", "5", "--play", "0.5", "--long", "20"}, &cmdEnv{stdout: &out, stderr: &errb})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, s := range []string{"decode (", "ffmpeg -threads", "exact seek:", "plain keyframe+decode:", "step back:", "play 1x", "dropped",
		"first step back after a jump", "first open (index build)", "second open"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("report lacks %q:\n%s", s, out.String())
		}
	}
	out.Reset()
	code = run([]string{"bench", "media", video, "--seeks", "3", "--steps", "3", "--play", "0", "--long", "0", "--json"}, &cmdEnv{stdout: &out, stderr: &errb})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var r media.BenchResult
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	if r.DecodeFPS <= 0 || r.FFmpegFPS <= 0 || r.SeekMedian <= 0 || r.PlainMedian <= 0 || r.StepBackMedian <= 0 || r.PlaySeconds != 0 || r.Info.Frames != 75 {
		t.Errorf("figures missing: %+v", r)
	}
	if code := run([]string{"bench", "video", video}, &cmdEnv{stdout: &out, stderr: &errb}); code != 2 {
		t.Errorf("bench video: exit %d, want 2", code)
	}
}

// TestBenchWithoutFFmpeg: without the ffmpeg program, its reference, bench
// says so instead of measuring half.
func TestBenchWithoutFFmpeg(t *testing.T) {
	video := mediatest.Path(t, mediatest.NoAudio)
	t.Setenv("PATH", t.TempDir())
	var out, errb bytes.Buffer
	code := run([]string{"bench", "media", video, "--seeks", "1", "--steps", "1", "--play", "0"}, &cmdEnv{stdout: &out, stderr: &errb})
	if code != 1 || !strings.Contains(errb.String(), "ffmpeg program, its reference") || !strings.Contains(errb.String(), "not installed") {
		t.Errorf("exit %d, stderr %q; want 1 and a message naming the missing ffmpeg reference", code, errb.String())
	}
}
