package eaf

import (
	"bytes"
	"io"
	"testing"

	"dyadcode/annotate"
)

// big is a 2-hour observation of n events over every behaviour of the
// default scheme, the size of a long, densely coded session.
func big(n int) annotate.Transfer {
	s := annotate.DefaultScheme()
	o := &annotate.Observation{Coder: "bench"}
	step := 2 * annotate.Hour / annotate.Time(n)
	for i := 0; i < n; i++ {
		b := s.Behaviors[i%len(s.Behaviors)]
		e := annotate.Event{ID: annotate.EventID(i + 1), Behavior: b.Code, Start: annotate.Time(i) * step}
		e.End = e.Start
		if b.Kind == annotate.State {
			e.End += step // states of one exclusive group (distress, calm) touch, never overlap
		}
		o.Events = append(o.Events, e)
	}
	for i, ep := range s.Episodes {
		o.Episodes = append(o.Episodes, annotate.EpisodeMark{Name: ep.Name, Start: annotate.Time(i) * 15 * annotate.Minute})
	}
	return annotate.Transfer{Obs: o, End: 2 * annotate.Hour, Rate: annotate.Rate{Num: 25, Den: 1}}
}

func BenchmarkWrite10k(b *testing.B) {
	s := annotate.DefaultScheme()
	recs := []annotate.Transfer{big(10_000)}
	for b.Loop() {
		if err := Write(io.Discard, recs, s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRead10k(b *testing.B) {
	s := annotate.DefaultScheme()
	var doc bytes.Buffer
	if err := Write(&doc, []annotate.Transfer{big(10_000)}, s); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(doc.Len()))
	for b.Loop() {
		if _, err := Read(bytes.NewReader(doc.Bytes()), "bench.eaf", s); err != nil {
			b.Fatal(err)
		}
	}
}
