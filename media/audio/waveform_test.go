package audio

import (
	"bytes"
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"dyadcode/mediatime"
)

// The 440 Hz tone (amplitude 0.8) for 3 s then 2 s of silence: the peaks
// show the tone in the first 3/5 of the buckets, then ~0.
func TestWaveformToneThenSilence(t *testing.T) {
	for _, tc := range []struct {
		file    string
		buckets int
		amp     float32
	}{{"tone.wav", 100, 0.8}, {"tone.mp4", 500, 0.8 * math.Sqrt2 / 2}, {"tone.ts", 50, 0.8}, {"tone.wav", 7, 0.8}, {"tone.wav", 100000, 0.8}} {
		var calls int
		var lastDone, lastTotal int64
		peaks, err := Waveform(media(t, tc.file), tc.buckets, func(done, total int64) {
			calls++
			if done < lastDone || done > total {
				t.Errorf("progress went %d/%d after %d/%d", done, total, lastDone, lastTotal)
			}
			lastDone, lastTotal = done, total
		})
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		if len(peaks) != tc.buckets {
			t.Fatalf("%s: %d peaks, want %d", tc.file, len(peaks), tc.buckets)
		}
		if calls == 0 || calls > 102 || lastDone != lastTotal || math.Abs(float64(lastDone)/1e6-5) > 0.1 {
			t.Errorf("%s: progress calls=%d, last %d/%d", tc.file, calls, lastDone, lastTotal)
		}
		width := 5 / float64(len(peaks))
		for i, p := range peaks {
			from, to := float64(i)*width, float64(i+1)*width // seconds
			if p.Min > p.Max || p.Min < -1 || p.Max > 1 {
				t.Fatalf("%s: bucket %d = %+v", tc.file, i, p)
			}
			switch {
			case to < 2.95 && width >= 0.005: // whole tone periods in the bucket
				if p.Max < tc.amp*0.9 || p.Min > -tc.amp*0.9 || p.Max > tc.amp*1.1 || p.Min < -tc.amp*1.1 {
					t.Errorf("%s: bucket %d (%.2f-%.2f s) = %+v, want ≈ ±%g", tc.file, i, from, to, p, tc.amp)
				}
			case from > 3.05:
				if p.Max > 0.01 || p.Min < -0.01 {
					t.Errorf("%s: bucket %d (%.2f-%.2f s) = %+v, want silence", tc.file, i, from, to, p)
				}
			}
		}
	}
}

func TestWaveformErrors(t *testing.T) {
	for _, tc := range []struct {
		name    string
		path    string
		buckets int
		is      error
	}{
		{"no audio", media(t, "silent.mp4"), 10, ErrNoAudio},
		{"missing", "/nonexistent/a.wav", 10, nil},
		{"not media", media(t, "notmedia.mp4"), 10, nil},
		{"zero buckets", media(t, "tone.wav"), 0, nil},
	} {
		_, err := Waveform(tc.path, tc.buckets, nil)
		if err == nil || !strings.Contains(err.Error(), tc.path) {
			t.Errorf("%s: err = %v, want one naming %s", tc.name, err, tc.path)
		}
		if tc.is != nil && !errors.Is(err, tc.is) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.is)
		}
	}
	// Truncated MP4: the peaks of what was read, spread over all buckets,
	// and ErrDamaged naming the file.
	path := truncated(t, media(t, "tone.mp4"), 0.5)
	peaks, err := Waveform(path, 40, nil)
	if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), path) {
		t.Errorf("truncated: err = %v", err)
	}
	if len(peaks) != 40 || peaks[0].Max < 0.5 {
		t.Errorf("truncated: %d peaks, first %+v", len(peaks), peaks)
	}
}

func TestPeaksRoundTrip(t *testing.T) {
	peaks, err := Waveform(media(t, "tone.mp4"), 300, nil)
	if err != nil {
		t.Fatal(err)
	}
	b := MarshalPeaks(peaks)
	got, err := UnmarshalPeaks(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(peaks) {
		t.Fatalf("%d peaks back, want %d", len(got), len(peaks))
	}
	for i := range got {
		if math.Abs(float64(got[i].Min-peaks[i].Min)) > 1.0/32767 || math.Abs(float64(got[i].Max-peaks[i].Max)) > 1.0/32767 {
			t.Fatalf("peak %d: %+v back as %+v", i, peaks[i], got[i])
		}
	}
	if !bytes.Equal(MarshalPeaks(got), b) {
		t.Error("re-marshalling changed the bytes")
	}
	empty, err := UnmarshalPeaks(MarshalPeaks(nil))
	if err != nil || len(empty) != 0 {
		t.Errorf("empty round trip: %v %v", empty, err)
	}
	bad := append([]byte(nil), b...)
	bad[peaksHeader+1] = 0x7f // make a min larger than its max
	for name, in := range map[string][]byte{
		"nil":       nil,
		"magic":     append([]byte("XXXX"), b[4:]...),
		"version":   append(append([]byte(nil), b[:4]...), append([]byte{9}, b[5:]...)...),
		"short":     b[:len(b)-1],
		"long":      append(append([]byte(nil), b...), 0),
		"min > max": bad,
	} {
		if _, err := UnmarshalPeaks(in); !errors.Is(err, ErrBadPeaks) {
			t.Errorf("%s: err = %v, want ErrBadPeaks", name, err)
		}
	}
}

func TestNormalize(t *testing.T) {
	got := Normalize([]Peak{{-0.25, 0.5}, {0, 0}, {-0.1, 0.1}})
	want := []Peak{{-0.5, 1}, {0, 0}, {-0.2, 0.2}}
	for i := range want {
		if math.Abs(float64(got[i].Min-want[i].Min)) > 1e-6 || math.Abs(float64(got[i].Max-want[i].Max)) > 1e-6 {
			t.Errorf("Normalize[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
	if s := Normalize([]Peak{{0, 0}}); s[0] != (Peak{}) {
		t.Errorf("silence normalised to %+v", s[0])
	}
}

// WaveformOf with End: the buckets cover the session [0, End) so the lane
// lines up with the picture, whatever the audio's own span.
func TestWaveformSpan(t *testing.T) {
	const tone, silence = 1, 0
	for _, tc := range []struct {
		name    string
		file    string
		start   mediatime.Time
		end     mediatime.Time
		buckets int
		want    func(from, to float64) int // expected content, -1: don't care
		amp     float32
	}{
		{"audio starts 0.7 s late", "tone.wav", -700 * mediatime.Millisecond, 5 * mediatime.Second, 50,
			func(from, to float64) int {
				switch {
				case to <= 0.7 || from >= 3.7:
					return silence
				case from >= 0.7 && to <= 3.7:
					return tone
				}
				return -1
			}, 0.8},
		{"audio longer than the session", "longaudio.mkv", 0, mediatime.Second, 10,
			func(from, to float64) int { return tone }, 0.125},
		{"session longer than the audio", "tone.mp4", 0, 8 * mediatime.Second, 16,
			func(from, to float64) int {
				switch {
				case to <= 2.95:
					return tone
				case from >= 3.05:
					return silence
				}
				return -1
			}, 0.8 * math.Sqrt2 / 2}, // -ac 2 upmixes the mono tone at -3 dB
	} {
		t.Run(tc.name, func(t *testing.T) {
			var lastDone, lastTotal int64
			peaks, err := WaveformOf(media(t, tc.file), tc.buckets, WaveformOptions{StartTime: tc.start, End: tc.end,
				Progress: func(d, tot int64) { lastDone, lastTotal = d, tot }})
			if err != nil {
				t.Fatal(err)
			}
			if len(peaks) != tc.buckets {
				t.Fatalf("%d peaks", len(peaks))
			}
			if lastDone != lastTotal || lastTotal != int64(tc.end) {
				t.Errorf("last progress %d/%d, want %d/%d", lastDone, lastTotal, tc.end, tc.end)
			}
			w := tc.end.Float() / float64(tc.buckets)
			for i, p := range peaks {
				from, to := float64(i)*w, float64(i+1)*w
				switch tc.want(from, to) {
				case tone:
					if p.Max < tc.amp*0.85 || p.Max > tc.amp*1.1 || p.Min > -tc.amp*0.85 || p.Min < -tc.amp*1.1 {
						t.Errorf("bucket %d (%.2f-%.2f s) = %+v, want ≈ ±%g", i, from, to, p, tc.amp)
					}
				case silence:
					if p.Max > 0.01 || p.Min < -0.01 {
						t.Errorf("bucket %d (%.2f-%.2f s) = %+v, want silence", i, from, to, p)
					}
				}
			}
		})
	}
}

// A long file reports progress at most ~100 times, monotonically, ending at
// done == total.
func TestWaveformProgressBounded(t *testing.T) {
	var calls int
	var last int64
	_, err := Waveform(media(t, "long60.m4a"), 100, func(done, total int64) {
		calls++
		if done < last || done > total {
			t.Errorf("progress %d/%d after %d", done, total, last)
		}
		last = done
	})
	if err != nil {
		t.Fatal(err)
	}
	if calls < 10 || calls > 102 {
		t.Errorf("%d progress calls for 60 s", calls)
	}
}

func TestWaveformCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	peaks, err := WaveformOf(media(t, "long60.m4a"), 100, WaveformOptions{Context: ctx, Progress: func(done, total int64) {
		if calls++; calls == 3 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) || peaks != nil || calls != 3 {
		t.Errorf("cancelled waveform: %d peaks, err %v after %d progress calls", len(peaks), err, calls)
	}
}
