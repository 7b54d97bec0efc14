package ui

import (
	"strings"
	"testing"

	"dyadcode/app"
)

func reviewWindowCount(s *shell) int {
	n := 0
	for _, w := range s.app.Driver().AllWindows() {
		if strings.HasPrefix(w.Title(), "Metrics") || strings.HasPrefix(w.Title(), "Ratings") {
			n++
		}
	}
	return n
}

// TestReviewWindows: the metrics and ratings windows open on the coded
// observation; a rating chosen in the form goes through the editor into
// the project file (and undoes like any edit); closing the observation
// closes its windows.
func TestReviewWindows(t *testing.T) {
	h := openCoding(t, makeProject(t))
	s := h.s
	h.typeKeys("5a")
	s.showMetrics()
	s.showRatings()
	if s.review.metricsWin == nil || s.review.ratingsWin == nil {
		t.Fatal("review windows did not open")
	}
	if n := reviewWindowCount(s); n != 2 {
		t.Errorf("%d review windows open, want 2", n)
	}
	if !s.review.ratings.Choose("5 First reunion", "avoidance", 3) {
		t.Fatal("the ratings form has no avoidance field for the first reunion")
	}
	if v, ok := s.view.ed.Obs.Rating("5 First reunion", "avoidance"); !ok || v != 3 {
		t.Fatalf("rating in the observation: %d %v", v, ok)
	}
	h.typeKeys("m") // an edit: the open windows recompute without trouble
	h.shortcut(undoKey)
	h.shortcut(undoKey) // undoes the rating
	if shown, _ := s.review.ratings.Shown("5 First reunion", "avoidance"); shown != "" {
		t.Errorf("form still shows %q after the rating was undone", shown)
	}
	h.shortcut(redoKey)
	s.showStart()
	if s.review.metricsWin != nil || reviewWindowCount(s) != 0 {
		t.Error("review windows outlived their observation")
	}
	o := h.reopen()
	if v, ok := o.Rating("5 First reunion", "avoidance"); !ok || v != 3 {
		t.Errorf("rating in the file: %d %v, want 3", v, ok)
	}
}

// TestMetricsReportIsTheProjects: the metrics window's Save report writes
// what `dyadcode report` writes for the project (app.ReportInput over every
// observation), not the open observation alone, so the agreement sections
// appear.
func TestMetricsReportIsTheProjects(t *testing.T) {
	h := openCoding(t, makeProject(t))
	h.typeKeys("a")
	if _, err := h.s.proj.NewObservation("v1", "ben"); err != nil {
		t.Fatal(err)
	}
	h.s.showMetrics()
	m := h.s.review.metrics
	if m == nil || m.ReportInput == nil {
		t.Fatal("no metrics window with the project's report")
	}
	in, err := m.ReportInput()
	if err != nil {
		t.Fatal(err)
	}
	want, err := app.CodedOf(h.s.proj)
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Observations) != 2 || len(want.Obs) != 2 || in.Observations[1].Obs.Coder != "ben" || in.Title != "study.dyad" {
		t.Errorf("report of %q with %d observations, want the project's 2", in.Title, len(in.Observations))
	}
}
