package media

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"dyadcode/annotate"
	"dyadcode/media/mediatest"
)

// TestProxy: the proxy has every frame at the same media time, a short GOP,
// the audio, and the same picture (up to lossy coding: compared by size and
// by frame identity, the pixels themselves differ slightly).
func TestProxy(t *testing.T) {
	for _, s := range []mediatest.Spec{mediatest.H264LongGOP, mediatest.H264VFR, mediatest.MPEGTS, mediatest.MPEG4AVI, mediatest.Rotated} {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			src := mediatest.Path(t, s)
			dst := filepath.Join(t.TempDir(), "proxy.mp4")
			var calls int
			var last annotate.Time
			err := MakeProxy(context.Background(), src, dst, ProxyOptions{}, func(done, total annotate.Time) {
				calls++
				if done < last || done > total {
					t.Errorf("progress %v of %v after %v", done, total, last)
				}
				last = done
			})
			if err != nil {
				t.Fatal(err)
			}
			if fi, err := os.Stat(dst); err != nil || (runtime.GOOS != "windows" && fi.Mode().Perm() != 0o644) {
				t.Errorf("proxy file: %v, mode %v; want 0644 like every output", err, fi.Mode().Perm())
			}
			orig, err := Probe(src)
			if err != nil {
				t.Fatal(err)
			}
			px, err := Probe(dst)
			if err != nil {
				t.Fatal(err)
			}
			if px.Frames != orig.Frames || px.HasAudio != orig.HasAudio || px.VideoCodec != ProxyCodec {
				t.Errorf("proxy %d frames audio %v %s; original %d frames audio %v", px.Frames, px.HasAudio, px.VideoCodec, orig.Frames, orig.HasAudio)
			}
			w, h := px.DisplaySize()
			if ow, oh := orig.DisplaySize(); w != ow || h != oh {
				t.Errorf("proxy shows %dx%d, original %dx%d", w, h, ow, oh)
			}
			ix, err := BuildIndex(dst, nil)
			if err != nil {
				t.Fatal(err)
			}
			for i := int64(0); i < ix.Len(); i++ {
				if ix.Key[i] != (i%12 == 0) {
					t.Fatalf("frame %d keyframe %v; want one every 12", i, ix.Key[i])
				}
			}
			if calls < 2 || last != orig.Duration {
				t.Errorf("progress called %d times, last %v of %v", calls, last, orig.Duration)
			}
			// Frame 37 of the proxy is frame 37 of the original: testsrc2's
			// picture changes every frame, so it is nearer to 37 than to 36/38.
			a, _ := Open(src, nil)
			b, _ := Open(dst, nil)
			defer a.Close()
			defer b.Close()
			pf, err := b.Frame(37)
			if err != nil {
				t.Fatal(err)
			}
			pimg := append([]byte(nil), pf.Image.Pix...)
			dist := func(n int64) float64 {
				f, err := a.Frame(n)
				if err != nil {
					t.Fatal(err)
				}
				var sum float64
				for k := range pimg {
					d := float64(pimg[k]) - float64(f.Image.Pix[k])
					sum += d * d
				}
				return sum
			}
			if d37, d36, d38 := dist(37), dist(36), dist(38); d37 >= d36 || d37 >= d38 {
				t.Errorf("proxy frame 37 is closer to another original frame: %v %v %v", d36, d37, d38)
			}
		})
	}
}
