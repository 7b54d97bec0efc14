package audio

import (
	"errors"
	"math/rand"
	"strings"
	"sync"
	"testing"
	"time"

	"dyadcode/mediatime"
)

// Garbage bytes in the middle of real files: decoding and the waveform end
// (no hang), never panic, and any error names the file.
func TestCorruptFiles(t *testing.T) {
	for _, file := range []string{"tone.mp4", "tone.ts", "longaudio.mkv", "tone.wav"} {
		var mu sync.Mutex
		reported := 0
		for seed := int64(1); seed <= 4; seed++ {
			path := corrupted(t, media(t, file), seed, 8)
			done := make(chan struct{})
			go func() {
				defer close(done)
				d, err := OpenDecoder(path, Options{})
				if err != nil {
					if !strings.Contains(err.Error(), path) {
						t.Errorf("error does not name the file: %v", err)
					}
					return
				}
				defer d.Close()
				all := decodeAll(t, d)
				if len(all) == 0 {
					t.Logf("%s seed %d: no audio decoded (%v)", file, seed, d.Err())
				}
				if err := d.Err(); err != nil && !strings.Contains(err.Error(), path) {
					t.Errorf("error does not name the file: %v", err)
				} else if errors.Is(err, ErrDamaged) {
					mu.Lock()
					reported++
					mu.Unlock()
				}
				// Seek into and around the damage.
				for _, at := range []mediatime.Time{2 * mediatime.Second, 500 * mediatime.Millisecond, 4 * mediatime.Second} {
					if err := d.Seek(at); err != nil {
						if !strings.Contains(err.Error(), path) {
							t.Errorf("seek error does not name the file: %v", err)
						}
						continue
					}
					decodeAll(t, d)
				}
				peaks, err := Waveform(path, 50, nil)
				if err != nil && !strings.Contains(err.Error(), path) {
					t.Errorf("waveform error does not name the file: %v", err)
				}
				if err == nil && len(peaks) != 50 {
					t.Errorf("%d peaks", len(peaks))
				}
			}()
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				t.Fatalf("%s seed %d: hung", file, seed)
			}
		}
		// Compressed audio notices garbage (PCM cannot: any bytes are samples).
		if file != "tone.wav" && reported == 0 {
			t.Errorf("%s: damage in 4 corrupted copies never reported", file)
		}
	}
}

// Play, Pause, SetSpeed, Seek and Now from many goroutines, then Close while
// they run: no deadlock, no panic, the clock stays sane. Run with -race.
func TestOutputConcurrent(t *testing.T) {
	for _, dev := range []bool{false, true} {
		o, err := Open(media(t, "tone.mp4"), Options{Device: dev})
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for g := 0; g < 6; g++ {
			wg.Add(1)
			go func(seed int64) {
				defer wg.Done()
				r := rand.New(rand.NewSource(seed))
				speeds := []float64{0.1, 0.25, 0.5, 1, 1.5, 2, 4}
				for {
					select {
					case <-stop:
						return
					default:
					}
					switch r.Intn(6) {
					case 0:
						o.Play()
					case 1:
						o.Pause()
					case 2:
						o.SetSpeed(speeds[r.Intn(len(speeds))])
					case 3:
						_ = o.Seek(mediatime.Time(r.Int63n(int64(6 * mediatime.Second))))
					default:
						if n := o.Now(); n < 0 || n > mediatime.Hour {
							t.Errorf("clock reads %v", n)
						}
						_ = o.Running()
						_ = o.UsingAudioClock()
					}
					time.Sleep(time.Duration(r.Intn(3)) * time.Millisecond)
				}
			}(int64(g))
		}
		time.Sleep(400 * time.Millisecond)
		closed := make(chan error)
		go func() { closed <- o.Close() }()
		select {
		case err := <-closed:
			if err != nil {
				t.Error(err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("Close hung")
		}
		close(stop)
		wg.Wait()
		// Closed: calls are harmless.
		o.Play()
		if err := o.Seek(0); err == nil {
			t.Error("Seek after Close succeeded")
		}
		if o.Running() {
			t.Error("running after Close")
		}
	}
}

// Truncated at 20 points through the file: decoding, seeking and the
// waveform finish, never panic, and every error names the file.
func TestTruncatedAt20Points(t *testing.T) {
	for _, file := range []string{"tone.mp4", "longaudio.mkv"} {
		src := media(t, file)
		for i := 1; i <= 20; i++ {
			frac := float64(i) / 21
			path := truncated(t, src, frac)
			check := func(what string, err error) {
				if err != nil && !strings.Contains(err.Error(), path) {
					t.Errorf("%s cut at %.0f%%: %s error does not name the file: %v", file, frac*100, what, err)
				}
			}
			d, err := OpenDecoder(path, Options{})
			check("open", err)
			if err == nil {
				decodeAll(t, d)
				check("decode", d.Err())
				check("seek", d.Seek(mediatime.Second))
				decodeAll(t, d)
				d.Close()
			}
			_, err = Waveform(path, 20, nil)
			check("waveform", err)
		}
	}
}
