package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dyadcode/annotate"
	"dyadcode/app"
	"dyadcode/store"
)

// coderProject is a coder's own project (same recording, her own copy of
// it) with one observation coded through the editor.
func coderProject(t *testing.T, coder string, scheme *annotate.Scheme, codes ...string) string {
	t.Helper()
	path := makeProject(t)
	p, err := store.Open(path, store.Options{Backups: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if scheme != nil {
		if err := p.SetScheme(scheme); err != nil {
			t.Fatal(err)
		}
	}
	vs, _ := p.Videos()
	o, err := p.NewObservation(vs[0].ID, coder)
	if err != nil {
		t.Fatal(err)
	}
	ed, err := p.Editor(o.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i, code := range codes {
		if _, err := ed.Tag(code, annotate.Time(i+1)*annotate.Second/2); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

// overlayTexts lists the labels and buttons of the top dialog.
func overlayTexts(s *shell) string {
	top := s.win.Canvas().Overlays().Top()
	if top == nil {
		return ""
	}
	return strings.Join(labelsIn(top), "\n")
}

// buttonIn finds the button labelled text under o.
func buttonIn(o fyne.CanvasObject, text string) *widget.Button {
	for _, x := range test.LaidOutObjects(o) {
		if b, ok := x.(*widget.Button); ok && b.Text == text {
			return b
		}
	}
	return nil
}

// TestMergeProjects: File ▸ Merge projects… on the start screen: two
// coders' projects are picked, merged, summarised and listed; merging
// them again adds nothing; a project with another scheme is refused with
// the behaviours named and the project unchanged.
func TestMergeProjects(t *testing.T) {
	path := makeProject(t)
	alice := coderProject(t, "alice", nil, "smile", "vocalize")
	ben := coderProject(t, "ben", nil, "approach")
	a := test.NewApp()
	s, err := load(a, Options{Engine: app.Media{}, sched: testSched, Project: path, DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.quit()
	s.win.Resize(fyne.NewSize(1366, 740))

	m := s.mergeDialog()
	if m == nil || m.merge.Disabled() == false {
		t.Fatal("the merge dialog did not open with Merge disabled")
	}
	m.add(alice)
	m.add(ben)
	m.add(alice) // once is enough
	if len(m.files) != 2 || m.merge.Disabled() {
		t.Fatalf("picked %v, Merge disabled %v", m.files, m.merge.Disabled())
	}
	test.Tap(buttonIn(s.win.Canvas().Overlays().Top(), "Merge"))
	pump()
	summary := overlayTexts(s)
	for _, want := range []string{"added coder alice", "added coder ben",
		"added observation 1: alice coding session.mp4, 2 events", "added observation 2: ben coding session.mp4, 1 events"} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, summary)
		}
	}
	infos, _ := s.proj.Observations()
	if len(infos) != 2 {
		t.Fatalf("%d observations after the merge", len(infos))
	}
	// The start screen behind lists the merged observations.
	if texts := labelsIn(s.win.Content()); !slices.Contains(texts, "alice") || !slices.Contains(texts, "ben") {
		t.Errorf("start screen after merge: %v", texts)
	}
	test.Tap(buttonIn(s.win.Canvas().Overlays().Top(), "OK"))

	// Again, with the whole folder of alice's project: nothing new.
	m = s.mergeDialog()
	m.addFolder(filepath.Dir(alice))
	if len(m.files) != 1 {
		t.Fatalf("folder gave %v", m.files)
	}
	test.Tap(m.merge)
	pump()
	if summary := overlayTexts(s); !strings.Contains(summary, "nothing new") {
		t.Errorf("second merge summary:\n%s", summary)
	}
	test.Tap(buttonIn(s.win.Canvas().Overlays().Top(), "OK"))

	// Another scheme: refused, named behaviour by behaviour, nothing written.
	other := annotate.DefaultScheme()
	other.Behaviors = slices.DeleteFunc(other.Behaviors, func(b annotate.Behavior) bool { return b.Code == "stranger_enters" })
	carol := coderProject(t, "carol", other, "smile")
	before, _ := os.ReadFile(path)
	m = s.mergeDialog()
	m.add(carol)
	test.Tap(m.merge)
	pump()
	msg := overlayTexts(s)
	if !strings.Contains(msg, "Nothing was merged") || !strings.Contains(msg, `"stranger_enters"`) {
		t.Errorf("scheme mismatch dialog:\n%s", msg)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("a refused merge changed the project")
	}
}

// TestMergeReplacesOpenObservation: alice took a copy of the project home
// and coded on; merging it while her observation is open in the window
// replaces it with the newer state, and the window shows that state.
func TestMergeReplacesOpenObservation(t *testing.T) {
	path := makeProject(t)
	h := openCoding(t, path) // alice
	h.typeKeys("a")          // approach
	home := filepath.Join(t.TempDir(), "home.dyad")
	if err := h.s.proj.Backup(home); err != nil {
		t.Fatal(err)
	}
	p, err := store.Open(home, store.Options{Backups: -1})
	if err != nil {
		t.Fatal(err)
	}
	ed, err := p.Editor(h.s.obsID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ed.Tag("smile", annotate.Second); err != nil {
		t.Fatal(err)
	}
	p.Close()

	m := h.s.mergeDialog()
	m.add(home)
	test.Tap(m.merge)
	pump()
	if summary := overlayTexts(h.s); !strings.Contains(summary, "replaced observation 1: alice coding session.mp4, 2 events") {
		t.Errorf("summary:\n%s", summary)
	}
	if h.s.view == nil || len(h.s.view.ed.Obs.Events) != 2 {
		t.Fatal("the window does not show the merged, newer state")
	}
	// Coding goes on from the merged state, its history included.
	if h.s.view.ed.UndoLabel() != "add smile" {
		t.Errorf("undo after merge: %q", h.s.view.ed.UndoLabel())
	}
	if _, err := h.s.view.ed.Undo(); err != nil {
		t.Fatal(err)
	}
	if err := h.s.proj.Check(); err != nil {
		t.Fatal(err)
	}
}
