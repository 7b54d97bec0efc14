package review

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"

	"dyadcode/annotate"
	"dyadcode/annotate/agreement"
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
	report *agreement.Report
}

// Unmatched reports whether the event of coder k (an index into the
// report's coders) has an onset no other coder matched. Only coders A and
// B are matched, as in the report.
func (a *Analysis) Unmatched(k int, e annotate.Event) bool {
	return a.unmatched[unmatchedKey{k, a.report.Identity(e), e.Start}] > 0
}

// Analyze locates the disagreements behind a report made by
// agreement.Compare: from the report's own slice occupancy and onsets it
// lists the runs of slices where the coders differ, plus the onsets the
// report's matching left unpaired. Taking both from the report, not
// recomputing them, keeps the list and the statistics to one definition
// (docs/agreement.md); the tests hold the list to the report's n10 and
// n01.
func Analyze(r *agreement.Report) *Analysis {
	p := r.Params
	a := &Analysis{unmatched: map[unmatchedKey]int{}, report: r}
	ncoders := len(p.Coders)
	if p.Slice <= 0 || p.NSlices <= 0 || ncoders < 2 {
		return a
	}
	n := p.NSlices
	// occ[k][b] lists coder k's behaviour b as slice ranges [i0, i1).
	occ := make([][][][2]int, ncoders)
	for k := range occ {
		occ[k] = make([][][2]int, len(r.Behaviors))
		for b, id := range r.Behaviors {
			// A point is judged by onset matching (Report.PrimaryOf): the
			// unmatched onsets below are its disagreements. Its slices
			// would list one point tagged a slice apart as two.
			if r.PointBehavior(id) {
				continue
			}
			occ[k][b] = r.Occupied(k, id)
		}
	}
	// A sweep over slice boundaries: each coder's behaviour set only
	// changes where a span starts or ends, so the work is proportional to
	// the events, not to the number of slices.
	type change struct {
		at, coder, b, delta int
	}
	var total int
	for k := range occ {
		for _, spans := range occ[k] {
			total += 2 * len(spans)
		}
	}
	changes := make([]change, 0, total)
	for k := range occ {
		for b, spans := range occ[k] {
			for _, sp := range spans {
				changes = append(changes, change{sp[0], k, b, +1}, change{sp[1], k, b, -1})
			}
		}
	}
	slices.SortFunc(changes, func(x, y change) int { return cmp.Compare(x.at, y.at) })
	// count[k][b] is how many of coder k's spans of behaviour b cover the
	// current slice; set[k] has bit b while count is positive, so
	// comparing categories is comparing words.
	words := (len(r.Behaviors) + 63) / 64
	count := make([][]int, ncoders)
	set := make([][]uint64, ncoders)
	prev := make([][]uint64, ncoders)
	for k := range count {
		count[k] = make([]int, len(r.Behaviors))
		set[k] = make([]uint64, words)
		prev[k] = make([]uint64, words)
	}
	sliceTime := func(i int) annotate.Time { return min(annotate.Time(i)*p.Slice, p.End) }
	// Category names repeat across runs; build each once.
	names := map[string]string{}
	key := make([]byte, 0, 8*words)
	name := func(bits []uint64) string {
		key = key[:0]
		for _, wd := range bits {
			key = binary.LittleEndian.AppendUint64(key, wd)
		}
		if s, ok := names[string(key)]; ok {
			return s
		}
		s := categoryName(bits, r.Behaviors)
		names[string(key)] = s
		return s
	}
	var run *Disagreement
	flush := func(end int) {
		if run == nil {
			return
		}
		run.End = sliceTime(end)
		a.Disagreements = append(a.Disagreements, *run)
		run = nil
	}
	first := true
	for c := 0; c < len(changes); {
		at := changes[c].at
		for ; c < len(changes) && changes[c].at == at; c++ {
			ch := changes[c]
			count[ch.coder][ch.b] += ch.delta
			if count[ch.coder][ch.b] > 0 {
				set[ch.coder][ch.b/64] |= 1 << (ch.b % 64)
			} else {
				set[ch.coder][ch.b/64] &^= 1 << (ch.b % 64)
			}
		}
		if at >= n {
			break
		}
		same := !first
		for k := range set {
			same = same && slices.Equal(set[k], prev[k])
		}
		if same {
			continue // nothing changed at this boundary
		}
		first = false
		for k := range set {
			copy(prev[k], set[k])
		}
		flush(at)
		differ := false
		for k := 1; k < len(set); k++ {
			differ = differ || !slices.Equal(set[k], set[0])
		}
		if !differ {
			continue
		}
		// Behaviours some but not all coders have: OR minus AND.
		or, and := make([]uint64, words), slices.Clone(set[0])
		for k := range set {
			for i := range or {
				or[i] |= set[k][i]
				and[i] &= set[k][i]
			}
		}
		var diff []string
		for b, id := range r.Behaviors {
			if (or[b/64]&^and[b/64])&(1<<(b%64)) != 0 {
				diff = append(diff, id)
			}
		}
		have := make([]string, ncoders)
		for k := range set {
			have[k] = name(set[k])
		}
		run = &Disagreement{Kind: SliceDisagreement, Start: sliceTime(at), Behaviors: diff, Have: have}
	}
	flush(n)

	// Unmatched onsets: what each coder had minus the report's pairs,
	// counted as multisets because two events may share an onset.
	tol := r.Events.Tolerance
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
				have := make([]string, ncoders)
				for j := range have {
					have[j] = "–"
				}
				kind := Omission
				other := 1
				if k == 1 {
					kind, other = Commission, 0
				}
				have[k] = "onset at " + seconds(t) + " s"
				have[other] = "no onset within ±" + seconds(tol) + " s"
				for range cnt {
					a.Disagreements = append(a.Disagreements, Disagreement{
						Kind: kind, Start: t, End: t, Behaviors: []string{id}, Have: have,
					})
				}
			}
		}
	}
	slices.SortStableFunc(a.Disagreements, func(x, y Disagreement) int {
		if c := cmp.Compare(x.Start, y.Start); c != 0 {
			return c
		}
		if c := cmp.Compare(x.Kind, y.Kind); c != 0 {
			return c
		}
		return cmp.Compare(strings.Join(x.Behaviors, ","), strings.Join(y.Behaviors, ","))
	})
	return a
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

// seconds prints a time in seconds without trailing zeros ("0.5", "31").
func seconds(t annotate.Time) string {
	return strings.TrimSuffix(strings.TrimRight(t.Seconds(), "0"), ".")
}
