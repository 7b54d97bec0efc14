package agreement

import (
	"slices"
	"testing"

	"dyadcode/annotate"
)

// TestOccupied pins the slice runs and onsets a report exposes against
// the rules of docs/agreement.md §2 and §5, worked by hand at w = 0.1 s.
func TestOccupied(t *testing.T) {
	open := func(code, start string) annotate.Event {
		e := st(code, start, start)
		e.Open = true
		return e
	}
	cases := []struct {
		name   string
		end    string
		a      *annotate.Observation
		id     string
		runs   [][2]int
		onsets []annotate.Time
	}{
		{"state [0.5, 0.7) holds midpoints 0.55 and 0.65", "1", coder("a", st("calm", "0.5", "0.7")), "calm",
			[][2]int{{5, 7}}, []annotate.Time{sec("0.5")}},
		{"a state holding no midpoint is in no slice but keeps its onset", "1", coder("a", st("calm", "0.3", "0.34")), "calm",
			nil, []annotate.Time{sec("0.3")}},
		{"a point at 0.3 s is in slice 3, not 2", "1", coder("a", pt("smile", "0.3")), "smile",
			[][2]int{{3, 4}}, []annotate.Time{sec("0.3")}},
		{"a point at exactly T is in the last slice and is an onset", "1", coder("a", pt("smile", "1")), "smile",
			[][2]int{{9, 10}}, []annotate.Time{sec("1")}},
		{"overlapping and touching states of one behaviour make one run", "2", coder("a", st("calm", "0.2", "0.6"), st("calm", "0.4", "0.9"), st("calm", "0.9", "1.1")), "calm",
			[][2]int{{2, 11}}, []annotate.Time{sec("0.2"), sec("0.4"), sec("0.9")}},
		{"separate states are separate runs", "1", coder("a", st("calm", "0", "0.2"), st("calm", "0.5", "0.6")), "calm",
			[][2]int{{0, 2}, {5, 6}}, []annotate.Time{0, sec("0.5")}},
		{"a running state is closed at T (the midpoint 0.75 is in)", "1", coder("a", open("calm", "0.75")), "calm",
			[][2]int{{7, 10}}, []annotate.Time{sec("0.75")}},
		{"a state past T is cut at T; one starting at T is outside", "1", coder("a", st("calm", "0.85", "3"), st("calm", "1", "2")), "calm",
			[][2]int{{8, 10}}, []annotate.Time{sec("0.85")}},
		{"runs cross 64-slice words", "20", coder("a", st("calm", "6.3", "13")), "calm",
			[][2]int{{63, 130}}, []annotate.Time{sec("6.3")}},
		{"a behaviour the coder never used", "1", coder("a", pt("smile", "0.5")), "calm", nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			other := coder("b", pt("calm", "0"), pt("smile", "0"))
			r := compare(t, c.end, c.a, other)
			if got := r.Occupied(0, c.id); !slices.Equal(got, c.runs) {
				t.Errorf("Occupied = %v, want %v", got, c.runs)
			}
			if got := r.Onsets(0, c.id); !slices.Equal(got, c.onsets) {
				t.Errorf("Onsets = %v, want %v", got, c.onsets)
			}
		})
	}
	r := compare(t, "1", coder("a", pt("smile", "0.5")), coder("b", pt("smile", "0.5")))
	for _, k := range []int{-1, 2} {
		if r.Occupied(k, "smile") != nil || r.Onsets(k, "smile") != nil {
			t.Errorf("coder %d: runs or onsets for a coder not compared", k)
		}
	}
	if (&Report{}).Occupied(0, "smile") != nil || (&Report{}).Onsets(0, "smile") != nil {
		t.Error("a report not made by Compare has runs or onsets")
	}
}

// TestOccupiedCountsAsReport holds Occupied and Onsets to the statistics
// on the benchmark session (30 behaviours, 72,000 slices): the slices
// only A (only B) has a behaviour in number its n10 (n01), both its n11,
// and each coder's onsets its n_a (n_b).
func TestOccupiedCountsAsReport(t *testing.T) {
	a, b, end := benchSession()
	r, err := Compare([]*annotate.Observation{a, b}, nil, nil, Options{End: end})
	if err != nil {
		t.Fatal(err)
	}
	bitsOf := func(k int, id string) []bool {
		in := make([]bool, r.Params.NSlices)
		prev := -1
		for _, run := range r.Occupied(k, id) {
			if run[0] <= prev || run[0] >= run[1] {
				t.Fatalf("%s coder %d: runs not maximal and increasing at %v", id, k, run)
			}
			prev = run[1]
			for i := run[0]; i < run[1]; i++ {
				in[i] = true
			}
		}
		return in
	}
	for _, id := range r.Behaviors {
		inA, inB := bitsOf(0, id), bitsOf(1, id)
		var n11, n10, n01 int64
		for i := range inA {
			switch {
			case inA[i] && inB[i]:
				n11++
			case inA[i]:
				n10++
			case inB[i]:
				n01++
			}
		}
		want := r.PerBehavior[id]
		if n11 != want.N11 || n10 != want.N10 || n01 != want.N01 {
			t.Errorf("%s: runs give n11/n10/n01 %d/%d/%d, report %d/%d/%d", id, n11, n10, n01, want.N11, want.N10, want.N01)
		}
		ev := r.Events.PerBehavior[id]
		if na, nb := len(r.Onsets(0, id)), len(r.Onsets(1, id)); na != ev.NA || nb != ev.NB {
			t.Errorf("%s: %d/%d onsets, report n_a/n_b %d/%d", id, na, nb, ev.NA, ev.NB)
		}
	}
}

// TestIdentityAndKind checks the report resolves an event as Compare
// did: the subject from the event, else the scheme, else the one subject
// the inputs use; the kind from the scheme, else from the duration.
func TestIdentityAndKind(t *testing.T) {
	s := &annotate.Scheme{Behaviors: []annotate.Behavior{
		{Code: "calm", Subject: "child", Kind: annotate.State},
		{Code: "smile", Kind: annotate.Point},
	}}
	withSub := func(e annotate.Event, sub string) annotate.Event { e.Subject = sub; return e }
	a := coder("a", withSub(st("calm", "0", "1"), "child"), withSub(pt("look", "2"), "mother"), st("smile", "3", "3.5"))
	b := coder("b", st("calm", "0", "1"), pt("look", "2"), pt("cry", "4"))
	r, err := Compare([]*annotate.Observation{a, b}, nil, s, Options{End: sec("5")})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		e     annotate.Event
		id    string
		point bool
	}{
		{withSub(st("calm", "0", "1"), "child"), "child:calm", false},
		{st("calm", "0", "1"), "child:calm", false},                   // subject from the scheme
		{pt("look", "2"), "mother:look", true},                        // the one subject the inputs use
		{st("smile", "3", "3.5"), "smile", true},                      // the scheme says point despite a duration
		{st("calm", "1", "1"), "child:calm", false},                   // the scheme says state despite none
		{pt("cry", "4"), "cry", true},                                 // no subject anywhere
		{withSub(st("cry", "4", "4.5"), "child"), "child:cry", false}, // unknown: a state by its duration
	}
	for _, c := range cases {
		if id, point := r.Identity(c.e), r.IsPoint(c.e); id != c.id || point != c.point {
			t.Errorf("%s/%q [%v, %v): identity %q point %v, want %q %v", c.e.Behavior, c.e.Subject, c.e.Start, c.e.End, id, point, c.id, c.point)
		}
	}
	for _, id := range []string{"child:calm", "mother:look", "smile", "cry"} {
		if !slices.Contains(r.Behaviors, id) {
			t.Errorf("report behaviours %v lack %s", r.Behaviors, id)
		}
	}
}
