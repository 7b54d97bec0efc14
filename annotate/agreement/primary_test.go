package agreement

import (
	"testing"

	"dyadcode/annotate"
)

// The check-back: three onsets each coder tagged a slice or two
// apart. Slice κ calls that disagreement; onset matching, the figure a
// point is judged by, matches 3 of 3.
func TestPrimaryJudgesPointsByOnsets(t *testing.T) {
	s := annotate.DefaultScheme()
	sec := annotate.MustSeconds
	point := func(id annotate.EventID, at string) annotate.Event {
		return annotate.Event{ID: id, Behavior: "check_back", Subject: "child", Start: sec(at), End: sec(at)}
	}
	state := func(id annotate.EventID, from, to string) annotate.Event {
		return annotate.Event{ID: id, Behavior: "explore", Subject: "child", Start: sec(from), End: sec(to)}
	}
	a := &annotate.Observation{Coder: "alice", Events: []annotate.Event{
		state(1, "0", "40"), point(2, "10.0"), point(3, "20.0"), point(4, "30.0")}}
	b := &annotate.Observation{Coder: "ben", Events: []annotate.Event{
		state(1, "0", "40"), point(2, "10.1"), point(3, "20.15"), point(4, "29.9")}}
	annotate.SortEvents(a.Events)
	annotate.SortEvents(b.Events)
	r, err := Compare([]*annotate.Observation{a, b}, nil, s, Options{End: 60 * annotate.Second})
	if err != nil {
		t.Fatal(err)
	}
	if k := r.PerBehavior["child:check_back"].Kappa; !k.Valid || k.V >= 0 {
		t.Fatalf("slice κ of check_back = %v; the case needs it at or below zero", k)
	}
	p := r.PrimaryOf(&r.Section, "child:check_back")
	if !p.Onsets || !p.Value.Valid || p.Value.V != 100 || p.Text != "3 of 3 onsets matched (±0.5 s)" {
		t.Errorf("check_back judged by %+v, want 3 of 3 onsets matched", p)
	}
	if r.PointBehavior("child:explore") {
		t.Error("explore is a state")
	}
	if p := r.PrimaryOf(&r.Section, "child:explore"); p.Onsets || p.Value.V != 1 || p.Text != "κ 1.0000" {
		t.Errorf("explore judged by %+v, want κ 1", p)
	}
	// One onset B missed: named, not hidden.
	b.Events = b.Events[:3]
	r, err = Compare([]*annotate.Observation{a, b}, nil, s, Options{End: 60 * annotate.Second})
	if err != nil {
		t.Fatal(err)
	}
	if p := r.PrimaryOf(&r.Section, "child:check_back"); p.Text != "2 of 3 onsets matched, B 0 extra (±0.5 s)" {
		t.Errorf("with an omission: %q", p.Text)
	}
}
