package agreement

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"dyadcode/annotate"
)

// benchSession makes two coders' codings of a 2-hour video with 30
// behaviours: 15 states that come and go every few seconds to a minute and
// 15 points every ~20 s, coder B's times jittered by up to ±0.4 s.
func benchSession() (a, b *annotate.Observation, end annotate.Time) {
	end = 2 * annotate.Hour
	rng := rand.New(rand.NewPCG(7, 8))
	a, b = &annotate.Observation{Coder: "a"}, &annotate.Observation{Coder: "b"}
	jitter := func(t annotate.Time) annotate.Time {
		return max(0, t+annotate.Time(rng.Int64N(int64(800*annotate.Millisecond)))-400*annotate.Millisecond)
	}
	var id annotate.EventID
	add := func(code string, s, e annotate.Time) {
		id++
		a.Events = append(a.Events, annotate.Event{ID: id, Behavior: code, Start: s, End: e})
		bs, be := jitter(s), jitter(e)
		if s == e {
			be = bs
		}
		b.Events = append(b.Events, annotate.Event{ID: id, Behavior: code, Start: bs, End: max(bs, be)})
	}
	for k := range 30 {
		code := fmt.Sprintf("b%02d", k)
		t := annotate.Time(rng.Int64N(int64(10 * annotate.Second)))
		for t < end {
			if k < 15 {
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
	// Eight episodes of 15 minutes, as in a long Strange Situation-style
	// protocol, so the per-episode sections are part of the cost.
	for i := range 8 {
		m := annotate.EpisodeMark{Name: fmt.Sprintf("%d", i+1), Start: annotate.Time(i) * 15 * annotate.Minute}
		a.Episodes = append(a.Episodes, m)
		b.Episodes = append(b.Episodes, m)
	}
	return a, b, end
}

// BenchmarkCompareTwoHours is the benchmark: 2 coders × 2-hour
// video × 30 behaviours at w = 0.1 s (72,000 slices) with 8 episodes, goal
// under 100 ms.
func BenchmarkCompareTwoHours(b *testing.B) {
	a, c, end := benchSession()
	obs := []*annotate.Observation{a, c}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compare(obs, nil, nil, Options{End: end}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAnalyzeTwoHours is locating every disagreement (slice runs and
// unmatched onsets) behind the report of the same 2-hour, 30-behaviour
// session at w = 0.1 s: the list the review view, the command line and the
// report show.
func BenchmarkAnalyzeTwoHours(b *testing.B) {
	a, c, end := benchSession()
	r, err := Compare([]*annotate.Observation{a, c}, nil, nil, Options{End: end})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var n int
	for b.Loop() {
		n = len(Analyze(r).Disagreements)
	}
	b.ReportMetric(float64(n), "disagreements")
}
