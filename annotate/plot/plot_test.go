package plot

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dyadcode/annotate"
)

func sec(s string) annotate.Time { return annotate.MustSeconds(s) }

// observation: episodes 1 [0,20), 2 [20,40); explore 5–25 (crosses),
// smile at 10, distress from 30 still running at the end (40).
func observation(coder string, shift annotate.Time) *annotate.Observation {
	o := &annotate.Observation{ID: coder, Video: "v1", Coder: coder,
		Episodes: []annotate.EpisodeMark{{Name: "1 Introduction", Start: 0}, {Name: "2 Caregiver and child", Start: sec("20")}},
		Events: []annotate.Event{
			{ID: 1, Behavior: "explore", Subject: "child", Start: sec("5") + shift, End: sec("25") + shift},
			{ID: 2, Behavior: "smile", Subject: "child", Start: sec("10") + shift, End: sec("10") + shift},
			{ID: 3, Behavior: "distress", Subject: "child", Start: sec("30") + shift, End: sec("30") + shift, Open: true},
		}}
	return o
}

// pixelAt maps a time and lane to the PNG's pixel, using the plot's own
// transforms, so the test checks what was drawn where.
func colorNear(img image.Image, want color.RGBA, x0, x1, y0, y1 int) bool {
	for y := y0; y <= y1; y++ {
		for x := x0; x <= x1; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if uint8(r>>8) == want.R && uint8(g>>8) == want.G && uint8(b>>8) == want.B {
				return true
			}
		}
	}
	return false
}

func TestEventsPNGDrawsCodesWhereTheyAre(t *testing.T) {
	s := annotate.DefaultScheme()
	f, err := Events(observation("alice", 0), s, sec("40"), "alice")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf, "png"); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	// 3 subject headings + 13 behaviours
	if got := len(f.p.Y.Tick.Marker.Ticks(0, 0)); got != 16 {
		t.Fatalf("%d lanes, want 16", got)
	}
	explore := parseColor("#2ca02c").(color.RGBA)
	distress := parseColor("#d62728").(color.RGBA)
	w := img.Bounds().Dx()
	// find the columns that hold explore's green and distress's red: explore
	// spans 5–25 of 40 s, distress 30–40.
	span := func(c color.RGBA) (lo, hi int) {
		lo, hi = w, -1
		for x := 0; x < w; x++ {
			if colorNear(img, c, x, x, 0, img.Bounds().Dy()-1) {
				lo, hi = min(lo, x), max(hi, x)
			}
		}
		return
	}
	elo, ehi := span(explore)
	dlo, dhi := span(distress)
	if elo >= ehi || dlo >= dhi {
		t.Fatalf("explore columns %d–%d, distress %d–%d: not drawn", elo, ehi, dlo, dhi)
	}
	// pixels per second from explore (20 s); distress must start 5 s after
	// explore ends and last 10 s, to within 3 px (edge anti-aliasing).
	pps := float64(ehi-elo) / 20
	if d := float64(dlo-ehi) - 5*pps; d < -3 || d > 3 {
		t.Errorf("gap explore→distress = %d px, want %.0f", dlo-ehi, 5*pps)
	}
	if d := float64(dhi-dlo) - 10*pps; d < -3 || d > 3 {
		t.Errorf("distress width = %d px, want %.0f (open state drawn to the video end)", dhi-dlo, 10*pps)
	}
	if os.Getenv("PLOT_KEEP") != "" {
		_ = f.Save(filepath.Join(os.Getenv("PLOT_KEEP"), "events.png"))
	}
}

func TestCompareAndSVG(t *testing.T) {
	s := annotate.DefaultScheme()
	f, err := Compare([]*annotate.Observation{observation("alice", 0), observation("ben", sec("0.5"))}, s, sec("40"), "v1: alice vs ben")
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, tk := range f.p.Y.Tick.Marker.Ticks(0, 0) {
		labels = append(labels, tk.Label)
	}
	// only used behaviours, one lane per coder, under their subject heading
	exp := "CHILD,explore · alice,explore · ben,distress · alice,distress · ben,smile · alice,smile · ben"
	if strings.Join(labels, ",") != exp {
		t.Fatalf("lanes = %v\nwant %s", labels, exp)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "cmp.svg")
	if err := f.Save(path); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(bytes.TrimSpace(data), []byte("<?xml")) || !bytes.Contains(data, []byte("<svg")) || !bytes.Contains(data, []byte("explore · ben")) {
		t.Fatalf("not an SVG with lane labels: %.200s", data)
	}
	if err := f.Save(filepath.Join(dir, "x.gif")); !errors.Is(err, ErrFormat) {
		t.Fatalf("gif: err = %v, want ErrFormat", err)
	}
	if _, err := Compare(nil, s, 0, ""); err == nil {
		t.Fatal("Compare of nothing succeeded")
	}
}
