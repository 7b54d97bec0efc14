package store

import "testing"

// "Dana " and "DANA" record as dana, the coder's first spelling.
func TestObservationCoderSpelling(t *testing.T) {
	p, v := newProject(t)
	for _, typed := range []string{"dana", "Dana ", "DANA"} {
		o, err := p.NewObservation(v.ID, typed)
		if err != nil {
			t.Fatal(err)
		}
		if o.Coder != "dana" {
			t.Errorf("typed %q, recorded %q", typed, o.Coder)
		}
	}
	if coders, _ := p.Coders(); len(coders) != 1 {
		t.Errorf("coders %q, want dana once", coders)
	}
}
