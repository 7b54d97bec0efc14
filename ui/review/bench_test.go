package review

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"dyadcode/annotate"
	"dyadcode/annotate/agreement"
)

// benchSession is two coders' codings of a 2-hour video with 30
// behaviours (15 states, 15 points), coder B's times jittered by up to
// ±0.4 s: the size of agreement's own benchmark, so the view's extra work
// can be read against Compare's.
func benchSession() ([]*annotate.Observation, *annotate.Scheme, annotate.Time) {
	end := 2 * annotate.Hour
	rng := rand.New(rand.NewPCG(7, 8))
	s := &annotate.Scheme{Name: "bench"}
	a, b := &annotate.Observation{ID: "1", Coder: "a"}, &annotate.Observation{ID: "2", Coder: "b"}
	jitter := func(t annotate.Time) annotate.Time {
		return max(0, t+annotate.Time(rng.Int64N(int64(800*annotate.Millisecond)))-400*annotate.Millisecond)
	}
	var id annotate.EventID
	add := func(code string, st, en annotate.Time) {
		id++
		a.Events = append(a.Events, annotate.Event{ID: id, Behavior: code, Start: st, End: en})
		bs, be := jitter(st), jitter(en)
		if st == en {
			be = bs
		}
		b.Events = append(b.Events, annotate.Event{ID: id, Behavior: code, Start: bs, End: max(bs, be)})
	}
	for k := range 30 {
		code := fmt.Sprintf("b%02d", k)
		kind := annotate.State
		if k >= 15 {
			kind = annotate.Point
		}
		s.Behaviors = append(s.Behaviors, annotate.Behavior{Code: code, Kind: kind, Color: "#336699"})
		t := annotate.Time(rng.Int64N(int64(10 * annotate.Second)))
		for t < end {
			if kind == annotate.State {
				d := annotate.Time(2+rng.IntN(60)) * annotate.Second
				add(code, t, min(t+d, end))
				t += d + annotate.Time(2+rng.IntN(60))*annotate.Second
			} else {
				add(code, t, t)
				t += annotate.Time(5+rng.IntN(30)) * annotate.Second
			}
		}
	}
	annotate.SortEvents(a.Events)
	annotate.SortEvents(b.Events)
	for i := range 8 {
		name := fmt.Sprintf("%d", i+1)
		s.Episodes = append(s.Episodes, annotate.EpisodeDef{Name: name})
		m := annotate.EpisodeMark{Name: name, Start: annotate.Time(i) * 15 * annotate.Minute}
		a.Episodes = append(a.Episodes, m)
		b.Episodes = append(b.Episodes, m)
	}
	return []*annotate.Observation{a, b}, s, end
}

// BenchmarkAgreementRecompute is what a click on Compute costs on that
// session: Compare, Analyze, the tables and the lanes.
func BenchmarkAgreementRecompute(b *testing.B) {
	app := newBenchApp()
	defer app.Quit()
	obs, s, end := benchSession()
	v := NewAgreementView(nil, s, obs, end, nil)
	b.ReportAllocs()
	for b.Loop() {
		if err := v.SetOptions(agreement.DefaultSlice, agreement.DefaultTolerance); err != nil {
			b.Fatal(err)
		}
	}
}
