package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dyadcode/annotate"
	"dyadcode/annotate/csvio"
	"dyadcode/app"
	"dyadcode/media/mediatest"
	"dyadcode/store"
)

// TestSchemeEditor: a key already used is refused with the scheme's own
// message and nothing is saved; a free key is saved and tags at once.
func TestSchemeEditor(t *testing.T) {
	h := openCoding(t, makeProject(t))
	s := h.s
	e := newSchemeEditor(s.proj.Scheme())
	e.list.Select(0)   // approach, key a
	e.key.SetText("e") // explore's key
	if err := s.saveScheme(e); err == nil {
		t.Fatal("a key used twice was saved")
	}
	if !strings.Contains(e.msg.Text, `key "e" is already used by behavior "approach"`) &&
		!strings.Contains(e.msg.Text, `already used`) {
		t.Errorf("message %q does not say the key is taken", e.msg.Text)
	}
	if b, _ := s.proj.Scheme().Behavior("approach"); b.Key != "a" {
		t.Fatalf("refused edit reached the project: approach key %q", b.Key)
	}
	e.key.SetText("x")
	e.group.SetText("")
	if err := s.saveScheme(e); err != nil {
		t.Fatalf("free key refused: %v", err)
	}
	h.typeKeys("x")
	if got := events(h.reopen()); !slices.Equal(got, []ev{{"approach", 0, 0, false}}) {
		t.Errorf("after rebinding approach to x, typing x made %v", got)
	}
	p, err := store.Open(h.path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if b, _ := p.Scheme().Behavior("approach"); b.Key != "x" {
		t.Errorf("saved key %q, want x", b.Key)
	}
}

// TestSchemeEditorAddBehaviour adds a state in a new exclusive group.
func TestSchemeEditorAddBehaviour(t *testing.T) {
	h := openCoding(t, makeProject(t))
	e := newSchemeEditor(h.s.proj.Scheme())
	e.add()
	e.code.SetText("fuss")
	e.name.SetText("Fusses")
	e.kind.SetSelected("state")
	e.key.SetText("f")
	e.colour.SetText("#aa3300")
	e.group.SetText("affect")
	if err := h.s.saveScheme(e); err != nil {
		t.Fatal(err)
	}
	if _, ok := h.view().panel.behavior["fuss"]; !ok {
		t.Fatal("coding panel has no button for the new behaviour")
	}
	h.typeKeys("d")
	h.right(2)
	h.typeKeys("f") // same group as distress: stops it
	want := []ev{{"distress", 0, 2, false}, {"fuss", 2, 2, true}}
	if got := events(h.reopen()); !slices.Equal(got, want) {
		t.Errorf("got %v want %v", got, want)
	}
}

// TestExportCSV writes the project through the export path and reads it
// back with the CSV reader.
func TestExportCSV(t *testing.T) {
	h := openCoding(t, makeProject(t))
	h.typeKeys("1a")
	h.right(4)
	h.typeKeys("e")
	h.right(3)
	h.typeKeys("e")
	out := filepath.Join(t.TempDir(), "out.csv")
	var steps []int
	n, err := app.ExportCSV(h.s.proj, out, func(done, total int) { steps = append(steps, done*100/total) })
	if err != nil || n != 1 {
		t.Fatalf("export: %d observations, %v", n, err)
	}
	if len(steps) == 0 || steps[len(steps)-1] != 100 {
		t.Errorf("progress %v does not reach 100%%", steps)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csvio.Read(f, out, annotate.DefaultScheme())
	if err != nil || len(recs) != 1 {
		t.Fatalf("read back: %v %v", recs, err)
	}
	if got, want := events(recs[0].Obs), []ev{{"approach", 0, 0, false}, {"explore", 4, 7, false}}; !slices.Equal(got, want) {
		t.Errorf("exported %v, want %v", got, want)
	}
	if recs[0].Obs.Coder != "alice" || recs[0].Video != "session.mp4" {
		t.Errorf("exported coder %q video %q", recs[0].Obs.Coder, recs[0].Video)
	}
}

// TestExportCSVForExcel: File ▸ Export CSV for Excel… writes the plain
// export preceded by the UTF-8 byte-order mark (Excel on Windows reads a
// CSV without one in its legacy code page), and the file reads back.
func TestExportCSVForExcel(t *testing.T) {
	h := openCoding(t, makeProject(t))
	h.typeKeys("1a")
	dir := t.TempDir()
	plain, excel := filepath.Join(dir, "plain.csv"), filepath.Join(dir, "excel.csv")
	h.s.export(plain)
	ch := h.s.exportExcelDialog()
	ch.Folder.SetText(dir)
	ch.Name.SetText("excel.csv")
	tapButton(t, h, "Save")
	waitFor(t, "both exports", func() bool {
		_, e1 := os.Stat(plain)
		_, e2 := os.Stat(excel)
		return e1 == nil && e2 == nil
	})
	waitFor(t, "the Excel export written whole", func() bool {
		a, _ := os.ReadFile(plain)
		b, _ := os.ReadFile(excel)
		return len(a) > 0 && len(b) == len(a)+3
	})
	a, _ := os.ReadFile(plain)
	b, _ := os.ReadFile(excel)
	if bytes.HasPrefix(a, []byte("\xEF\xBB\xBF")) {
		t.Error("the plain export starts with a byte-order mark")
	}
	if !bytes.Equal(b, append([]byte("\xEF\xBB\xBF"), a...)) {
		t.Errorf("the Excel export is not the plain one after a BOM:\n%q\n%q", a, b)
	}
	f, err := os.Open(excel)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if recs, err := csvio.Read(f, excel, annotate.DefaultScheme()); err != nil || len(recs) != 1 {
		t.Fatalf("the Excel export does not read back: %v %v", recs, err)
	}
}

// TestTimelineEdits: the timeline's callbacks select, seek and move
// events through the editor, and the file follows.
func TestTimelineEdits(t *testing.T) {
	h := openCoding(t, makeProject(t))
	v := h.view()
	h.right(2)
	h.typeKeys("e")
	h.right(3)
	h.typeKeys("e")
	h.typeKeys("a")
	tl := v.tl.(*codingTimeline)
	explore := v.ed.Obs.Events[0].ID
	tl.OnSelect(uint64(explore))
	if v.selected != explore || v.events.selected != explore {
		t.Fatalf("timeline selection did not reach the view and table: %d %d", v.selected, v.events.selected)
	}
	tl.OnMoveStart(uint64(explore), frameTime(1))
	tl.OnMoveEnd(uint64(explore), frameTime(9))
	tl.OnMoveEnd(uint64(explore), frameTime(0)) // before its start: refused, shown in a dialog
	if top := h.s.win.Canvas().Overlays().Top(); top == nil {
		t.Error("a refused drag showed no message")
	}
	tl.OnSeek(frameTime(20))
	waitFor(t, "the timeline seek", func() bool { return v.cur.Index == 20 })
	h.shortcut(undoKey) // undoes the move of the end
	want := []ev{{"explore", 1, 5, false}, {"approach", 5, 5, false}}
	if got := events(h.reopen()); !slices.Equal(got, want) {
		t.Errorf("got %v want %v", got, want)
	}
}

// TestStartScreenAndObservations: a project opened without a coder shows
// its observations; coding a video as a new coder makes an observation;
// the start screen lists both.
func TestStartScreenAndObservations(t *testing.T) {
	path := makeProject(t)
	h := openCoding(t, path) // alice
	h.typeKeys("a")
	h.s.quit()

	a := test.NewApp()
	s, err := load(a, Options{Engine: app.Media{}, sched: testSched, Project: path, DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.quit()
	if s.view != nil {
		t.Fatal("opened an observation with no coder or history")
	}
	texts := labelsIn(s.win.Content())
	for _, want := range []string{"alice", "session.mp4", "Code selected video"} {
		if !slices.Contains(texts, want) {
			t.Errorf("start screen lacks %q: %v", want, texts)
		}
	}
	s.setCoder("ben")
	s.codeVideo("session.mp4", "ben")
	waitFor(t, "ben's observation", func() bool { return s.view != nil && s.view.player != nil })
	if s.view.ed.Obs.Coder != "ben" || len(s.view.ed.Obs.Events) != 0 {
		t.Fatalf("opened %q's observation with %d events", s.view.ed.Obs.Coder, len(s.view.ed.Obs.Events))
	}
	if !strings.Contains(s.win.Title(), "ben") || !strings.Contains(s.win.Title(), "session.mp4") || !strings.Contains(s.win.Title(), "study") {
		t.Errorf("title %q lacks project, video or coder", s.win.Title())
	}
	s.showStart()
	infos, err := s.proj.Observations()
	if err != nil || len(infos) != 2 {
		t.Fatalf("observations %v %v", infos, err)
	}
	// Coding the same video as alice again reopens hers, with her event.
	s.codeVideo("session.mp4", "alice")
	if s.view == nil || s.view.ed.Obs.Coder != "alice" || len(s.view.ed.Obs.Events) != 1 {
		t.Fatal("did not reopen alice's observation")
	}
}

// labelsIn lists the text of the labels and buttons under o.
func labelsIn(o fyne.CanvasObject) []string {
	var out []string
	for _, x := range test.LaidOutObjects(o) {
		switch w := x.(type) {
		case *widget.Label:
			out = append(out, w.Text)
		case *widget.Button:
			out = append(out, w.Text)
		}
	}
	return out
}

// TestDropVideos: dropping a video file on the start screen adds it.
func TestDropVideos(t *testing.T) {
	path := makeProject(t)
	a := test.NewApp()
	s, err := load(a, Options{Engine: app.Media{}, sched: testSched, Project: path, DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.quit()
	second := mediatest.Copy(t, mediatest.NTSC, t.TempDir(), "reunion.mp4")
	notVideo := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(notVideo, []byte("not a video"), 0o644)
	s.dropped(fyne.NewPos(10, 10), []fyne.URI{storage.NewFileURI(second), storage.NewFileURI(notVideo)})
	pump()
	vs, err := s.proj.Videos()
	if err != nil || len(vs) != 2 {
		t.Fatalf("videos after the drop: %v %v", vs, err)
	}
	v := vs[1]
	if filepath.Base(v.Path) != "reunion.mp4" || v.Frames != 150 || v.Rate != (annotate.Rate{Num: 30000, Den: 1001}) {
		t.Errorf("dropped video recorded as %+v", v)
	}
	if top := s.win.Canvas().Overlays().Top(); top == nil {
		t.Error("the file that is not a video was refused silently")
	}
}

// TestOpenBadProject: a file that is not a project gives a dialog, and the
// window keeps working on the start screen.
func TestOpenBadProject(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "notes.dyad")
	os.WriteFile(bad, []byte("hello"), 0o644)
	a := test.NewApp()
	s, err := load(a, Options{Engine: app.Media{}, sched: testSched, Project: bad, DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.quit()
	if s.proj != nil {
		t.Fatal("opened a file that is not a project")
	}
	if s.win.Canvas().Overlays().Top() == nil {
		t.Fatal("no dialog about the bad file")
	}
	good := makeProject(t)
	s.openProject(good, false)
	if s.proj == nil {
		t.Fatal("the window did not keep working after the error")
	}
}

// TestRemembersWindowAndProject: quitting saves the window size and the
// project, and the next start resumes the same observation and position.
func TestRemembersWindowAndProject(t *testing.T) {
	path := makeProject(t)
	a := test.NewApp()
	s, err := load(a, Options{Engine: app.Media{}, sched: testSched, Project: path, Coder: "alice", Video: "session.mp4", DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the video", func() bool { return s.view != nil && s.view.player != nil })
	s.win.Resize(fyne.NewSize(1200, 700))
	s.view.seekFrame(42)
	waitFor(t, "frame 42", func() bool { return s.view.cur.Index == 42 })
	s.quit()
	if w, h := a.Preferences().Float(prefWinW), a.Preferences().Float(prefWinH); w != 1200 || h != 700 {
		t.Errorf("saved window %vx%v, want 1200x700", w, h)
	}
	abs, _ := filepath.Abs(path)
	if got := a.Preferences().String(prefLastProject); got != abs {
		t.Errorf("last project %q, want %q", got, abs)
	}
	s2, err := load(a, Options{Engine: app.Media{}, sched: testSched, DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.quit()
	if s2.view == nil {
		t.Fatal("did not resume the last observation")
	}
	waitFor(t, "the resumed frame", func() bool { return s2.view.cur.Index == 42 })
	if sz := s2.win.Canvas().Size(); sz.Width != 1200 {
		t.Errorf("window reopened %v wide, want 1200", sz.Width)
	}
}

// TestMissingVideo: when the video has gone, the window says so and what
// to do, and coding by frame still works and is saved.
func TestMissingVideo(t *testing.T) {
	path := makeProject(t)
	os.Remove(filepath.Join(filepath.Dir(path), "session.mp4"))
	a := test.NewApp()
	s, err := load(a, Options{Engine: app.Media{}, sched: testSched, Project: path, Coder: "alice", Video: "session.mp4", DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, path: path, s: s}
	pump()
	if s.view == nil || s.view.player != nil {
		t.Fatal("expected the coding view without a player")
	}
	if s.win.Canvas().Overlays().Top() == nil {
		t.Error("no dialog about the missing video")
	}
	if !strings.Contains(s.view.noVideo.Text, "session.mp4") {
		t.Errorf("picture area says %q", s.view.noVideo.Text)
	}
	h.press(fyne.KeyReturn) // acknowledges the message
	if s.win.Canvas().Overlays().Top() != nil {
		t.Fatal("Return did not dismiss the message")
	}
	h.right(3)
	h.typeKeys("a")
	if got := events(h.reopen()); !slices.Equal(got, []ev{{"approach", 3, 3, false}}) {
		t.Errorf("coded without picture: %v", got)
	}
}

// TestFirstStartOpensDemo: with no last project, the window opens the
// bundled demo (made in the data directory) with both coders' work.
func TestFirstStartOpensDemo(t *testing.T) {
	dataDir := t.TempDir()
	a := test.NewApp()
	s, err := load(a, Options{Engine: app.Media{}, sched: testSched, DataDir: dataDir})
	if err != nil {
		t.Fatal(err)
	}
	defer s.quit()
	if s.proj == nil {
		t.Fatal("no project open on first start")
	}
	if !strings.HasPrefix(s.proj.Path(), dataDir) {
		t.Errorf("demo at %s, not under the data directory %s", s.proj.Path(), dataDir)
	}
	infos, err := s.proj.Observations()
	if err != nil {
		t.Fatal(err)
	}
	var coders []string
	for _, in := range infos {
		coders = append(coders, in.Coder)
		if in.Events == 0 {
			t.Errorf("%s's demo observation is empty", in.Coder)
		}
	}
	slices.Sort(coders)
	if !slices.Equal(coders, []string{"alice", "ben"}) {
		t.Errorf("demo coders %v", coders)
	}
	vs, _ := s.proj.Videos()
	if len(vs) != 1 || vs[0].Frames != 1500 {
		t.Errorf("demo video %+v", vs)
	}
}

// TestStoreFailureKeepsScreenTruthful: when the project file cannot be
// written, a key press shows a dialog and nothing appears that is not
// saved; the window keeps working.
func TestStoreFailureKeepsScreenTruthful(t *testing.T) {
	h := openCoding(t, makeProject(t))
	v := h.view()
	h.typeKeys("a")
	if err := h.s.proj.Close(); err != nil { // the file goes away under the window
		t.Fatal(err)
	}
	h.right(1)
	h.typeKeys("c")
	if n := len(v.ed.Obs.Events); n != 1 {
		t.Errorf("%d events shown after a failed save, want the 1 saved", n)
	}
	if len(v.events.rows) != 1 {
		t.Errorf("table shows %d rows", len(v.events.rows))
	}
	if h.s.win.Canvas().Overlays().Top() == nil {
		t.Error("no dialog about the failed save")
	}
	if !strings.Contains(v.status.Text, "Could not record check_back") {
		t.Errorf("status %q", v.status.Text)
	}
	h.s.proj = nil // already closed
}
