package ui

import (
	"fmt"
	"image"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"dyadcode/annotate"
	"dyadcode/app"
	"dyadcode/media/audio"
	"dyadcode/media/mediatest"
	"dyadcode/store"
)

// TestPlayPauseTagsShownFrame: Space plays, Space pauses, and a key then
// tags the frame on screen, which stays put while paused.
func TestPlayPauseTagsShownFrame(t *testing.T) {
	h := openCoding(t, makeProject(t))
	v := h.view()
	h.press(fyne.KeySpace)
	waitFor(t, "playback to advance", func() bool { return v.cur.Index >= 5 })
	if v.playBtn.Icon.Name() == "" || !v.player.Playing() {
		t.Fatal("not playing after Space")
	}
	h.press(fyne.KeySpace)
	waitFor(t, "the pause", func() bool { return !v.player.Playing() })
	time.Sleep(100 * time.Millisecond)
	pump()
	paused := v.cur
	time.Sleep(200 * time.Millisecond)
	pump()
	if v.cur != paused {
		t.Fatalf("the picture moved while paused: %v then %v", paused, v.cur)
	}
	if n, at := v.player.Position(); n != paused.Index || at != paused.Time {
		t.Errorf("player stands on frame %d (%v), screen shows %d (%v)", n, at, paused.Index, paused.Time)
	}
	h.typeKeys("a")
	got := events(h.reopen())
	if len(got) != 1 || got[0].start != paused.Index {
		t.Errorf("tagged %v, want approach at the paused frame %d", got, paused.Index)
	}
}

// TestSpeedKeys: Up and Down step through the speeds and show the rate.
func TestSpeedKeys(t *testing.T) {
	h := openCoding(t, makeProject(t))
	v := h.view()
	for _, tc := range []struct {
		key  fyne.KeyName
		want float64
		text string
	}{
		{fyne.KeyUp, 1.5, "1.50×"}, {fyne.KeyUp, 2, "2.00×"}, {fyne.KeyDown, 1.5, "1.50×"},
		{fyne.KeyDown, 1, "1.00×"}, {fyne.KeyDown, 0.75, "0.75×"}, {fyne.KeyDown, 0.5, "0.50×"},
	} {
		h.press(tc.key)
		if got := v.player.Speed(); got != tc.want || v.speedLbl.Text != tc.text {
			t.Errorf("after %s: speed %v shown %q, want %v %q", tc.key, got, v.speedLbl.Text, tc.want, tc.text)
		}
	}
}

// TestJumpKeys: Ctrl+Right/Left move one second, PageDown/PageUp five,
// Home and End go to the ends.
func TestJumpKeys(t *testing.T) {
	h := openCoding(t, makeProjectWith(t, mediatest.H264LongGOP, 250, annotate.Rate{Num: 25, Den: 1}))
	v := h.view()
	ctrl := func(k fyne.KeyName) func() { return func() { h.shortcut(ctrlShortcut(k)) } }
	key := func(k fyne.KeyName) func() { return func() { h.press(k) } }
	for _, tc := range []struct {
		name string
		do   func()
		want int64
	}{
		{"ctrl+right", ctrl(fyne.KeyRight), 25},
		{"page down", key(fyne.KeyPageDown), 150},
		{"ctrl+left", ctrl(fyne.KeyLeft), 125},
		{"page up", key(fyne.KeyPageUp), 0},
		{"page up at the start", key(fyne.KeyPageUp), 0},
		{"end", key(fyne.KeyEnd), 249},
		{"home", key(fyne.KeyHome), 0},
	} {
		tc.do()
		waitFor(t, tc.name, func() bool { return v.cur.Index == tc.want })
		if v.frameLbl.Text == "" || v.clock.Text != frameTime(tc.want).Clock() {
			t.Errorf("%s: clock shows %q, want %q", tc.name, v.clock.Text, frameTime(tc.want).Clock())
		}
	}
}

// TestRotatedVideo: a phone video with a 90° rotation tag is shown upright
// (portrait), with its aspect kept by the image's fill mode.
func TestRotatedVideo(t *testing.T) {
	h := openCoding(t, makeProjectWith(t, mediatest.Rotated, 60, annotate.Rate{Num: 30, Den: 1}))
	img, ok := h.view().img.Image.(*image.RGBA)
	if !ok {
		t.Fatalf("image is %T", h.view().img.Image)
	}
	if b := img.Bounds(); b.Dx() >= b.Dy() {
		t.Errorf("rotated video shown %dx%d, want portrait", b.Dx(), b.Dy())
	}
}

// TestWaveformCached: a video with sound gets its waveform computed once
// and kept in the project, with the sine tone's level in it; the frame
// index is cached too.
func TestWaveformCached(t *testing.T) {
	path := makeProjectWith(t, mediatest.H264LongGOP, 250, annotate.Rate{Num: 25, Den: 1})
	h := openCoding(t, path)
	video := h.view().video
	h.s.quit()
	p, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	n := app.WaveBuckets(video.Duration)
	data, err := p.Cache(fmt.Sprintf("waveform:%s:%d", video.Fingerprint, n))
	if err != nil {
		t.Fatalf("no cached waveform: %v", err)
	}
	peaks, err := audio.UnmarshalPeaks(data)
	if err != nil || len(peaks) != n {
		t.Fatalf("cached waveform: %d peaks (%v), want %d", len(peaks), err, n)
	}
	var loud int
	for _, pk := range peaks {
		if pk.Max > 0.05 && pk.Min < -0.05 {
			loud++
		}
	}
	if loud < n/2 {
		t.Errorf("only %d of %d buckets carry the tone", loud, n)
	}
	if _, err := p.Cache(app.IndexKey(video)); err != nil {
		t.Errorf("frame index not cached: %v", err)
	}
}
