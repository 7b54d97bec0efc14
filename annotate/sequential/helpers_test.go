package sequential

import (
	"math"
	"testing"

	"dyadcode/annotate"
)

// pt is a point of code at t seconds.
func pt(code, t string) annotate.Event {
	s := annotate.MustSeconds(t)
	return annotate.Event{Behavior: code, Start: s, End: s}
}

// st is a state of code over [from, to) seconds.
func st(code, from, to string) annotate.Event {
	return annotate.Event{Behavior: code, Start: annotate.MustSeconds(from), End: annotate.MustSeconds(to)}
}

// obs makes an observation with its events numbered in the order given.
func obs(id string, evs ...annotate.Event) *annotate.Observation {
	o := &annotate.Observation{ID: id}
	for i, e := range evs {
		e.ID = annotate.EventID(i + 1)
		o.Events = append(o.Events, e)
	}
	annotate.SortEvents(o.Events)
	o.NextID = annotate.EventID(len(evs) + 1)
	return o
}

// seq makes an observation of points, one code per second from 1 s.
func seq(id string, codes ...string) *annotate.Observation {
	var evs []annotate.Event
	for i, c := range codes {
		t := annotate.Time(i+1) * annotate.Second
		evs = append(evs, annotate.Event{Behavior: c, Start: t, End: t})
	}
	return obs(id, evs...)
}

func inputs(d string, os ...*annotate.Observation) []Input {
	var in []Input
	for _, o := range os {
		x := Input{Obs: o}
		if d != "" {
			x.End = annotate.MustSeconds(d)
		}
		in = append(in, x)
	}
	return in
}

func analyze(t *testing.T, in []Input, s *annotate.Scheme, opt Options) *Report {
	t.Helper()
	r, err := Analyze(in, s, opt)
	if err != nil {
		t.Fatalf("Analyze: %v", err)
	}
	return r
}

// undef marks an expected undefined statistic in tables of want values.
var undef = math.NaN()

// same reports whether v is want to 9 significant digits, or both are
// undefined (want NaN).
func same(v Value, want float64) bool {
	if math.IsNaN(want) {
		return !v.Valid
	}
	return v.Valid && math.Abs(v.V-want) <= 1e-9*max(1, math.Abs(want))
}

// near is same to a given absolute tolerance, for values published
// rounded.
func near(v Value, want, tol float64) bool {
	return v.Valid && math.Abs(v.V-want) <= tol
}

func counts(lt *LagTable) [][]int64 {
	k := len(lt.Codes)
	out := make([][]int64, k)
	for i := range out {
		out[i] = make([]int64, k)
		for j := range out[i] {
			out[i][j] = lt.Cells[i*k+j].Count
		}
	}
	return out
}
