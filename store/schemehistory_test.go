package store

import (
	"errors"
	"testing"

	"dyadcode/annotate"
)

// The case: smile changed from point to state while observations
// hold smile points was "saved" without a word and could not be undone.
func TestChangeSchemeRefusesBreaksAndUndoes(t *testing.T) {
	p, v := newProject(t)
	ed, err := p.NewObservation(v.ID, "alice")
	if err != nil {
		t.Fatal(err)
	}
	e, err := p.Editor(ed.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, at := range []annotate.Time{annotate.Second, 3 * annotate.Second} {
		if _, err := e.Tag("smile", at); err != nil {
			t.Fatal(err)
		}
	}

	broken := p.Scheme()
	for i := range broken.Behaviors {
		if broken.Behaviors[i].Code == "smile" {
			broken.Behaviors[i].Kind = annotate.State
		}
	}
	breaks, err := p.ChangeScheme(broken)
	if !errors.Is(err, annotate.ErrSchemeBreaks) || len(breaks) != 1 ||
		breaks[0].String() != "smile: point → state, but its 2 points would become states of no duration (alice)" {
		t.Fatalf("point → state over coded points: breaks %v, err %v", breaks, err)
	}
	if b, _ := p.Scheme().Behavior("smile"); b.Kind != annotate.Point {
		t.Fatalf("a refused change was saved: smile is a %s", b.Kind)
	}
	if p.CanUndoSchemeChange() {
		t.Error("a refused change left something to undo")
	}

	renamed := p.Scheme()
	renamed.Behaviors[0].Name = "Goes to the caregiver"
	if breaks, err := p.ChangeScheme(renamed); err != nil || breaks != nil {
		t.Fatalf("a harmless change: %v %v", breaks, err)
	}
	p = reopen(t, p, Options{})
	if got := p.Scheme().Behaviors[0].Name; got != "Goes to the caregiver" {
		t.Fatalf("after reopening the name is %q", got)
	}
	if !p.CanUndoSchemeChange() {
		t.Fatal("the change cannot be undone after reopening")
	}
	prev, _, err := p.UndoSchemeChange()
	if err != nil {
		t.Fatal(err)
	}
	if prev.Behaviors[0].Name == "Goes to the caregiver" || p.Scheme().Behaviors[0].Name != prev.Behaviors[0].Name {
		t.Errorf("undo gave %q, project has %q", prev.Behaviors[0].Name, p.Scheme().Behaviors[0].Name)
	}
	if _, _, err := p.UndoSchemeChange(); !errors.Is(err, ErrNoSchemeHistory) {
		t.Errorf("a second undo: %v", err)
	}
}
