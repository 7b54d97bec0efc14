package media

import (
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dyadcode/media/mediatest"
)

// readAll opens path, probes it and decodes every frame, then seeks to a few
// random frames, checking every error is one a caller can act on and names
// the file. It returns how many frames played in order. It fails the test if
// the work takes longer than a minute (a hang).
func readAll(t *testing.T, path string, seed uint64) (played int64, probeErr, playErr error) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		checkErr := func(what string, err error) {
			if err == nil {
				return
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("%s: error %q does not name the file", what, err)
			}
			if !errors.Is(err, ErrNotMedia) && !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrNoVideo) &&
				!errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrEOF) {
				t.Errorf("%s: error %v matches no sentinel", what, err)
			}
		}
		info, err := Probe(path)
		checkErr("probe", err)
		probeErr = err
		d, err := Open(path, nil)
		checkErr("open", err)
		if err != nil {
			playErr = err
			return
		}
		defer d.Close()
		for {
			f, err := d.Next()
			if errors.Is(err, ErrEOF) {
				break
			}
			if err != nil {
				checkErr("play", err)
				var de *DamageError
				if errors.Is(err, ErrTruncated) && !errors.As(err, &de) && !strings.Contains(err.Error(), "cannot be decoded") {
					t.Errorf("play: truncation without a place: %v", err)
				}
				// At is the last good frame: before the one that failed
				// (frame played), and not before the last one shown.
				if errors.As(err, &de) && played < d.Index().Len() {
					if fail := d.Index().PTS[played]; de.At >= fail {
						t.Errorf("play: damage reported at %s, but frame %d at %s is the one that failed", de.At.Seconds(), played, fail.Seconds())
					}
					if played > 0 && de.At < d.Index().PTS[played-1] {
						t.Errorf("play: damage reported at %s, before frame %d at %s that played", de.At.Seconds(), played-1, d.Index().PTS[played-1].Seconds())
					}
				}
				playErr = err
				break
			}
			played = f.Index + 1
		}
		if played > info.Frames && info.Frames > 0 {
			t.Errorf("played %d frames of %d", played, info.Frames)
		}
		rng := rand.New(rand.NewPCG(seed, 1))
		for k := 0; k < 5; k++ {
			n := rng.Int64N(d.Index().Len())
			f, err := d.Frame(n)
			checkErr("seek", err)
			if err == nil && f.Index != n {
				t.Errorf("seek to %d gave %d", n, f.Index)
			}
		}
	}()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatalf("%s: reading hung for a minute", path)
	}
	return played, probeErr, playErr
}

// TestTruncated cuts real files at 20 points: each either refuses to open
// with a clear error or plays up to the damage and says where it stopped.
func TestTruncated(t *testing.T) {
	for _, s := range []mediatest.Spec{mediatest.FastStart, mediatest.H264LongGOP, mediatest.MPEGTS, mediatest.VP9WebM, mediatest.MPEG4AVI} {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			full, err := os.ReadFile(mediatest.Path(t, s))
			if err != nil {
				t.Fatal(err)
			}
			total, err := Probe(mediatest.Path(t, s))
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			var playable, reported int
			for i := 1; i <= 20; i++ {
				cut := len(full) * i / 21
				p := filepath.Join(dir, "cut"+string(rune('a'+i))+s.Ext)
				if err := os.WriteFile(p, full[:cut], 0o644); err != nil {
					t.Fatal(err)
				}
				played, perr, err := readAll(t, p, uint64(i))
				if played > 0 {
					playable++
				}
				if errors.Is(err, ErrTruncated) || errors.Is(perr, ErrTruncated) {
					reported++
				}
				if played == total.Frames {
					t.Logf("cut at %d/21 of %s still plays all %d frames", i, s.Name, played)
				}
			}
			t.Logf("%s: %d of 20 cuts play a front part, %d report truncation", s.Name, playable, reported)
			// Only an MP4 with its sample table at the end is unplayable when
			// cut; every other layout must play its front part.
			if s.Name != mediatest.H264LongGOP.Name && playable < 15 {
				t.Errorf("only %d of 20 cuts play their front part", playable)
			}
			// Containers that declare their length must say they were cut,
			// and MPEG-TS by ending inside a 188-byte packet.
			if reported < 15 {
				t.Errorf("only %d of 20 cuts report ErrTruncated", reported)
			}
		})
	}
}

// TestCorrupted overwrites random bytes in the middle of real files: never
// a panic or hang, errors name the file.
func TestCorrupted(t *testing.T) {
	for _, s := range []mediatest.Spec{mediatest.FastStart, mediatest.MPEGTS, mediatest.VP9WebM, mediatest.MPEG4AVI, mediatest.MJPEGMOV} {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			full, err := os.ReadFile(mediatest.Path(t, s))
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			rng := rand.New(rand.NewPCG(42, uint64(len(full))))
			for trial := 0; trial < 8; trial++ {
				b := append([]byte(nil), full...)
				for burst := 0; burst < 4; burst++ {
					at := len(b)/4 + rng.IntN(len(b)/2)
					for j := 0; j < 64 && at+j < len(b); j++ {
						b[at+j] = byte(rng.IntN(256))
					}
				}
				p := filepath.Join(dir, "bad"+string(rune('a'+trial))+s.Ext)
				if err := os.WriteFile(p, b, 0o644); err != nil {
					t.Fatal(err)
				}
				readAll(t, p, uint64(trial))
			}
		})
	}
}
