package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dyadcode/annotate"
	"dyadcode/app"
	"dyadcode/media/mediatest"
	"dyadcode/store"
)

// overlayText is the text of every dialog open on the window, newest
// last, with the dialogs' line wrapping undone.
func overlayText(s *shell) string {
	var b strings.Builder
	for _, o := range s.win.Canvas().Overlays().List() {
		for _, l := range testLaidOut(o) {
			if l, ok := l.(*widget.Label); ok {
				b.WriteString(l.Text + "\n")
			}
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// closeOverlays dismisses every open dialog.
func closeOverlays(s *shell) {
	for s.win.Canvas().Overlays().Top() != nil {
		s.win.Canvas().Overlays().Remove(s.win.Canvas().Overlays().Top())
	}
}

// TestExportOutputSafety: File ▸ Export CSV… gained the command line's
// output checks. Through the chooser (real widgets: the name typed, Save
// tapped) a project or a video under a CSV's name is refused naming the
// file, and the file keeps every byte; the export action itself refuses
// them too, so no other path into it can write over them; a plain name is
// exported.
func TestExportOutputSafety(t *testing.T) {
	h := openCoding(t, makeProject(t))
	h.typeKeys("a")
	dir := filepath.Dir(h.path)
	disguised := filepath.Join(dir, "codes.csv") // a project under a CSV's name
	p, err := store.Create(disguised, annotate.DefaultScheme())
	if err != nil {
		t.Fatal(err)
	}
	p.Close()
	video := mediatest.Copy(t, mediatest.NoAudio, dir, "take.csv") // a video under a CSV's name
	keep := map[string][]byte{}
	for _, f := range []string{h.path, disguised, video} {
		keep[f], _ = os.ReadFile(f)
	}
	for _, c := range []struct{ typed, refused string }{
		{"codes.csv", disguised},
		{"take.csv", video},
	} {
		ch := h.s.exportDialog()
		ch.Folder.SetText(dir)
		ch.Name.SetText("")
		test.Type(ch.Name, c.typed)
		tapButton(t, h, "Save")
		pump()
		if got := overlayText(h.s); !strings.Contains(got, filepath.Base(c.refused)) || !strings.Contains(got, "refusing to replace") {
			t.Errorf("export onto %s: no refusal naming it", c.typed)
		}
		closeOverlays(h.s)
	}
	for _, f := range []string{h.path, disguised, video} {
		h.s.export(f) // the action behind the chooser
		pump()
		if got := overlayText(h.s); !strings.Contains(got, "Export failed") || !strings.Contains(got, filepath.Base(f)) {
			t.Errorf("export(%s): no refusal naming it:\n%.300s", f, got)
		}
		closeOverlays(h.s)
	}
	for f, b := range keep {
		if got, _ := os.ReadFile(f); !bytes.Equal(got, b) {
			t.Errorf("a refused export changed %s", f)
		}
	}
	// A project's own name gets the extension: a new file beside it.
	ch := h.s.exportDialog()
	ch.Folder.SetText(dir)
	ch.Name.SetText("study.dyad")
	tapButton(t, h, "Save")
	waitFor(t, "the export", func() bool { _, err := os.Stat(h.path + ".csv"); return err == nil })
}

// TestNewProjectNeverReplacesAFile: File ▸ New project… on the name of an
// existing file refuses it before anything happens to the file (Fyne's save
// dialog truncated it, and the window then deleted it).
func TestNewProjectNeverReplacesAFile(t *testing.T) {
	h := openCoding(t, makeProject(t))
	before, _ := os.ReadFile(h.path)
	ch := h.s.newProjectDialog()
	ch.Folder.SetText(filepath.Dir(h.path))
	ch.Name.SetText(filepath.Base(h.path))
	tapButton(t, h, "Save")
	if got := overlayText(h.s); !strings.Contains(got, filepath.Base(h.path)) || !strings.Contains(got, "already exists") {
		t.Errorf("no refusal naming %s", h.path)
	}
	if got, _ := os.ReadFile(h.path); !bytes.Equal(got, before) {
		t.Error("the project changed")
	}
}

// TestAddVideoRulesInWindow: adding videos in the window follows the
// command line's rules, through the same app.AddVideo: a project file and
// a file that is no video are refused naming them; a damaged video (the
// first 64 bytes of a real MP4) is recorded with a warning naming it; a
// known video whose timing is unknown is probed again.
func TestAddVideoRulesInWindow(t *testing.T) {
	path := makeProject(t)
	dir := filepath.Dir(path)
	data, err := os.ReadFile(filepath.Join(dir, "session.mp4"))
	if err != nil {
		t.Fatal(err)
	}
	head := filepath.Join(dir, "head.mp4")
	os.WriteFile(head, data[:64], 0o644)
	text := filepath.Join(dir, "notes.mp4")
	os.WriteFile(text, []byte("this is not a video\n"), 0o644)
	other := filepath.Join(dir, "other.dyad")
	if err := app.CreateProject(other, nil); err != nil {
		t.Fatal(err)
	}
	// A second video recorded without its timing, as an older dyadcode or
	// a failed probe leaves it.
	unprobed := mediatest.Copy(t, mediatest.NTSC, dir, "ntsc.mp4")
	p, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	known, err := app.AddVideo(p, nil, unprobed)
	p.Close()
	if err != nil || known.Video.Duration != 0 {
		t.Fatalf("setup: %+v, %v", known, err)
	}

	s, err := load(test.NewApp(), Options{Engine: app.Media{}, sched: testSched, Project: path, DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.quit()
	s.addVideos([]string{other, text, head, unprobed})
	pump()
	shown := overlayText(s)
	for _, want := range []string{"Some files were not added", "other.dyad is a dyadcode project", "notes.mp4 cannot be coded", "Added, but damaged", "head.mp4"} {
		if !strings.Contains(shown, want) {
			t.Errorf("the window does not say %q", want)
		}
	}
	vs, err := s.proj.Videos()
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]annotate.Video{}
	for _, v := range vs {
		byName[filepath.Base(v.Path)] = v
	}
	if len(vs) != 3 || byName["head.mp4"].ID == "" || byName["head.mp4"].Duration != 0 {
		t.Errorf("videos after adding: %+v; want session, ntsc and the damaged head.mp4", vs)
	}
	if v := byName["ntsc.mp4"]; v.Frames != 150 || v.Rate != (annotate.Rate{Num: 30000, Den: 1001}) {
		t.Errorf("the known video was not probed again: %+v", v)
	}
}
