package sdis

import (
	"io"
	"testing"

	"dyadcode/annotate"
)

func BenchmarkWrite10k(b *testing.B) {
	s := annotate.DefaultScheme()
	o := &annotate.Observation{Coder: "bench"}
	for i := 0; i < 10_000; i++ {
		bh := s.Behaviors[i%len(s.Behaviors)]
		e := annotate.Event{ID: annotate.EventID(i + 1), Behavior: bh.Code, Start: annotate.Time(i) * 720 * annotate.Millisecond}
		e.End = e.Start
		if bh.Kind == annotate.State {
			e.End += 3 * annotate.Second
		}
		o.Events = append(o.Events, e)
	}
	recs := []annotate.Transfer{{Obs: o, End: 2 * annotate.Hour}}
	for b.Loop() {
		if err := Write(io.Discard, recs, s); err != nil {
			b.Fatal(err)
		}
	}
}
