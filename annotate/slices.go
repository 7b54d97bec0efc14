package annotate

// The midpoint rule that cuts a timeline into slices of width w, shared by
// every analysis that counts time in slices (agreement's time-slice κ,
// sequential analysis's time-window contingencies), so that a state covers
// the same slices in both: slice i is [i·w, (i+1)·w) with midpoint
// (i+½)·w, a state [s, e) covers slice i iff s ≤ (i+½)·w < e, and a point
// at t lies in slice ⌊t/w⌋. Everything is integer arithmetic on Time.

// CeilDiv is ⌈a/b⌉ for b > 0, also for negative a.
func CeilDiv(a, b int64) int64 {
	if a <= 0 {
		return -(-a / b)
	}
	return (a + b - 1) / b
}

// MidpointSlices returns the slices i whose midpoint (i+½)·w lies in
// [s, e), as the half-open index range [i0, i1) clipped to [0, n): the
// condition s ≤ (i+½)w < e is tested as 2s ≤ (2i+1)w < 2e, in integers.
// w must be positive and 2s, 2e must not overflow.
func MidpointSlices(s, e, w Time, n int) (int, int) {
	lo := CeilDiv(int64(2*s-w), int64(2*w))
	hi := CeilDiv(int64(2*e-w), int64(2*w))
	lo = min(max(lo, 0), int64(n))
	hi = min(max(hi, lo), int64(n))
	return int(lo), int(hi)
}

// PointSlice is the slice a point at t ≥ 0 falls in: ⌊t/w⌋, clipped to
// n−1 so a point at exactly the end of the timeline is in the last slice.
func PointSlice(t, w Time, n int) int {
	return min(int(t/w), n-1)
}
