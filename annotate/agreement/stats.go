// Package agreement computes inter-rater agreement between coders of the
// same video: time-slice Cohen's κ (composite categories and per
// behaviour), event agreement with an onset tolerance, Fleiss' κ for more
// than two coders, and weighted κ and intraclass correlations for ratings
// and numeric per-episode measures.
//
// Every method is defined exactly in docs/agreement.md; the comments here
// point at the same definitions. Time arithmetic is done in integers
// (annotate.Time, microseconds), so a point at 0.3 s lands in the 0.1 s
// slice 3 and 1.7 s vs 2.2 s is within a 0.5 s tolerance. Statistics that
// are undefined (0/0, p_e = 1) are reported as Value{} and marshal to JSON
// null, never NaN.
package agreement

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"dyadcode/annotate/internal/stat"
)

// Sentinel errors callers may test for.
var (
	// ErrInput is wrapped by every error about unusable input: ragged
	// tables, too few raters or subjects, values outside a declared scale.
	ErrInput = errors.New("agreement: unusable input")
	// ErrTooFewCoders is returned by Compare for fewer than two observations.
	ErrTooFewCoders = errors.New("agreement needs at least two coders")
)

// Value is a statistic that may be undefined: JSON null, "NA" in text (the
// one type the sequential report uses too).
type Value = stat.Value

// Of makes a Value, undefined when v is NaN or infinite.
func Of(v float64) Value { return stat.Of(v) }

// ratio is num/den, undefined when den is 0.
func ratio(num, den float64) Value { return stat.Ratio(num, den) }

// Kappa2 is Cohen's κ between two raters over nominal categories.
type Kappa2 struct {
	N          int64     // number of rated units (subjects, slices)
	Categories []string  // row/column labels of Confusion
	Confusion  [][]int64 // rater A in rows, rater B in columns
	PO, PE     Value     // observed and chance agreement
	Kappa      Value     // (p_o − p_e)/(1 − p_e); undefined when p_e = 1 or N = 0
	Percent    Value     // 100·p_o
}

// KappaFromTable computes Cohen's κ from a square confusion table (rater A
// in rows, B in columns): p_o = Σ n_xx / N, p_e = Σ n_x· n_·x / N².
// Whether p_e = 1 is decided on the integers (Σ n_x· n_·x = N²), so a
// table where both raters used one category only gives an undefined κ,
// never a rounding artefact.
func KappaFromTable(t [][]int64) (po, pe, kappa Value) {
	k := len(t)
	rows := make([]int64, k)
	cols := make([]int64, k)
	var n, diag int64
	for i := range t {
		for j := range t[i] {
			rows[i] += t[i][j]
			cols[j] += t[i][j]
			n += t[i][j]
		}
		diag += t[i][i]
	}
	return kappaFromMargins(n, diag, rows, cols)
}

// kappaFromMargins is KappaFromTable on the margins and the diagonal sum.
func kappaFromMargins(n, diag int64, rows, cols []int64) (po, pe, kappa Value) {
	if n == 0 {
		return Value{}, Value{}, Value{}
	}
	// Σ n_x· n_·x in float: N² of a 2-hour video at 0.1 s is 5.2e9, far
	// below 2^53, so these products and sums are exact.
	var chance float64
	for i := range rows {
		chance += float64(rows[i]) * float64(cols[i])
	}
	nn := float64(n) * float64(n)
	po = Of(float64(diag) / float64(n))
	pe = Of(chance / nn)
	if chance == nn {
		return po, pe, Value{}
	}
	kappa = Of((po.V - pe.V) / (1 - pe.V))
	return po, pe, kappa
}

// Kappa computes Cohen's κ for two raters' nominal labels of the same
// units. Categories are the labels either rater used, sorted.
func Kappa(a, b []string) (Kappa2, error) {
	if len(a) != len(b) {
		return Kappa2{}, fmt.Errorf("%w: rater A has %d labels, rater B %d", ErrInput, len(a), len(b))
	}
	cats := union(a, b)
	idx := make(map[string]int, len(cats))
	for i, c := range cats {
		idx[c] = i
	}
	t := square(len(cats))
	for i := range a {
		t[idx[a[i]]][idx[b[i]]]++
	}
	po, pe, k := KappaFromTable(t)
	return Kappa2{N: int64(len(a)), Categories: cats, Confusion: t, PO: po, PE: pe, Kappa: k, Percent: po.Percent()}, nil
}

func union(a, b []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range slices.Concat(a, b) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}

func square(k int) [][]int64 {
	t := make([][]int64, k)
	for i := range t {
		t[i] = make([]int64, k)
	}
	return t
}

// Weights selects the disagreement weights of weighted κ.
type Weights int

// The weightings: none (Cohen's κ), linear |i−j|/(k−1) and quadratic
// (i−j)²/(k−1)² (Cicchetti–Allison and Fleiss–Cohen).
const (
	Unweighted Weights = iota
	Linear
	Quadratic
)

func (w Weights) String() string {
	switch w {
	case Linear:
		return "linear"
	case Quadratic:
		return "quadratic"
	}
	return "unweighted"
}

// WeightedKappa computes weighted κ for two raters' ordinal values:
// κ_w = 1 − Σ v_ij o_ij / Σ v_ij e_ij, with o the observed and e the
// chance proportions and v the disagreement weights of w.
//
// The categories are the values either rater used, sorted, and i, j are
// positions in that list (as R's irr::kappa2 and scikit-learn's
// cohen_kappa_score do), unless scale declares the range [lo, hi] (a
// 1–7 rating scale), in which case the categories are lo..hi and every
// value must lie within it. κ_w is undefined when Σ v_ij e_ij = 0 (p_e = 1)
// or there are fewer than two categories.
func WeightedKappa(a, b []int, w Weights, scale *[2]int) (Value, error) {
	if len(a) != len(b) {
		return Value{}, fmt.Errorf("%w: rater A has %d values, rater B %d", ErrInput, len(a), len(b))
	}
	if len(a) == 0 {
		return Value{}, nil
	}
	var cats []int
	if scale != nil {
		lo, hi := scale[0], scale[1]
		if lo > hi {
			return Value{}, fmt.Errorf("%w: scale %d–%d is empty", ErrInput, lo, hi)
		}
		for _, v := range slices.Concat(a, b) {
			if v < lo || v > hi {
				return Value{}, fmt.Errorf("%w: value %d outside the scale %d–%d", ErrInput, v, lo, hi)
			}
		}
		for v := lo; v <= hi; v++ {
			cats = append(cats, v)
		}
	} else {
		cats = slices.Concat(a, b)
		slices.Sort(cats)
		cats = slices.Compact(cats)
	}
	k := len(cats)
	pos := make(map[int]int, k)
	for i, c := range cats {
		pos[c] = i
	}
	t := square(k)
	for i := range a {
		t[pos[a[i]]][pos[b[i]]]++
	}
	if w == Unweighted {
		_, _, kappa := KappaFromTable(t)
		return kappa, nil
	}
	if k < 2 {
		return Value{}, nil
	}
	rows := make([]float64, k)
	cols := make([]float64, k)
	n := float64(len(a))
	for i := range t {
		for j := range t[i] {
			rows[i] += float64(t[i][j])
			cols[j] += float64(t[i][j])
		}
	}
	var obs, exp float64
	for i := range k {
		for j := range k {
			d := float64(i - j)
			if d < 0 {
				d = -d
			}
			var v float64
			switch w {
			case Linear:
				v = d / float64(k-1)
			case Quadratic:
				v = d * d / float64((k-1)*(k-1))
			default:
				return Value{}, fmt.Errorf("%w: unknown weighting %d", ErrInput, w)
			}
			obs += v * float64(t[i][j]) / n
			exp += v * rows[i] * cols[j] / (n * n)
		}
	}
	if exp == 0 {
		return Value{}, nil
	}
	return Of(1 - obs/exp), nil
}

// Fleiss is Fleiss' κ for m raters per subject (Fleiss 1971).
type Fleiss struct {
	Subjects, Raters int
	Categories       []string
	PO               Value // P̄, mean pairwise agreement within subjects
	PE               Value // P̄_e = Σ p_j²
	Kappa            Value // (P̄ − P̄_e)/(1 − P̄_e); undefined when P̄_e = 1
}

// FleissKappa computes Fleiss' κ from subjects × raters labels: with n_ij
// the raters putting subject i in category j, m raters, N subjects,
// P_i = (Σ_j n_ij² − m)/(m(m−1)), P̄ = mean P_i, p_j = Σ_i n_ij/(N m),
// P̄_e = Σ p_j², κ = (P̄ − P̄_e)/(1 − P̄_e).
func FleissKappa(ratings [][]string) (Fleiss, error) {
	if len(ratings) == 0 {
		return Fleiss{}, fmt.Errorf("%w: no subjects", ErrInput)
	}
	m := len(ratings[0])
	var all []string
	for i, r := range ratings {
		if len(r) != m {
			return Fleiss{}, fmt.Errorf("%w: subject %d has %d ratings, subject 1 has %d", ErrInput, i+1, len(r), m)
		}
		all = append(all, r...)
	}
	cats := union(all, nil)
	idx := make(map[string]int, len(cats))
	for i, c := range cats {
		idx[c] = i
	}
	counts := make([][]int64, len(ratings))
	for i, r := range ratings {
		counts[i] = make([]int64, len(cats))
		for _, l := range r {
			counts[i][idx[l]]++
		}
	}
	f, err := FleissCounts(counts, m)
	f.Categories = cats
	return f, err
}

// FleissCounts computes Fleiss' κ from a subjects × categories table of
// counts, each row summing to m raters (m ≥ 2).
func FleissCounts(counts [][]int64, m int) (Fleiss, error) {
	if m < 2 {
		return Fleiss{}, fmt.Errorf("%w: Fleiss' κ needs at least two raters, got %d", ErrInput, m)
	}
	n := len(counts)
	f := Fleiss{Subjects: n, Raters: m}
	if n == 0 {
		return f, nil
	}
	var k int
	for _, r := range counts {
		k = max(k, len(r))
	}
	totals := make([]int64, k)
	// Σ_i Σ_j n_ij² as an integer: P̄ = (Σ n_ij² − N m)/(N m(m−1)).
	var sumSq int64
	for i, r := range counts {
		var s int64
		for j, c := range r {
			s += c
			sumSq += c * c
			totals[j] += c
		}
		if s != int64(m) {
			return f, fmt.Errorf("%w: subject %d has %d ratings, want %d", ErrInput, i+1, s, m)
		}
	}
	f.PO, f.PE, f.Kappa = fleissKappa(int64(n), m, sumSq, totals)
	return f, nil
}

// fleissKappa is Fleiss' κ from N > 0 subjects, m raters, Σ n_ij² and
// the category totals T_j: P̄ = (Σ n_ij² − N m)/(N m (m−1)),
// P̄_e = Σ T_j²/(N m)², κ = (P̄ − P̄_e)/(1 − P̄_e). The report's slice
// statistics and FleissCounts both come here, so they share one formula.
func fleissKappa(n int64, m int, sumSq int64, totals []int64) (po, pe, kappa Value) {
	nm := n * int64(m)
	po = Of(float64(sumSq-nm) / float64(nm*int64(m-1)))
	// P̄_e is 1 exactly when every rating is in one category: κ is
	// undefined.
	var tsq float64
	for _, t := range totals {
		tsq += float64(t) * float64(t)
	}
	den := float64(nm) * float64(nm)
	pe = Of(tsq / den)
	if tsq != den {
		kappa = Of((po.V - pe.V) / (1 - pe.V))
	}
	return po, pe, kappa
}

// ICC holds the intraclass correlations of single ratings (McGraw & Wong
// 1996) with the mean squares they come from.
type ICC struct {
	Subjects, Raters int
	// MSR between subjects, MSC between raters, MSE residual (two-way),
	// MSW within subjects (one-way).
	MSR, MSC, MSE, MSW float64
	// ICC1 is the one-way random ICC(1): (MSR − MSW)/(MSR + (k−1)MSW).
	ICC1 Value
	// ICCA1 is the two-way absolute-agreement ICC(A,1):
	// (MSR − MSE)/(MSR + (k−1)MSE + k(MSC − MSE)/n).
	ICCA1 Value
	// ICCC1 is the two-way consistency ICC(C,1): (MSR − MSE)/(MSR + (k−1)MSE).
	ICCC1 Value
}

// IntraclassCorrelation computes ICC(1), ICC(A,1) and ICC(C,1) from a
// complete subjects × raters table (n ≥ 2 subjects, k ≥ 2 raters). A ratio
// whose denominator is 0 (every value identical) is undefined.
func IntraclassCorrelation(x [][]float64) (ICC, error) {
	n := len(x)
	if n < 2 {
		return ICC{}, fmt.Errorf("%w: ICC needs at least two subjects, got %d", ErrInput, n)
	}
	k := len(x[0])
	if k < 2 {
		return ICC{}, fmt.Errorf("%w: ICC needs at least two raters, got %d", ErrInput, k)
	}
	var grand float64
	for i, r := range x {
		if len(r) != k {
			return ICC{}, fmt.Errorf("%w: subject %d has %d values, subject 1 has %d", ErrInput, i+1, len(r), k)
		}
		for _, v := range r {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return ICC{}, fmt.Errorf("%w: subject %d has a value that is not a number", ErrInput, i+1)
			}
			grand += v
		}
	}
	nf, kf := float64(n), float64(k)
	grand /= nf * kf
	rowMean := make([]float64, n)
	colMean := make([]float64, k)
	for i, r := range x {
		for j, v := range r {
			rowMean[i] += v / kf
			colMean[j] += v / nf
		}
	}
	var ssr, ssc, sst float64
	for i := range x {
		d := rowMean[i] - grand
		ssr += kf * d * d
	}
	for j := range colMean {
		d := colMean[j] - grand
		ssc += nf * d * d
	}
	for _, r := range x {
		for _, v := range r {
			d := v - grand
			sst += d * d
		}
	}
	sse := sst - ssr - ssc
	if sse < 0 { // rounding when the residual is exactly 0
		sse = 0
	}
	c := ICC{Subjects: n, Raters: k}
	c.MSR = ssr / (nf - 1)
	c.MSC = ssc / (kf - 1)
	c.MSE = sse / ((nf - 1) * (kf - 1))
	c.MSW = (ssc + sse) / (nf * (kf - 1))
	c.ICC1 = ratio(c.MSR-c.MSW, c.MSR+(kf-1)*c.MSW)
	c.ICCA1 = ratio(c.MSR-c.MSE, c.MSR+(kf-1)*c.MSE+kf*(c.MSC-c.MSE)/nf)
	c.ICCC1 = ratio(c.MSR-c.MSE, c.MSR+(kf-1)*c.MSE)
	return c, nil
}
