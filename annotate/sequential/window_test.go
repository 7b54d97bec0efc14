package sequential

import (
	"math"
	"testing"

	"dyadcode/annotate"
)

func TestWindowByHand(t *testing.T) {
	scheme := &annotate.Scheme{Behaviors: []annotate.Behavior{
		{Code: "cry", Kind: annotate.Point},
		{Code: "soothe", Kind: annotate.State},
		{Code: "look", Kind: annotate.Point},
	}}
	type want struct {
		a, b, c, d int64
		q, or      float64
		e, z       float64
		pg, png    float64
		kind       string
	}
	for _, tc := range []struct {
		name   string
		o      *annotate.Observation
		ws     WindowSpec
		d      string
		scheme *annotate.Scheme
		want   want
	}{
		{
			// D = 10 s, w = 1 s: units 0…9, midpoints 0.5 … 9.5. cry at
			// 2 s with [0, 3): midpoints in [2, 5) → units 2 3 4 given.
			// soothe [3.2, 6): midpoints 3.5 4.5 5.5 → units 3 4 5.
			// a = {3,4} = 2, b = {2} = 1, c = {5} = 1, d = 6.
			// Q = (12 − 1)/(12 + 1) = 11/13; OR = 12; E = 3·3/10 = 0.9;
			// z = 1.1/√(0.9·0.7·0.7); P(T|G) = 2/3; P(T|¬G) = 1/7.
			name: "state target",
			o:    obs("o1", pt("cry", "2"), st("soothe", "3.2", "6")),
			ws:   WindowSpec{Given: "cry", Target: "soothe", Lo: 0, Hi: 3 * annotate.Second},
			d:    "10", scheme: scheme,
			want: want{2, 1, 1, 6, 11.0 / 13, 12, 0.9, 1.1 / math.Sqrt(0.441), 2.0 / 3, 1.0 / 7, "state"},
		},
		{
			// Negative window [−2, 0) before cry at 5 s: midpoints in
			// [3, 5) → units 3 4. look points at 3.0 and 3.7 (unit 3,
			// counted once), 9.99 (unit 9), and 10 = D (last unit, 9).
			// a = {3} = 1, b = {4} = 1, c = {9} = 1, d = 7.
			// Q = (7 − 1)/(7 + 1) = 0.75; OR = 7; E = 2·2/10 = 0.4;
			// z = 0.6/√(0.4·0.8·0.8); P(T|G) = 1/2; P(T|¬G) = 1/8.
			name: "point target, negative window",
			o:    obs("o1", pt("cry", "5"), pt("look", "3"), pt("look", "3.7"), pt("look", "9.99"), pt("look", "10")),
			ws:   WindowSpec{Given: "cry", Target: "look", Lo: -2 * annotate.Second, Hi: 0},
			d:    "10", scheme: scheme,
			want: want{1, 1, 1, 7, 0.75, 7, 0.4, 0.6 / math.Sqrt(0.256), 0.5, 1.0 / 8, "point"},
		},
		{
			// Unit 0.5 s, D = 3 s: units 0…5, midpoints 0.25 … 2.75.
			// Windows [0, 1) of cry at 0.2 and 1.6 s overlap nothing:
			// midpoints in [0.2, 1.2) → 0 1; in [1.6, 2.6) → 3 4.
			// A point (no scheme: no duration) at 1.1 s is in unit 2.
			// a = 0, b = 4, c = 1, d = 1. Q = (0 − 4)/(0 + 4) = −1;
			// OR = 0/4 = 0; E = 4·1/6; z = (0 − 2/3)/√(2/3·(1/3)·(5/6)).
			name: "no scheme, half-second units",
			o:    obs("o1", pt("cry", "0.2"), pt("cry", "1.6"), pt("look", "1.1")),
			ws:   WindowSpec{Given: "cry", Target: "look", Hi: annotate.Second, Unit: 500 * annotate.Millisecond},
			d:    "3",
			want: want{0, 4, 1, 1, -1, 0, 2.0 / 3, (-2.0 / 3) / math.Sqrt(2.0/3*(1.0/3)*(5.0/6)), 0, 0.5, "point"},
		},
		{
			// No target anywhere: a = c = 0. Q: ad + bc = 0; OR: bc = 0;
			// E = 0 so z is undefined; P(T|G) = 0/3 = 0 is defined.
			name: "no target",
			o:    obs("o1", pt("cry", "2")),
			ws:   WindowSpec{Given: "cry", Target: "soothe", Hi: 3 * annotate.Second},
			d:    "10", scheme: scheme,
			want: want{0, 3, 0, 7, undef, undef, 0, undef, 0, 0, "state"},
		},
	} {
		r := analyze(t, inputs(tc.d, tc.o), tc.scheme, Options{Window: &tc.ws})
		w, g := tc.want, r.Window
		if g.A != w.a || g.B != w.b || g.C != w.c || g.D != w.d || g.TargetKind != w.kind || g.Units != w.a+w.b+w.c+w.d {
			t.Errorf("%s: a b c d = %d %d %d %d (%d units, %s), want %d %d %d %d (%s)", tc.name, g.A, g.B, g.C, g.D, g.Units, g.TargetKind, w.a, w.b, w.c, w.d, w.kind)
		}
		if !same(g.YulesQ, w.q) || !same(g.OddsRatio, w.or) || !same(g.ExpectedA, w.e) || !same(g.AdjustedResidual, w.z) ||
			!same(g.PTargetGiven, w.pg) || !same(g.PTargetNotGiven, w.png) {
			t.Errorf("%s: Q %v OR %v E %v z %v P(T|G) %v P(T|¬G) %v, want %g %g %g %g %g %g", tc.name,
				g.YulesQ, g.OddsRatio, g.ExpectedA, g.AdjustedResidual, g.PTargetGiven, g.PTargetNotGiven, w.q, w.or, w.e, w.z, w.pg, w.png)
		}
	}
}

// TestWindowPoolsAndCutsAtEpisodes: units are summed over observations; a
// window does not reach out of its episode, nor a state into it.
func TestWindowPoolsAndCutsAtEpisodes(t *testing.T) {
	ws := &WindowSpec{Given: "cry", Target: "soothe", Hi: 3 * annotate.Second}
	// o1 as in TestWindowByHand (a b c d = 2 1 1 6); o2 D = 5 s: cry at
	// 4 s → window [4, 7) cut at 5 → unit 4 given; soothe [0, 2) → units
	// 0 1: a 0, b 1, c 2, d 2. Pooled: 2 2 3 8.
	o1 := obs("o1", pt("cry", "2"), st("soothe", "3.2", "6"))
	o2 := obs("o2", pt("cry", "4"), st("soothe", "0", "2"))
	in := []Input{{Obs: o1, End: 10 * annotate.Second}, {Obs: o2, End: 5 * annotate.Second}}
	r := analyze(t, in, nil, Options{Window: ws})
	if g := r.Window; g.A != 2 || g.B != 2 || g.C != 3 || g.D != 8 || g.GivenOnsets != 2 {
		t.Errorf("pooled a b c d = %d %d %d %d (%d onsets)", g.A, g.B, g.C, g.D, g.GivenOnsets)
	}
	// o1 with an episode from 4 s: units of [4, 10) start at 4 s. The cry
	// at 2 s is outside; soothe [3.2, 6) cut to [4, 6) → units 0 1 (4.5,
	// 5.5): a 0, b 0, c 2, d 4.
	o1.Episodes = []annotate.EpisodeMark{{Name: "pre", Start: 0}, {Name: "reunion", Start: 4 * annotate.Second}}
	r = analyze(t, in[:1], nil, Options{Window: ws, Episode: "reunion"})
	if g := r.Window; g.A != 0 || g.B != 0 || g.C != 2 || g.D != 4 || g.GivenOnsets != 0 || g.PTargetGiven.Valid {
		t.Errorf("episode a b c d = %d %d %d %d, P(T|G) %v", g.A, g.B, g.C, g.D, g.PTargetGiven)
	}
}

// TestOpenStateClosesAtEnd: a state still running counts until D.
func TestOpenStateClosesAtEnd(t *testing.T) {
	o := obs("o1", pt("cry", "1"), annotate.Event{Behavior: "soothe", Start: 2 * annotate.Second, End: 2 * annotate.Second, Open: true})
	r := analyze(t, inputs("4", o), nil, Options{Window: &WindowSpec{Given: "cry", Target: "soothe", Hi: annotate.Second}})
	// Units 0…3; given: midpoint in [1, 2) → unit 1; soothe [2, 4) →
	// units 2 3. a 0 b 1 c 2 d 1.
	if g := r.Window; g.A != 0 || g.B != 1 || g.C != 2 || g.D != 1 || g.TargetKind != "state" {
		t.Errorf("a b c d = %d %d %d %d %s", g.A, g.B, g.C, g.D, g.TargetKind)
	}
}
