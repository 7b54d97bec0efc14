package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/canvas"

	"dyadcode/annotate"
)

// Item 4: smile changed from point to state while the observation holds a
// smile was "saved" without a word and could not be undone. The editor
// lists what would break and saves nothing; a harmless change saves and
// Ctrl+Shift+K undoes it.
func TestSchemeEditorListsBreaksAndUndoes(t *testing.T) {
	h := openCoding(t, makeProject(t))
	s := h.s
	h.typeKeys("m") // a smile
	e := newSchemeEditor(s.proj.Scheme())
	for i, b := range e.s.Behaviors {
		if b.Code == "smile" {
			e.list.Select(i)
		}
	}
	e.kind.SetSelected(string(annotate.State))
	if err := s.saveScheme(e); err == nil {
		t.Fatal("point → state over a coded smile was saved")
	}
	if want := "smile: point → state, but its 1 points would become states of no duration"; !strings.Contains(e.msg.Text, want) {
		t.Errorf("editor says %q, want it to list %q", e.msg.Text, want)
	}
	if b, _ := s.proj.Scheme().Behavior("smile"); b.Kind != annotate.Point {
		t.Fatal("the refused change reached the project")
	}
	e.kind.SetSelected(string(annotate.Point))
	e.name.SetText("Smiles at caregiver")
	if err := s.saveScheme(e); err != nil {
		t.Fatal(err)
	}
	if b, _ := h.view().ed.Scheme.Behavior("smile"); b.Name != "Smiles at caregiver" {
		t.Fatalf("the coding view has %q", b.Name)
	}
	s.undoSchemeChange()
	if b, _ := s.proj.Scheme().Behavior("smile"); b.Name == "Smiles at caregiver" {
		t.Error("Undo scheme change left the new name")
	}
	if b, _ := h.view().ed.Scheme.Behavior("smile"); b.Name == "Smiles at caregiver" {
		t.Error("the coding view kept the undone scheme")
	}
}

// F1 lists every key of a coder's day (issue 13): the correcting keys,
// the table's, the comment's Ctrl+Return, the review windows' Ctrl+Shift
// keys and the scheme's undo.
func TestHelpListsEveryKey(t *testing.T) {
	h := openCoding(t, makeProject(t))
	var help []string
	for _, o := range testLaidOut(h.view().helpContent(appKeys)) {
		if txt, ok := o.(*canvas.Text); ok {
			help = append(help, txt.Text)
		}
	}
	for _, want := range []string{"Ctrl+↑", "Ctrl+↓", "Ctrl+[", "Ctrl+]", "↑", "↓", "Return", "Ctrl+Return",
		"Ctrl+Shift+A", "Ctrl+Shift+M", "Ctrl+Shift+R", "Ctrl+Shift+K"} {
		if !slices.Contains(help, want) {
			t.Errorf("the keyboard help does not list %s", want)
		}
	}
}
