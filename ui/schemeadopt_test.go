package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"dyadcode/annotate"
)

func TestSchemeEditorAdoptsAnotherTool(t *testing.T) {
	a := test.NewApp()
	defer a.Quit()
	e := newSchemeEditor(annotate.DefaultScheme())
	w := a.NewWindow("scheme")
	w.SetContent(e.content())
	e.adoptFile("../annotate/adopt/testdata/ssp.boris")
	if len(e.s.Behaviors) != 7 || e.s.Behaviors[0].Code != "approach_mother" || len(e.s.Episodes) != 8 {
		t.Fatalf("behaviours %d, episodes %d", len(e.s.Behaviors), len(e.s.Episodes))
	}
	// The form shows the first adopted behaviour, the subject list the
	// adopted subjects.
	if e.code.Text != "approach_mother" || !strings.Contains(strings.Join(e.subject.Options, ","), "baby") {
		t.Errorf("form %q, subjects %q", e.code.Text, e.subject.Options)
	}
	if !strings.Contains(e.lost.Text, "Adopted from ssp.boris. Not carried over:") || !strings.Contains(e.lost.Text, `independent variable "age"`) {
		t.Errorf("not-carried list %q", e.lost.Text)
	}
	if err := e.validate(); err != nil {
		t.Fatalf("adopted scheme does not validate: %v", err)
	}
	// A file that is no scheme leaves the edits and says why.
	before := len(e.s.Behaviors)
	e.adoptFile("../annotate/adopt/testdata/none.eaf")
	if len(e.s.Behaviors) != before || !strings.Contains(e.msg.Text, "none.eaf") {
		t.Errorf("missing file: %d behaviours, message %q", len(e.s.Behaviors), e.msg.Text)
	}
	if findButton(w.Content(), "Import from another tool…") == nil {
		t.Error("no import button in the editor")
	}
}
