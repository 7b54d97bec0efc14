package annotate

import "testing"

// TestFindBehaviorAndSubject pins how interchange importers resolve a
// name: code first, then display name, ignoring case and outer spaces;
// an empty name never matches, not even a behaviour without a name.
func TestFindBehaviorAndSubject(t *testing.T) {
	s := &Scheme{
		Subjects: []Subject{{Code: "child", Name: "Infant"}, {Code: "mother", Name: "child"}},
		Behaviors: []Behavior{
			{Code: "cry", Name: "Crying", Kind: State},
			{Code: "smile", Name: "cry", Kind: Point}, // a name that is another's code
			{Code: "look", Kind: Point},               // no display name
		},
	}
	for _, c := range []struct {
		v, want string
		ok      bool
	}{
		{"cry", "cry", true},
		{"  CRY ", "cry", true},
		{"crying", "cry", true},
		{"Smile", "smile", true},
		{"look", "look", true},
		{"", "", false},
		{"   ", "", false},
		{"laugh", "", false},
	} {
		b, ok := s.FindBehavior(c.v)
		if ok != c.ok || b.Code != c.want {
			t.Errorf("FindBehavior(%q) = %q, %v; want %q, %v", c.v, b.Code, ok, c.want, c.ok)
		}
	}
	for _, c := range []struct {
		v, want string
		ok      bool
	}{
		{"child", "child", true}, // the code wins over mother's name
		{"infant", "child", true},
		{" Mother", "mother", true},
		{"", "", false},
		{"father", "", false},
	} {
		sub, ok := s.FindSubject(c.v)
		if ok != c.ok || sub.Code != c.want {
			t.Errorf("FindSubject(%q) = %q, %v; want %q, %v", c.v, sub.Code, ok, c.want, c.ok)
		}
	}
}
