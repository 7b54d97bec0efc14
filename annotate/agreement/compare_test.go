package agreement

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"dyadcode/annotate"
)

var sec = annotate.MustSeconds

// pt is a point event; st a state [start, end).
func pt(code, at string) annotate.Event {
	return annotate.Event{Behavior: code, Start: sec(at), End: sec(at)}
}

func st(code, start, end string) annotate.Event {
	return annotate.Event{Behavior: code, Start: sec(start), End: sec(end)}
}

func coder(name string, evs ...annotate.Event) *annotate.Observation {
	o := &annotate.Observation{Coder: name}
	for i, e := range evs {
		e.ID = annotate.EventID(i + 1)
		o.Events = append(o.Events, e)
	}
	annotate.SortEvents(o.Events)
	return o
}

func compare(t *testing.T, end string, a, b *annotate.Observation, more ...*annotate.Observation) *Report {
	t.Helper()
	r, err := Compare(append([]*annotate.Observation{a, b}, more...), nil, nil, Options{End: sec(end)})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func hasWarning(r *Report, sub string) bool {
	return slices.ContainsFunc(r.Warnings, func(w string) bool { return strings.Contains(w, sub) })
}

// TestIntervalTraps pins the cases where float seconds or a loose
// definition give a different answer.
func TestIntervalTraps(t *testing.T) {
	cases := []struct {
		name  string
		end   string
		a, b  *annotate.Observation
		check func(t *testing.T, r *Report)
	}{
		{
			name: "1.7 s and 2.2 s are within a 0.5 s tolerance (0.5 apart exactly)",
			end:  "5",
			a:    coder("a", pt("smile", "1.7")),
			b:    coder("b", pt("smile", "2.2")),
			check: func(t *testing.T, r *Report) {
				e := r.Events.PerBehavior["smile"]
				if e.Agreements != 1 || e.Omissions != 0 || e.Commissions != 0 {
					t.Errorf("got %+v, want one agreement", e)
				}
				if !near4(e.MeanAbsDiff, 0.5) || !near4(e.F1, 1) || !near4(e.Percent, 100) {
					t.Errorf("mean |Δ| %v, F1 %v, agreement %v", e.MeanAbsDiff, e.F1, e.Percent)
				}
				if len(e.Pairs) != 1 || e.Pairs[0] != [2]annotate.Time{sec("1.7"), sec("2.2")} {
					t.Errorf("pairs %v", e.Pairs)
				}
			},
		},
		{
			name: "one microsecond beyond the tolerance is no match",
			end:  "5",
			a:    coder("a", pt("smile", "1.7")),
			b:    coder("b", pt("smile", "2.200001")),
			check: func(t *testing.T, r *Report) {
				e := r.Events.PerBehavior["smile"]
				if e.Agreements != 0 || e.Omissions != 1 || e.Commissions != 1 || !near4(e.Percent, 0) || e.MeanAbsDiff.Valid {
					t.Errorf("got %+v, want an omission and a commission", e)
				}
			},
		},
		{
			name: "a point at 0.3 s lands in slice 3 at w = 0.1 s (float division says 2)",
			end:  "1",
			a:    coder("a", pt("smile", "0.3")),
			b:    coder("b", pt("smile", "0.35")),
			check: func(t *testing.T, r *Report) {
				b := r.PerBehavior["smile"]
				if b.N11 != 1 || b.N10 != 0 || b.N01 != 0 || b.N00 != 9 || !near4(b.Kappa, 1) {
					t.Errorf("got %+v, want both coders in slice 3 only", b)
				}
			},
		},
		{
			name: "a behaviour in every slice for both coders: κ undefined, 100 %",
			end:  "10",
			a:    coder("a", st("calm", "0", "10")),
			b:    coder("b", st("calm", "0", "10")),
			check: func(t *testing.T, r *Report) {
				b := r.PerBehavior["calm"]
				if b.N11 != 100 || b.Kappa.Valid || !near4(b.Percent, 100) || !near4(b.PABAK, 1) || !near4(b.Positive, 1) {
					t.Errorf("got %+v, want n11 = 100, κ null, 100 %%", b)
				}
				if r.Slice.Kappa.Valid || !near4(r.Slice.Percent, 100) || !slices.Equal(r.Slice.Categories, []string{"calm"}) {
					t.Errorf("slice κ %+v", r.Slice)
				}
			},
		},
		{
			name: "a behaviour only one coder used: κ = 0, not undefined",
			end:  "10",
			a:    coder("a", st("calm", "0", "10"), st("cry", "2", "3")),
			b:    coder("b", st("calm", "0", "10")),
			check: func(t *testing.T, r *Report) {
				b := r.PerBehavior["cry"]
				if b.N10 != 10 || b.N01 != 0 || b.N11 != 0 || !b.Kappa.Valid || b.Kappa.V != 0 {
					t.Errorf("got %+v, want κ = 0", b)
				}
				if !b.Positive.Valid || b.Positive.V != 0 {
					t.Errorf("positive agreement %v, want 0", b.Positive)
				}
				e := r.Events.PerBehavior["cry"]
				if e.NA != 1 || e.NB != 0 || e.Omissions != 1 || !e.Recall.Valid || e.Recall.V != 0 || e.Precision.Valid {
					t.Errorf("events %+v: recall 0, precision undefined (0/0)", e)
				}
			},
		},
		{
			name: "a state shorter than a slice that covers no midpoint counts nowhere and is warned about",
			end:  "3",
			a:    coder("a", st("gaze", "1.51", "1.54")),
			b:    coder("b", st("gaze", "1.51", "1.56")),
			check: func(t *testing.T, r *Report) {
				b := r.PerBehavior["gaze"]
				// B's [1.51, 1.56) covers the midpoint 1.55 of slice 15.
				if b.N10 != 0 || b.N01 != 1 || b.N11 != 0 {
					t.Errorf("got %+v, want only B in slice 15", b)
				}
				if !hasWarning(r, "a: state gaze [1.510000, 1.540000) s covers no slice midpoint") || hasWarning(r, "b: state gaze") {
					t.Errorf("warnings %q", r.Warnings)
				}
				// Onset matching still sees both events.
				if r.Events.PerBehavior["gaze"].Agreements != 1 {
					t.Errorf("events %+v", r.Events.PerBehavior["gaze"])
				}
			},
		},
		{
			name: "overlapping states form composite categories",
			end:  "3",
			a:    coder("a", st("explore", "1", "3"), st("calm", "0", "2")),
			b:    coder("b", st("calm", "0", "3")),
			check: func(t *testing.T, r *Report) {
				s := r.Slice
				if !slices.Equal(s.Categories, []string{"calm", "calm+explore", "explore"}) {
					t.Fatalf("categories %q", s.Categories)
				}
				want := [][]int64{{10, 0, 0}, {10, 0, 0}, {10, 0, 0}}
				if !equalTables(s.Confusion, want) {
					t.Errorf("confusion %v, want %v", s.Confusion, want)
				}
				// p_o = 1/3, p_e = (10·30)/30² = 1/3: κ = 0.
				if !near4(s.PO, 1.0/3) || !near4(s.PE, 1.0/3) || !near4(s.Kappa, 0) {
					t.Errorf("p_o %v p_e %v κ %v", s.PO, s.PE, s.Kappa)
				}
			},
		},
		{
			name: "greedy matching in A's order where nearest neighbour would match fewer",
			end:  "5",
			// Nearest-neighbour pairs 1.0 with 1.2 (0.2 apart) and leaves
			// 1.5 and 0.55 unmatched; the greedy rule pairs 1.0–0.55 and
			// 1.5–1.2.
			a: coder("a", pt("smile", "1.0"), pt("smile", "1.5")),
			b: coder("b", pt("smile", "1.2"), pt("smile", "0.55")),
			check: func(t *testing.T, r *Report) {
				e := r.Events.PerBehavior["smile"]
				want := [][2]annotate.Time{{sec("1"), sec("0.55")}, {sec("1.5"), sec("1.2")}}
				if e.Agreements != 2 || !slices.Equal(e.Pairs, want) {
					t.Errorf("got %d agreements, pairs %v; want %v", e.Agreements, e.Pairs, want)
				}
				if !near4(e.MeanAbsDiff, 0.375) {
					t.Errorf("mean |Δ| %v, want 0.375", e.MeanAbsDiff)
				}
			},
		},
		{
			name: "a point at exactly T goes in the last slice; later ones are ignored with a warning",
			end:  "1",
			a:    coder("a", pt("smile", "1"), pt("smile", "1.2")),
			b:    coder("b", pt("smile", "0.95")),
			check: func(t *testing.T, r *Report) {
				b := r.PerBehavior["smile"]
				if r.Params.NSlices != 10 || b.N11 != 1 || b.N10 != 0 || b.N01 != 0 {
					t.Errorf("n = %d, %+v", r.Params.NSlices, b)
				}
				if !hasWarning(r, "point smile at 1.200000 s is outside the window") {
					t.Errorf("warnings %q", r.Warnings)
				}
				if e := r.Events.PerBehavior["smile"]; e.NA != 1 || e.Agreements != 1 {
					t.Errorf("events %+v", e)
				}
			},
		},
		{
			name: "a state reaching past T is cut at T with a warning",
			end:  "1",
			a:    coder("a", st("calm", "0.5", "2")),
			b:    coder("b", st("calm", "0.5", "1")),
			check: func(t *testing.T, r *Report) {
				b := r.PerBehavior["calm"]
				if b.N11 != 5 || b.N10 != 0 || !near4(b.Kappa, 1) {
					t.Errorf("%+v", b)
				}
				if !hasWarning(r, "reaches outside the window") {
					t.Errorf("warnings %q", r.Warnings)
				}
			},
		},
		{
			name: "the last slice of a window that is not a multiple of w",
			end:  "0.25",
			// N = 3; slice 2 = [0.2, 0.3) has midpoint 0.25 = T, so a state
			// ending at T does not cover it.
			a: coder("a", st("calm", "0", "0.25")),
			b: coder("b", st("calm", "0", "0.25"), pt("smile", "0.25")),
			check: func(t *testing.T, r *Report) {
				if r.Params.NSlices != 3 {
					t.Fatalf("n = %d", r.Params.NSlices)
				}
				if b := r.PerBehavior["calm"]; b.N11 != 2 || b.N00 != 1 {
					t.Errorf("calm %+v", b)
				}
				if b := r.PerBehavior["smile"]; b.N01 != 1 {
					t.Errorf("smile %+v", b)
				}
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.check(t, compare(t, c.end, c.a, c.b))
		})
	}
}

func equalTables(a, b [][]int64) bool {
	return slices.EqualFunc(a, b, func(x, y []int64) bool { return slices.Equal(x, y) })
}

func TestPointSliceAndMidpointRangeAreExact(t *testing.T) {
	w := sec("0.1")
	for _, c := range []struct {
		at   string
		want int
	}{{"0", 0}, {"0.099999", 0}, {"0.1", 1}, {"0.3", 3}, {"0.7", 7}, {"2.3", 23}, {"10", 99}} {
		if got := pointSlice(sec(c.at), w, 100); got != c.want {
			t.Errorf("point at %s s: slice %d, want %d", c.at, got, c.want)
		}
	}
	// midpointRange against the definition slice by slice, on random
	// states and widths, including ones that start or end on a midpoint.
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		w := annotate.Time(1 + rng.IntN(300000))
		n := 1 + rng.IntN(50)
		s := annotate.Time(rng.Int64N(int64(w) * int64(n+2)))
		if rng.IntN(4) == 0 {
			s = annotate.Time(rng.IntN(n))*w + w/2 // on a midpoint (w odd: just past)
		}
		e := s + annotate.Time(rng.Int64N(int64(w)*3))
		i0, i1 := midpointRange(s, e, w, n)
		for i := range n {
			m2 := annotate.Time(2*i+1) * w // twice the midpoint
			in := 2*s <= m2 && m2 < 2*e
			if in != (i >= i0 && i < i1) {
				t.Fatalf("w=%d s=%d e=%d n=%d: slice %d in=%v but range [%d,%d)", w, s, e, n, i, in, i0, i1)
			}
		}
	}
}

// TestMatchOnsetsFollowsTheDefinition checks the one-pass matcher against
// the rule read literally: for each A onset in order, scan B for the
// earliest unmatched onset within the tolerance.
func TestMatchOnsetsFollowsTheDefinition(t *testing.T) {
	literal := func(a, b []annotate.Time, tol annotate.Time) [][2]annotate.Time {
		a, b = slices.Clone(a), slices.Clone(b)
		slices.Sort(a)
		slices.Sort(b)
		used := make([]bool, len(b))
		out := [][2]annotate.Time{}
		for _, x := range a {
			for j, y := range b {
				if !used[j] && y-x <= tol && x-y <= tol {
					used[j] = true
					out = append(out, [2]annotate.Time{x, y})
					break
				}
			}
		}
		return out
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 3000 {
		gen := func() []annotate.Time {
			out := make([]annotate.Time, rng.IntN(12))
			for i := range out {
				out[i] = annotate.Time(rng.IntN(40)) * 100 * annotate.Millisecond
			}
			return out
		}
		a, b := gen(), gen()
		tol := annotate.Time(rng.IntN(8)) * 100 * annotate.Millisecond
		got, want := MatchOnsets(a, b, tol), literal(a, b, tol)
		if !slices.Equal(got, want) {
			t.Fatalf("a=%v b=%v tol=%v: got %v, want %v", a, b, tol, got, want)
		}
	}
}

func TestFleissOverSlicesMatchesFleissKappa(t *testing.T) {
	a := coder("a", st("calm", "0", "2"), st("cry", "1.5", "3"), pt("smile", "0.4"))
	b := coder("b", st("calm", "0", "2.5"), st("cry", "2", "3"), pt("smile", "0.45"))
	c := coder("c", st("calm", "0.3", "2"), pt("smile", "2.9"))
	r := compare(t, "3", a, b, c)
	if r.Fleiss == nil || r.Fleiss.Coders != 3 {
		t.Fatalf("fleiss %+v", r.Fleiss)
	}
	// Rebuild the subjects × raters table from the report's own slice
	// occupancy definition and compare with FleissKappa on labels.
	obs := []*annotate.Observation{a, b, c}
	n := r.Params.NSlices
	labels := make([][]string, n)
	presence := map[string][][]string{}
	for i := range n {
		mid2 := annotate.Time(2*i+1) * r.Params.Slice
		for _, o := range obs {
			var set []string
			for _, e := range o.Events {
				on := e.Start == e.End && pointSlice(e.Start, r.Params.Slice, n) == i ||
					e.Start != e.End && 2*e.Start <= mid2 && mid2 < 2*e.End
				if on && !slices.Contains(set, e.Behavior) {
					set = append(set, e.Behavior)
				}
			}
			slices.Sort(set)
			lab := strings.Join(set, "+")
			if lab == "" {
				lab = "none"
			}
			labels[i] = append(labels[i], lab)
			for _, code := range []string{"calm", "cry", "smile"} {
				if presence[code] == nil {
					presence[code] = make([][]string, n)
				}
				presence[code][i] = append(presence[code][i], map[bool]string{true: "1", false: "0"}[slices.Contains(set, code)])
			}
		}
	}
	want, err := FleissKappa(labels)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Fleiss.SliceComposite; !near9(got.Kappa, want.Kappa) || !near9(got.PO, want.PO) || !near9(got.PE, want.PE) {
		t.Errorf("composite Fleiss %+v, want %+v", got, want)
	}
	for code, table := range presence {
		want, err := FleissKappa(table)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.Fleiss.PerBehavior[code]; !near9(got.Kappa, want.Kappa) {
			t.Errorf("%s: Fleiss %+v, want %+v", code, got, want)
		}
	}
	if len(r.Pairs) != 3 || r.Pairs[0].A != "a" || r.Pairs[2].B != "c" {
		t.Errorf("pairs %+v", r.Pairs)
	}
	if r.Pairs[0].Kappa != r.Slice.Kappa {
		t.Errorf("pair a–b κ %v differs from the A–B slice κ %v", r.Pairs[0].Kappa, r.Slice.Kappa)
	}
}

func near9(got, want Value) bool {
	if got.Valid != want.Valid {
		return false
	}
	d := got.V - want.V
	return d < 1e-9 && d > -1e-9
}

func TestEpisodesFollowTheReferenceCoder(t *testing.T) {
	a := coder("a", st("calm", "0", "4"), pt("smile", "1"), pt("smile", "3"))
	a.Episodes = []annotate.EpisodeMark{{Name: "one", Start: 0}, {Name: "two", Start: sec("2")}}
	b := coder("b", st("calm", "0", "2"), pt("smile", "1.1"), pt("smile", "3.9"))
	b.Episodes = []annotate.EpisodeMark{{Name: "one", Start: 0}, {Name: "two", Start: sec("2.6")}, {Name: "three", Start: sec("3")}}
	r := compare(t, "4", a, b)
	if len(r.Episodes) != 2 {
		t.Fatalf("episodes %+v", r.Episodes)
	}
	one, two := r.Episodes[0], r.Episodes[1]
	if one.NSlices != 20 || two.NSlices != 20 || one.End != sec("2") || two.End != sec("4") {
		t.Errorf("episode spans %+v %+v", one, two)
	}
	if k := one.PerBehavior["calm"]; k.N11 != 20 || k.Kappa.Valid {
		t.Errorf("episode one calm %+v", k)
	}
	if k := two.PerBehavior["calm"]; k.N10 != 20 || !near4(k.Percent, 0) {
		t.Errorf("episode two calm %+v", k)
	}
	// Smiles: episode one matches 1 and 1.1; in episode two 3 and 3.9 are
	// 0.9 s apart.
	if e := one.Events.PerBehavior["smile"]; e.Agreements != 1 {
		t.Errorf("episode one smile %+v", e)
	}
	if e := two.Events.PerBehavior["smile"]; e.Agreements != 0 || e.Omissions != 1 || e.Commissions != 1 {
		t.Errorf("episode two smile %+v", e)
	}
	for _, w := range []string{`episode "two" starts at 2.000000 s for a but 2.600000 s for b`, `episode "three" marked by b`} {
		if !hasWarning(r, w) {
			t.Errorf("no warning %q in %q", w, r.Warnings)
		}
	}
	var buf bytes.Buffer
	if err := r.CSV(&buf); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	// header + (session, one, two) × (calm, smile)
	if len(lines) != 7 || !strings.HasPrefix(lines[5], "two,2,4,calm,0,20,0,0,0,") {
		t.Errorf("CSV:\n%s", buf.String())
	}
}

func TestRatingsFeedWeightedKappaAndICC(t *testing.T) {
	s := annotate.DefaultScheme()
	if len(s.Ratings) == 0 {
		t.Skip("default scheme has no rating scales")
	}
	scale := s.Ratings[0]
	eps := scale.Episodes
	if len(eps) == 0 {
		for _, e := range s.Episodes {
			eps = append(eps, e.Name)
		}
	}
	if len(eps) < 2 {
		t.Skip("scale applies to fewer than two episodes")
	}
	a, b := coder("a", pt("x", "1")), coder("b", pt("x", "1"))
	for i, ep := range eps {
		a.Ratings = append(a.Ratings, annotate.Rating{Episode: ep, Scale: scale.Code, Value: scale.Min + i%2})
		b.Ratings = append(b.Ratings, annotate.Rating{Episode: ep, Scale: scale.Code, Value: scale.Min + i%2})
	}
	r, err := Compare([]*annotate.Observation{a, b}, nil, s, Options{End: sec("2")})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Ratings) != 1 {
		t.Fatalf("ratings %+v", r.Ratings)
	}
	ra := r.Ratings[0]
	if ra.Min == nil || *ra.Min != scale.Min || *ra.Max != scale.Max || len(ra.Episodes) != len(eps) {
		t.Errorf("rating %+v", ra)
	}
	if !near4(ra.Kappa, 1) || !near4(ra.Linear, 1) || !near4(ra.Quadratic, 1) || !near4(ra.ICCA1, 1) {
		t.Errorf("identical ratings: %+v", ra)
	}
}

func TestCompareRejectsBadInput(t *testing.T) {
	a, b := coder("a", pt("x", "1")), coder("b")
	cases := []struct {
		name string
		obs  []*annotate.Observation
		opt  Options
		want error
	}{
		{"one coder", []*annotate.Observation{a}, Options{}, ErrTooFewCoders},
		{"negative slice", []*annotate.Observation{a, b}, Options{Slice: -1}, ErrInput},
		{"negative tolerance", []*annotate.Observation{a, b}, Options{Tolerance: -2}, ErrInput},
		{"too many slices", []*annotate.Observation{a, b}, Options{End: 1000 * annotate.Hour, Slice: annotate.Millisecond}, ErrInput},
		{"nothing coded, no duration", []*annotate.Observation{b, b}, Options{}, ErrInput},
		{"nil observation", []*annotate.Observation{a, nil}, Options{}, ErrInput},
	}
	for _, c := range cases {
		if _, err := Compare(c.obs, nil, nil, c.opt); !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
	}
}

func TestSubjectsAndKindsFromScheme(t *testing.T) {
	s := annotate.DefaultScheme()
	var state, point annotate.Behavior
	for _, b := range s.Behaviors {
		if b.Kind == annotate.State && b.Subject != "" && state.Code == "" {
			state = b
		}
		if b.Kind == annotate.Point && b.Subject != "" && point.Code == "" {
			point = b
		}
	}
	if state.Code == "" || point.Code == "" {
		t.Skip("default scheme lacks a subject's state and point")
	}
	// A has subjects (an export); B is a minimal file without them. A
	// zero-length state is a state (no slice), not a point.
	a := coder("a", annotate.Event{Behavior: state.Code, Subject: state.Subject, Start: sec("1"), End: sec("1")},
		annotate.Event{Behavior: point.Code, Subject: point.Subject, Start: sec("2"), End: sec("2")})
	b := coder("b", st(state.Code, "1", "1"), pt(point.Code, "2"))
	r, err := Compare([]*annotate.Observation{a, b}, []string{"ann", ""}, s, Options{End: sec("3")})
	if err != nil {
		t.Fatal(err)
	}
	sid, pid := state.Subject+":"+state.Code, point.Subject+":"+point.Code
	if !slices.Equal(r.Params.Coders, []string{"ann", "b"}) {
		t.Errorf("coders %q", r.Params.Coders)
	}
	if len(r.PerBehavior) != 2 || r.PerBehavior[pid] == nil || r.PerBehavior[sid] == nil {
		t.Fatalf("behaviours %v", r.Behaviors)
	}
	if k := r.PerBehavior[sid]; k.N10+k.N01+k.N11 != 0 {
		t.Errorf("zero-length state occupies slices: %+v", k)
	}
	if !hasWarning(r, "covers no slice midpoint") {
		t.Errorf("warnings %q", r.Warnings)
	}
	if k := r.PerBehavior[pid]; k.N11 != 1 {
		t.Errorf("point %+v", k)
	}
}

// TestJSONContract pins the key names of `dyadcode agree --format json`.
func TestJSONContract(t *testing.T) {
	r := compare(t, "3", coder("a", pt("smile", "1"), st("calm", "0", "2")), coder("b", pt("smile", "1.2")))
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	keys := func(v any) []string {
		obj, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%v is not an object", v)
		}
		var out []string
		for k := range obj {
			out = append(out, k)
		}
		slices.Sort(out)
		return out
	}
	want := map[string][]string{
		"top":       {"episodes", "events", "fleiss", "params", "per_behavior", "ratings", "slice", "warnings"},
		"params":    {"coders", "end_s", "episodes_from", "n_slices", "slice_s", "tol_s"},
		"slice":     {"categories", "confusion_A_rows_B_cols", "kappa", "n", "p_e", "p_o", "percent_agreement"},
		"behaviour": {"kappa", "n00", "n01", "n10", "n11", "p_e", "p_o", "pabak", "percent_agreement", "positive_agreement"},
		"events":    {"per_behavior", "tolerance_s"},
		"event":     {"agreements", "commissions", "f1", "mean_abs_onset_diff_s", "n_a", "n_b", "omissions", "pairs_onsets_A_B", "percent_agreement", "precision", "recall"},
	}
	events := m["events"].(map[string]any)
	got := map[string][]string{
		"top":       keys(m),
		"params":    keys(m["params"]),
		"slice":     keys(m["slice"]),
		"behaviour": keys(m["per_behavior"].(map[string]any)["smile"]),
		"events":    keys(events),
		"event":     keys(events["per_behavior"].(map[string]any)["smile"]),
	}
	for k := range want {
		if !slices.Equal(got[k], want[k]) {
			t.Errorf("%s keys %q, want %q", k, got[k], want[k])
		}
	}
	if m["fleiss"] != nil {
		t.Errorf("fleiss with two coders should be null, got %v", m["fleiss"])
	}
	// calm: A only, 20 of 30 slices; κ defined (0), and smile's
	// p_e < 1. Undefined values are null: calm events precision (B has 0).
	if !strings.Contains(string(data), `"precision":null`) {
		t.Errorf("no null precision in %s", data)
	}
	if !strings.Contains(string(data), `"pairs_onsets_A_B":[[1.000000,1.200000]]`) || !strings.Contains(string(data), `"slice_s":0.100000`) {
		t.Errorf("times not in seconds: %s", data)
	}
	// A three-coder report has a Fleiss object with its keys.
	r3 := compare(t, "3", coder("a", pt("smile", "1")), coder("b", pt("smile", "1")), coder("c"))
	data, _ = json.Marshal(r3)
	var m3 map[string]any
	if err := json.Unmarshal(data, &m3); err != nil {
		t.Fatal(err)
	}
	if got := keys(m3["fleiss"]); !slices.Equal(got, []string{"coders", "per_behavior", "slice_composite"}) {
		t.Errorf("fleiss keys %q", got)
	}
	var text bytes.Buffer
	if err := r3.Text(&text); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"Fleiss κ over 3 coders", "Pairs of coders", "smile"} {
		if !strings.Contains(text.String(), w) {
			t.Errorf("text report lacks %q:\n%s", w, text.String())
		}
	}
}

// TestManyCompositeCategories: independent states form thousands of
// composite categories; κ is still computed, the dense matrix is left out.
func TestManyCompositeCategories(t *testing.T) {
	a, b, end := benchSession()
	r, err := Compare([]*annotate.Observation{a, b}, nil, nil, Options{End: end})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Slice.Categories) <= MaxConfusion || r.Slice.Confusion != nil || !r.Slice.Kappa.Valid {
		t.Errorf("%d categories, matrix %v, κ %v", len(r.Slice.Categories), r.Slice.Confusion != nil, r.Slice.Kappa)
	}
	if !hasWarning(r, "confusion matrix is left out") || len(r.Episodes) != 8 || r.Params.NSlices != 72000 {
		t.Errorf("warnings %q, %d episodes, %d slices", r.Warnings, len(r.Episodes), r.Params.NSlices)
	}
	// The per-episode slices partition the timeline.
	var n int
	for _, ep := range r.Episodes {
		n += ep.NSlices
	}
	if n != r.Params.NSlices {
		t.Errorf("episodes cover %d slices, want %d", n, r.Params.NSlices)
	}
}

func TestIncompleteRatingsAndMissingReferenceEpisodes(t *testing.T) {
	a, b := coder("a", pt("smile", "1")), coder("b", pt("smile", "1"))
	b.Episodes = []annotate.EpisodeMark{{Name: "one", Start: 0}}
	a.Ratings = []annotate.Rating{{Episode: "one", Scale: "warmth", Value: 3}, {Episode: "two", Scale: "warmth", Value: 5}, {Episode: "three", Scale: "warmth", Value: 1}}
	b.Ratings = []annotate.Rating{{Episode: "one", Scale: "warmth", Value: 3}, {Episode: "three", Scale: "warmth", Value: 2}}
	r := compare(t, "2", a, b)
	if len(r.Episodes) != 0 || !hasWarning(r, "b marked 1 episodes but episodes come from a, who marked none") {
		t.Errorf("episodes %+v, warnings %q", r.Episodes, r.Warnings)
	}
	if len(r.Ratings) != 1 || !slices.Equal(r.Ratings[0].Episodes, []string{"one", "three"}) || r.Ratings[0].Min != nil {
		t.Fatalf("ratings %+v", r.Ratings)
	}
	if !hasWarning(r, `rating warmth for episode "two" is not given by every coder`) {
		t.Errorf("warnings %q", r.Warnings)
	}
	// Values 3–3 and 1–2 over the used categories {1, 2, 3}.
	want, err := WeightedKappa([]int{3, 1}, []int{3, 2}, Linear, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Ratings[0].Linear != want {
		t.Errorf("linear κ %v, want %v", r.Ratings[0].Linear, want)
	}
}
