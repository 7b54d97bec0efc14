package agreement

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"

	"dyadcode/annotate"
)

// DisagreementKind says what a disagreement is about.
type DisagreementKind int

// The kinds of disagreement the supervisor view lists.
const (
	// SliceDisagreement is a run of consecutive time slices in which the
	// coders' composite categories differ (the cells off the diagonal of
	// the time-slice confusion matrix).
	SliceDisagreement DisagreementKind = iota
	// Omission is an onset of the reference coder (A) that coder B did
	// not match within the tolerance.
	Omission
	// Commission is an onset of coder B that matches no onset of A.
	Commission
)

func (k DisagreementKind) String() string {
	switch k {
	case SliceDisagreement:
		return "slices"
	case Omission:
		return "omission"
	case Commission:
		return "commission"
	}
	return fmt.Sprintf("DisagreementKind(%d)", int(k))
}

// Disagreement is one row of the supervisor's disagreement list.
type Disagreement struct {
	Kind DisagreementKind
	// Start is where the video should jump: the first slice's start, or
	// the unmatched onset. End is the end of the run of slices (equal to
	// Start for an unmatched onset).
	Start, End annotate.Time
	// Behaviors are the identities the coders differ on (the symmetric
	// difference of their categories), or the unmatched behaviour.
	Behaviors []string
	// Have says, per coder in report order, what the coder had there.
	Have []string
}

// unmatchedKey identifies an onset of one coder's behaviour, so the
// timeline can mark the events whose onset went unmatched.
type unmatchedKey struct {
	coder int
	id    string
	onset annotate.Time
}

// Analysis is what the view draws besides the report's tables: the
// disagreements in time order and the events whose onsets went unmatched.
type Analysis struct {
	Disagreements []Disagreement
	// unmatched counts unmatched onsets per coder, identity and time
	// (several events may share an onset).
	unmatched map[unmatchedKey]int
	// report resolves an observation's event to its behaviour identity.
	report *Report
}

// Unmatched reports whether the event of coder k (an index into the
// report's coders) has an onset no other coder matched. Only coders A and
// B are matched, as in the report.
func (a *Analysis) Unmatched(k int, e annotate.Event) bool {
	return a.unmatched[unmatchedKey{k, a.report.Identity(e), e.Start}] > 0
}

// Analyze locates the disagreements behind a report made by Compare: from
// the report's own slice occupancy and onsets it lists the runs of slices
// where the coders differ, plus the onsets the report's matching left
// unpaired, in time order. Taking both from the report, not recomputing
// them, keeps the list and the statistics to one definition
// (docs/agreement.md); the tests hold the list to the report's n10 and
// n01. It needs no window: the review view, the command line and the
// report can all list the same disagreements.
func Analyze(r *Report) *Analysis {
	a := &Analysis{unmatched: map[unmatchedKey]int{}, report: r}
	p := r.Params
	if p.Slice <= 0 || p.NSlices <= 0 || len(p.Coders) < 2 {
		return a
	}
	a.Disagreements = sliceRuns(r)
	a.Disagreements = append(a.Disagreements, a.unmatchedOnsets()...)
	sortDisagreements(a.Disagreements)
	return a
}

// boundary is where one coder's span of one behaviour starts (+1) or ends
// (-1), in slices.
type boundary struct {
	at, coder, b, delta int
}

// boundaries lists every span boundary of every coder and behaviour in
// slice order: each coder's behaviour set changes only there, so a sweep
// over them costs in proportion to the events, not to the slices.
func boundaries(r *Report) []boundary {
	spans := make([][][][2]int, len(r.Params.Coders)) // [coder][behaviour]
	total := 0
	for k := range spans {
		spans[k] = make([][][2]int, len(r.Behaviors))
		for b, id := range r.Behaviors {
			// A point is judged by onset matching (Report.PrimaryOf): its
			// unmatched onsets are its disagreements. Its slices would
			// list one point tagged a slice apart as two.
			if r.PointBehavior(id) {
				continue
			}
			spans[k][b] = r.Occupied(k, id)
			total += 2 * len(spans[k][b])
		}
	}
	out := make([]boundary, 0, total)
	for k := range spans {
		for b := range spans[k] {
			for _, sp := range spans[k][b] {
				out = append(out, boundary{sp[0], k, b, +1}, boundary{sp[1], k, b, -1})
			}
		}
	}
	slices.SortFunc(out, func(x, y boundary) int { return cmp.Compare(x.at, y.at) })
	return out
}

// sweep is the state of the walk over slice boundaries: per coder, how
// many spans of each behaviour cover the current slice and the set of
// behaviours as bits, so comparing categories is comparing words.
type sweep struct {
	r         *Report
	words     int
	count     [][]int
	set, prev [][]uint64
	names     map[string]string // category names by bit pattern, built once each
	key       []byte
	run       *Disagreement // the run of differing slices being extended
	runs      []Disagreement
	started   bool
}

func newSweep(r *Report) *sweep {
	ncoders, nb := len(r.Params.Coders), len(r.Behaviors)
	sw := &sweep{r: r, words: (nb + 63) / 64, names: map[string]string{}}
	sw.count = make([][]int, ncoders)
	sw.set = make([][]uint64, ncoders)
	sw.prev = make([][]uint64, ncoders)
	for k := range sw.count {
		sw.count[k] = make([]int, nb)
		sw.set[k] = make([]uint64, sw.words)
		sw.prev[k] = make([]uint64, sw.words)
	}
	return sw
}

// sliceRuns lists the runs of consecutive slices in which the coders'
// composite categories differ (the off-diagonal cells of the time-slice
// confusion matrix).
func sliceRuns(r *Report) []Disagreement {
	sw := newSweep(r)
	bs := boundaries(r)
	for c := 0; c < len(bs); {
		at := bs[c].at
		for ; c < len(bs) && bs[c].at == at; c++ {
			sw.apply(bs[c])
		}
		if at >= r.Params.NSlices {
			break
		}
		sw.boundaryAt(at)
	}
	sw.flush(r.Params.NSlices)
	return sw.runs
}

// apply counts one boundary into the coder's behaviour set.
func (sw *sweep) apply(ch boundary) {
	sw.count[ch.coder][ch.b] += ch.delta
	if sw.count[ch.coder][ch.b] > 0 {
		sw.set[ch.coder][ch.b/64] |= 1 << (ch.b % 64)
	} else {
		sw.set[ch.coder][ch.b/64] &^= 1 << (ch.b % 64)
	}
}

// boundaryAt ends the current run and starts a new one at slice at when
// the coders' sets changed there and now differ.
func (sw *sweep) boundaryAt(at int) {
	if sw.started && sw.unchanged() {
		return
	}
	sw.started = true
	for k := range sw.set {
		copy(sw.prev[k], sw.set[k])
	}
	sw.flush(at)
	if !sw.differ() {
		return
	}
	have := make([]string, len(sw.set))
	for k := range sw.set {
		have[k] = sw.name(sw.set[k])
	}
	sw.run = &Disagreement{Kind: SliceDisagreement, Start: sw.sliceTime(at), Behaviors: sw.differing(), Have: have}
}

// unchanged: no coder's set changed at this boundary.
func (sw *sweep) unchanged() bool {
	for k := range sw.set {
		if !slices.Equal(sw.set[k], sw.prev[k]) {
			return false
		}
	}
	return true
}

// differ: some coder's set is not coder A's.
func (sw *sweep) differ() bool {
	for k := 1; k < len(sw.set); k++ {
		if !slices.Equal(sw.set[k], sw.set[0]) {
			return true
		}
	}
	return false
}

// differing lists the behaviours some but not all coders have: OR minus
// AND of their sets.
func (sw *sweep) differing() []string {
	or, and := make([]uint64, sw.words), slices.Clone(sw.set[0])
	for k := range sw.set {
		for i := range or {
			or[i] |= sw.set[k][i]
			and[i] &= sw.set[k][i]
		}
	}
	var diff []string
	for b, id := range sw.r.Behaviors {
		if (or[b/64]&^and[b/64])&(1<<(b%64)) != 0 {
			diff = append(diff, id)
		}
	}
	return diff
}

// flush ends the current run (if any) at slice end.
func (sw *sweep) flush(end int) {
	if sw.run == nil {
		return
	}
	sw.run.End = sw.sliceTime(end)
	sw.runs = append(sw.runs, *sw.run)
	sw.run = nil
}

func (sw *sweep) sliceTime(i int) annotate.Time {
	return min(annotate.Time(i)*sw.r.Params.Slice, sw.r.Params.End)
}

// name is categoryName, cached by bit pattern: category names repeat
// across runs.
func (sw *sweep) name(bits []uint64) string {
	sw.key = sw.key[:0]
	for _, wd := range bits {
		sw.key = binary.LittleEndian.AppendUint64(sw.key, wd)
	}
	if s, ok := sw.names[string(sw.key)]; ok {
		return s
	}
	s := categoryName(bits, sw.r.Behaviors)
	sw.names[string(sw.key)] = s
	return s
}

// unmatchedOnsets lists, and records for Unmatched, the onsets of coders A
// and B the report's event matching left unpaired: what each coder had
// minus the report's pairs, counted as multisets because two events may
// share an onset.
func (a *Analysis) unmatchedOnsets() []Disagreement {
	r := a.report
	var out []Disagreement
	for _, id := range r.Behaviors {
		ea := r.Events.PerBehavior[id]
		if ea == nil {
			continue
		}
		for k := range 2 {
			left := map[annotate.Time]int{}
			for _, t := range r.Onsets(k, id) {
				left[t]++
			}
			for _, pr := range ea.Pairs {
				left[pr[k]]--
			}
			for t, cnt := range left {
				if cnt <= 0 {
					continue
				}
				a.unmatched[unmatchedKey{k, id, t}] = cnt
				d := unmatchedOnset(len(r.Params.Coders), k, id, t, r.Events.Tolerance)
				for range cnt {
					out = append(out, d)
				}
			}
		}
	}
	return out
}

// unmatchedOnset is the row for coder k's onset of id at t that the other
// of A and B did not match within tol: an omission of B when k is A, a
// commission of B when k is B.
func unmatchedOnset(ncoders, k int, id string, t, tol annotate.Time) Disagreement {
	have := make([]string, ncoders)
	for j := range have {
		have[j] = "–"
	}
	kind, other := Omission, 1
	if k == 1 {
		kind, other = Commission, 0
	}
	have[k] = "onset at " + t.ShortSeconds() + " s"
	have[other] = "no onset within ±" + tol.ShortSeconds() + " s"
	return Disagreement{Kind: kind, Start: t, End: t, Behaviors: []string{id}, Have: have}
}

// sortDisagreements puts the list in time order; at one instant slice runs
// come before omissions before commissions, then by behaviour.
func sortDisagreements(ds []Disagreement) {
	slices.SortStableFunc(ds, func(x, y Disagreement) int {
		if c := cmp.Compare(x.Start, y.Start); c != 0 {
			return c
		}
		if c := cmp.Compare(x.Kind, y.Kind); c != 0 {
			return c
		}
		return cmp.Compare(strings.Join(x.Behaviors, ","), strings.Join(y.Behaviors, ","))
	})
}

// categoryName names a behaviour set as the list shows it: "none", or
// the identities joined by " + " in display order.
func categoryName(bits []uint64, ids []string) string {
	var parts []string
	for b, id := range ids {
		if bits[b/64]&(1<<(b%64)) != 0 {
			parts = append(parts, id)
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, " + ")
}
