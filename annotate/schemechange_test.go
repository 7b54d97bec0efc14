package annotate

import (
	"reflect"
	"slices"
	"testing"
)

// coded is two coders' observations of the bundled scheme: smile points,
// distress (with a modifier) then explore, explore overlapping calm, a
// mark and a rating.
func coded() []*Observation {
	return []*Observation{
		{Coder: "alice", Events: []Event{
			{ID: 1, Behavior: "smile", Subject: "child", Start: 1 * Second, End: 1 * Second},
			{ID: 2, Behavior: "distress", Subject: "child", Start: 2 * Second, End: 5 * Second, Modifiers: []string{"cry"}},
			{ID: 3, Behavior: "explore", Subject: "child", Start: 4 * Second, End: 9 * Second},
			{ID: 4, Behavior: "calm", Subject: "child", Start: 5 * Second, End: 8 * Second},
			{ID: 5, Behavior: "smile", Subject: "child", Start: 6 * Second, End: 6 * Second},
		}, Episodes: []EpisodeMark{{Name: "1 Introduction"}},
			Ratings: []Rating{{Episode: "5 First reunion", Scale: "avoidance", Value: 6}}},
		{Coder: "ben", Events: []Event{
			{ID: 1, Behavior: "smile", Subject: "child", Start: 1 * Second, End: 1 * Second},
			{ID: 2, Behavior: "eye_contact", Subject: "child", Start: 2 * Second, End: 2 * Second},
		}},
	}
}

func TestSchemeBreaks(t *testing.T) {
	tests := []struct {
		name string
		edit func(s *Scheme)
		want []string
	}{
		{"a renamed label breaks nothing", func(s *Scheme) { s.Behaviors[0].Name = "Approaches" }, nil},
		{"smile point → state (the issue's case)", func(s *Scheme) { beh(s, "smile").Kind = State },
			[]string{"smile: point → state, but its 3 points would become states of no duration (alice, ben)"}},
		{"distress state → point", func(s *Scheme) { b := beh(s, "distress"); b.Kind, b.Group = Point, "" },
			[]string{"distress: state → point, but 1 of its states have a duration or are still running (alice)"}},
		{"a zero-length state → point still changes its meaning", func(s *Scheme) { beh(s, "eye_contact").Kind = Point },
			[]string{"eye_contact: state → point, but its 1 states would become points (ben)"}},
		{"a used code removed", func(s *Scheme) {
			s.Behaviors = slices.DeleteFunc(s.Behaviors, func(b Behavior) bool { return b.Code == "smile" })
		}, []string{"smile: behaviour removed, but 3 events code it (alice, ben)"}},
		{"an unused code removed", func(s *Scheme) {
			s.Behaviors = slices.DeleteFunc(s.Behaviors, func(b Behavior) bool { return b.Code == "approach" })
		}, nil},
		{"a used modifier removed", func(s *Scheme) { beh(s, "distress").Modifiers = []string{"fuss", "scream"} },
			[]string{`distress: modifier "cry" removed, but 1 events carry it (alice)`}},
		{"explore moved into the group it overlaps", func(s *Scheme) { beh(s, "explore").Group = "affect" },
			[]string{"affect: exclusive group, but 2 pairs of its states overlap in time (alice)"}},
		{"a used subject changed", func(s *Scheme) { beh(s, "smile").Subject = "caregiver" },
			[]string{`smile: moved to subject "caregiver", but 3 events code it for "child" (alice, ben)`}},
		{"a marked episode removed", func(s *Scheme) { s.Episodes = s.Episodes[1:] },
			[]string{"1 Introduction: episode removed, but it is marked 1 times (alice)"}},
		{"a rating range narrowed", func(s *Scheme) { s.Ratings[3].Max = 5 },
			[]string{"avoidance: range now 1–5, but 1 ratings lie outside it (alice)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := DefaultScheme()
			nw := old.Clone()
			tt.edit(nw)
			var got []string
			for _, b := range SchemeBreaks(old, nw, coded()) {
				got = append(got, b.String())
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("breaks\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func beh(s *Scheme, code string) *Behavior {
	for i := range s.Behaviors {
		if s.Behaviors[i].Code == code {
			return &s.Behaviors[i]
		}
	}
	panic(code)
}
