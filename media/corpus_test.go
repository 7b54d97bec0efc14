package media

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os/exec"
	"sort"
	"strings"
	"testing"

	"dyadcode/media/mediatest"
	"dyadcode/mediatime"
)

// ffmpegFrames decodes frames ns (ascending) with the ffmpeg command as
// RGBA at the display size, in one run.
func ffmpegFrames(t *testing.T, path string, ns []int64, w, h int) [][]byte {
	t.Helper()
	var sel []string
	for _, n := range ns {
		sel = append(sel, fmt.Sprintf("eq(n\\,%d)", n))
	}
	// Bilinear is the converter our scaler uses (fast, and exact at 1:1 for
	// 8-bit 4:2:0): the same kernel, so what differs is the decoded frame.
	out, err := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-i", path,
		"-map", "0:v:0", "-sws_flags", "bilinear", "-vf", "select='"+strings.Join(sel, "+")+"'", "-fps_mode", "passthrough",
		"-pix_fmt", "rgba", "-f", "rawvideo", "-").Output()
	if err != nil {
		t.Fatalf("ffmpeg frames %v of %s: %v", ns, path, err)
	}
	size := w * h * 4
	if len(out) != size*len(ns) {
		t.Fatalf("ffmpeg gave %d bytes for frames %v, want %d frames of %dx%dx4", len(out), ns, len(ns), w, h)
	}
	res := make([][]byte, len(ns))
	for i := range ns {
		res[i] = out[i*size : (i+1)*size]
	}
	return res
}

// psnr over the colour channels of two RGBA pictures (+Inf when equal).
func psnr(a, b []byte) float64 {
	var se float64
	var n int
	for i := range a {
		if i%4 == 3 {
			continue
		}
		d := float64(a[i]) - float64(b[i])
		se += d * d
		n++
	}
	if se == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255/(se/float64(n)))
}

// TestCorpus is issue 12's acceptance test: for every kind of file labs
// bring, our frame list is ffprobe's (count and timestamps, frame 0 being
// the first frame FFmpeg's decoder outputs) and random frames fetched by
// index and by time are the ffmpeg command's, pixel for pixel, 10-bit and
// 4:2:2 formats included.
func TestCorpus(t *testing.T) {
	for _, k := range mediatest.Corpus {
		t.Run(k.Name, func(t *testing.T) {
			t.Parallel()
			path := mediatest.Path(t, k.Spec)
			info, err := Probe(path)
			if err != nil {
				t.Fatalf("probe: %v", err)
			}
			ref := mediatest.ProbeFrames(t, path)
			st := mediatest.ProbeStream(t, path)
			if int64(len(ref)) != info.Frames {
				t.Fatalf("%d frames, ffprobe decodes %d", info.Frames, len(ref))
			}
			// Open as a second open does, with the index the store cached
			// (decoded indexes included), so both paths are checked.
			built, err := BuildIndex(path, nil)
			if err != nil {
				t.Fatal(err)
			}
			ix, err := UnmarshalIndex(built.Marshal())
			if err != nil || ix.Len() != built.Len() || ix.Decoded != built.Decoded {
				t.Fatalf("cached index: %v (%d frames, decoded %v; built %d, %v)", err, ix.Len(), ix.Decoded, built.Len(), built.Decoded)
			}
			d, err := Open(path, ix)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			tb := mediatime.Rate{Num: st.TimeBaseNum, Den: st.TimeBaseDen}
			if !ref[0].Timed {
				t.Fatalf("ffprobe lists frame 0 without a time")
			}
			for i, f := range ref {
				if !f.Timed {
					continue
				}
				want := rawToTime(f.PTS-ref[0].PTS, tb)
				if ix.PTS[i] != want {
					t.Fatalf("frame %d at %s s, ffprobe's best-effort time is %s s", i, ix.PTS[i].Seconds(), want.Seconds())
				}
			}
			last := ix.Len() - 1
			rng := rand.New(rand.NewPCG(uint64(len(k.Name)), 12))
			set := map[int64]bool{0: true, last: true}
			for len(set) < min(int(last+1), 7) {
				set[rng.Int64N(last+1)] = true
			}
			var ns []int64
			for n := range set {
				ns = append(ns, n)
			}
			sort.Slice(ns, func(i, j int) bool { return ns[i] < ns[j] })
			sorted := append([]int64(nil), ns...)
			w, h := info.DisplaySize()
			want := ffmpegFrames(t, path, ns, w, h)
			worst := math.Inf(1)
			check := func(how string, n int64, got Frame, err error) {
				t.Helper()
				if err != nil {
					t.Fatalf("%s: %v", how, err)
				}
				i := sort.Search(len(sorted), func(i int) bool { return sorted[i] >= n })
				p := psnr(got.Image.Pix, want[i])
				worst = min(worst, p)
				// Every kind decodes to the same pixels; a tolerance
				// (PSNR >= 40 dB) would only be needed if converters
				// differed, and they do not (see ffmpegFrames).
				if got.Index != n || !math.IsInf(p, 1) {
					t.Errorf("%s: got frame %d, PSNR to ffmpeg's frame %d is %.1f dB", how, got.Index, n, p)
				}
			}
			// Random order, so each fetch is a jump from somewhere else.
			rng.Shuffle(len(ns), func(i, j int) { ns[i], ns[j] = ns[j], ns[i] })
			for _, n := range ns {
				f, err := d.Frame(n)
				check(fmt.Sprintf("Frame(%d)", n), n, f, err)
				mid := ix.PTS[n]
				if n < last {
					mid += (ix.PTS[n+1] - ix.PTS[n]) / 2
				}
				f, err = d.At(mid)
				check(fmt.Sprintf("At(%s)", mid.Seconds()), n, f, err)
			}
			// The README's corpus table comes from these lines.
			how := "packets"
			if ix.Decoded {
				how = "decoded"
			}
			t.Logf("| %s | %s | %s | %d frames (%s) | %d | %.1f dB |", k.Group, k.What, info.VideoCodec, info.Frames, how, len(ns), worst)
		})
	}
}
