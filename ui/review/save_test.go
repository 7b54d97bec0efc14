package review

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
)

// TestSaveTo writes through the writer a file dialog hands over, as the
// dialog does: the file already created (empty) under the chosen name.
func TestSaveTo(t *testing.T) {
	newTestApp(t)
	dir := t.TempDir()
	render := func(w io.Writer, ext string) error {
		if ext == "bad" {
			return errors.New("cannot draw that")
		}
		_, err := io.WriteString(w, "rendered as "+ext)
		return err
	}
	pre := []byte("pre-rendered png")
	cases := []struct {
		name, file  string
		wantFile    string
		wantContent string
		wantErr     bool
	}{
		{"pre-rendered extension", "a.png", "a.png", "pre-rendered png", false},
		{"other allowed extension rendered anew", "a.svg", "a.svg", "rendered as svg", false},
		{"no extension gets the first", "report", "report.png", "pre-rendered png", false},
		{"render failure", "x.bad", "", "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, c.file)
			w, err := storage.Writer(storage.NewFileURI(path))
			if err != nil {
				t.Fatal(err)
			}
			err = saveTo(w, []string{"png", "svg", "bad"}, render, pre, "png")
			if c.wantErr {
				if err == nil || !strings.Contains(err.Error(), c.file) {
					t.Errorf("error %v, want one naming %s", err, c.file)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(filepath.Join(dir, c.wantFile))
			if err != nil || string(got) != c.wantContent {
				t.Errorf("%s holds %q (%v), want %q", c.wantFile, got, err, c.wantContent)
			}
			if c.wantFile != c.file {
				if _, err := os.Stat(path); !os.IsNotExist(err) {
					t.Errorf("the empty %s the dialog made is still there", c.file)
				}
			}
		})
	}
}

// TestExportRefusedBeforeDialog: with nothing to export, the button shows
// the reason instead of a file dialog that would truncate a chosen file.
func TestExportRefusedBeforeDialog(t *testing.T) {
	newTestApp(t)
	s, obs := demo(t)
	w := test.NewWindow(nil)
	defer w.Close()
	w.Resize(fyne.NewSize(1000, 700))
	v := NewAgreementView(w, s, obs[:1], demoEnd, nil)
	w.SetContent(v)
	test.Tap(findButton(v, "Export CSV…"))
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("nothing shown")
	}
	if markup := test.RenderObjectToMarkup(top); !strings.Contains(strings.ToLower(markup), "no agreement computed") {
		t.Errorf("the overlay does not give the reason:\n%.400s", markup)
	}
	var buf bytes.Buffer
	if err := v.writeCSV(&buf); err == nil {
		t.Error("writeCSV succeeded with nothing compared")
	}
}

// TestCopyTable puts the tables on the clipboard as tab-separated text
// that a spreadsheet pastes into cells.
func TestCopyTable(t *testing.T) {
	app := newTestApp(t)
	s, obs := demo(t)
	v := NewAgreementView(nil, s, obs, demoEnd, nil)
	test.Tap(findButton(v, "Copy table"))
	got := app.Clipboard().Content()
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	if len(lines) != 2+1+len(v.Report().Behaviors) {
		t.Fatalf("%d lines copied:\n%s", len(lines), got)
	}
	if !strings.HasPrefix(lines[1], "behaviour\tjudged by\tκ\tagree %") {
		t.Errorf("header line %q", lines[1])
	}
	if cells := strings.Split(lines[2], "\t"); cells[2] != fmtValue(v.Report().Slice.Kappa, 3) {
		t.Errorf("overall line %q", lines[2])
	}

	m := NewMetricsView(nil, s, obs[0], demoEnd)
	test.Tap(findButton(m, "Copy table"))
	got = app.Clipboard().Content()
	lines = strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	if want := 1 + len(m.lines); len(lines) != want {
		t.Fatalf("%d lines copied, want %d", len(lines), want)
	}
	for i, l := range lines {
		if n := strings.Count(l, "\t"); n != len(m.rows) {
			t.Fatalf("line %d has %d tabs, want %d: %q", i, n, len(m.rows), l)
		}
	}
	for i, line := range m.lines {
		if line.column == "check_back_count" {
			if cells := strings.Split(lines[1+i], "\t"); cells[0] != "count" || cells[len(cells)-1] != "3" {
				t.Errorf("check_back count line %q", lines[1+i])
			}
		}
	}
}
