package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"dyadcode/app"
)

// File ▸ Import coding… with an ELAN file whose tiers say nothing to the
// scheme: the mapping dialog asks about them, the form asks coder and
// video, and the observation lands in the project.
func TestImportCodingAsksAboutTiers(t *testing.T) {
	path := makeProject(t)
	a := test.NewApp()
	s, err := load(a, Options{Engine: app.Media{}, sched: testSched, Project: path, DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.quit()
	s.setCoder("carol")
	file := filepath.Join(t.TempDir(), "ra1.eaf")
	if err := os.WriteFile(file, []byte(ambiguousEAF), 0o644); err != nil {
		t.Fatal(err)
	}
	m := s.importCodingFile(file)
	if m == nil || len(m.rows) != 3 {
		t.Fatalf("mapper %+v", m)
	}
	m.rows[0].role.SetSelected("every annotation is one behaviour")
	m.rows[0].behavior.SetSelected("eye_contact")
	m.rows[0].subject.SetSelected("child")
	m.rows[1].role.SetSelected("comments on the parent's event")
	m.rows[2].role.SetSelected("ignore this tier")
	test.Tap(findButton(s.win.Canvas().Overlays().Top(), "Import"))
	// The form: coder from the window, the project's video preselected.
	form := s.win.Canvas().Overlays().Top()
	if form == nil {
		t.Fatal("no import form")
	}
	test.Tap(findButton(form, "Import"))
	infos, err := s.proj.Observations()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, in := range infos {
		if in.Coder == "carol" {
			found = true
		}
	}
	if !found {
		t.Fatalf("no observation of carol's in %+v", infos)
	}
	shown := strings.Join(labelsIn(s.win.Canvas().Overlays().Top()), " ")
	if !strings.Contains(shown, "Imported carol's observation of session.mp4: 1 events") {
		t.Errorf("result dialog says %q", shown)
	}
}

// A file the scheme cannot read says why and writes nothing.
func TestImportCodingRefused(t *testing.T) {
	path := makeProject(t)
	a := test.NewApp()
	s, err := load(a, Options{Engine: app.Media{}, sched: testSched, Project: path, DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.quit()
	s.setCoder("dan")
	file := filepath.Join(t.TempDir(), "codes.csv")
	os.WriteFile(file, []byte("behavior,start_s,end_s\nlaugh,1,1\n"), 0o644)
	s.importCodingFile(file)
	test.Tap(findButton(s.win.Canvas().Overlays().Top(), "Import"))
	shown := strings.Join(labelsIn(s.win.Canvas().Overlays().Top()), " ")
	if !strings.Contains(shown, "Cannot import codes.csv") || !strings.Contains(shown, "laugh") {
		t.Errorf("error dialog says %q", shown)
	}
	infos, _ := s.proj.Observations()
	for _, in := range infos {
		if in.Coder == "dan" {
			t.Fatal("a refused file left an observation")
		}
	}
}
