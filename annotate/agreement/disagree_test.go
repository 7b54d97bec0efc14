package agreement

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"dyadcode/annotate"
	"dyadcode/annotate/csvio"
)

// demoEnd is the bundled demo video's duration.
const demoEnd = 60 * annotate.Second

// demoSession reads the bundled demo's two codings (alice, ben) with the
// project's CSV reader, as `dyadcode import` does.
func demoSession(t *testing.T) (*annotate.Scheme, []*annotate.Observation) {
	t.Helper()
	s := annotate.DefaultScheme()
	var obs []*annotate.Observation
	for _, name := range []string{"alice.csv", "ben.csv"} {
		path := filepath.Join("..", "..", "assets", "demo", name)
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csvio.Read(f, path, s)
		f.Close()
		if err != nil || len(recs) != 1 {
			t.Fatalf("%s: %d observations, %v", path, len(recs), err)
		}
		obs = append(obs, recs[0].Obs)
	}
	return s, obs
}

// TestDisagreementsMatchReport holds the disagreement list's slice occupancy to
// the report's: per behaviour, the disagreeing slices where only A
// (only B) has it must number the report's n10 (n01), all disagreeing
// slices N minus the confusion matrix's diagonal, and the unmatched
// onsets the report's omissions and commissions.
func TestDisagreementsMatchReport(t *testing.T) {
	s, demoObs := demoSession(t)
	ev := func(id annotate.EventID, code, subject, start, end string) annotate.Event {
		e := annotate.Event{ID: id, Behavior: code, Subject: subject, Start: sec(start), End: sec(start)}
		if end == "open" {
			e.Open = true
		} else if end != "" {
			e.End = sec(end)
		}
		return e
	}
	obsOf := func(coder string, evs ...annotate.Event) *annotate.Observation {
		return &annotate.Observation{ID: coder, Coder: coder, Events: evs}
	}
	cases := []struct {
		name   string
		obs    []*annotate.Observation
		scheme *annotate.Scheme
		opt    Options
	}{
		{"demo", demoObs, s, Options{End: demoEnd}},
		{"demo coarse", demoObs, s, Options{End: demoEnd, Slice: sec("0.7"), Tolerance: sec("0.1")}},
		{"demo three coders", []*annotate.Observation{demoObs[0], demoObs[1], demoObs[0]}, s, Options{End: demoEnd}},
		{"no scheme, no subjects: sub-slice, overlaps, point at T, open state, outside", []*annotate.Observation{
			obsOf("a", ev(1, "x", "", "0.3", "0.34"), ev(2, "x", "", "1", "2"), ev(3, "y", "", "1.5", "3"), ev(4, "p", "", "5", ""), ev(5, "y", "", "4", "open")),
			obsOf("b", ev(1, "x", "", "1.05", "2.2"), ev(2, "p", "", "4.6", ""), ev(3, "p", "", "5", ""), ev(4, "y", "", "6", "7")),
		}, nil, Options{End: sec("5")}},
		{"subject from scheme for one coder", []*annotate.Observation{
			obsOf("a", ev(1, "calm", "child", "0", "3"), ev(2, "smile", "child", "1", "")),
			obsOf("b", ev(1, "calm", "", "0.5", "3"), ev(2, "smile", "", "1.2", ""), ev(3, "smile", "", "1.2", "")),
		}, s, Options{End: sec("4")}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := Compare(c.obs, nil, c.scheme, c.opt)
			if err != nil {
				t.Fatal(err)
			}
			an := Analyze(r)
			w := r.Params.Slice
			nslices := func(d Disagreement) int64 { return int64((d.End - d.Start + w - 1) / w) }
			var total int64
			n10, n01 := map[string]int64{}, map[string]int64{}
			omit, comm := map[string]int{}, map[string]int{}
			for _, d := range an.Disagreements {
				switch d.Kind {
				case SliceDisagreement:
					total += nslices(d)
					if d.Have[0] == d.Have[1] && len(c.obs) == 2 {
						t.Errorf("%v: listed but the coders agree: %q", d.Start, d.Have)
					}
					for _, id := range d.Behaviors {
						inA := slices.Contains(strings.Split(d.Have[0], " + "), id)
						inB := slices.Contains(strings.Split(d.Have[1], " + "), id)
						switch {
						case inA && !inB:
							n10[id] += nslices(d)
						case inB && !inA:
							n01[id] += nslices(d)
						}
					}
				case Omission:
					omit[d.Behaviors[0]]++
				case Commission:
					comm[d.Behaviors[0]]++
				}
			}
			points := slices.ContainsFunc(r.Behaviors, r.PointBehavior)
			// Points are listed by onset matching only (their slices would
			// count one point tagged a slice apart twice), so the slice
			// totals hold for states.
			if len(c.obs) == 2 && !points {
				var diag int64
				for i := range r.Slice.Confusion {
					diag += r.Slice.Confusion[i][i]
				}
				if total != r.Slice.N-diag {
					t.Errorf("%d disagreeing slices, the confusion matrix has %d off the diagonal", total, r.Slice.N-diag)
				}
			}
			for _, id := range r.Behaviors {
				b, e := r.PerBehavior[id], r.Events.PerBehavior[id]
				if len(c.obs) == 2 && !r.PointBehavior(id) && (n10[id] != b.N10 || n01[id] != b.N01) {
					t.Errorf("%s: A-only/B-only slices %d/%d, report n10/n01 %d/%d", id, n10[id], n01[id], b.N10, b.N01)
				}
				if omit[id] != e.Omissions || comm[id] != e.Commissions {
					t.Errorf("%s: listed omissions/commissions %d/%d, report %d/%d", id, omit[id], comm[id], e.Omissions, e.Commissions)
				}
			}
			for i := 1; i < len(an.Disagreements); i++ {
				if an.Disagreements[i].Start < an.Disagreements[i-1].Start {
					t.Fatalf("disagreements out of time order at %d", i)
				}
			}
		})
	}
}

// Item 8 of issue 13: check-back tagged three times by both coders, each a
// slice or two apart, is 3 of 3 onsets matched: nothing to list, whatever
// slice κ says.
func TestMatchedPointsAreNoDisagreements(t *testing.T) {
	s := annotate.DefaultScheme()
	pts := func(coder string, at ...string) *annotate.Observation {
		o := &annotate.Observation{ID: coder, Coder: coder}
		for i, t := range at {
			ti := annotate.MustSeconds(t)
			o.Events = append(o.Events, annotate.Event{ID: annotate.EventID(i + 1), Behavior: "check_back", Subject: "child", Start: ti, End: ti})
		}
		return o
	}
	a, b := pts("a", "10", "20", "30"), pts("b", "10.1", "20.15", "29.9")
	r, err := Compare([]*annotate.Observation{a, b}, nil, s, Options{End: 60 * annotate.Second})
	if err != nil {
		t.Fatal(err)
	}
	if d := Analyze(r).Disagreements; len(d) != 0 {
		t.Errorf("%d disagreements listed for 3 of 3 matched onsets: %+v", len(d), d)
	}
}
