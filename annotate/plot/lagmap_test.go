package plot

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"

	"dyadcode/annotate"
	"dyadcode/annotate/sequential"
)

func lagReport(t *testing.T) *sequential.Report {
	t.Helper()
	// A B A B B A: z_AB = z_BA = +1.49, z_AA = z_BB = −1.49; a window
	// with cry (A) → soothe.
	o := &annotate.Observation{ID: "o1"}
	for i, c := range []string{"A", "B", "A", "B", "B", "A"} {
		s := annotate.Time(i+1) * annotate.Second
		o.Events = append(o.Events, annotate.Event{ID: annotate.EventID(i + 1), Behavior: c, Start: s, End: s})
	}
	r, err := sequential.Analyze([]sequential.Input{{Obs: o, End: 10 * annotate.Second}}, nil,
		sequential.Options{Window: &sequential.WindowSpec{Given: "A", Target: "B", Hi: 2 * annotate.Second}})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func hasColor(img image.Image, want color.RGBA) bool {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bb, _ := img.At(x, y).RGBA()
			if uint8(r>>8) == want.R && uint8(g>>8) == want.G && uint8(bb>>8) == want.B {
				return true
			}
		}
	}
	return false
}

func TestLagHeatMap(t *testing.T) {
	r := lagReport(t)
	f, err := LagHeatMap(r.Lag, "")
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
	red, blue := ResidualColor(r.Lag.Cell("A", "B").AdjustedResidual), ResidualColor(r.Lag.Cell("A", "A").AdjustedResidual)
	if red.R != 255 || red.G >= 255 || blue.B != 255 || blue.R >= 255 {
		t.Fatalf("colours %v %v: positive must be red, negative blue", red, blue)
	}
	if !hasColor(img, red) || !hasColor(img, blue) {
		t.Errorf("the PNG lacks the residual colours %v / %v", red, blue)
	}
	buf.Reset()
	if err := f.Write(&buf, "svg"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"z 1.49", "z -1.49", "given", "target", "Lag 1 transitions (N = 5)"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	if c := ResidualColor(sequential.Value{}); c.R != c.G || c.G != c.B {
		t.Errorf("undefined residual colour %v is not grey", c)
	}
	if _, err := LagHeatMap(&sequential.LagTable{}, ""); err == nil {
		t.Error("an empty table drew")
	}
}

func TestWindowTableFigure(t *testing.T) {
	r := lagReport(t)
	f, err := WindowTable(r.Window, "")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf, "svg"); err != nil {
		t.Fatal(err)
	}
	w := r.Window
	for _, want := range []string{"in window", "not B", "B within [0, 2) s of A"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	if w.A+w.B+w.C+w.D != 10 {
		t.Errorf("units %d %d %d %d", w.A, w.B, w.C, w.D)
	}
}
