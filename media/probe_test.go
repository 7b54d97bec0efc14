package media

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dyadcode/media/mediatest"
	"dyadcode/mediatime"
)

func TestProbe(t *testing.T) {
	cases := []struct {
		spec              mediatest.Spec
		codec, container  string
		w, h, rot         int
		rate              mediatime.Rate
		vfr, audio        bool
		minDur, maxDur    mediatime.Time
		minStart          mediatime.Time
		channels, samples int
	}{
		{spec: mediatest.H264LongGOP, codec: "h264", container: "mp4", w: 320, h: 240, rate: mediatime.Rate{Num: 25, Den: 1}, audio: true, minDur: 9990000, maxDur: 10010000, channels: 1, samples: 48000},
		{spec: mediatest.H264VFR, codec: "h264", container: "mp4", w: 320, h: 240, vfr: true, minDur: 4990000, maxDur: 5210000},
		{spec: mediatest.NTSC, codec: "h264", container: "mp4", w: 320, h: 240, rate: mediatime.Rate{Num: 30000, Den: 1001}, audio: true, minDur: 5004000, maxDur: 5006000, channels: 1, samples: 48000},
		{spec: mediatest.MPEG4AVI, codec: "mpeg4", container: "avi", w: 320, h: 240, rate: mediatime.Rate{Num: 25, Den: 1}, audio: true, minDur: 4990000, maxDur: 5010000, channels: 1, samples: 48000},
		{spec: mediatest.VP9WebM, codec: "vp9", container: "webm", w: 320, h: 240, rate: mediatime.Rate{Num: 25, Den: 1}, minDur: 3990000, maxDur: 4010000},
		{spec: mediatest.MJPEGMOV, codec: "mjpeg", container: "mov", w: 320, h: 240, rate: mediatime.Rate{Num: 30, Den: 1}, minDur: 1990000, maxDur: 2010000},
		{spec: mediatest.Rotated, codec: "h264", container: "mp4", w: 320, h: 240, rot: 90, rate: mediatime.Rate{Num: 30, Den: 1}, audio: true, minDur: 1990000, maxDur: 2010000, channels: 1, samples: 48000},
		{spec: mediatest.MPEGTS, codec: "h264", container: "mpegts", w: 320, h: 240, rate: mediatime.Rate{Num: 25, Den: 1}, audio: true, minDur: 3990000, maxDur: 4010000, minStart: 10 * mediatime.Second, channels: 1, samples: 48000},
		{spec: mediatest.LongAudio, codec: "h264", container: "mp4", w: 320, h: 240, rate: mediatime.Rate{Num: 25, Den: 1}, audio: true, minDur: 2990000, maxDur: 3010000, channels: 1, samples: 48000},
	}
	for _, c := range cases {
		t.Run(c.spec.Name, func(t *testing.T) {
			path := mediatest.Path(t, c.spec)
			in, err := Probe(path)
			if err != nil {
				t.Fatal(err)
			}
			want := int64(len(mediatest.ProbeFrames(t, path)))
			if in.Frames != want {
				t.Errorf("Frames %d, ffprobe %d", in.Frames, want)
			}
			if in.Path != path || in.VideoCodec != c.codec || !strings.Contains(in.Container, c.container) {
				t.Errorf("path %q codec %q container %q, want %q %q %q", in.Path, in.VideoCodec, in.Container, path, c.codec, c.container)
			}
			if in.Width != c.w || in.Height != c.h || in.Rotation != c.rot {
				t.Errorf("%dx%d rot %d, want %dx%d rot %d", in.Width, in.Height, in.Rotation, c.w, c.h, c.rot)
			}
			if !c.vfr && in.Rate != c.rate {
				t.Errorf("rate %v, want %v", in.Rate, c.rate)
			}
			if in.VariableRate != c.vfr {
				t.Errorf("VariableRate %v, want %v", in.VariableRate, c.vfr)
			}
			if in.Duration < c.minDur || in.Duration > c.maxDur {
				t.Errorf("duration %v, want in [%v, %v]", in.Duration, c.minDur, c.maxDur)
			}
			if in.StartTime < c.minStart || (c.minStart > 0) != (in.StartTime > 0) {
				t.Errorf("start %v, want >= %v", in.StartTime, c.minStart)
			}
			if in.HasAudio != c.audio || in.Channels != c.channels || in.SampleRate != c.samples {
				t.Errorf("audio %v %d ch %d Hz (%q), want %v %d %d", in.HasAudio, in.Channels, in.SampleRate, in.AudioCodec, c.audio, c.channels, c.samples)
			}
		})
	}
}

func TestProbeBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := []struct {
		name string
		path string
		want error
	}{
		{"missing", filepath.Join(dir, "nope.mp4"), os.ErrNotExist},
		{"empty", write("empty.mp4", nil), ErrNotMedia},
		{"text", write("notes.mp4", []byte(strings.Repeat("this is not a video\n", 200))), ErrNotMedia},
		{"directory", dir, ErrNotMedia},
		{"audio only", mediatest.Path(t, mediatest.AudioOnly), ErrNoVideo},
		{"cover art only", mediatest.Path(t, mediatest.CoverArt), ErrNoVideo},
		{"unknown codec", mediatest.Path(t, mediatest.Unsupported), ErrUnsupported},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Probe(c.path)
			if !errors.Is(err, c.want) {
				t.Fatalf("err %v, want %v", err, c.want)
			}
			if !strings.Contains(err.Error(), c.path) {
				t.Errorf("error %q does not name the file", err)
			}
			if c.want == ErrUnsupported && !strings.Contains(err.Error(), "FourCC ZZZZ") {
				t.Errorf("error %q does not name the codec", err)
			}
		})
	}
}
