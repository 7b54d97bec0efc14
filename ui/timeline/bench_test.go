package timeline

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"dyadcode/annotate"
)

// bigData makes n events over nLanes lanes (four subjects; even lanes hold
// states of 0.5–5 s, odd lanes points), spread over [0, end), and eight
// episodes. The seed is fixed so runs compare.
func bigData(n, nLanes int, end annotate.Time) ([]Lane, []Item, []Band) {
	rng := rand.New(rand.NewPCG(1, 2))
	lanes := make([]Lane, nLanes)
	for i := range lanes {
		lanes[i] = Lane{Key: fmt.Sprint("b", i), Label: fmt.Sprintf("behaviour %d", i), Group: fmt.Sprint("subject ", i*4/nLanes)}
	}
	items := make([]Item, n)
	for i := range items {
		l := i % nLanes
		start := annotate.Time(rng.Int64N(int64(end)))
		it := Item{ID: uint64(i + 1), Lane: l, Start: start, End: start, Point: l%2 == 1, Mark: i%97 == 0}
		if !it.Point {
			it.End = min(start+ms(500)+annotate.Time(rng.Int64N(int64(ms(4500)))), end)
		}
		items[i] = it
	}
	bands := make([]Band, 8)
	for i := range bands {
		bands[i] = Band{Label: fmt.Sprint("episode ", i+1), Start: end * annotate.Time(i) / 8, End: end * annotate.Time(i+1) / 8}
	}
	return lanes, items, bands
}

// benchTimeline is a 1366×300 timeline with 10,000 events over a 2-hour
// session and a waveform of 10 buckets a second.
func benchTimeline(b *testing.B) (*Timeline, fyne.Window) {
	test.NewTempApp(b)
	tl := New()
	end := 2 * annotate.Hour
	lanes, items, bands := bigData(10000, 20, end)
	tl.SetFrameRate(annotate.Rate{Num: 25, Den: 1})
	tl.SetData(lanes, items, bands, end)
	peaks := make([]Peak, int(end/(100*annotate.Millisecond)))
	for i := range peaks {
		v := float32(i%50) / 50
		peaks[i] = Peak{Min: -v, Max: v}
	}
	tl.SetWaveform(peaks)
	hl := make([]Highlight, 0, 2000)
	for i := 0; i < 2000; i++ {
		s := end * annotate.Time(i) / 2000
		hl = append(hl, Highlight{Start: s, End: s + 100*annotate.Millisecond, Lane: i%3 - 1})
	}
	tl.SetHighlights(hl)
	w := test.NewWindow(tl)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(1366, 300))
	b.Cleanup(w.Close)
	return tl, w
}

// BenchmarkDraw10k measures one frame of the widget's own work for a view
// change: the overlay layout (labels, ticks, playhead) and painting the
// raster at 1366×300 px, with the view panned a little each frame so
// nothing is cached. GPU upload of the texture is not included.
func BenchmarkDraw10k(b *testing.B) {
	for _, v := range []struct {
		name string
		span annotate.Time
	}{{"whole-2h", 2 * annotate.Hour}, {"10min", 10 * annotate.Minute}, {"1min", annotate.Minute}, {"2s", 2 * annotate.Second}} {
		b.Run(v.name, func(b *testing.B) {
			tl, _ := benchTimeline(b)
			r := tl.rend
			start := annotate.Hour - v.span/2
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				s := max(start+annotate.Time(i%100)*v.span/1000, 0)
				tl.setView(s, s+v.span)
				r.layoutOverlay()
				r.draw(1366, 300)
			}
		})
	}
}

// BenchmarkCapture10k is the whole frame through Fyne's software painter
// (text rasterisation included), a pessimistic bound: the GL driver draws
// the text and rectangles on the GPU.
func BenchmarkCapture10k(b *testing.B) {
	tl, w := benchTimeline(b)
	tl.SetView(annotate.Hour, annotate.Hour+10*annotate.Minute)
	c := w.Canvas()
	for i := 0; b.Loop(); i++ {
		s := annotate.Hour + annotate.Time(i%100)*annotate.Second
		tl.SetView(s, s+10*annotate.Minute)
		c.Capture()
	}
}

// BenchmarkPlayhead is the cost of SetPlayhead during playback when the
// view does not need to page.
func BenchmarkPlayhead(b *testing.B) {
	tl, _ := benchTimeline(b)
	tl.SetView(annotate.Hour, annotate.Hour+10*annotate.Minute)
	for i := 0; b.Loop(); i++ {
		tl.SetPlayhead(annotate.Hour + annotate.Time(i%1000)*annotate.Millisecond*40)
	}
}

// BenchmarkSetData10k is the cost of replacing all data (for example after
// an edit) with 10,000 events.
func BenchmarkSetData10k(b *testing.B) {
	tl, _ := benchTimeline(b)
	lanes, items, bands := bigData(10000, 20, 2*annotate.Hour)
	for b.Loop() {
		tl.SetData(lanes, items, bands, 2*annotate.Hour)
	}
}
