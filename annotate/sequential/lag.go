package sequential

import (
	"math"
	"math/rand/v2"

	"dyadcode/annotate"
)

// LagTable is the event lag table of docs/sequential.md §2–3.
type LagTable struct {
	Codes []string `json:"codes"`
	Lag   int      `json:"lag"`
	// Total is N, the number of transitions counted.
	Total int64 `json:"total"`
	// Events is the number of onsets of the codes in the sequences.
	Events int64 `json:"events"`
	// Sequences is the number of sequences (observations, or episode
	// spans) the events came from.
	Sequences int `json:"sequences"`
	// RowTotals[i] is n_i+, ColTotals[j] is n_+j.
	RowTotals []int64 `json:"row_totals"`
	ColTotals []int64 `json:"col_totals"`
	// SelfExcluded counts the self-transitions left out as structural
	// zeros (Options.NoSelf).
	SelfExcluded int64 `json:"self_transitions_excluded,omitempty"`
	// Cells are row-major: given Codes[0] with every target, then
	// Codes[1], ...
	Cells []LagCell `json:"cells"`

	segs []*segment
}

// LagCell is one given → target transition.
type LagCell struct {
	Given            string `json:"given"`
	Target           string `json:"target"`
	Count            int64  `json:"count"`
	Expected         Value  `json:"expected"`
	Probability      Value  `json:"probability"`
	AdjustedResidual Value  `json:"adjusted_residual"`
	YulesQ           Value  `json:"yules_q"`
	// Structural is true for a structural zero (a self-transition with
	// Options.NoSelf): never counted, no statistics.
	Structural bool `json:"structural_zero,omitempty"`
	// PermutationP is the permutation test's p for Q (null without a
	// test, or when Q is undefined).
	PermutationP Value `json:"permutation_p"`
}

// Cell returns the cell given → target, or nil when a code is not in the
// table.
func (t *LagTable) Cell(given, target string) *LagCell {
	i, j := index(t.Codes, given), index(t.Codes, target)
	if i < 0 || j < 0 {
		return nil
	}
	return &t.Cells[i*len(t.Codes)+j]
}

func index(codes []string, c string) int {
	for i, x := range codes {
		if x == c {
			return i
		}
	}
	return -1
}

// Transition is one counted pair of onsets.
type Transition struct {
	Observation string        `json:"observation"`
	Episode     string        `json:"episode,omitempty"`
	Given       string        `json:"given"`
	Target      string        `json:"target"`
	From        annotate.Time `json:"from_s"` // the given onset
	To          annotate.Time `json:"to_s"`   // the target onset
	// FromID and ToID are the events' IDs in their observation.
	FromID annotate.EventID `json:"from_id"`
	ToID   annotate.EventID `json:"to_id"`
}

// Transitions lists the transitions counted in cell given → target, in
// observation and time order: what a click on the cell shows.
func (t *LagTable) Transitions(given, target string) []Transition {
	i, j := index(t.Codes, given), index(t.Codes, target)
	if i < 0 || j < 0 || t.Lag < 1 || t.Cells[i*len(t.Codes)+j].Structural {
		return nil
	}
	var out []Transition
	for _, s := range t.segs {
		for k := 0; k+t.Lag < len(s.seq); k++ {
			a, b := s.seq[k], s.seq[k+t.Lag]
			if a.code == i && b.code == j {
				out = append(out, Transition{Observation: s.obs, Episode: s.episode, Given: given, Target: target,
					From: a.t, To: b.t, FromID: a.id, ToID: b.id})
			}
		}
	}
	return out
}

// count tallies the lag-L transitions of the segments; self-transitions
// are skipped (and counted in self) when noSelf.
func count(segs []*segment, k, lag int, noSelf bool, codes func(s *segment) []int) (n [][]int64, self int64) {
	n = make([][]int64, k)
	flat := make([]int64, k*k)
	for i := range n {
		n[i] = flat[i*k : (i+1)*k]
	}
	for _, s := range segs {
		seq := codes(s)
		for x := 0; x+lag < len(seq); x++ {
			i, j := seq[x], seq[x+lag]
			if noSelf && i == j {
				self++
				continue
			}
			n[i][j]++
		}
	}
	return n, self
}

// lagTable builds the lag table of the segments.
func (a *analysis) lagTable(segs []*segment) (*LagTable, error) {
	k := len(a.codes)
	codesOf := func(s *segment) []int {
		out := make([]int, len(s.seq))
		for x, o := range s.seq {
			out[x] = o.code
		}
		return out
	}
	n, self := count(segs, k, a.lag, a.opt.NoSelf, codesOf)
	var structural [][]bool
	if a.opt.NoSelf {
		structural = make([][]bool, k)
		for i := range structural {
			structural[i] = make([]bool, k)
			structural[i][i] = true
		}
	}
	lt := &LagTable{Codes: a.codes, Lag: a.lag, SelfExcluded: self, Sequences: len(segs), segs: segs}
	for _, s := range segs {
		lt.Events += int64(len(s.seq))
	}
	if k == 0 {
		return lt, nil
	}
	st, err := Contingency(n, structural)
	if err != nil {
		return nil, err
	}
	lt.Total, lt.RowTotals, lt.ColTotals = st.N, st.Rows, st.Cols
	lt.Cells = make([]LagCell, 0, k*k)
	for i := range k {
		for j := range k {
			cell := LagCell{Given: a.codes[i], Target: a.codes[j], Count: n[i][j],
				Expected: st.Expected[i][j], Probability: st.Probability[i][j],
				AdjustedResidual: st.Residual[i][j], YulesQ: st.Q[i][j]}
			if structural != nil && structural[i][j] {
				cell = LagCell{Given: a.codes[i], Target: a.codes[j], Structural: true}
			}
			lt.Cells = append(lt.Cells, cell)
		}
	}
	if a.opt.Permutations > 0 {
		a.permute(lt, segs, codesOf)
	}
	return lt, nil
}

// permute runs the permutation test of docs/sequential.md §5: each
// sequence's codes are shuffled among its onsets (the times stay), the
// table is counted again, and p for a cell is (1 + the number of shuffles
// whose |Q| is at least the observed |Q|) / (1 + shuffles). A shuffle
// whose Q is undefined does not count as at least as extreme.
func (a *analysis) permute(lt *LagTable, segs []*segment, codesOf func(*segment) []int) {
	k := len(a.codes)
	rng := rand.New(rand.NewPCG(a.opt.Seed, a.opt.Seed^0x9e3779b97f4a7c15))
	seqs := make([][]int, len(segs))
	for x, s := range segs {
		seqs[x] = codesOf(s)
	}
	idx := make(map[*segment]int, len(segs))
	for x, s := range segs {
		idx[s] = x
	}
	extreme := make([]int, k*k)
	for range a.opt.Permutations {
		for _, q := range seqs {
			rng.Shuffle(len(q), func(x, y int) { q[x], q[y] = q[y], q[x] })
		}
		n, _ := count(segs, k, a.lag, a.opt.NoSelf, func(s *segment) []int { return seqs[idx[s]] })
		var total int64
		rows, cols := make([]int64, k), make([]int64, k)
		for i := range k {
			for j := range k {
				rows[i] += n[i][j]
				cols[j] += n[i][j]
				total += n[i][j]
			}
		}
		for c := range lt.Cells {
			cell := &lt.Cells[c]
			if cell.Structural || !cell.YulesQ.Valid {
				continue
			}
			i, j := c/k, c%k
			aa := n[i][j]
			q := yulesQ(aa, rows[i]-aa, cols[j]-aa, total-rows[i]-cols[j]+aa)
			// A relative tolerance so that a shuffle with the same Q
			// counts as at least as extreme despite rounding.
			if q.Valid && math.Abs(q.V) >= math.Abs(cell.YulesQ.V)-1e-12 {
				extreme[c]++
			}
		}
	}
	for c := range lt.Cells {
		if cell := &lt.Cells[c]; !cell.Structural && cell.YulesQ.Valid {
			cell.PermutationP = Of(float64(1+extreme[c]) / float64(1+a.opt.Permutations))
		}
	}
}
