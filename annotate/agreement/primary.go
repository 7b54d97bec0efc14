package agreement

import (
	"fmt"
)

// A point behaviour has no duration: it occupies the one slice its onset
// falls in, so two coders who tag the same check-back a frame apart fill
// two different slices, and time-slice κ counts one agreement as two
// disagreements (the check-back: κ −0.005 with 3 of 3 onsets
// matched). The figure a point is judged by is onset matching within the
// tolerance (docs/agreement.md §5); κ stays the figure for states, whose
// slices measure shared time.

// PointBehavior reports whether behaviour identity id is a point
// behaviour in the compared observations (every event of it a point).
func (r *Report) PointBehavior(id string) bool {
	if r.occupancy == nil {
		return false
	}
	return r.occupancy.points[id]
}

// Primary is the agreement figure a behaviour is judged by in one section
// (the session or an episode).
type Primary struct {
	// Onsets is true for a point behaviour: Value is the percentage of
	// onsets matched (agreements over agreements, omissions and
	// commissions). Otherwise Value is time-slice κ.
	Onsets bool
	Value  Value
	// Text says it in words: "3 of 3 onsets matched (±0.5 s)", "2 of 3
	// onsets matched, B 1 extra (±0.5 s)" (of A's, the reference's), "κ 0.712".
	Text string
}

// PrimaryOf returns the figure behaviour id is judged by in section s.
func (r *Report) PrimaryOf(s *Section, id string) Primary {
	if !r.PointBehavior(id) {
		b := s.PerBehavior[id]
		if b == nil {
			return Primary{Text: "κ NA"}
		}
		return Primary{Value: b.Kappa, Text: "κ " + b.Kappa.String()}
	}
	ea := s.Events.PerBehavior[id]
	if ea == nil {
		return Primary{Onsets: true, Text: "no onsets"}
	}
	tol := "±" + secs(s.Events.Tolerance) + " s"
	var text string
	switch {
	case ea.NA == 0 && ea.NB == 0:
		text = "no onsets"
	case ea.Omissions == 0 && ea.Commissions == 0:
		text = fmt.Sprintf("%d of %d onsets matched (%s)", ea.Agreements, ea.NA, tol)
	default:
		text = fmt.Sprintf("%d of %d onsets matched, B %d extra (%s)", ea.Agreements, ea.NA, ea.Commissions, tol)
	}
	return Primary{Onsets: true, Value: ea.Percent, Text: text}
}
