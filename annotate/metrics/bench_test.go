package metrics

import (
	"io"
	"math/rand/v2"
	"testing"

	"dyadcode/annotate"
)

// benchObservation is a long session with n events spread over the default
// scheme's codes and its 8 episodes, states of random length, some open.
func benchObservation(s *annotate.Scheme, n int) (*annotate.Observation, annotate.Time) {
	rng := rand.New(rand.NewPCG(1, 2))
	end := annotate.Time(n) * 200 * annotate.Millisecond
	o := &annotate.Observation{ID: "1", Video: "v1", Coder: "bench"}
	for i, e := range s.Episodes {
		o.Episodes = append(o.Episodes, annotate.EpisodeMark{Name: e.Name, Start: end / 8 * annotate.Time(i)})
	}
	for i := range n {
		b := s.Behaviors[rng.IntN(len(s.Behaviors))]
		st := annotate.Time(rng.Int64N(int64(end)))
		e := annotate.Event{ID: annotate.EventID(i + 1), Behavior: b.Code, Subject: b.Subject, Start: st, End: st}
		if b.Kind == annotate.State {
			e.End = min(end, st+annotate.Time(rng.Int64N(int64(20*annotate.Second))))
			e.Open = rng.IntN(1000) == 0
			if e.Open {
				e.End = st
			}
		}
		o.Events = append(o.Events, e)
	}
	annotate.SortEvents(o.Events)
	return o, end
}

func BenchmarkCompute100k(b *testing.B) {
	s := annotate.DefaultScheme()
	o, end := benchObservation(s, 100_000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compute(o, s, end); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkComputeAndWriteWide100k(b *testing.B) {
	s := annotate.DefaultScheme()
	o, end := benchObservation(s, 100_000)
	for b.Loop() {
		rows, err := Compute(o, s, end)
		if err != nil {
			b.Fatal(err)
		}
		if err := WriteWide(io.Discard, rows); err != nil {
			b.Fatal(err)
		}
	}
}
