package audio

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dyadcode/mediatime"
)

func TestOpenErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		path   func(testing.TB) string
		noAud  bool
		inText string
	}{
		{"missing", func(tb testing.TB) string { return "/nonexistent/dir/x.mp4" }, false, "no such file"},
		{"not media", func(tb testing.TB) string { return media(tb, "notmedia.mp4") }, false, "not a media file"},
		{"empty", func(tb testing.TB) string { return media(tb, "empty.wav") }, false, "empty file"},
		{"directory", func(tb testing.TB) string { return tb.TempDir() }, false, "directory"},
		{"video without audio", func(tb testing.TB) string { return media(tb, "silent.mp4") }, true, "no audio"},
		{"truncated mp4 header", func(tb testing.TB) string { return truncated(tb, media(tb, "tone.mp4"), 0.001) }, false, "truncated"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.path(t)
			for _, dev := range []bool{false, true} {
				o, err := Open(path, Options{Device: dev})
				if err == nil {
					o.Close()
					t.Fatalf("Open(%s) succeeded", path)
				}
				if errors.Is(err, ErrNoAudio) != tc.noAud {
					t.Errorf("errors.Is(ErrNoAudio) = %v for %v", !tc.noAud, err)
				}
				if !strings.Contains(err.Error(), path) {
					t.Errorf("error does not name the file: %v", err)
				}
				if tc.inText != "" && !strings.Contains(strings.ToLower(err.Error()), tc.inText) {
					t.Errorf("error %q does not say %q", err, tc.inText)
				}
			}
		})
	}
}

// Device false: a real Output that never touches oto and runs on the wall
// clock, with the same behaviour as a WallClock.
func TestOutputWithoutDevice(t *testing.T) {
	t.Parallel() // sleep-bound
	for _, name := range []string{"tone.mp4", "tone.wav", "longaudio.mkv", "tone.ts"} {
		t.Run(name, func(t *testing.T) {
			o, err := Open(media(t, name), Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer o.Close()
			if o.UsingAudioClock() {
				t.Error("Device false uses the audio clock")
			}
			checkTransport(t, o, 1)
			for _, v := range [][2]float64{{0.5, 0.5}, {-1, 0}, {7, 1}, {0, 0}} {
				o.SetVolume(v[0])
				if got := o.Volume(); got != v[1] {
					t.Errorf("SetVolume(%g) gives Volume %g, want %g", v[0], got, v[1])
				}
			}
			o.SetSpeed(2)
			checkTransport(t, o, 2)
		})
	}
}

// On a machine without a sound card (this one, CI) Device true must fall
// back to the wall clock: Now advances while playing, stops when paused,
// scales with speed, and nothing blocks. On a machine with sound the same
// assertions hold on the audio clock.
func TestOutputDeviceFallback(t *testing.T) {
	t.Parallel() // sleep-bound
	o, err := Open(media(t, "tone.mp4"), Options{Device: true})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, speed := range []float64{1, 0.5, 2, 4, 0.25} {
			o.SetSpeed(speed)
			if err := o.Seek(0); err != nil {
				t.Error(err)
				return
			}
			// Let a possible stall (≈300 ms) be detected first: the clock
			// may freeze during detection, never go back.
			o.Play()
			deadline := time.Now().Add(400 * time.Millisecond)
			prev := o.Now()
			for time.Now().Before(deadline) {
				n := o.Now()
				if n < prev {
					t.Errorf("speed %g: clock went back %v -> %v", speed, prev, n)
				}
				prev = n
				time.Sleep(10 * time.Millisecond)
			}
			o.Pause()
			checkTransport(t, o, speed)
		}
		if err := o.Close(); err != nil {
			t.Error(err)
		}
	}()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("Output with Device true hung")
	}
	t.Logf("device status: %v", DeviceStatus())
}

// A device that takes samples faster than real time (ALSA's null plugin,
// which this test configures in a child process since oto allows one
// context per process) must not drag the clock: it falls back to the wall
// clock and says why.
func TestOutputFastDeviceFallsBack(t *testing.T) {
	t.Parallel() // sleep-bound
	if os.Getenv("DYAD_AUDIO_CHILD") == "nulldev" {
		fastDeviceChild(t)
		return
	}
	conf := filepath.Join(t.TempDir(), "asound.conf")
	if err := os.WriteFile(conf, []byte("pcm.!default { type null }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestOutputFastDeviceFallsBack$", "-test.v")
	cmd.Env = append(os.Environ(), "DYAD_AUDIO_CHILD=nulldev", "ALSA_CONFIG_PATH="+conf)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "fast-device-checked") {
		t.Fatalf("child did not run the check:\n%s", out)
	}
}

func fastDeviceChild(t *testing.T) {
	o, err := Open(media(t, "tone.wav"), Options{Device: true})
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	// Wait (bounded) for ALSA to open the null device.
	for i := 0; i < 100; i++ {
		if _, err := deviceContext(); err != errDeviceOpening {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := deviceContext(); err != nil {
		t.Skipf("null ALSA device unavailable: %v", err)
	}
	start := time.Now()
	o.Play()
	prev := o.Now()
	for time.Since(start) < 500*time.Millisecond {
		n := o.Now()
		if n < prev {
			t.Fatalf("clock went back %v -> %v", prev, n)
		}
		prev = n
		time.Sleep(5 * time.Millisecond)
	}
	el := time.Since(start)
	got := o.Now()
	if o.UsingAudioClock() {
		t.Error("still following a device that is not real-time")
	}
	if err := DeviceStatus(); err == nil || !strings.Contains(err.Error(), "faster than real time") {
		t.Errorf("DeviceStatus = %v", err)
	}
	if hi := mediatime.Time((el + 300*time.Millisecond).Microseconds()); got > hi || got < 300*mediatime.Millisecond {
		t.Errorf("after %v the clock reads %v (want 0.3 s .. %v)", el, got, hi)
	}
	fmt.Println("fast-device-checked")
}
