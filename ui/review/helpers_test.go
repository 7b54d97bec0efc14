package review

import (
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"dyadcode/annotate"
	"dyadcode/annotate/csvio"
)

// demoDir holds the bundled demo session's two codings.
var demoDir = filepath.Join("..", "..", "assets", "demo")

// readDemo reads one of the demo's CSV exports with the project's CSV
// reader, as `dyadcode import` does.
func readDemo(t *testing.T, name string, s *annotate.Scheme) *annotate.Observation {
	t.Helper()
	path := filepath.Join(demoDir, name)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csvio.Read(f, path, s)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 {
		t.Fatalf("%s holds %d observations, want 1", path, len(recs))
	}
	return recs[0].Obs
}

// demo returns the scheme and both demo observations (alice first).
func demo(t *testing.T) (*annotate.Scheme, []*annotate.Observation) {
	t.Helper()
	s := annotate.DefaultScheme()
	obs := []*annotate.Observation{readDemo(t, "alice.csv", s), readDemo(t, "ben.csv", s)}
	for _, o := range obs {
		if err := o.Validate(s); err != nil {
			t.Fatalf("demo observation of %s: %v", o.Coder, err)
		}
	}
	return s, obs
}

// demoEnd is the demo video's duration.
const demoEnd = 60 * annotate.Second

// newTestApp starts Fyne's headless test driver with the default theme,
// so screenshots look like the app.
func newTestApp(t *testing.T) fyne.App {
	t.Helper()
	a := test.NewApp()
	a.Settings().SetTheme(theme.LightTheme())
	t.Cleanup(a.Quit)
	return a
}

// tableText reads cell (row, col) through the table's own data callbacks,
// as the renderer does.
func tableText(tb *widget.Table, row, col int) string {
	cell := tb.CreateCell()
	tb.UpdateCell(widget.TableCellID{Row: row, Col: col}, cell)
	return cell.(*widget.Label).Text
}

// tableHeader reads the header of column col.
func tableHeader(tb *widget.Table, col int) string {
	h := tb.CreateHeader()
	tb.UpdateHeader(widget.TableCellID{Row: -1, Col: col}, h)
	return h.(*widget.Label).Text
}

// findRow returns the first row whose column 0 reads key, or -1.
func findRow(tb *widget.Table, key string) int {
	rows, _ := tb.Length()
	for r := range rows {
		if tableText(tb, r, 0) == key {
			return r
		}
	}
	return -1
}

// capture renders the window and writes it as PNG under dir, returning
// the path, so a person can look at what the test driver drew.
func capture(t *testing.T, w fyne.Window, dir, name string) string {
	t.Helper()
	img := w.Canvas().Capture()
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	return path
}

// decodePNG opens path and decodes it as PNG.
func decodePNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s does not decode as PNG: %v", path, err)
	}
	return img
}

// shotDir is where screenshots go: $REVIEW_SHOTS when set (to keep them),
// else the test's temporary directory.
func shotDir(t *testing.T) string {
	if d := os.Getenv("REVIEW_SHOTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// newBenchApp is newTestApp for benchmarks.
func newBenchApp() fyne.App {
	a := test.NewApp()
	a.Settings().SetTheme(theme.LightTheme())
	return a
}

// findButton finds a button by its label in a rendered object tree.
func findButton(o fyne.CanvasObject, label string) *widget.Button {
	if b, ok := o.(*widget.Button); ok && b.Text == label {
		return b
	}
	var kids []fyne.CanvasObject
	switch x := o.(type) {
	case *fyne.Container:
		kids = x.Objects
	case fyne.Widget:
		kids = test.WidgetRenderer(x).Objects()
	}
	for _, k := range kids {
		if b := findButton(k, label); b != nil {
			return b
		}
	}
	return nil
}
