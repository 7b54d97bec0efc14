package decode

import (
	"errors"
	"math"
	"testing"

	"dyadcode/media/audio"
	"dyadcode/media/avsync"
	"dyadcode/media/avsync/avsynctest"
	"dyadcode/media/mediatest"
)

func TestSyncFindsTheOffsetOfRealFiles(t *testing.T) {
	ref := avsynctest.Reference
	for _, c := range []avsynctest.Camera{avsynctest.Later, avsynctest.Earlier} {
		r := sync(t, ref.Path(t), c.Path(t))
		want := avsynctest.Offset(ref, c)
		t.Logf("%s: offset %.4f s, confidence %.1f", c.Name, r.Offset, r.Confidence)
		if math.Abs(r.Offset-want) > 0.010 || r.Low() {
			t.Errorf("%s: offset %.4f s (confidence %.2f), want %.3f ± 0.010 s", c.Name, r.Offset, r.Confidence, want)
		}
	}
	// A camera in another room: no shared sound, low confidence.
	r := sync(t, ref.Path(t), avsynctest.OtherRoom.Path(t))
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
