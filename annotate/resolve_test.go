package annotate

import "testing"

// TestFind pins how interchange importers resolve a name: behaviours and
// subjects by code first, then display name, ignoring case and outer
// spaces; modifiers by name, an exact match first. An empty name never
// matches, not even a behaviour without a display name.
func TestFind(t *testing.T) {
	s := &Scheme{
		Subjects: []Subject{{Code: "child", Name: "Infant"}, {Code: "mother", Name: "child"}},
		Behaviors: []Behavior{
			{Code: "cry", Name: "Crying", Kind: State, Modifiers: []string{"fuss", "Scream", "scream"}},
			{Code: "smile", Name: "cry", Kind: Point}, // a name that is another's code
			{Code: "look", Kind: Point},               // no display name
		},
	}
	behavior := func(v string) (string, bool) { b, ok := s.FindBehavior(v); return b.Code, ok }
	subject := func(v string) (string, bool) { x, ok := s.FindSubject(v); return x.Code, ok }
	modifier := s.Behaviors[0].FindModifier
	for _, c := range []struct {
		what string
		find func(string) (string, bool)
		v    string
		want string
		ok   bool
	}{
		{"behaviour", behavior, "cry", "cry", true},
		{"behaviour", behavior, "  CRY ", "cry", true},
		{"behaviour", behavior, "crying", "cry", true},
		{"behaviour", behavior, "Smile", "smile", true},
		{"behaviour", behavior, "look", "look", true},
		{"behaviour", behavior, "", "", false},
		{"behaviour", behavior, "   ", "", false},
		{"behaviour", behavior, "laugh", "", false},
		{"subject", subject, "child", "child", true}, // the code wins over mother's name
		{"subject", subject, "infant", "child", true},
		{"subject", subject, " Mother", "mother", true},
		{"subject", subject, "", "", false},
		{"subject", subject, "father", "", false},
		{"modifier", modifier, "FUSS ", "fuss", true},
		{"modifier", modifier, "scream", "scream", true}, // exact beats Scream
		{"modifier", modifier, "SCREAM", "Scream", true},
		{"modifier", modifier, "", "", false},
		{"modifier", modifier, "whine", "", false},
	} {
		if got, ok := c.find(c.v); got != c.want || ok != c.ok {
			t.Errorf("find %s %q = %q, %v; want %q, %v", c.what, c.v, got, ok, c.want, c.ok)
		}
	}
}
