package decode

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"dyadcode/media/audio"
	"dyadcode/media/avsync"
	"dyadcode/media/mediatest"
)

// source is a room's sound made by the ffmpeg CLI: noise switched on and
// off by a sum of incommensurate sines, so it has bursts and pauses like
// voices and claps, and no period a wrong lag could also match.
func source(t *testing.T, name string, seed int, gate string) string {
	t.Helper()
	return mediatest.Path(t, mediatest.Spec{Name: name, Ext: ".wav", Args: []string{
		"-f", "lavfi", "-i", fmt.Sprintf("anoisesrc=seed=%d:amplitude=0.5:sample_rate=48000:duration=40", seed),
		"-af", "volume=eval=frame:volume='" + gate + "'", "-c:a", "pcm_s16le"}})
}

// Two rooms' gates and noise seeds: different voices at different times.
const (
	room      = "gt(sin(2*PI*0.73*t)+sin(2*PI*1.31*t+1)+sin(2*PI*0.277*t+2),0.7)"
	otherRoom = "gt(sin(2*PI*0.61*t+0.5)+sin(2*PI*1.17*t+2)+sin(2*PI*0.33*t+1),0.7)"
)

// camera films the source from `from` seconds (a later start is a camera
// switched on later) for 25 s, at its own frame rate, sample rate, gain,
// codec and container, with its own independent microphone noise.
func camera(t *testing.T, name, src string, from float64, fps, sampleRate int, gain float64, noiseSeed int, codec, ext string) string {
	t.Helper()
	return mediatest.Path(t, mediatest.Spec{Name: name, Ext: ext, Args: []string{
		"-f", "lavfi", "-i", fmt.Sprintf("testsrc2=size=160x120:rate=%d", fps),
		"-ss", fmt.Sprintf("%.3f", from), "-i", src,
		"-f", "lavfi", "-i", fmt.Sprintf("anoisesrc=color=pink:amplitude=0.08:seed=%d:sample_rate=48000", noiseSeed),
		"-filter_complex", fmt.Sprintf("[1:a]volume=%g[s];[s][2:a]amix=inputs=2:duration=first:normalize=0,aresample=%d[a]", gain, sampleRate),
		"-map", "0:v", "-map", "[a]", "-t", "25", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
		"-c:a", codec, "-ar", fmt.Sprint(sampleRate)}})
}

func TestSyncFindsTheOffsetOfRealFiles(t *testing.T) {
	src := source(t, "sync_room", 11, room)
	ref := camera(t, "sync_ref", src, 2, 25, 48000, 1, 1, "aac", ".mp4")
	for _, tc := range []struct {
		name string
		path string
		want float64 // where OTHER's 0 lies on REFERENCE's timeline
	}{
		// Switched on 3.4 s after the reference: 30 fps, 44.1 kHz PCM in
		// Matroska, quieter, another microphone's noise.
		{"later", camera(t, "sync_later", src, 5.4, 30, 44100, 0.35, 2, "pcm_s16le", ".mkv"), 3.4},
		// Switched on 1.25 s before the reference: 24 fps,
		// 32 kHz AAC, louder.
		{"earlier", camera(t, "sync_earlier", src, 0.75, 24, 32000, 1.8, 3, "aac", ".mp4"), -1.25},
	} {
		r := sync(t, ref, tc.path)
		t.Logf("%s: offset %.4f s, confidence %.1f", tc.name, r.Offset, r.Confidence)
		if math.Abs(r.Offset-tc.want) > 0.010 || r.Low() {
			t.Errorf("%s: offset %.4f s (confidence %.2f), want %.3f ± 0.010 s", tc.name, r.Offset, r.Confidence, tc.want)
		}
	}
	// A camera in another room: no shared sound, low confidence.
	elsewhere := camera(t, "sync_elsewhere", source(t, "sync_other_room", 12, otherRoom), 2, 25, 48000, 1, 4, "aac", ".mp4")
	r := sync(t, ref, elsewhere)
	t.Logf("unrelated: offset %.4f s, confidence %.2f", r.Offset, r.Confidence)
	if !r.Low() {
		t.Errorf("no shared sound: confidence %.2f ≥ %g", r.Confidence, avsync.LowConfidence)
	}
}

func sync(t *testing.T, ref, other string) avsync.Result {
	t.Helper()
	a, err := Mono(ref, avsync.DefaultRate)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Mono(other, avsync.DefaultRate)
	if err != nil {
		t.Fatal(err)
	}
	if want := 25 * avsync.DefaultRate; math.Abs(float64(len(a)-want)) > 0.1*float64(want) {
		t.Errorf("%s: %d samples, want about %d", ref, len(a), want)
	}
	r, err := avsync.Estimate(a, b, avsync.DefaultRate)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestMonoWithoutAudio(t *testing.T) {
	if _, err := Mono(mediatest.Path(t, mediatest.NoAudio), avsync.DefaultRate); !errors.Is(err, audio.ErrNoAudio) {
		t.Errorf("no audio: %v", err)
	}
	if _, err := Mono("/nonexistent.mp4", avsync.DefaultRate); err == nil {
		t.Error("a missing file decoded")
	}
}
