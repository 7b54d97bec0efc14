package agreement

import (
	"fmt"
	"slices"

	"dyadcode/annotate"
)

// Report is the result of Compare. It marshals to the JSON contract of
// `dyadcode agree --format json` (docs/agreement.md): params, slice,
// per_behavior, events, fleiss and warnings, plus episodes, ratings and,
// for more than two coders, pairs.
type Report struct {
	Params Params `json:"params"`
	// Section holds the whole-session statistics; its fields appear at
	// the top level of the JSON object.
	Section
	Warnings []string `json:"warnings"`
	// Episodes repeats the statistics per episode marked by the reference
	// coder (empty when none are marked).
	Episodes []EpisodeReport `json:"episodes"`
	// Ratings compares the coders' per-episode ratings, one entry per
	// scale with at least one episode every coder rated.
	Ratings []RatingAgreement `json:"ratings"`
	// Pairs summarises every pair of coders when there are more than two.
	Pairs []PairSummary `json:"pairs,omitempty"`
	// Behaviors lists the behaviour identities in display order (scheme
	// order, then alphabetical); the JSON maps are keyed by them.
	Behaviors []string `json:"-"`
	// occupancy keeps the per-coder slices and onsets behind the
	// statistics for Identity, IsPoint, Occupied and Onsets.
	occupancy *occupancy
}

// Params records what was compared and how.
type Params struct {
	Slice     annotate.Time `json:"slice_s"`
	Tolerance annotate.Time `json:"tol_s"`
	End       annotate.Time `json:"end_s"`
	NSlices   int           `json:"n_slices"`
	Coders    []string      `json:"coders"`
	// EpisodesFrom names the coder whose episode marks define episodes.
	EpisodesFrom string `json:"episodes_from"`
}

// Section is every statistic over one stretch of the timeline: the whole
// session or one episode.
type Section struct {
	Slice       SliceAgreement                `json:"slice"`
	PerBehavior map[string]*BehaviorAgreement `json:"per_behavior"`
	Events      EventsAgreement               `json:"events"`
	// Fleiss is nil (JSON null) with two coders.
	Fleiss *FleissAgreement `json:"fleiss"`
}

// SliceAgreement is time-slice Cohen's κ over composite categories,
// coder A (the reference) in rows, coder B in columns.
type SliceAgreement struct {
	N          int64     `json:"n"`
	PO         Value     `json:"p_o"`
	PE         Value     `json:"p_e"`
	Kappa      Value     `json:"kappa"`
	Percent    Value     `json:"percent_agreement"`
	Categories []string  `json:"categories"`
	Confusion  [][]int64 `json:"confusion_A_rows_B_cols"` // nil (null) beyond MaxConfusion categories
}

// BehaviorAgreement is one behaviour's presence/absence agreement over
// slices: n11 both coders, n10 A only, n01 B only, n00 neither.
type BehaviorAgreement struct {
	N11      int64 `json:"n11"`
	N10      int64 `json:"n10"`
	N01      int64 `json:"n01"`
	N00      int64 `json:"n00"`
	PO       Value `json:"p_o"`
	PE       Value `json:"p_e"`
	Kappa    Value `json:"kappa"`
	Percent  Value `json:"percent_agreement"`
	Positive Value `json:"positive_agreement"`
	PABAK    Value `json:"pabak"`
}

// EventsAgreement is onset matching with a tolerance, per behaviour.
type EventsAgreement struct {
	Tolerance   annotate.Time              `json:"tolerance_s"`
	PerBehavior map[string]*EventAgreement `json:"per_behavior"`
}

// EventAgreement is one behaviour's onset matching, coder A the reference.
type EventAgreement struct {
	NA          int   `json:"n_a"`
	NB          int   `json:"n_b"`
	Agreements  int   `json:"agreements"`
	Omissions   int   `json:"omissions"`
	Commissions int   `json:"commissions"`
	Percent     Value `json:"percent_agreement"`
	F1          Value `json:"f1"`
	Precision   Value `json:"precision"`
	Recall      Value `json:"recall"`
	MeanAbsDiff Value `json:"mean_abs_onset_diff_s"`
	// Pairs are the matched onsets [A, B] in A's order.
	Pairs [][2]annotate.Time `json:"pairs_onsets_A_B"`
}

// FleissAgreement is Fleiss' κ over all coders.
type FleissAgreement struct {
	Coders         int                    `json:"coders"`
	SliceComposite FleissStat             `json:"slice_composite"`
	PerBehavior    map[string]*FleissStat `json:"per_behavior"`
}

// FleissStat is one Fleiss' κ with its parts; subjects are slices.
type FleissStat struct {
	N     int64 `json:"n"`
	PO    Value `json:"p_o"`
	PE    Value `json:"p_e"`
	Kappa Value `json:"kappa"`
}

// EpisodeReport is a Section over one episode.
type EpisodeReport struct {
	Name    string        `json:"name"`
	Start   annotate.Time `json:"start_s"`
	End     annotate.Time `json:"end_s"`
	NSlices int           `json:"n_slices"`
	Section
}

// RatingAgreement compares the coders' ratings on one scale; the subjects
// are the episodes every coder rated.
type RatingAgreement struct {
	Scale    string   `json:"scale"`
	Min      *int     `json:"min"` // declared range, or null when weights run over the values used
	Max      *int     `json:"max"`
	Episodes []string `json:"episodes"`
	Values   [][]int  `json:"values"` // episode × coder
	// Cohen's κ of coders A and B, unweighted, linear and quadratic.
	Kappa     Value `json:"kappa"`
	Linear    Value `json:"kappa_linear"`
	Quadratic Value `json:"kappa_quadratic"`
	// Intraclass correlations over all coders (undefined with fewer than
	// two episodes).
	ICC1  Value `json:"icc_1"`
	ICCA1 Value `json:"icc_a1"`
	ICCC1 Value `json:"icc_c1"`
}

// PairSummary is the time-slice agreement of one pair of coders.
type PairSummary struct {
	A           string           `json:"a"`
	B           string           `json:"b"`
	Kappa       Value            `json:"kappa"`
	Percent     Value            `json:"percent_agreement"`
	PerBehavior map[string]Value `json:"per_behavior_kappa"`
}

func (c *comparison) report() *Report {
	r := &Report{
		Params: Params{
			Slice: c.w, Tolerance: c.tol, End: c.end, NSlices: c.n,
			Coders: c.coders, EpisodesFrom: c.coders[0],
		},
		Behaviors: c.order,
		Episodes:  []EpisodeReport{},
		Ratings:   []RatingAgreement{},
		occupancy: &occupancy{res: c.res, index: c.index, occ: c.occ, on: c.on, n: c.n, points: c.points},
	}
	r.Section = c.section(0, c.n, 0, c.end, true)
	spans := c.obs[0].Spans(c.end)
	for j, sp := range spans {
		last := j == len(spans)-1
		i0, i1 := midpointRange(sp.Start, sp.End, c.w, c.n)
		if last {
			// The last slice may reach past T; it and a point at exactly
			// T belong to the last episode.
			i1 = c.n
		}
		r.Episodes = append(r.Episodes, EpisodeReport{
			Name: sp.Name, Start: sp.Start, End: sp.End, NSlices: i1 - i0,
			Section: c.section(i0, i1, sp.Start, sp.End, last),
		})
	}
	c.checkEpisodes()
	r.Ratings = c.ratings()
	if len(c.obs) > 2 {
		for a := range c.obs {
			for b := a + 1; b < len(c.obs); b++ {
				r.Pairs = append(r.Pairs, c.pair(a, b))
			}
		}
	}
	r.Warnings = c.warnings
	if r.Warnings == nil {
		r.Warnings = []string{}
	}
	return r
}

// section computes the statistics over slices [i0, i1) and events with
// onsets in [from, to) (or [from, to] when closed, for the last stretch,
// so a point at exactly T counts).
func (c *comparison) section(i0, i1 int, from, to annotate.Time, closed bool) Section {
	s := Section{
		Slice:       c.sliceKappa(0, 1, i0, i1),
		PerBehavior: map[string]*BehaviorAgreement{},
		Events:      EventsAgreement{Tolerance: c.tol, PerBehavior: map[string]*EventAgreement{}},
	}
	for b, id := range c.ids {
		s.PerBehavior[id] = behaviorKappa(countRange(c.occ[0][b], c.occ[1][b], i0, i1))
	}
	for b, id := range c.ids {
		s.Events.PerBehavior[id] = matchEvents(c.onsets(0, b, from, to, closed), c.onsets(1, b, from, to, closed), c.tol)
	}
	if len(c.obs) > 2 {
		s.Fleiss = c.fleiss(i0, i1)
	}
	return s
}

// onsets returns coder k's sorted onsets of behaviour b in [from, to),
// or [from, to] when closed.
func (c *comparison) onsets(k, b int, from, to annotate.Time, closed bool) []annotate.Time {
	all := c.on[k][b]
	i, _ := slices.BinarySearch(all, from)
	j, found := slices.BinarySearch(all, to)
	if closed && found {
		for j < len(all) && all[j] == to {
			j++
		}
	}
	return all[i:j]
}

// MaxConfusion is the largest number of categories whose confusion
// matrix a report lists; beyond it the matrix (K² cells, mostly empty) is
// left out, with a warning, while κ is still computed from the diagonal
// and the margins.
const MaxConfusion = 200

// sliceKappa is Cohen's κ of coders a and b over the composite categories
// of slices [i0, i1). The categories listed are those either coder used
// there: "none" first, then alphabetical. Independent states can form
// thousands of composites, so κ comes from the diagonal and the margins
// and the dense matrix is built only when it is small.
func (c *comparison) sliceKappa(a, b, i0, i1 int) SliceAgreement {
	rows := make([]int64, len(c.catNames))
	cols := make([]int64, len(c.catNames))
	var diag int64
	for i := i0; i < i1; i++ {
		x, y := c.cat[a][i], c.cat[b][i]
		rows[x]++
		cols[y]++
		if x == y {
			diag++
		}
	}
	var ids []int32
	for id := range rows {
		if rows[id] > 0 || cols[id] > 0 {
			ids = append(ids, int32(id))
		}
	}
	slices.SortFunc(ids, func(x, y int32) int {
		nx, ny := c.catNames[x], c.catNames[y]
		switch {
		case nx == ny:
			return 0
		case nx == "none":
			return -1
		case ny == "none":
			return 1
		case nx < ny:
			return -1
		}
		return 1
	})
	names := make([]string, len(ids))
	r, k := make([]int64, len(ids)), make([]int64, len(ids))
	for p, id := range ids {
		names[p] = c.catNames[id]
		r[p], k[p] = rows[id], cols[id]
	}
	po, pe, kappa := kappaFromMargins(int64(i1-i0), diag, r, k)
	sa := SliceAgreement{N: int64(i1 - i0), PO: po, PE: pe, Kappa: kappa, Percent: po.Percent(), Categories: names}
	if len(ids) <= MaxConfusion {
		pos := make([]int, len(c.catNames))
		for p, id := range ids {
			pos[id] = p
		}
		sa.Confusion = square(len(ids))
		for i := i0; i < i1; i++ {
			sa.Confusion[pos[c.cat[a][i]]][pos[c.cat[b][i]]]++
		}
	} else if !c.confusionWarned {
		c.confusionWarned = true
		c.warnf("the coders' slices form %d composite categories, more than %d: the confusion matrix is left out (null); κ is computed as usual", len(ids), MaxConfusion)
	}
	return sa
}

// behaviorKappa turns a 2×2 presence table into κ, agreement, positive
// agreement n11/(n11+n10+n01) and PABAK 2·p_o − 1.
func behaviorKappa(n11, n10, n01, n00 int64) *BehaviorAgreement {
	po, pe, k := kappaFromMargins(n11+n10+n01+n00, n11+n00,
		[]int64{n11 + n10, n01 + n00}, []int64{n11 + n01, n10 + n00})
	ba := &BehaviorAgreement{N11: n11, N10: n10, N01: n01, N00: n00, PO: po, PE: pe, Kappa: k, Percent: po.Percent()}
	ba.Positive = ratio(float64(n11), float64(n11+n10+n01))
	if po.Valid {
		ba.PABAK = Of(2*po.V - 1)
	}
	return ba
}

// MatchOnsets matches onsets of coder A (the reference) with coder B's:
// both sorted; each A onset in order takes the earliest still unmatched B
// onset with |b − a| ≤ tol (inclusive, exact integers). It returns the
// matched pairs in A's order.
//
// Because A is visited in increasing order and always takes the earliest
// candidate, the B onsets still available form a suffix beyond a moving
// cursor, so one pass suffices.
func MatchOnsets(a, b []annotate.Time, tol annotate.Time) [][2]annotate.Time {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	pairs := [][2]annotate.Time{}
	q := 0
	for _, x := range a {
		for q < len(b) && b[q] < x-tol {
			q++ // too early for this and every later A onset: a commission
		}
		if q < len(b) && b[q] <= x+tol {
			pairs = append(pairs, [2]annotate.Time{x, b[q]})
			q++
		}
	}
	return pairs
}

// matchEvents computes event agreement from two coders' onsets.
func matchEvents(a, b []annotate.Time, tol annotate.Time) *EventAgreement {
	pairs := MatchOnsets(a, b, tol)
	m := len(pairs)
	ea := &EventAgreement{NA: len(a), NB: len(b), Agreements: m, Omissions: len(a) - m, Commissions: len(b) - m, Pairs: pairs}
	ea.Percent = ratio(100*float64(m), float64(m+ea.Omissions+ea.Commissions))
	ea.Precision = ratio(float64(m), float64(len(b)))
	ea.Recall = ratio(float64(m), float64(len(a)))
	ea.F1 = ratio(2*float64(m), float64(len(a)+len(b)))
	if m > 0 {
		var sum annotate.Time
		for _, p := range pairs {
			sum += max(p[1]-p[0], p[0]-p[1])
		}
		ea.MeanAbsDiff = Of(sum.Float() / float64(m))
	}
	return ea
}

// fleiss computes Fleiss' κ over all coders on slices [i0, i1): composite
// categories, and per behaviour on presence/absence.
func (c *comparison) fleiss(i0, i1 int) *FleissAgreement {
	m := len(c.obs)
	f := &FleissAgreement{Coders: m, PerBehavior: map[string]*FleissStat{}}
	n := int64(i1 - i0)
	// Composite: per slice, Σ_j n_ij² from the m coders' categories, and
	// category totals; the table itself is never built.
	totals := map[int32]int64{}
	var sumSq int64
	ids := make([]int32, m)
	for i := i0; i < i1; i++ {
		for k := range m {
			ids[k] = c.cat[k][i]
			totals[ids[k]]++
		}
		slices.Sort(ids)
		run := int64(1)
		for k := 1; k <= m; k++ {
			if k < m && ids[k] == ids[k-1] {
				run++
				continue
			}
			sumSq += run * run
			run = 1
		}
	}
	tot := make([]int64, 0, len(totals))
	for _, t := range totals {
		tot = append(tot, t)
	}
	f.SliceComposite = fleissStat(n, m, sumSq, tot)
	// Per behaviour: with c_i coders marking slice i present,
	// Σ_i c_i² = Σ_k Σ_l |S_k ∩ S_l| over pairs of coders' slice sets.
	for b, id := range c.ids {
		var present, sq int64
		for k := range m {
			ones := countOnes(c.occ[k][b], i0, i1)
			present += ones
			sq += ones
			for l := k + 1; l < m; l++ {
				n11, _, _, _ := countRange(c.occ[k][b], c.occ[l][b], i0, i1)
				sq += 2 * n11
			}
		}
		// Σ_i (c_i² + (m − c_i)²) = 2 Σ c_i² − 2 m Σ c_i + N m².
		sumSq := 2*sq + n*int64(m*m) - 2*int64(m)*present
		fs := fleissStat(n, m, sumSq, []int64{present, n*int64(m) - present})
		f.PerBehavior[id] = &fs
	}
	return f
}

// fleissStat is Fleiss' κ from N subjects, m raters, Σ n_ij² and the
// category totals T_j (see fleissKappa).
func fleissStat(n int64, m int, sumSq int64, totals []int64) FleissStat {
	fs := FleissStat{N: n}
	if n == 0 {
		return fs
	}
	fs.PO, fs.PE, fs.Kappa = fleissKappa(n, m, sumSq, totals)
	return fs
}

// pair summarises coders a and b over the whole session.
func (c *comparison) pair(a, b int) PairSummary {
	sk := c.sliceKappa(a, b, 0, c.n)
	p := PairSummary{A: c.coders[a], B: c.coders[b], Kappa: sk.Kappa, Percent: sk.Percent, PerBehavior: map[string]Value{}}
	for k, id := range c.ids {
		p.PerBehavior[id] = behaviorKappa(countRange(c.occ[a][k], c.occ[b][k], 0, c.n)).Kappa
	}
	return p
}

// checkEpisodes warns when another coder's episode marks differ from the
// reference coder's by more than the tolerance, or are missing or extra.
func (c *comparison) checkEpisodes() {
	ref := c.obs[0].Episodes
	for k := 1; k < len(c.obs); k++ {
		other := c.obs[k].Episodes
		if len(ref) == 0 && len(other) > 0 {
			c.warnf("%s marked %d episodes but episodes come from %s, who marked none; they are ignored", c.coders[k], len(other), c.coders[0])
			continue
		}
		used := make([]bool, len(other))
		for _, m := range ref {
			found := false
			for j, o := range other {
				if !used[j] && o.Name == m.Name {
					used[j], found = true, true
					if d := max(o.Start-m.Start, m.Start-o.Start); d > c.tol {
						c.warnf("episode %q starts at %s s for %s but %s s for %s, %s s apart (more than the tolerance); episodes follow %s",
							m.Name, m.Start.Seconds(), c.coders[0], o.Start.Seconds(), c.coders[k], d.Seconds(), c.coders[0])
					}
					break
				}
			}
			if !found {
				c.warnf("episode %q (at %s s for %s) is not marked by %s", m.Name, m.Start.Seconds(), c.coders[0], c.coders[k])
			}
		}
		for j, o := range other {
			if !used[j] {
				c.warnf("episode %q marked by %s at %s s is not marked by %s and is ignored", o.Name, c.coders[k], o.Start.Seconds(), c.coders[0])
			}
		}
	}
}

// ratings compares the coders' per-episode ratings, scale by scale.
func (c *comparison) ratings() []RatingAgreement {
	var scales []string
	seen := map[string]bool{}
	for _, o := range c.obs {
		for _, r := range o.Ratings {
			if !seen[r.Scale] {
				seen[r.Scale] = true
				scales = append(scales, r.Scale)
			}
		}
	}
	slices.Sort(scales)
	out := []RatingAgreement{}
	for _, sc := range scales {
		ra := RatingAgreement{Scale: sc, Episodes: []string{}, Values: [][]int{}}
		scale := c.scale
		if scale == nil && c.scheme != nil {
			if def, ok := c.scheme.Rating(sc); ok {
				scale = &[2]int{def.Min, def.Max}
			}
		}
		if scale != nil {
			lo, hi := scale[0], scale[1]
			ra.Min, ra.Max = &lo, &hi
		}
		// Episodes in the reference coder's order of rating, then any
		// others, kept only when every coder rated them.
		var eps []string
		epSeen := map[string]bool{}
		for _, o := range c.obs {
			for _, r := range o.Ratings {
				if r.Scale == sc && !epSeen[r.Episode] {
					epSeen[r.Episode] = true
					eps = append(eps, r.Episode)
				}
			}
		}
		for _, ep := range eps {
			row := make([]int, len(c.obs))
			all := true
			for k, o := range c.obs {
				v, ok := o.Rating(ep, sc)
				if !ok {
					all = false
					break
				}
				row[k] = v
			}
			if !all {
				c.warnf("rating %s for episode %q is not given by every coder and is left out", sc, ep)
				continue
			}
			ra.Episodes = append(ra.Episodes, ep)
			ra.Values = append(ra.Values, row)
		}
		if len(ra.Values) == 0 {
			continue
		}
		st, err := OrdinalAgreement(ra.Values, scale)
		if err != nil {
			c.warnf("rating %s: %v", sc, err)
			continue
		}
		ra.Kappa, ra.Linear, ra.Quadratic = st.Kappa, st.Linear, st.Quadratic
		ra.ICC1, ra.ICCA1, ra.ICCC1 = st.ICC1, st.ICCA1, st.ICCC1
		out = append(out, ra)
	}
	return out
}

// Ordinal is the agreement of ordinal values (ratings on a scale such as
// 1–7): Cohen's κ unweighted, linear and quadratic between the first two
// raters, and the intraclass correlations over all raters.
type Ordinal struct {
	Kappa, Linear, Quadratic Value
	ICC1, ICCA1, ICCC1       Value
}

// OrdinalAgreement computes Ordinal from a subjects × raters table of
// values (subjects: episodes, children, sessions). scale declares the
// value range for the κ weights (nil: the values used; see WeightedKappa).
// The ICCs are undefined with fewer than two subjects.
func OrdinalAgreement(values [][]int, scale *[2]int) (Ordinal, error) {
	var o Ordinal
	if len(values) == 0 {
		return o, nil
	}
	k := len(values[0])
	if k < 2 {
		return o, fmt.Errorf("%w: agreement needs at least two raters, got %d", ErrInput, k)
	}
	a, b := make([]int, len(values)), make([]int, len(values))
	x := make([][]float64, len(values))
	for i, row := range values {
		if len(row) != k {
			return o, fmt.Errorf("%w: subject %d has %d values, subject 1 has %d", ErrInput, i+1, len(row), k)
		}
		a[i], b[i] = row[0], row[1]
		for _, v := range row {
			x[i] = append(x[i], float64(v))
		}
	}
	var err error
	if o.Kappa, err = WeightedKappa(a, b, Unweighted, scale); err != nil {
		return o, err
	}
	if o.Linear, err = WeightedKappa(a, b, Linear, scale); err != nil {
		return o, err
	}
	if o.Quadratic, err = WeightedKappa(a, b, Quadratic, scale); err != nil {
		return o, err
	}
	if len(values) >= 2 {
		icc, err := IntraclassCorrelation(x)
		if err != nil {
			return o, err
		}
		o.ICC1, o.ICCA1, o.ICCC1 = icc.ICC1, icc.ICCA1, icc.ICCC1
	}
	return o, nil
}
