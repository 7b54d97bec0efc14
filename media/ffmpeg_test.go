package media

import (
	"fmt"
	"os/exec"
	"testing"

	"dyadcode/media/mediatest"
)

// ffmpegFrame decodes frame n (display order, counted from the first) with
// the ffmpeg command, rotated for display as ffmpeg does by default, as RGBA.
func ffmpegFrame(t *testing.T, path string, n int64, w, h int) []byte {
	t.Helper()
	out, err := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-i", path,
		"-vf", fmt.Sprintf("select=eq(n\\,%d)", n), "-fps_mode", "passthrough", "-frames:v", "1",
		"-pix_fmt", "rgba", "-f", "rawvideo", "-").Output()
	if err != nil {
		t.Fatalf("ffmpeg frame %d of %s: %v", n, path, err)
	}
	if len(out) != w*h*4 {
		t.Fatalf("ffmpeg gave %d bytes for frame %d, want %dx%dx4", len(out), n, w, h)
	}
	return out
}

func meanAbsDiff(a, b []byte) float64 {
	var sum int64
	for i := range a {
		d := int64(a[i]) - int64(b[i])
		if d < 0 {
			d = -d
		}
		sum += d
	}
	return float64(sum) / float64(len(a))
}

// TestFramesMatchFFmpeg checks our numbering against an independent
// decoder: frame n from our Decoder is, pixel for pixel, the picture the
// ffmpeg command gives as its n-th, rotation included.
func TestFramesMatchFFmpeg(t *testing.T) {
	for _, s := range mediatest.All {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			path := mediatest.Path(t, s)
			d, err := Open(path, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			last := d.Index().Len() - 1
			w, h := d.Info().DisplaySize()
			ours := func(n int64) []byte {
				f, err := d.Frame(n)
				if err != nil {
					t.Fatal(err)
				}
				return append([]byte(nil), f.Image.Pix...)
			}
			for _, n := range []int64{1, last / 2, last - 1} {
				ref := ffmpegFrame(t, path, n, w, h)
				dPrev, dSame, dNext := meanAbsDiff(ours(n-1), ref), meanAbsDiff(ours(n), ref), meanAbsDiff(ours(n+1), ref)
				t.Logf("frame %d: mean |ours-ffmpeg| %.3f (neighbours %.2f, %.2f)", n, dSame, dPrev, dNext)
				// The same libswscale converts in both, so the pixels agree
				// exactly; the neighbours say how far off a wrong frame is.
				if dSame != 0 || dSame >= dPrev || dSame >= dNext {
					t.Errorf("frame %d: mean difference to ffmpeg's frame %d: ours %d-1 %.2f, %d %.2f, %d+1 %.2f",
						n, n, n, dPrev, n, dSame, n, dNext)
				}
			}
		})
	}
}
