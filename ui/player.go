package ui

import (
	"image"
	"sync"

	"fyne.io/fyne/v2"

	"dyadcode/annotate"
)

// Player is what the coding view needs from the media engine's player
// (*media.Player satisfies it through a thin adapter). It never calls Fyne:
// frames and errors arrive on the player's goroutine and the view hands
// them to the UI goroutine with fyne.Do.
type Player interface {
	Play()
	Pause()
	Playing() bool
	SetSpeed(float64)
	Speed() float64
	Seek(t annotate.Time) error
	SeekFrame(n int64) error
	Step(delta int) error
	Position() (frame int64, t annotate.Time)
	SetViewSize(w, h int)
	Close() error
}

// frame is one decoded picture with where it sits in the video.
type frame struct {
	Index int64
	Time  annotate.Time
	Image *image.RGBA
}

// frameBox passes frames from the decoder goroutine to the UI goroutine.
// The newest frame wins: while one hand-off is queued, later frames replace
// the waiting one instead of queueing more work, so a UI that repaints at
// 60 Hz never falls behind a decoder that runs faster.
type frameBox struct {
	mu      sync.Mutex
	next    *frame
	pending bool
	dropped int64
	show    func(frame)    // runs on the UI goroutine
	uiDo    func(f func()) // hands drain to the UI goroutine
}

// put is called from the player's goroutine.
func (b *frameBox) put(f frame) {
	b.mu.Lock()
	if b.next != nil {
		b.dropped++
	}
	b.next = &f
	schedule := !b.pending
	b.pending = true
	b.mu.Unlock()
	if schedule {
		b.uiDo(b.drain)
	}
}

func (b *frameBox) drain() {
	b.mu.Lock()
	f := b.next
	b.next = nil
	b.pending = false
	b.mu.Unlock()
	if f != nil && b.show != nil {
		b.show(*f)
	}
}

// Dropped counts frames replaced before the UI showed them.
func (b *frameBox) Dropped() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.dropped
}

// scheduler moves work between goroutines: uiDo hands work from a backend
// goroutine to the UI goroutine, spawn starts background work. The window
// gets fyneScheduler; tests pass one that runs both on the test's
// goroutine, in order (Fyne's test driver runs fyne.Do inline on the
// calling goroutine, which would race with the test).
type scheduler struct {
	uiDo  func(f func())
	spawn func(f func())
}

// fyneScheduler is the real one: fyne.Do and a goroutine.
func fyneScheduler() scheduler {
	return scheduler{uiDo: fyne.Do, spawn: func(f func()) { go f() }}
}
