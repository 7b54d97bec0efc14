package annotate

import (
	"errors"
	"strings"
	"testing"
)

// TestCheckExport: what every interchange exporter refuses before it
// writes a byte, with every problem reported at once.
func TestCheckExport(t *testing.T) {
	s := &Scheme{Behaviors: []Behavior{{Code: "cry", Kind: State}}}
	good := Transfer{Obs: &Observation{ID: "1", Coder: "ann", Events: []Event{{ID: 1, Behavior: "cry", Start: 0, End: Second}}}}
	bad := Transfer{Obs: &Observation{ID: "2", Coder: "ben", Events: []Event{{ID: 1, Behavior: "laugh", Start: 0, End: Second}}}}
	for _, c := range []struct {
		name    string
		recs    []Transfer
		s       *Scheme
		want    []string // parts of the message; none: no error
		unknown bool     // wraps ErrUnknownCode
	}{
		{"valid", []Transfer{good, good}, s, nil, false},
		{"no scheme", []Transfer{good}, nil, []string{"X export needs the coding scheme"}, false},
		{"no observations", nil, s, []string{"X export: no observations to write"}, false},
		{"an unknown code", []Transfer{good, bad}, s, []string{"observation 2 (ben)", `"laugh"`}, true},
		{"every problem at once", []Transfer{{}, bad}, s, []string{"observation 1: no data", "observation 2 (ben)"}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := CheckExport("X export", c.recs, c.s)
			if len(c.want) == 0 {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %q", c.want)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if errors.Is(err, ErrUnknownCode) != c.unknown {
				t.Errorf("errors.Is(%v, ErrUnknownCode) = %v, want %v", err, !c.unknown, c.unknown)
			}
		})
	}
}
