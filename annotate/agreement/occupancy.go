package agreement

import (
	"math/bits"
	"slices"

	"dyadcode/annotate"
)

// resolver gives an event the behaviour identity and kind of
// docs/agreement.md §1. Compare and the Report's Identity and IsPoint
// share it, so a view beside a report cannot resolve events differently.
type resolver struct {
	scheme     *annotate.Scheme
	anySubject bool
	// subjectsOf[code] are the subjects the inputs use with the code.
	subjectsOf map[string]map[string]bool
}

func newResolver(obs []*annotate.Observation, s *annotate.Scheme) *resolver {
	r := &resolver{scheme: s, subjectsOf: map[string]map[string]bool{}}
	for _, o := range obs {
		for _, e := range o.Events {
			if e.Subject == "" {
				continue
			}
			r.anySubject = true
			if r.subjectsOf[e.Behavior] == nil {
				r.subjectsOf[e.Behavior] = map[string]bool{}
			}
			r.subjectsOf[e.Behavior][e.Subject] = true
		}
	}
	return r
}

// resolve returns e's identity and whether it counts as a point. The
// identity is subject:code when any input names a subject, else the code.
// An event without a subject takes its behaviour's subject from the
// scheme, else the one subject the other inputs use for that code, so a
// minimal CSV (no subject column) still lines up with a full export. The
// kind is the scheme's, else a point iff it has no duration and is not
// running.
func (r *resolver) resolve(e annotate.Event) (id string, point bool) {
	var b annotate.Behavior
	known := false
	if r.scheme != nil {
		b, known = r.scheme.Behavior(e.Behavior)
	}
	point = !e.Open && e.End == e.Start
	if known {
		point = b.Kind == annotate.Point
	}
	if !r.anySubject {
		return e.Behavior, point
	}
	sub := e.Subject
	if sub == "" && known {
		sub = b.Subject
	}
	if sub == "" && len(r.subjectsOf[e.Behavior]) == 1 {
		for s := range r.subjectsOf[e.Behavior] {
			sub = s
		}
	}
	if sub == "" {
		return e.Behavior, point
	}
	return sub + ":" + e.Behavior, point
}

// occupancy is what Compare computed per coder, kept on the Report so a
// view of where coders differ uses the very slices and onsets the
// statistics count instead of a second implementation of the rules.
type occupancy struct {
	res   *resolver
	index map[string]int // identity → b in occ[k][b] and on[k][b]
	// occ[k][b] is coder k's slice bitset of behaviour b over n slices.
	occ [][][]uint64
	// on[k][b] are coder k's sorted onsets of behaviour b in the window.
	on [][][]annotate.Time
	n  int
	// points are the identities every coder coded as points.
	points map[string]bool
}

// Identity returns the behaviour identity Compare gave event e of one of
// the compared observations (docs/agreement.md §1): the code, or
// subject:code when any input names a subject. An event without a
// subject depends on the other inputs, so ask the report that compared
// it. A report not made by Compare gives the code.
func (r *Report) Identity(e annotate.Event) string {
	if r.occupancy == nil {
		return e.Behavior
	}
	id, _ := r.occupancy.res.resolve(e)
	return id
}

// IsPoint reports whether Compare counted e as a point: the scheme's
// kind, else no duration and not running (docs/agreement.md §1).
func (r *Report) IsPoint(e annotate.Event) bool {
	if r.occupancy == nil {
		return !e.Open && e.End == e.Start
	}
	_, point := r.occupancy.res.resolve(e)
	return point
}

// Occupied returns the slices in which coder k (an index into
// Params.Coders) had behaviour id (an identity of Behaviors), as maximal
// runs [i0, i1) of slice indices in increasing order: the occupancy of
// docs/agreement.md §2 that n11, n10 and n01 count. It is nil when the
// coder never had the behaviour in a slice, k or id is unknown, or the
// report was not made by Compare.
func (r *Report) Occupied(k int, id string) [][2]int {
	o, b := r.at(k, id)
	if o == nil {
		return nil
	}
	set := o.occ[k][b]
	var runs [][2]int
	for i := nextBit(set, 0, o.n, true); i < o.n; {
		j := nextBit(set, i, o.n, false)
		runs = append(runs, [2]int{i, j})
		i = nextBit(set, j, o.n, true)
	}
	return runs
}

// Onsets returns coder k's onsets of behaviour id inside the window (a
// point at exactly T included), sorted: those event matching
// (docs/agreement.md §5) pairs or leaves unmatched. nil as for Occupied.
func (r *Report) Onsets(k int, id string) []annotate.Time {
	o, b := r.at(k, id)
	if o == nil {
		return nil
	}
	return slices.Clone(o.on[k][b])
}

// at returns the occupancy and the index of behaviour id for coder k, or
// nil when the report has none or k or id is not in it.
func (r *Report) at(k int, id string) (*occupancy, int) {
	o := r.occupancy
	if o == nil || k < 0 || k >= len(o.occ) {
		return nil, 0
	}
	b, ok := o.index[id]
	if !ok {
		return nil, 0
	}
	return o, b
}

// nextBit returns the first index in [i, n) whose bit in set is v, else
// n. Bits of the last word past n are ignored.
func nextBit(set []uint64, i, n int, v bool) int {
	for i < n {
		wd := set[i/64]
		if !v {
			wd = ^wd
		}
		if wd >>= uint(i % 64); wd != 0 {
			return min(i+bits.TrailingZeros64(wd), n)
		}
		i = (i/64 + 1) * 64
	}
	return n
}
