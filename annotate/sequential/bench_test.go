package sequential

import (
	"math/rand/v2"
	"testing"

	"dyadcode/annotate"
)

// benchInputs is the benchmark: 100 observations of 2,000 onsets
// each over a 30-minute session, eight codes, states of 0.5–5 s and
// points.
func benchInputs() ([]Input, *annotate.Scheme) {
	codes := []string{"cry", "fuss", "soothe", "hold", "look", "smile", "vocal", "explore"}
	scheme := &annotate.Scheme{}
	for i, c := range codes {
		k := annotate.Point
		if i%2 == 1 {
			k = annotate.State
		}
		scheme.Behaviors = append(scheme.Behaviors, annotate.Behavior{Code: c, Kind: k})
	}
	rng := rand.New(rand.NewPCG(1, 2))
	const d = 30 * annotate.Minute
	var in []Input
	for o := range 100 {
		ob := &annotate.Observation{ID: string(rune('A'+o%26)) + string(rune('0'+o/26))}
		for k := range 2000 {
			b := scheme.Behaviors[rng.IntN(len(codes))]
			start := annotate.Time(rng.Int64N(int64(d)))
			end := start
			if b.Kind == annotate.State {
				end = min(d, start+500*annotate.Millisecond+annotate.Time(rng.Int64N(int64(4500*annotate.Millisecond))))
			}
			ob.Events = append(ob.Events, annotate.Event{ID: annotate.EventID(k + 1), Behavior: b.Code, Start: start, End: end})
		}
		annotate.SortEvents(ob.Events)
		in = append(in, Input{Obs: ob, End: d})
	}
	return in, scheme
}

// BenchmarkLagAndWindow is the lag table of every code plus one window
// analysis (cry → soothe within [0, 5) s at 1 s units) over the 100 ×
// 2,000 onsets. Goal: < 200 ms.
func BenchmarkLagAndWindow(b *testing.B) {
	in, scheme := benchInputs()
	opt := Options{Window: &WindowSpec{Given: "cry", Target: "soothe", Hi: 5 * annotate.Second}}
	b.ResetTimer()
	for range b.N {
		r, err := Analyze(in, scheme, opt)
		if err != nil || r.Lag.Total != 100*1999 {
			b.Fatalf("%v %d", err, r.Lag.Total)
		}
	}
}

// BenchmarkLagOnly is the lag table alone.
func BenchmarkLagOnly(b *testing.B) {
	in, scheme := benchInputs()
	b.ResetTimer()
	for range b.N {
		if _, err := Analyze(in, scheme, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPermutations100 adds a permutation test with 100 shuffles.
func BenchmarkPermutations100(b *testing.B) {
	in, scheme := benchInputs()
	b.ResetTimer()
	for range b.N {
		if _, err := Analyze(in, scheme, Options{Permutations: 100, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
