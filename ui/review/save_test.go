package review

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"dyadcode/annotate"
	"dyadcode/media/mediatest"
	"dyadcode/store"
)

// TestSaveDialog drives the review exports' chooser with real widgets: the
// file name typed, Save tapped. A name gets the first extension when it has
// none of the allowed ones; the pre-rendered form is written when the
// extension matches; a project or a video is refused by its content,
// whatever its name, naming the file, which keeps every byte (Fyne's save
// dialog would have truncated it on confirmation); an existing export is
// replaced only after the user confirms.
func TestSaveDialog(t *testing.T) {
	newTestApp(t)
	dir := t.TempDir()
	project := filepath.Join(dir, "study.dyad")
	disguised := filepath.Join(dir, "figure.png") // a project under an export's name
	for _, path := range []string{project, disguised} {
		p, err := store.Create(path, annotate.DefaultScheme())
		if err != nil {
			t.Fatal(err)
		}
		p.Close()
	}
	video := mediatest.Copy(t, mediatest.NoAudio, dir, "session.mp4")
	webm := mediatest.Copy(t, mediatest.VP9WebM, dir, "clip.svg") // a video under an export's name
	os.WriteFile(filepath.Join(dir, "old.png"), []byte("old picture"), 0o644)
	render := func(w io.Writer, ext string) error {
		_, err := io.WriteString(w, "rendered as "+ext)
		return err
	}
	cases := []struct {
		name, typed string
		written     string // the file written, with content
		content     string
		refused     string // the file named by an error; nothing written
		confirm     bool   // a "Replace?" question comes first
	}{
		{"pre-rendered extension", "a.png", "a.png", "rendered as png", "", false},
		{"other allowed extension rendered anew", "a.svg", "a.svg", "rendered as svg", "", false},
		{"no extension gets the first", "report", "report.png", "rendered as png", "", false},
		{"a project's name gets the extension", "study.dyad", "study.dyad.png", "rendered as png", "", false},
		{"a project named like a PNG", "figure.png", "", "", disguised, false},
		{"a video named like an SVG", "clip.svg", "", "", webm, false},
		{"a video by its full path", video, "", "", video + ".png", false},
		{"an old export, confirmed", "old.png", "old.png", "rendered as png", "", true},
	}
	untouched := map[string][]byte{}
	for _, f := range []string{project, disguised, video, webm} {
		untouched[f], _ = os.ReadFile(f)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := test.NewWindow(nil)
			defer w.Close()
			w.Resize(fyne.NewSize(900, 600))
			ch := saveDialog(w, "Save", "plot.png", []string{"png", "svg"}, render)
			ch.Folder.SetText(dir)
			ch.Name.SetText("")
			test.Type(ch.Name, c.typed)
			test.Tap(findButton(w.Canvas().Overlays().Top(), "Save"))
			top := w.Canvas().Overlays().Top()
			if c.confirm {
				if top == nil || !strings.Contains(test.RenderObjectToMarkup(top), "Replace") {
					t.Fatal("no question before replacing a file")
				}
				test.Tap(findButton(top, "Yes"))
				top = w.Canvas().Overlays().Top()
			}
			switch {
			case c.refused == video+".png":
				// The extension makes it another file: written beside the video.
				if got, err := os.ReadFile(c.refused); err != nil || string(got) != "rendered as png" {
					t.Errorf("%s: %q, %v", c.refused, got, err)
				}
			case c.refused != "":
				if top == nil || !strings.Contains(test.RenderObjectToMarkup(top), filepath.Base(c.refused)) {
					t.Errorf("no error naming %s", c.refused)
				}
			default:
				if got, _ := os.ReadFile(filepath.Join(dir, c.written)); string(got) != c.content {
					t.Errorf("%s holds %q, want %q", c.written, got, c.content)
				}
			}
			for f, b := range untouched {
				if got, _ := os.ReadFile(f); !bytes.Equal(got, b) {
					t.Fatalf("%s changed", f)
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
