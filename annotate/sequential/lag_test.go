package sequential

import (
	"errors"
	"math"
	"slices"
	"testing"

	"dyadcode/annotate"
)

// TestLagTableByHand checks every statistic of one lag-1 table against
// values worked out by hand (docs/sequential.md §7 shows the same table).
//
// Sequence A B A B B A: transitions AB BA AB BB BA, so n_AA = 0, n_AB = 2,
// n_BA = 2, n_BB = 1; N = 5, n_A+ = n_+A = 2, n_B+ = n_+B = 3.
//
//	e_AA = 2·2/5 = 0.8   e_AB = 2·3/5 = 1.2   e_BA = 1.2   e_BB = 9/5 = 1.8
//	p_AA = 0/2  p_AB = 2/2  p_BA = 2/3  p_BB = 1/3
//	z_AA = (0 − 0.8)/√(0.8·(3/5)·(3/5)) = −0.8/√0.288 = −1.490711985
//	z_AB = (2 − 1.2)/√(1.2·(3/5)·(2/5)) = 0.8/√0.288 = +1.490711985
//	z_BA = +1.490711985, z_BB = (1 − 1.8)/√(1.8·(2/5)·(2/5)) = −1.490711985
//	Q_AA: a=0 b=2 c=2 d=1 → (0−4)/(0+4) = −1;  Q_AB: a=2 b=0 c=1 d=2 → 1
//	Q_BA: a=2 b=1 c=0 d=2 → 1;                 Q_BB: a=1 b=2 c=2 d=0 → −1
func TestLagTableByHand(t *testing.T) {
	r := analyze(t, inputs("", seq("o1", "A", "B", "A", "B", "B", "A")), nil, Options{})
	lt := r.Lag
	if !slices.Equal(lt.Codes, []string{"A", "B"}) || lt.Total != 5 || lt.Events != 6 || lt.Sequences != 1 {
		t.Fatalf("codes %v total %d events %d sequences %d", lt.Codes, lt.Total, lt.Events, lt.Sequences)
	}
	z := 0.8 / math.Sqrt(0.288)
	want := []struct {
		given, target string
		n             int64
		e, p, z, q    float64
	}{
		{"A", "A", 0, 0.8, 0, -z, -1},
		{"A", "B", 2, 1.2, 1, z, 1},
		{"B", "A", 2, 1.2, 2.0 / 3, z, 1},
		{"B", "B", 1, 1.8, 1.0 / 3, -z, -1},
	}
	for _, w := range want {
		c := lt.Cell(w.given, w.target)
		if c.Count != w.n || !same(c.Expected, w.e) || !same(c.Probability, w.p) || !same(c.AdjustedResidual, w.z) || !same(c.YulesQ, w.q) {
			t.Errorf("%s→%s = %+v, want n %d e %g p %g z %g Q %g", w.given, w.target, *c, w.n, w.e, w.p, w.z, w.q)
		}
		if c.PermutationP.Valid {
			t.Errorf("%s→%s has a permutation p without a test", w.given, w.target)
		}
	}
	if !slices.Equal(lt.RowTotals, []int64{2, 3}) || !slices.Equal(lt.ColTotals, []int64{2, 3}) {
		t.Errorf("totals %v %v", lt.RowTotals, lt.ColTotals)
	}
}

// TestUndefinedStatistics: a statistic whose denominator is 0 is undefined,
// never 0.
func TestUndefinedStatistics(t *testing.T) {
	// C is listed but never occurs: its row total is 0 (p undefined), its
	// expected counts are 0 (z undefined), and a = b = c = 0 leaves
	// ad + bc = 0 (Q undefined). A is always followed by B, and only B
	// follows: n_+B = N, so 1 − n_+B/N = 0 and z_AB is undefined too.
	r := analyze(t, inputs("", seq("o1", "A", "B", "A", "B", "A", "B")), nil, Options{Codes: []string{"A", "B", "C"}})
	lt := r.Lag
	cases := []struct {
		given, target string
		n             int64
		e, p, z, q    float64
	}{
		// N = 5: AB AB AB (3) and BA BA (2).
		{"C", "A", 0, 0, undef, undef, undef},
		{"C", "C", 0, 0, undef, undef, undef},
		{"A", "C", 0, 0, 0, undef, undef},
		// A→B: a=3 b=0 c=0 d=2 → Q = 6/6 = 1; e = 3·3/5 = 1.8,
		// z = 1.2/√(1.8·(2/5)·(2/5)) = 1.2/√0.288.
		{"A", "B", 3, 1.8, 1, 1.2 / math.Sqrt(0.288), 1},
		// A→A: a=0 b=3 c=2 d=0 → Q = −6/6 = −1.
		{"A", "A", 0, 1.2, 0, -1.2 / math.Sqrt(0.288), -1},
	}
	for _, w := range cases {
		c := lt.Cell(w.given, w.target)
		// e = 0 is a defined expected count of 0 (a row or column that
		// never occurs), but its residual is undefined.
		if c.Count != w.n || !same(c.Expected, w.e) || !same(c.Probability, w.p) || !same(c.AdjustedResidual, w.z) || !same(c.YulesQ, w.q) {
			t.Errorf("%s→%s = %+v, want n %d e %g p %g z %g Q %g", w.given, w.target, *c, w.n, w.e, w.p, w.z, w.q)
		}
	}
	if len(r.Warnings) != 1 {
		t.Errorf("warnings %q, want one about C", r.Warnings)
	}

	// One code only: N = n_A+ = n_+A, every z undefined; an empty
	// sequence: N = 0, everything undefined.
	r = analyze(t, inputs("", seq("o1", "A", "A", "A")), nil, Options{})
	if c := r.Lag.Cell("A", "A"); c.Count != 2 || c.AdjustedResidual.Valid || c.YulesQ.Valid || !same(c.Probability, 1) || !same(c.Expected, 2) {
		t.Errorf("one code: %+v", *c)
	}
	r = analyze(t, inputs("", seq("o1", "A")), nil, Options{})
	if c := r.Lag.Cell("A", "A"); c.Count != 0 || c.Expected.Valid || c.Probability.Valid || c.YulesQ.Valid || r.Lag.Total != 0 {
		t.Errorf("no transitions: %+v", *c)
	}
}

// TestTieRule: onsets at the same instant are ordered by their code's
// position in the code list.
func TestTieRule(t *testing.T) {
	// Calm starts at 2 s when distress ends and a smile is tagged at 2 s.
	o := obs("o1", st("distress", "0", "2"), pt("smile", "2"), st("calm", "2", "5"), pt("look", "4"))
	for _, tc := range []struct {
		codes []string
		pairs [][2]string
	}{
		{[]string{"distress", "calm", "smile", "look"}, [][2]string{{"distress", "calm"}, {"calm", "smile"}, {"smile", "look"}}},
		{[]string{"smile", "distress", "calm", "look"}, [][2]string{{"distress", "smile"}, {"smile", "calm"}, {"calm", "look"}}},
		// A code left out of the list leaves the sequence.
		{[]string{"calm", "distress", "look"}, [][2]string{{"distress", "calm"}, {"calm", "look"}}},
	} {
		r := analyze(t, inputs("10", o), nil, Options{Codes: tc.codes})
		var got [][2]string
		for _, c := range r.Lag.Cells {
			for range c.Count {
				got = append(got, [2]string{c.Given, c.Target})
			}
		}
		want := slices.Clone(tc.pairs)
		slices.SortFunc(want, func(x, y [2]string) int {
			return index(tc.codes, x[0])*100 + index(tc.codes, x[1]) - index(tc.codes, y[0])*100 - index(tc.codes, y[1])
		})
		if !slices.Equal(got, want) {
			t.Errorf("codes %v: transitions %v, want %v", tc.codes, got, want)
		}
	}
	// Same code twice at one instant: both count, in event ID order.
	r := analyze(t, inputs("", obs("o1", pt("A", "1"), pt("A", "1"), pt("B", "1"))), nil, Options{})
	tr := r.Lag.Transitions("A", "A")
	if len(tr) != 1 || tr[0].FromID != 1 || tr[0].ToID != 2 {
		t.Errorf("A→A transitions %+v", tr)
	}
}

// TestPoolingAndLag2: tables are summed over observations and a sequence
// never runs from one observation into the next; lag 2 pairs every event
// with the one two places on.
func TestPoolingAndLag2(t *testing.T) {
	o1 := seq("o1", "A", "B", "C", "A", "B")
	o2 := seq("o2", "B", "A")
	// Lag 1: o1 gives AB BC CA AB, o2 gives BA; not B(o1)→B(o2).
	r := analyze(t, inputs("", o1, o2), nil, Options{})
	want := [][]int64{{0, 2, 0}, {1, 0, 1}, {1, 0, 0}}
	if got := counts(r.Lag); !slices.EqualFunc(got, want, slices.Equal) || r.Lag.Total != 5 || r.Lag.Sequences != 2 {
		t.Errorf("lag 1 counts %v total %d, want %v", got, r.Lag.Total, want)
	}
	// Lag 2: o1 gives AC BA CB; o2 has no pair two apart.
	r = analyze(t, inputs("", o1, o2), nil, Options{Lag: 2})
	want = [][]int64{{0, 0, 1}, {1, 0, 0}, {0, 1, 0}}
	if got := counts(r.Lag); !slices.EqualFunc(got, want, slices.Equal) || r.Lag.Total != 3 {
		t.Errorf("lag 2 counts %v total %d, want %v", got, r.Lag.Total, want)
	}
	// p_AC at lag 2 = 1/1; e_AC = 1·1/3; z = (1 − 1/3)/√(1/3·(2/3)(2/3)).
	c := r.Lag.Cell("A", "C")
	if !same(c.Probability, 1) || !same(c.Expected, 1.0/3) || !same(c.AdjustedResidual, (2.0/3)/math.Sqrt(4.0/27)) {
		t.Errorf("lag 2 A→C %+v", *c)
	}
	tr := r.Lag.Transitions("B", "A")
	if len(tr) != 1 || tr[0].Observation != "o1" || tr[0].From != 2*annotate.Second || tr[0].To != 4*annotate.Second {
		t.Errorf("lag 2 B→A transitions %+v", tr)
	}
}

// TestEpisodesAndTimeRange: restricted to an episode or a time range, the
// sequences are the parts inside; per-episode runs do not join episodes.
func TestEpisodesAndTimeRange(t *testing.T) {
	o := seq("o1", "A", "B", "C", "C", "A", "B", "A") // at 1 … 7 s
	o.Episodes = []annotate.EpisodeMark{{Name: "separation", Start: 0}, {Name: "reunion", Start: 4500 * annotate.Millisecond}}
	in := inputs("10", o)

	r := analyze(t, in, nil, Options{Episode: "reunion", PerEpisode: true})
	// reunion: A(5) B(6) A(7) → AB BA.
	if got := counts(r.Lag); !slices.EqualFunc(got, [][]int64{{0, 1, 0}, {1, 0, 0}, {0, 0, 0}}, slices.Equal) {
		t.Errorf("reunion counts %v", got)
	}
	if len(r.Episodes) != 2 || r.Episodes[0].Name != "separation" || r.Episodes[1].Name != "reunion" {
		t.Fatalf("episode runs %+v", r.Episodes)
	}
	// separation: A B C C → AB BC CC; C(4)→A(5) crosses into the reunion
	// and is not a transition of either.
	if got := counts(r.Episodes[0].Lag); !slices.EqualFunc(got, [][]int64{{0, 1, 0}, {0, 0, 1}, {0, 0, 1}}, slices.Equal) {
		t.Errorf("separation counts %v", got)
	}
	if tr := r.Episodes[1].Lag.Transitions("A", "B"); len(tr) != 1 || tr[0].Episode != "reunion" {
		t.Errorf("reunion transitions %+v", tr)
	}

	// [2.5, 6) holds C(3) C(4) A(5) → CC CA.
	r = analyze(t, in, nil, Options{From: 2500 * annotate.Millisecond, To: 6 * annotate.Second})
	if got := counts(r.Lag); !slices.EqualFunc(got, [][]int64{{0, 0, 0}, {0, 0, 0}, {1, 0, 1}}, slices.Equal) {
		t.Errorf("range counts %v", got)
	}

	if _, err := Analyze(in, nil, Options{Episode: "free play"}); !errors.Is(err, ErrNoEpisode) {
		t.Errorf("unknown episode: %v", err)
	}
}

// TestStructuralZeros: with self-transitions excluded the expected counts
// are the quasi-independence fit: the fitted margins equal the observed
// ones, the diagonal is empty, and (the only other condition for a 3×3
// table with a zero diagonal, which then makes the fit unique) the two
// cycles through the off-diagonal cells have equal products,
// e_AB·e_BC·e_CA = e_AC·e_CB·e_BA.
func TestStructuralZeros(t *testing.T) {
	o := seq("o1", "A", "B", "A", "C", "B", "C", "A", "B", "A", "B", "C", "B", "A", "C", "A", "A", "B")
	r := analyze(t, inputs("", o), nil, Options{NoSelf: true})
	lt := r.Lag
	if lt.SelfExcluded != 1 || lt.Total != 15 {
		t.Fatalf("self excluded %d total %d", lt.SelfExcluded, lt.Total)
	}
	e := func(g, tg string) float64 { return lt.Cell(g, tg).Expected.V }
	for i, g := range lt.Codes {
		row, col := 0.0, 0.0
		for _, x := range lt.Codes {
			row += e(g, x)
			col += e(x, g)
		}
		if math.Abs(row-float64(lt.RowTotals[i])) > 1e-9 || math.Abs(col-float64(lt.ColTotals[i])) > 1e-9 {
			t.Errorf("%s: fitted margins %g %g, observed %d %d", g, row, col, lt.RowTotals[i], lt.ColTotals[i])
		}
		c := lt.Cell(g, g)
		if !c.Structural || c.Count != 0 || c.Expected.Valid || c.AdjustedResidual.Valid || c.YulesQ.Valid {
			t.Errorf("%s→%s is no structural zero: %+v", g, g, *c)
		}
		if tr := lt.Transitions(g, g); tr != nil {
			t.Errorf("%s→%s lists transitions %+v", g, g, tr)
		}
	}
	if l, r := e("A", "B")*e("B", "C")*e("C", "A"), e("A", "C")*e("C", "B")*e("B", "A"); math.Abs(l-r) > 1e-9*l {
		t.Errorf("cycle products %g ≠ %g", l, r)
	}
	for _, c := range lt.Cells {
		if !c.Structural && !c.AdjustedResidual.Valid {
			t.Errorf("%s→%s has no adjusted residual", c.Given, c.Target)
		}
	}
}

// TestLeverageMatchesClosedForm: Haberman's adjusted residual through the
// leverage of the log-linear model (used with structural zeros) is the
// closed form (1 − n_i+/N)(1 − n_+j/N) when there are none, so the two
// paths of Contingency agree where both apply.
func TestLeverageMatchesClosedForm(t *testing.T) {
	counts := [][]int64{{5, 2, 7}, {1, 9, 3}, {4, 4, 6}}
	tab, err := Contingency(counts, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := make([][]float64, 3)
	none := make([][]bool, 3)
	for i := range m {
		none[i] = make([]bool, 3)
		for j := range 3 {
			m[i] = append(m[i], tab.Expected[i][j].V)
		}
	}
	h, ok := leverage(m, none)
	if !ok {
		t.Fatal("singular")
	}
	for i := range 3 {
		for j := range 3 {
			e := m[i][j]
			z := (float64(counts[i][j]) - e) / math.Sqrt(e*(1-h[i][j]))
			if !same(tab.Residual[i][j], z) {
				t.Errorf("cell %d,%d: closed form %v, leverage %g", i, j, tab.Residual[i][j], z)
			}
		}
	}
}

// TestPermutationTest: the permutation p is seeded (the same seed gives the
// same p), lies in (0, 1], and converges to the exact permutation p that
// enumerating every distinct order of the sequence gives.
func TestPermutationTest(t *testing.T) {
	codes := []string{"A", "B", "A", "A", "B", "B", "A"}
	in := inputs("", seq("o1", codes...))
	const perms = 20000
	r1 := analyze(t, in, nil, Options{Permutations: perms, Seed: 7})
	r2 := analyze(t, in, nil, Options{Permutations: perms, Seed: 7})
	for c := range r1.Lag.Cells {
		p1, p2 := r1.Lag.Cells[c].PermutationP, r2.Lag.Cells[c].PermutationP
		if p1 != p2 || !p1.Valid || p1.V <= 0 || p1.V > 1 {
			t.Errorf("cell %d: p %v then %v", c, p1, p2)
		}
	}
	// Enumerate the 35 distinct orders of 4 A and 3 B, independently of
	// the package: count the lag-1 pairs, Q of A→B by its definition.
	qAB := func(s []byte) float64 {
		var a, b, c, d float64
		for k := 0; k+1 < len(s); k++ {
			switch {
			case s[k] == 'A' && s[k+1] == 'B':
				a++
			case s[k] == 'A':
				b++
			case s[k+1] == 'B':
				c++
			default:
				d++
			}
		}
		if a*d+b*c == 0 {
			return math.NaN()
		}
		return (a*d - b*c) / (a*d + b*c)
	}
	obs := qAB([]byte("ABAABBA"))
	var all, extreme int
	for mask := range 1 << 7 {
		if popcount(mask) != 3 {
			continue
		}
		s := []byte("AAAAAAA")
		for k := range 7 {
			if mask&(1<<k) != 0 {
				s[k] = 'B'
			}
		}
		all++
		if q := qAB(s); !math.IsNaN(q) && math.Abs(q) >= math.Abs(obs)-1e-12 {
			extreme++
		}
	}
	exact := float64(extreme) / float64(all)
	got := r1.Lag.Cell("A", "B").PermutationP.V
	// The Monte Carlo p has a standard error of at most 0.5/√20000 ≈
	// 0.0035; 0.015 is four of them.
	if all != 35 || math.Abs(got-exact) > 0.015 {
		t.Errorf("permutation p %g, exact %g (%d of %d orders)", got, exact, extreme, all)
	}
	if r3 := analyze(t, in, nil, Options{Permutations: perms, Seed: 8}); r3.Lag.Cell("A", "B").PermutationP == r1.Lag.Cell("A", "B").PermutationP {
		t.Logf("seeds 7 and 8 gave the same p (possible, unlikely)")
	}
}

func popcount(x int) int {
	n := 0
	for ; x != 0; x &= x - 1 {
		n++
	}
	return n
}

func TestBadInput(t *testing.T) {
	o := seq("o1", "A", "B")
	scheme := &annotate.Scheme{Behaviors: []annotate.Behavior{{Code: "A", Kind: annotate.Point}, {Code: "B", Kind: annotate.Point}}}
	for name, tc := range map[string]struct {
		in  []Input
		s   *annotate.Scheme
		opt Options
	}{
		"no observations":   {nil, nil, Options{}},
		"negative lag":      {inputs("", o), nil, Options{Lag: -1}},
		"code twice":        {inputs("", o), nil, Options{Codes: []string{"A", "A"}}},
		"not in the scheme": {inputs("", o), scheme, Options{Codes: []string{"A", "X"}}},
		"empty window":      {inputs("", o), nil, Options{Window: &WindowSpec{Given: "A", Target: "B", Lo: 1, Hi: 1}}},
		"window no target":  {inputs("", o), nil, Options{Window: &WindowSpec{Given: "A", Hi: 1}}},
		"negative unit":     {inputs("", o), nil, Options{Window: &WindowSpec{Given: "A", Target: "B", Hi: 1, Unit: -1}}},
		"too many units":    {inputs("100000", o), nil, Options{Window: &WindowSpec{Given: "A", Target: "B", Hi: 1, Unit: 1}}},
		"empty range":       {inputs("", o), nil, Options{From: 5, To: 5}},
		"negative duration": {inputs("", o), nil, Options{Duration: -1}},
		"permutations":      {inputs("", o), nil, Options{Permutations: -3}},
	} {
		if _, err := Analyze(tc.in, tc.s, tc.opt); !errors.Is(err, ErrInput) {
			t.Errorf("%s: error %v, want ErrInput", name, err)
		}
	}
}
