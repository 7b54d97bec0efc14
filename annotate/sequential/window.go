package sequential

import (
	"math"

	"dyadcode/annotate"
)

// WindowTable is the time-window contingency of docs/sequential.md §4.
type WindowTable struct {
	Given  string `json:"given"`
	Target string `json:"target"`
	// TargetKind is "point" or "state": how a unit is decided to be a
	// target unit.
	TargetKind string        `json:"target_kind"`
	Lo         annotate.Time `json:"window_lo_s"`
	Hi         annotate.Time `json:"window_hi_s"`
	Unit       annotate.Time `json:"unit_s"`
	// Units is N = a + b + c + d.
	Units int64 `json:"units"`
	// GivenOnsets is the number of onsets of Given that opened a window.
	GivenOnsets int64 `json:"given_onsets"`
	// A: given and target, B: given, not target, C: target, not given,
	// D: neither.
	A int64 `json:"a"`
	B int64 `json:"b"`
	C int64 `json:"c"`
	D int64 `json:"d"`
	// ExpectedA is E = (a+b)(a+c)/N.
	ExpectedA        Value `json:"expected_a"`
	YulesQ           Value `json:"yules_q"`
	OddsRatio        Value `json:"odds_ratio"`
	AdjustedResidual Value `json:"adjusted_residual"`
	PTargetGiven     Value `json:"p_target_given"`
	PTargetNotGiven  Value `json:"p_target_not_given"`
}

// windowTable counts the units of every segment.
func (a *analysis) windowTable(segs []*segment) *WindowTable {
	ws := a.opt.Window
	wt := &WindowTable{Given: ws.Given, Target: ws.Target, Lo: ws.Lo, Hi: ws.Hi, Unit: a.unit, TargetKind: "state"}
	pointTarget := false
	if a.scheme != nil {
		if b, ok := a.scheme.Behavior(ws.Target); ok {
			pointTarget = b.Kind == annotate.Point
		}
	}
	kindKnown := a.scheme != nil
	var given, target []int32 // difference arrays, reused
	for _, s := range segs {
		w := a.unit
		n := int((s.to - s.from + w - 1) / w)
		if cap(given) < n+1 {
			given, target = make([]int32, n+1), make([]int32, n+1)
		}
		given, target = given[:n+1], target[:n+1]
		clear(given)
		clear(target)
		var pointUnits []int
		for _, e := range s.events {
			if e.code == ws.Given {
				if !s.in(e.start) {
					continue
				}
				wt.GivenOnsets++
				// Unit k is given when lo ≤ m_k − g < hi, i.e. its
				// midpoint lies in [g+lo, g+hi), cut to the segment.
				lo := max(e.start+ws.Lo, s.from) - s.from
				hi := min(e.start+ws.Hi, s.to) - s.from
				i0, i1 := annotate.MidpointSlices(lo, hi, w, n)
				given[i0]++
				given[i1]--
			}
			if e.code != ws.Target {
				continue
			}
			point := e.point
			if !kindKnown {
				// Without a scheme the first target event decides
				// the reported kind; each event still counts by its
				// own.
				pointTarget, kindKnown = point, true
			}
			if point {
				if s.in(e.start) {
					pointUnits = append(pointUnits, annotate.PointSlice(e.start-s.from, w, n))
				}
				continue
			}
			lo := max(e.start, s.from) - s.from
			hi := min(e.end, s.to) - s.from
			if lo >= hi {
				continue
			}
			i0, i1 := annotate.MidpointSlices(lo, hi, w, n)
			target[i0]++
			target[i1]--
		}
		// A point marks its unit; difference arrays take it as [k, k+1).
		for _, k := range pointUnits {
			target[k]++
			target[k+1]--
		}
		var g, t int32
		for k := range n {
			g += given[k]
			t += target[k]
			switch {
			case g > 0 && t > 0:
				wt.A++
			case g > 0:
				wt.B++
			case t > 0:
				wt.C++
			default:
				wt.D++
			}
		}
		wt.Units += int64(n)
	}
	if pointTarget {
		wt.TargetKind = "point"
	}
	wt.stats()
	return wt
}

// stats computes the statistics of a, b, c, d.
func (wt *WindowTable) stats() {
	a, b, c, d := float64(wt.A), float64(wt.B), float64(wt.C), float64(wt.D)
	n := a + b + c + d
	wt.YulesQ = yulesQ(wt.A, wt.B, wt.C, wt.D)
	wt.OddsRatio = ratio(a*d, b*c)
	wt.PTargetGiven = ratio(a, a+b)
	wt.PTargetNotGiven = ratio(c, c+d)
	wt.ExpectedA = ratio((a+b)*(a+c), n)
	if e := wt.ExpectedA; e.Valid {
		wt.AdjustedResidual = ratio(a-e.V, math.Sqrt(e.V*(1-(a+b)/n)*(1-(a+c)/n)))
	}
}
