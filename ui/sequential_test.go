package ui

import (
	"testing"
)

// TestSequentialWindow: Review ▸ Sequential analysis analyses the coding
// as it stands, a listed transition seeks the coding window to its
// onset, an edit recomputes, and closing the observation closes it.
func TestSequentialWindow(t *testing.T) {
	h := openCoding(t, makeProject(t))
	s := h.s
	// approach (a) at frames 0 and 6, smile (m) at 3 and 9: approach →
	// smile twice, smile → approach once.
	h.typeKeys("a")
	h.right(3)
	h.typeKeys("m")
	h.right(3)
	h.typeKeys("a")
	h.right(3)
	h.typeKeys("m")
	h.right(2)
	s.showSequential()
	q := s.review.sequential
	if q == nil || s.review.sequentialWin == nil {
		t.Fatal("the sequential window did not open")
	}
	lt := q.Report().Lag
	if len(lt.Codes) != 2 || lt.Codes[0] != "approach" || lt.Codes[1] != "smile" || lt.Total != 3 {
		t.Fatalf("codes %v, N %d; want the two coded codes and 3 transitions", lt.Codes, lt.Total)
	}
	if c := lt.Cell("approach", "smile"); c.Count != 2 {
		t.Errorf("approach → smile %d, want 2", c.Count)
	}
	q.Select(1) // approach → smile
	if got := q.Listed(); len(got) != 2 || got[1].From != frameTime(6) || got[1].To != frameTime(9) {
		t.Fatalf("listed %+v", got)
	}
	q.Jump(1)
	waitFor(t, "the seek to the transition", func() bool { return h.view().cur.Time == frameTime(6) })

	h.typeKeys("m") // smile at frame 6 after the approach there: N 4
	waitFor(t, "the recomputed table", func() bool { return q.Report().Lag.Total == 4 })

	s.showStart()
	if s.review.sequentialWin != nil {
		t.Error("the sequential window outlived its observation")
	}
}
