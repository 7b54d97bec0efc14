package review

import (
	"encoding/csv"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"dyadcode/annotate"
)

// demoDir holds the bundled demo session's two codings.
var demoDir = filepath.Join("..", "..", "assets", "demo")

// readDemo reads one of the demo's CSV exports (dyadcode's interchange
// columns) into an observation. annotate/csvio is not in the tree yet, so
// this small reader follows its documented header; episode rows become
// episode marks and a state without an end is still running.
func readDemo(t *testing.T, name string) *annotate.Observation {
	t.Helper()
	path := filepath.Join(demoDir, name)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	for _, h := range []string{"observation", "coder", "subject", "behavior", "kind", "start_s", "end_s", "modifiers", "comment"} {
		if _, ok := col[h]; !ok {
			t.Fatalf("%s: no column %q", path, h)
		}
	}
	o := &annotate.Observation{NextID: 1}
	for line, r := range recs[1:] {
		get := func(h string) string { return r[col[h]] }
		o.ID, o.Coder = get("observation"), get("coder")
		start, err := annotate.ParseSeconds(get("start_s"))
		if err != nil {
			t.Fatalf("%s:%d: start: %v", path, line+2, err)
		}
		if get("kind") == "episode" {
			o.Episodes = append(o.Episodes, annotate.EpisodeMark{Name: get("behavior"), Start: start})
			continue
		}
		e := annotate.Event{ID: o.NextID, Behavior: get("behavior"), Subject: get("subject"), Start: start, End: start, Comment: get("comment")}
		o.NextID++
		if m := get("modifiers"); m != "" {
			e.Modifiers = strings.Split(m, "|")
		}
		switch {
		case get("kind") == "point":
		case get("end_s") == "":
			e.Open = true
		default:
			if e.End, err = annotate.ParseSeconds(get("end_s")); err != nil {
				t.Fatalf("%s:%d: end: %v", path, line+2, err)
			}
		}
		o.Events = append(o.Events, e)
	}
	annotate.SortEvents(o.Events)
	return o
}

// demo returns the scheme and both demo observations (alice first).
func demo(t *testing.T) (*annotate.Scheme, []*annotate.Observation) {
	t.Helper()
	s := annotate.DefaultScheme()
	obs := []*annotate.Observation{readDemo(t, "alice.csv"), readDemo(t, "ben.csv")}
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
