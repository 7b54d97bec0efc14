package ui

import (
	"image"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
)

// BenchmarkKeyToCommitted measures a behaviour key press from the canvas
// handler until the event is durably in the project file and the view is
// updated (the editor commits before it changes what is shown). Run with
// -benchtime 1000x for the 1000-press p50/p99 of the closing note:
//
//	go test -tags migrated_fynedo ./ui -run '^$' -bench KeyToCommitted -benchtime 1000x
func BenchmarkKeyToCommitted(b *testing.B) {
	h := openCoding(b, makeProject(b))
	c := h.s.win.Canvas()
	keys := []string{"a", "c", "e", "m", "e", "v"} // points and a state on/off
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		test.TypeOnCanvas(c, keys[i%len(keys)])
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	if n := len(h.view().ed.Obs.Events); n == 0 {
		b.Fatal("no events recorded")
	}
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))]) / float64(time.Millisecond)
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(pct(1), "max-ms")
}

// BenchmarkShowFrame measures the UI goroutine's work per video frame
// during playback (picture, clock, frame and episode labels, coding-panel
// lights, timeline playhead) with 1000 events coded, which has to stay
// far below the 16 ms of a 60 Hz repaint.
//
//	go test -tags migrated_fynedo ./ui -run '^$' -bench ShowFrame
func BenchmarkShowFrame(b *testing.B) {
	h := openCoding(b, makeProject(b))
	v := h.view()
	for i := range 1000 {
		code := []string{"approach", "check_back", "smile", "vocalize"}[i%4]
		if _, err := v.ed.Tag(code, frameTime(int64(i%75))); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := v.ed.Tag("explore", 0); err != nil {
		b.Fatal(err)
	}
	v.refreshEdits()
	img := v.img.Image.(*image.RGBA)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := int64(i % 75)
		v.display(frame{Index: n, Time: frameTime(n), Image: img})
	}
}
