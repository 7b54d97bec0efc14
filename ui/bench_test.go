package ui

import (
	"image"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"dyadcode/annotate"
	"dyadcode/app"
	"dyadcode/store"
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

// BenchmarkKeyToCommitted10k is BenchmarkKeyToCommitted on an observation
// that already holds 10,000 events (a long session densely coded): the
// table, timeline and panel refresh after each key must still be quick.
//
//	go test -tags migrated_fynedo ./ui -run '^$' -bench KeyToCommitted10k -benchtime 1000x
func BenchmarkKeyToCommitted10k(b *testing.B) {
	path := makeProject(b)
	p, err := store.Open(path, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	o := &annotate.Observation{Coder: "alice"}
	codes := []string{"approach", "check_back", "smile", "vocalize", "cg_leave"}
	for i := range 10000 {
		at := annotate.Time(i) * 300 * annotate.Microsecond // 3 s of video
		o.Events = append(o.Events, annotate.Event{Behavior: codes[i%len(codes)], Start: at, End: at})
	}
	imp, err := p.ImportObservation("v1", o)
	if err != nil {
		b.Fatal(err)
	}
	p.Close()
	a := test.NewApp()
	s, err := load(a, Options{Engine: app.Media{}, sched: testSched, Project: path, Observation: imp.ID, DataDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer s.quit()
	waitFor(b, "the video", func() bool { return s.view != nil && s.view.player != nil })
	s.win.Resize(fyne.NewSize(1366, 740))
	c := s.win.Canvas()
	keys := []string{"a", "c", "e", "m", "e", "v"}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		test.TypeOnCanvas(c, keys[i%len(keys)])
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	if n := len(s.view.ed.Obs.Events); n < 10000+b.N/2 {
		b.Fatalf("%d events after %d presses", n, b.N)
	}
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))]) / float64(time.Millisecond)
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(pct(1), "max-ms")
}
