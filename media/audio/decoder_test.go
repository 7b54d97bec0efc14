package audio

import (
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"

	"dyadcode/mediatime"
)

// decodeAll reads the rest of d's stream.
func decodeAll(tb testing.TB, d *Decoder) []float32 {
	tb.Helper()
	var all []float32
	buf := make([]float32, 4096)
	for {
		n, err := d.Read(buf)
		all = append(all, buf[:n]...)
		if err == io.EOF {
			return all
		}
		if err != nil {
			tb.Fatal(err)
		}
	}
}

// toneSpan is where the left channel is audibly non-silent, in frames.
func toneSpan(s []float32) (first, last int) {
	first, last = -1, -1
	for i := 0; i < len(s); i += 2 {
		if math.Abs(float64(s[i])) > 0.05 {
			if first < 0 {
				first = i / 2
			}
			last = i / 2
		}
	}
	return first, last
}

// zeroCrossHz estimates the dominant frequency of the left channel between
// frames a and b by counting sign changes.
func zeroCrossHz(s []float32, a, b int) float64 {
	crossings := 0
	for i := a + 1; i < b; i++ {
		if (s[2*i-2] < 0) != (s[2*i] < 0) {
			crossings++
		}
	}
	return float64(crossings) / 2 / (float64(b-a) / OutputRate)
}

// atempo at 0.5× and 2×: decoded through the filter graph without a device,
// the output is 2× and 0.5× as long, and the tone keeps its 440 Hz pitch.
func TestDecoderTempo(t *testing.T) {
	for _, file := range []string{"tone.wav", "tone.mp4", "surround.ac3", "hires.flac"} {
		for _, speed := range []float64{0.5, 1, 1.5, 2} {
			t.Run(file+"/"+fmtF(speed), func(t *testing.T) {
				d, err := OpenDecoder(media(t, file), Options{})
				if err != nil {
					t.Fatal(err)
				}
				defer d.Close()
				if err := d.SetSpeed(speed); err != nil {
					t.Fatal(err)
				}
				all := decodeAll(t, d)
				frames := len(all) / 2
				want := 5.0 / speed * OutputRate
				if math.Abs(float64(frames)-want) > 0.02*want {
					t.Errorf("%d output frames at %g×, want ≈ %.0f", frames, speed, want)
				}
				first, last := toneSpan(all)
				toneLen := float64(last-first+1) / OutputRate
				if wantLen := 3 / speed; math.Abs(toneLen-wantLen) > 0.03*wantLen {
					t.Errorf("tone lasts %.3f s at %g×, want ≈ %.3f s", toneLen, speed, wantLen)
				}
				// Pitch in the steady middle of the tone.
				a := first + (last-first)/4
				b := first + 3*(last-first)/4
				if hz := zeroCrossHz(all, a, b); math.Abs(hz-440) > 440*0.03 {
					t.Errorf("dominant frequency %.1f Hz at %g×, want 440", hz, speed)
				}
				if got := d.Position(); math.Abs(got.Float()-5) > 0.1 {
					t.Errorf("Position after the end = %v, want ≈ 5 s", got)
				}
			})
		}
	}
	d, err := OpenDecoder(media(t, "tone.wav"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for _, bad := range []float64{0.25, 4, math.NaN()} {
		if err := d.SetSpeed(bad); err == nil {
			t.Errorf("SetSpeed(%g) accepted", bad)
		}
	}
}

func fmtF(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// Seek is exact: after Seek(t) the tone (which ends at 3 s) ends 3-t into
// the output, and a seek past its end gives silence, for every container,
// at several speeds, and with a non-zero stream start (MPEG-TS).
func TestDecoderSeekExact(t *testing.T) {
	for _, tc := range []struct {
		file  string
		start bool    // subtract the stream's start time
		shift float64 // seconds the file's timeline is shifted by (encoder priming kept)
		tol   float64
	}{
		{"tone.wav", false, 0, 0.002},
		{"tone.mp4", false, 0, 0.01},
		{"tone.ts", true, 0, 0.03},
		// Raw ADTS has no edit list: the AAC encoder's 1024 priming samples
		// are part of its timeline, as for ffmpeg and ffprobe.
		{"tone.aac", false, 1024.0 / 44100, 0.01},
		{"tone.mp2", false, 0, 0.01},
		{"tone.ogg", false, 0, 0.002},
		// LAME's 1105-sample encoder delay: AVI cannot say so, so it is part
		// of the timeline (as in ffplay); raw MP3 declares it as its start time.
		{"tone.avi", false, 1105.0 / 44100, 0.01},
		{"tone.webm", false, 0, 0.01},
		{"tone.mov", false, 0, 0.002},
		{"tone.mp3", true, 0, 0.01},
		{"tone.ac3", false, 0, 0.01},
	} {
		path := media(t, tc.file)
		var start mediatime.Time
		if tc.start {
			in, err := openInput(path, 0)
			if err != nil {
				t.Fatal(err)
			}
			start = mediatime.Time(math.Round(in.start() * 1e6))
			in.close()
			if start == 0 {
				t.Fatalf("%s: expected a non-zero start time", tc.file)
			}
		}
		for _, speed := range []float64{1, 2, 0.5} {
			d, err := OpenDecoder(path, Options{StartTime: start})
			if err != nil {
				t.Fatal(err)
			}
			if err := d.SetSpeed(speed); err != nil {
				t.Fatal(err)
			}
			for _, at := range []mediatime.Time{2500 * mediatime.Millisecond, 1234567, 0, 2999 * mediatime.Millisecond, 4 * mediatime.Second, 1 * mediatime.Second} {
				if err := d.Seek(at); err != nil {
					t.Fatal(err)
				}
				if d.Position() != at {
					t.Errorf("Position after Seek(%v) = %v", at, d.Position())
				}
				all := decodeAll(t, d)
				_, last := toneSpan(all)
				wantEnd := (3 + tc.shift - at.Float()) / speed
				if wantEnd <= 0 {
					if last >= 0 {
						t.Errorf("%s %g×: seek to %v past the tone still hears it until %.3f s", tc.file, speed, at, float64(last)/OutputRate)
					}
					continue
				}
				gotEnd := float64(last+1) / OutputRate
				if math.Abs(gotEnd-wantEnd) > tc.tol+0.005/speed {
					t.Errorf("%s %g×: after Seek(%v) the tone ends at %.4f s, want %.4f s", tc.file, speed, at, gotEnd, wantEnd)
				}
				// The whole remaining audio comes out, no more, no less.
				if got, want := float64(len(all)/2)/OutputRate, (5+tc.shift-at.Float())/speed; math.Abs(got-want) > 0.05*want+0.03 {
					t.Errorf("%s %g×: %.3f s of output after Seek(%v), want %.3f", tc.file, speed, got, at, want)
				}
			}
			d.Close()
		}
	}
}

// Audio that starts after media time 0 is preceded by silence, so it stays
// in sync with the picture.
func TestDecoderLateAudioKeepsSync(t *testing.T) {
	d, err := OpenDecoder(media(t, "tone.wav"), Options{StartTime: -700 * mediatime.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	all := decodeAll(t, d)
	first, last := toneSpan(all)
	if got := float64(first) / OutputRate; math.Abs(got-0.7) > 0.002 {
		t.Errorf("tone starts at %.4f s, want 0.7 s", got)
	}
	if got := float64(last+1) / OutputRate; math.Abs(got-3.7) > 0.002 {
		t.Errorf("tone ends at %.4f s, want 3.7 s", got)
	}
}

// A truncated file plays up to the damage, then says where, naming the
// file; never a panic or a hang. Containers that declare their length (MP4,
// Matroska) are caught; WAV and MPEG-TS carry no trustworthy length (FFmpeg
// estimates it from the file size), so there the audio simply ends early.
func TestDecoderTruncated(t *testing.T) {
	for _, tc := range []struct {
		file     string
		declares bool
	}{{"tone.wav", false}, {"tone.mp4", true}, {"tone.ts", false}, {"longaudio.mkv", true}} {
		for _, frac := range []float64{0.3, 0.5, 0.8} {
			path := truncated(t, media(t, tc.file), frac)
			d, err := OpenDecoder(path, Options{})
			if err != nil {
				if !strings.Contains(err.Error(), path) {
					t.Errorf("error does not name the file: %v", err)
				}
				continue
			}
			all := decodeAll(t, d)
			if len(all) == 0 {
				t.Errorf("%s cut at %.0f%%: nothing decoded", tc.file, frac*100)
			}
			err = d.Err()
			if tc.declares && (err == nil || !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), path)) {
				t.Errorf("%s cut at %.0f%%: Err() = %v, want ErrDamaged naming the file", tc.file, frac*100, err)
			}
			if !tc.declares && tc.file == "tone.wav" {
				// Uncompressed: the audio ends where the bytes do.
				if got := float64(len(all)/2) / OutputRate; math.Abs(got-5*frac) > 0.05 {
					t.Errorf("wav cut at %.0f%%: %.3f s decoded, want ≈ %.3f", frac*100, got, 5*frac)
				}
			}
			d.Close()
		}
	}
}

// Files with several audio tracks: Tracks lists them, Options.Track picks
// one, a track that is not there is ErrNoAudio naming the file.
func TestTracks(t *testing.T) {
	path := media(t, "twotrack.mkv")
	tr, err := Tracks(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(tr) != 2 || tr[1].Language != "eng" || tr[1].Title != "lapel" || tr[0].Codec != "flac" || tr[0].SampleRate != 48000 || tr[0].Channels != 1 {
		t.Fatalf("Tracks = %+v", tr)
	}
	for track, hz := range []float64{440, 880} {
		d, err := OpenDecoder(path, Options{Track: track})
		if err != nil {
			t.Fatal(err)
		}
		all := decodeAll(t, d)
		d.Close()
		if got := zeroCrossHz(all, 4800, 48000); math.Abs(got-hz) > hz*0.02 {
			t.Errorf("track %d: %.1f Hz, want %g", track, got, hz)
		}
	}
	if _, err := OpenDecoder(path, Options{Track: 2}); !errors.Is(err, ErrNoAudio) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "has 2") {
		t.Errorf("track 2: %v", err)
	}
	if peaks, err := WaveformOf(path, 10, WaveformOptions{Track: 1}); err != nil || len(peaks) != 10 {
		t.Errorf("waveform of track 1: %v %d", err, len(peaks))
	}
	if tr, err := Tracks(media(t, "silent.mp4")); err != nil || len(tr) != 0 {
		t.Errorf("Tracks of a silent video = %v, %v", tr, err)
	}
	if _, err := Tracks("/nonexistent/v.mp4"); err == nil || !strings.Contains(err.Error(), "/nonexistent/v.mp4") {
		t.Errorf("Tracks of a missing file: %v", err)
	}
}

// Seeking far past the end gives no audio, at once, and the position asked.
func TestDecoderSeekPastEnd(t *testing.T) {
	for _, file := range []string{"tone.wav", "tone.mp4", "longaudio.mkv"} {
		d, err := OpenDecoder(media(t, file), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := d.Seek(mediatime.Hour); err != nil {
			t.Fatal(err)
		}
		if all := decodeAll(t, d); len(all) != 0 {
			t.Errorf("%s: %d samples after seeking an hour in", file, len(all))
		}
		if d.Position() != mediatime.Hour {
			t.Errorf("%s: position %v", file, d.Position())
		}
		// And back: the start is still there.
		if err := d.Seek(0); err != nil {
			t.Fatal(err)
		}
		if first, _ := toneSpan(decodeAll(t, d)); first < 0 || first > OutputRate/100 {
			t.Errorf("%s: tone starts at frame %d after seeking back to 0", file, first)
		}
		d.Close()
	}
}
