package sequential

import (
	"fmt"
	"math"
)

// Table holds the statistics of a two-way table of counts (rows: the
// given code, columns: the target code), as docs/sequential.md §3 defines
// them.
type Table struct {
	Counts     [][]int64
	Structural [][]bool // nil or true where a cell is a structural zero
	N          int64    // total of the counts
	Rows, Cols []int64  // row and column totals
	// Expected is e_ij: n_i+ n_+j / N, or the iterative proportional
	// fitting estimate when there are structural zeros (undefined there).
	Expected [][]Value
	// Probability is p_ij = n_ij / n_i+.
	Probability [][]Value
	// Residual is the adjusted residual z_ij.
	Residual [][]Value
	// Q is Yule's Q of the 2×2 collapse of cell ij.
	Q [][]Value
	// Iterations is how many IPF cycles the expected counts took (0
	// without structural zeros).
	Iterations int
}

// IPF stops when every fitted margin is within ipfTolerance·N of the
// observed one, or after ipfMaxCycles cycles.
const (
	ipfTolerance = 1e-12
	ipfMaxCycles = 10_000
)

// Contingency computes the statistics of a table of counts. structural,
// when not nil, has the shape of counts and marks the structural zeros:
// cells that cannot occur, which must hold a count of 0. Without
// structural zeros the expected counts and adjusted residuals have the
// closed forms e_ij = n_i+ n_+j / N and
// z_ij = (n_ij − e_ij) / sqrt(e_ij (1 − n_i+/N)(1 − n_+j/N)); with them the
// expected counts are the quasi-independence fit by iterative
// proportional fitting (as GSEQ and Bakeman & Quera 2011 do) and z_ij is
// Haberman's adjusted residual of that log-linear model,
// (n_ij − e_ij) / sqrt(e_ij (1 − h_ij)) with h_ij the cell's leverage,
// which reduces to the closed form when there are none.
func Contingency(counts [][]int64, structural [][]bool) (*Table, error) {
	r := len(counts)
	if r == 0 {
		return nil, fmt.Errorf("%w: empty table", ErrInput)
	}
	c := len(counts[0])
	t := &Table{Counts: counts, Rows: make([]int64, r), Cols: make([]int64, c)}
	anyZero := false
	for i := range counts {
		if len(counts[i]) != c {
			return nil, fmt.Errorf("%w: row %d has %d cells, row 1 has %d", ErrInput, i+1, len(counts[i]), c)
		}
		if structural != nil && len(structural[i]) != c {
			return nil, fmt.Errorf("%w: structural zeros of row %d have %d cells, not %d", ErrInput, i+1, len(structural[i]), c)
		}
		for j, n := range counts[i] {
			if n < 0 {
				return nil, fmt.Errorf("%w: count %d in cell (%d, %d) is negative", ErrInput, n, i+1, j+1)
			}
			if structural != nil && structural[i][j] {
				if n != 0 {
					return nil, fmt.Errorf("%w: structural zero (%d, %d) holds %d", ErrInput, i+1, j+1, n)
				}
				anyZero = true
			}
			t.Rows[i] += n
			t.Cols[j] += n
			t.N += n
		}
	}
	if structural != nil && len(structural) != r {
		return nil, fmt.Errorf("%w: structural zeros have %d rows, not %d", ErrInput, len(structural), r)
	}
	if anyZero {
		t.Structural = structural
	}
	t.Expected = grid(r, c)
	t.Probability = grid(r, c)
	t.Residual = grid(r, c)
	t.Q = grid(r, c)
	n := float64(t.N)
	for i := range counts {
		for j, nij := range counts[i] {
			ri, cj := float64(t.Rows[i]), float64(t.Cols[j])
			t.Probability[i][j] = ratio(float64(nij), ri)
			a := float64(nij)
			b, cc := ri-a, cj-a
			d := n - a - b - cc
			t.Q[i][j] = ratio(a*d-b*cc, a*d+b*cc)
			if anyZero {
				continue
			}
			e := ratio(ri*cj, n)
			t.Expected[i][j] = e
			if e.Valid {
				t.Residual[i][j] = ratio(a-e.V, math.Sqrt(e.V*(1-ri/n)*(1-cj/n)))
			}
		}
	}
	if anyZero {
		t.quasiIndependence()
	}
	return t, nil
}

func grid(r, c int) [][]Value {
	g := make([][]Value, r)
	for i := range g {
		g[i] = make([]Value, c)
	}
	return g
}

// quasiIndependence fits e_ij = α_i β_j on the cells that are not
// structural zeros by iterative proportional fitting: start from 1 in
// every allowed cell, then scale the rows to the observed row totals and
// the columns to the observed column totals, in turn, until the margins
// fit. The adjusted residuals use each cell's leverage in that model.
func (t *Table) quasiIndependence() {
	r, c := len(t.Counts), len(t.Counts[0])
	m := make([][]float64, r)
	for i := range m {
		m[i] = make([]float64, c)
		for j := range m[i] {
			if !t.Structural[i][j] {
				m[i][j] = 1
			}
		}
	}
	tol := ipfTolerance * max(float64(t.N), 1)
	for t.Iterations = 1; t.Iterations <= ipfMaxCycles; t.Iterations++ {
		for i := range m {
			s := 0.0
			for j := range m[i] {
				s += m[i][j]
			}
			for j := range m[i] {
				if s > 0 {
					m[i][j] *= float64(t.Rows[i]) / s
				}
			}
		}
		worst := 0.0
		for j := 0; j < c; j++ {
			s := 0.0
			for i := range m {
				s += m[i][j]
			}
			for i := range m {
				if s > 0 {
					m[i][j] *= float64(t.Cols[j]) / s
				}
			}
		}
		// After the column step the columns fit; the rows tell whether
		// the fit has converged.
		for i := range m {
			s := 0.0
			for j := range m[i] {
				s += m[i][j]
			}
			worst = max(worst, math.Abs(s-float64(t.Rows[i])))
		}
		if worst <= tol {
			break
		}
	}
	for i := range m {
		for j := range m[i] {
			if !t.Structural[i][j] {
				t.Expected[i][j] = Of(m[i][j])
			}
		}
	}
	h, ok := leverage(m, t.Structural)
	if !ok {
		return
	}
	for i := range m {
		for j := range m[i] {
			e := m[i][j]
			if t.Structural[i][j] || e <= 0 {
				continue
			}
			if v := e * (1 - h[i][j]); v > 1e-12*e {
				t.Residual[i][j] = Of((float64(t.Counts[i][j]) - e) / math.Sqrt(v))
			}
		}
	}
}

// leverage returns h_ij = e_ij x_ijᵀ (Xᵀ W X)⁻¹ x_ij of the log-linear
// model log e_ij = μ + α_i + β_j fitted to the cells with e_ij > 0 (W =
// diag(e)), with the first active row and column as the reference
// categories. ok is false when the information matrix is singular (a
// table whose allowed cells fall apart into separate blocks).
func leverage(m [][]float64, structural [][]bool) (h [][]float64, ok bool) {
	r, c := len(m), len(m[0])
	// Parameters: μ, then one per active row but the first, then one per
	// active column but the first.
	rowP, colP := make([]int, r), make([]int, c)
	p := 1
	first := true
	for i := range m {
		rowP[i] = -1
		if sum(m[i]) > 0 {
			if !first {
				rowP[i] = p
				p++
			}
			first = false
		}
	}
	first = true
	for j := 0; j < c; j++ {
		colP[j] = -1
		s := 0.0
		for i := range m {
			s += m[i][j]
		}
		if s > 0 {
			if !first {
				colP[j] = p
				p++
			}
			first = false
		}
	}
	x := func(i, j int) []float64 {
		v := make([]float64, p)
		v[0] = 1
		if rowP[i] > 0 {
			v[rowP[i]] = 1
		}
		if colP[j] > 0 {
			v[colP[j]] = 1
		}
		return v
	}
	info := make([][]float64, p)
	for k := range info {
		info[k] = make([]float64, p)
	}
	for i := range m {
		for j := range m[i] {
			if structural[i][j] || m[i][j] <= 0 {
				continue
			}
			v := x(i, j)
			for a := range v {
				for b := range v {
					info[a][b] += m[i][j] * v[a] * v[b]
				}
			}
		}
	}
	inv, ok := invert(info)
	if !ok {
		return nil, false
	}
	h = make([][]float64, r)
	for i := range m {
		h[i] = make([]float64, c)
		for j := range m[i] {
			if structural[i][j] || m[i][j] <= 0 {
				continue
			}
			v := x(i, j)
			q := 0.0
			for a := range v {
				for b := range v {
					q += v[a] * inv[a][b] * v[b]
				}
			}
			h[i][j] = m[i][j] * q
		}
	}
	return h, true
}

func sum(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s
}

// invert inverts a small symmetric positive definite matrix by
// Gauss–Jordan elimination with partial pivoting; ok is false when it is
// singular.
func invert(a [][]float64) ([][]float64, bool) {
	n := len(a)
	m := make([][]float64, n)
	scale := 0.0
	for i := range a {
		m[i] = make([]float64, 2*n)
		copy(m[i], a[i])
		m[i][n+i] = 1
		for _, v := range a[i] {
			scale = max(scale, math.Abs(v))
		}
	}
	for col := 0; col < n; col++ {
		piv := col
		for i := col + 1; i < n; i++ {
			if math.Abs(m[i][col]) > math.Abs(m[piv][col]) {
				piv = i
			}
		}
		if math.Abs(m[piv][col]) <= 1e-12*scale {
			return nil, false
		}
		m[col], m[piv] = m[piv], m[col]
		d := m[col][col]
		for k := range m[col] {
			m[col][k] /= d
		}
		for i := 0; i < n; i++ {
			if i == col || m[i][col] == 0 {
				continue
			}
			f := m[i][col]
			for k := range m[i] {
				m[i][k] -= f * m[col][k]
			}
		}
	}
	inv := make([][]float64, n)
	for i := range m {
		inv[i] = m[i][n:]
	}
	return inv, true
}

// yulesQ is (ad − bc)/(ad + bc), undefined when ad + bc = 0.
func yulesQ(a, b, c, d int64) Value {
	fa, fb, fc, fd := float64(a), float64(b), float64(c), float64(d)
	return ratio(fa*fd-fb*fc, fa*fd+fb*fc)
}
