package media

import (
	"crypto/sha256"
	"errors"
	"image"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dyadcode/media/mediatest"
	"dyadcode/mediatime"
)

type ref struct {
	times  []mediatime.Time
	hashes [][32]byte
}

// straight decodes every frame in order from the start, never seeking.
func straight(t *testing.T, path string) ref {
	t.Helper()
	d, err := OpenWith(path, nil, DecoderOptions{CacheBytes: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var r ref
	for {
		f, err := d.Next()
		if errors.Is(err, ErrEOF) {
			break
		}
		if err != nil {
			t.Fatalf("frame %d: %v", len(r.times), err)
		}
		if f.Index != int64(len(r.times)) {
			t.Fatalf("straight decode gave frame %d, want %d", f.Index, len(r.times))
		}
		r.times = append(r.times, f.Time)
		r.hashes = append(r.hashes, sha256.Sum256(f.Image.Pix))
	}
	if d.Seeks != 0 {
		t.Fatalf("straight decode seeked %d times", d.Seeks)
	}
	return r
}

// TestExactSeek: on every test file, the frame count equals ffprobe's and
// 50 random seeks (by frame and by time), plus runs of back-steps, give the
// very frames of a straight decode: same timestamp, same pixels.
func TestExactSeek(t *testing.T) {
	for _, s := range mediatest.All {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			path := mediatest.Path(t, s)
			r := straight(t, path)
			want := len(mediatest.ProbeFrames(t, path))
			if len(r.times) != want {
				t.Fatalf("straight decode gave %d frames, ffprobe %d", len(r.times), want)
			}
			ix, err := BuildIndex(path, nil)
			if err != nil {
				t.Fatal(err)
			}
			for i, tm := range r.times {
				if ix.PTS[i] != tm {
					t.Fatalf("frame %d decoded at %v, index says %v", i, tm, ix.PTS[i])
				}
			}
			for _, opt := range []DecoderOptions{{}, {Reopen: true, CacheBytes: -1}, {Threads: 1, CacheBytes: 1 << 20}} {
				d, err := OpenWith(path, ix, opt)
				if err != nil {
					t.Fatal(err)
				}
				rng := rand.New(rand.NewPCG(uint64(len(path)), 7))
				n := int64(len(r.times))
				for k := 0; k < 50; k++ {
					var f Frame
					var err error
					target := rng.Int64N(n)
					if k%2 == 0 {
						f, err = d.Frame(target)
					} else {
						// A time inside the frame's interval lands on it.
						tm := ix.PTS[target]
						if target+1 < n {
							tm += mediatime.Time(rng.Int64N(int64(ix.PTS[target+1] - tm)))
						}
						f, err = d.At(tm)
					}
					if err != nil {
						t.Fatalf("%+v seek %d to frame %d: %v", opt, k, target, err)
					}
					if f.Index != target || f.Time != r.times[target] || sha256.Sum256(f.Image.Pix) != r.hashes[target] {
						t.Fatalf("%+v seek %d to frame %d: got frame %d at %v, pixels equal %v", opt, k, target, f.Index, f.Time,
							sha256.Sum256(f.Image.Pix) == r.hashes[target])
					}
					if k%10 == 0 { // a few back-steps and forward steps from here
						for j := 0; j < 3 && f.Index > 0; j++ {
							f, err = d.Step(-1)
							if err != nil || sha256.Sum256(f.Image.Pix) != r.hashes[f.Index] || f.Index != target-int64(j)-1 {
								t.Fatalf("%+v step back to %d: %v", opt, f.Index, err)
							}
						}
						if f.Index+1 < n {
							f, err = d.Step(1)
							if err != nil || sha256.Sum256(f.Image.Pix) != r.hashes[f.Index] {
								t.Fatalf("%+v step forward to %d: %v", opt, f.Index, err)
							}
						}
					}
				}
				d.Close()
			}
		})
	}
}

// TestStepBackUsesCache: the first back-step after a jump costs one exact
// seek; once Refill (the Player runs it while idle) has cached the GOP, the
// next back-steps decode nothing.
func TestStepBackUsesCache(t *testing.T) {
	path := mediatest.Path(t, mediatest.H264LongGOP)
	d, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Frame(200); err != nil {
		t.Fatal(err)
	}
	seeks0 := d.Seeks
	if _, err := d.Step(-1); err != nil {
		t.Fatal(err)
	}
	if d.Seeks-seeks0 != 1 {
		t.Errorf("first back-step after a jump seeked %d times, want 1", d.Seeks-seeks0)
	}
	if !d.Refilling() {
		t.Fatal("no refill left after the first back-step")
	}
	for more := true; more; {
		if more, err = d.Refill(8); err != nil {
			t.Fatal(err)
		}
		if d.Position() != 199 {
			t.Fatalf("refill moved the position to %d", d.Position())
		}
	}
	if f, err := d.Current(); err != nil || f.Index != 199 {
		t.Fatalf("current frame after refill: %d, %v", f.Index, err)
	}
	dec, seeks := d.Decoded, d.Seeks
	for i := 0; i < 30; i++ {
		f, err := d.Step(-1)
		if err != nil {
			t.Fatal(err)
		}
		if f.Index != int64(198-i) {
			t.Fatalf("step %d landed on %d", i, f.Index)
		}
	}
	if d.Decoded != dec || d.Seeks != seeks {
		t.Errorf("30 back-steps decoded %d frames and seeked %d times; want 0 (cache)", d.Decoded-dec, d.Seeks-seeks)
	}
	if _, err := d.Step(-1000); !errors.Is(err, ErrEOF) {
		t.Errorf("step before frame 0: %v, want ErrEOF", err)
	}
}

// TestCacheBudget: a tiny budget holds few frames and never grows past it.
func TestCacheBudget(t *testing.T) {
	path := mediatest.Path(t, mediatest.NoAudio)
	d, err := OpenWith(path, nil, DecoderOptions{CacheBytes: 400 << 10}) // ~3 frames of 320x240 YUV
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for i := 0; i < 40; i++ {
		if _, err := d.Next(); err != nil {
			t.Fatal(err)
		}
		if d.cache.used > d.cache.budget {
			t.Fatalf("cache uses %d bytes, budget %d", d.cache.used, d.cache.budget)
		}
	}
	if d.cache.Len() == 0 || d.cache.Len() > 5 {
		t.Errorf("cache holds %d frames", d.cache.Len())
	}
	if d.cache.get(39) == nil {
		t.Error("the playhead frame is not cached")
	}
}

func TestRotatedAndSized(t *testing.T) {
	d, err := Open(mediatest.Path(t, mediatest.Rotated), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	f, err := d.Frame(10)
	if err != nil {
		t.Fatal(err)
	}
	if b := f.Image.Bounds(); b.Dx() != 240 || b.Dy() != 320 {
		t.Fatalf("rotated frame is %v, want 240x320", b)
	}
	// The unrotated picture's top-left corner is now the top-right one.
	plain, err := OpenWith(mediatest.Path(t, mediatest.Rotated), nil, DecoderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	plain.info.Rotation = 0
	pf, err := plain.Frame(10)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range [][2]int{{0, 0}, {5, 17}, {300, 200}} {
		x, y := p[0], p[1]
		if got, want := f.Image.RGBAAt(240-1-y, x), pf.Image.RGBAAt(x, y); got != want {
			t.Errorf("rotated pixel for (%d,%d) = %v, want %v", x, y, got, want)
		}
	}
	d.SetSize(120, 160)
	f, err = d.Current()
	if err != nil || f.Image.Bounds().Dx() != 120 || f.Image.Bounds().Dy() != 160 || f.Index != 10 {
		t.Fatalf("resized: %v %v", f.Image.Bounds(), err)
	}
}

func TestDecoderBadInput(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "x.mp4")
	os.WriteFile(p, []byte("garbage"), 0o644)
	if _, err := Open(p, nil); !errors.Is(err, ErrNotMedia) || !strings.Contains(err.Error(), p) {
		t.Errorf("garbage: %v", err)
	}
	d, err := Open(mediatest.Path(t, mediatest.NoAudio), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Frame(75); !errors.Is(err, ErrEOF) {
		t.Errorf("frame past the end: %v", err)
	}
	if _, err := d.At(10 * mediatime.Second); !errors.Is(err, ErrEOF) {
		t.Errorf("time past the end: %v", err)
	}
	d.Close()
	if _, err := d.Frame(0); err == nil {
		t.Error("closed decoder returned a frame")
	}
}

// TestBackToStartAfterEnd: after decoding to the last frame (the decoder
// drained), frame 0 and a middle frame come back exactly. Single-GOP files
// never seek on the way, which once left the decoder believing it was still
// at the start.
func TestBackToStartAfterEnd(t *testing.T) {
	for _, s := range []mediatest.Spec{mediatest.H264LongGOP, mediatest.NTSC, mediatest.VP9WebM} {
		t.Run(s.Name, func(t *testing.T) {
			path := mediatest.Path(t, s)
			r := straight(t, path)
			d, err := OpenWith(path, nil, DecoderOptions{CacheBytes: -1})
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			n := d.Index().Len()
			for _, k := range []int64{n - 5, n - 4, n - 3, n - 2, n - 1, 0, n / 2, n - 1, 1} {
				f, err := d.Frame(k)
				if err != nil {
					t.Fatalf("frame %d: %v", k, err)
				}
				if f.Index != k || sha256.Sum256(f.Image.Pix) != r.hashes[k] {
					t.Fatalf("frame %d: got %d or other pixels", k, f.Index)
				}
			}
		})
	}
}

// TestRotateRGBA: quarter turns clockwise map corners where a viewer
// expects them (the 90° case is also checked on a real file above).
func TestRotateRGBA(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 3, 2)) // 3 wide, 2 high
	for y := 0; y < 2; y++ {
		for x := 0; x < 3; x++ {
			src.Pix[src.PixOffset(x, y)] = byte(10*y + x) // red = 10y+x
		}
	}
	cases := []struct {
		rot  int
		w, h int
		// where source pixel (x,y) lands
		at func(x, y int) (int, int)
	}{
		{90, 2, 3, func(x, y int) (int, int) { return 1 - y, x }},
		{180, 3, 2, func(x, y int) (int, int) { return 2 - x, 1 - y }},
		{270, 2, 3, func(x, y int) (int, int) { return y, 2 - x }},
	}
	for _, c := range cases {
		dst := image.NewRGBA(image.Rect(0, 0, c.w, c.h))
		rotateRGBA(dst, src, c.rot)
		for y := 0; y < 2; y++ {
			for x := 0; x < 3; x++ {
				dx, dy := c.at(x, y)
				if got := dst.Pix[dst.PixOffset(dx, dy)]; got != byte(10*y+x) {
					t.Errorf("rot %d: (%d,%d) -> (%d,%d) holds %d, want %d", c.rot, x, y, dx, dy, got, 10*y+x)
				}
			}
		}
	}
}
