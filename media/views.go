package media

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"dyadcode/mediatime"
)

// A session plays several views of one room (cameras) on one timeline.
// View 0 is the primary: session time is its media time. Every further
// view has an offset, where its time 0 lies on the session timeline, and
// the rule is the same everywhere (seek, step, play, pause, speed):
//
//	at session time t a view shows its last frame with time <= t - offset,
//	or nothing ("not yet recording") before its first frame or after its
//	last.
//
// One clock (the wall clock scaled by the speed) drives playback; each view
// decodes on its own goroutine with its own Decoder and frame cache, and a
// view whose decoding falls behind the clock jumps to the frame the rule
// gives (counting the frames it skipped) instead of holding the others or
// the clock back. Sessions play without sound: the coding window's Player
// of the primary video keeps the sound when there is one view.

// ViewState says what a view shows at a session time.
type ViewState int

// The states of a view.
const (
	ViewShowing ViewState = iota // a frame of the view
	ViewNotYet                   // before its first frame: not yet recording
	ViewEnded                    // after its last frame: no longer recording
)

func (s ViewState) String() string {
	switch s {
	case ViewShowing:
		return "showing"
	case ViewNotYet:
		return "not yet recording"
	case ViewEnded:
		return "no longer recording"
	}
	return fmt.Sprintf("ViewState(%d)", int(s))
}

// RuleFrame is the frame a view with index ix and offset shows at session
// time t (-1 when it shows none).
func RuleFrame(ix *Index, offset, t mediatime.Time) (int64, ViewState) {
	vt := t - offset
	if ix.Len() == 0 || vt < ix.PTS[0] {
		return -1, ViewNotYet
	}
	if vt >= ix.Duration() {
		return -1, ViewEnded
	}
	return ix.FrameAt(vt), ViewShowing
}

// ViewSource is one view to open: a file, its cached index (nil builds
// it) and its offset on the session timeline (ignored for view 0).
type ViewSource struct {
	Path   string
	Index  *Index
	Offset mediatime.Time
}

// ViewFrame is what one view shows. Frame.Image is that view's decoder
// buffer: valid until the callback returns (copy or upload it there). It
// is nil unless State is ViewShowing.
type ViewFrame struct {
	View  int
	State ViewState
	Frame Frame
	// At is the session time the frame was chosen for.
	At mediatime.Time
}

// SessionOptions tune OpenSession.
type SessionOptions struct {
	// CacheBytes is each view's decoded-frame cache (0: the Decoder's
	// default divided among the views).
	CacheBytes int64
	// Threads is each view's decoder thread count (0: FFmpeg picks).
	Threads int
}

// ErrNoViews is returned by OpenSession without sources.
var ErrNoViews = errors.New("a session needs at least one view")

// Session plays views together; all methods are safe from any goroutine.
// OnFrame callbacks run on the views' goroutines, several at once (one per
// view); they must not call the Session's methods.
type Session struct {
	views []*viewWorker
	end   mediatime.Time // the primary's duration: the session's length

	mu        sync.Mutex
	playing   bool
	speed     float64
	base      mediatime.Time // session time at wallStart (or while paused)
	wallStart time.Time
	stepper   int
	// jumps counts seeks: a view that sees the clock jump (before the
	// seek's own command reaches it) must not count the frames between as
	// dropped.
	jumps   int64
	onFrame func(ViewFrame)
	onError func(int, error)
}

// viewWorker is one view's goroutine and what it owns.
type viewWorker struct {
	s    *Session
	i    int
	dec  *Decoder
	ix   *Index
	path string

	cmds   chan func()
	follow chan mediatime.Time // Follow's latest target (buffer 1)
	wake   chan struct{}
	quit   chan struct{}
	done   chan struct{}

	// Loop-owned: the offset, the frame on screen and its state.
	offset mediatime.Time
	cur    int64
	state  ViewState
	fresh  bool  // nothing delivered yet
	jumps  int64 // Session.jumps last seen

	// For Shown, Dropped and the benchmark, readable from anywhere: the
	// session time of the frame on screen (its time + offset) and state.
	shownAt    atomic.Int64
	shownState atomic.Int32
	shown      atomic.Int64
	dropped    atomic.Int64
}

// OpenSession opens every view (the first is the primary) positioned at
// session time 0, nothing delivered yet: set OnFrame, then Seek(0) or Play.
func OpenSession(srcs []ViewSource, opt SessionOptions) (*Session, error) {
	if len(srcs) == 0 {
		return nil, ErrNoViews
	}
	cache := opt.CacheBytes
	if cache == 0 {
		cache = DefaultCacheBytes / int64(len(srcs))
	}
	s := &Session{speed: 1}
	for i, src := range srcs {
		dec, err := OpenWith(src.Path, src.Index, DecoderOptions{CacheBytes: cache, Threads: opt.Threads})
		if err != nil {
			for _, w := range s.views { // no goroutine started yet
				w.dec.Close()
			}
			return nil, fmt.Errorf("view %d: %w", i+1, err)
		}
		w := &viewWorker{s: s, i: i, dec: dec, ix: dec.Index(), path: src.Path, cur: -1, fresh: true,
			cmds: make(chan func()), follow: make(chan mediatime.Time, 1), wake: make(chan struct{}, 1), quit: make(chan struct{}), done: make(chan struct{})}
		if i > 0 {
			w.offset = src.Offset
		}
		s.views = append(s.views, w)
	}
	s.end = s.views[0].ix.Duration()
	for _, w := range s.views {
		go w.loop()
	}
	return s, nil
}

// Len is the number of views.
func (s *Session) Len() int { return len(s.views) }

// Info describes view i's video.
func (s *Session) Info(i int) Info { return s.views[i].dec.Info() }

// Index is view i's frame index.
func (s *Session) Index(i int) *Index { return s.views[i].ix }

// End is the session's length (the primary's duration).
func (s *Session) End() mediatime.Time { return s.end }

// OnFrame sets the frame callback.
func (s *Session) OnFrame(f func(ViewFrame)) {
	s.mu.Lock()
	s.onFrame = f
	s.mu.Unlock()
}

// OnError sets the callback for decoding errors of a view.
func (s *Session) OnError(f func(view int, err error)) {
	s.mu.Lock()
	s.onError = f
	s.mu.Unlock()
}

// now is the clock: the session time on screen.
func (s *Session) now() mediatime.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nowLocked()
}

func (s *Session) nowLocked() mediatime.Time {
	if !s.playing {
		return s.base
	}
	t := s.base + mediatime.Time(float64(time.Since(s.wallStart).Microseconds())*s.speed)
	return min(t, s.end)
}

// Time is the session time on screen.
func (s *Session) Time() mediatime.Time { return s.now() }

// Playing reports whether the session plays.
func (s *Session) Playing() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.playing
}

// Speed is the playback rate.
func (s *Session) Speed() float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.speed
}

// Shown is what view i shows: its frame index (-1 for none), the state,
// and the session time of that frame (its time plus the view's offset).
func (s *Session) Shown(i int) (int64, ViewState, mediatime.Time) {
	w := s.views[i]
	var n int64
	var st ViewState
	w.do(func() { n, st = w.cur, w.state })
	return n, st, mediatime.Time(w.shownAt.Load())
}

// ShownAt is Shown's session time and state without waiting for the
// view's goroutine (for sampling during playback).
func (s *Session) ShownAt(i int) (mediatime.Time, ViewState) {
	w := s.views[i]
	return mediatime.Time(w.shownAt.Load()), ViewState(w.shownState.Load())
}

// Dropped counts the frames view i skipped during playback to stay on the
// clock; Delivered counts those it showed.
func (s *Session) Dropped(i int) int64 { return s.views[i].dropped.Load() }

// Delivered counts the frames view i handed to OnFrame.
func (s *Session) Delivered(i int) int64 { return s.views[i].shown.Load() }

// Offset is view i's offset (0 for the primary).
func (s *Session) Offset(i int) mediatime.Time {
	w := s.views[i]
	var off mediatime.Time
	w.do(func() { off = w.offset })
	return off
}

// SetOffset changes view i's offset (a nudge) and shows its frame for the
// current session time under the new offset at once.
func (s *Session) SetOffset(i int, off mediatime.Time) error {
	if i <= 0 || i >= len(s.views) {
		return fmt.Errorf("set offset of view %d: the session has views 1..%d besides the primary", i, len(s.views)-1)
	}
	w := s.views[i]
	var err error
	w.do(func() {
		w.offset = off
		err = w.show(s.now(), false)
	})
	return err
}

// SetStepper makes view i the one Step moves by its own frames.
func (s *Session) SetStepper(i int) error {
	if i < 0 || i >= len(s.views) {
		return fmt.Errorf("step view %d: no such view (0..%d)", i, len(s.views)-1)
	}
	s.mu.Lock()
	s.stepper = i
	s.mu.Unlock()
	return nil
}

// Stepper is the view Step moves.
func (s *Session) Stepper() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stepper
}

// SetViewSize sets the size view i's frames come at (display orientation,
// aspect kept by the caller); 0, 0 is the native size.
func (s *Session) SetViewSize(i, w, h int) {
	v := s.views[i]
	v.do(func() { v.dec.SetSize(w, h) })
}

// Seek shows every view's frame for session time t (clamped to the
// session) and returns once all were delivered; playback, if on, goes on
// from there.
func (s *Session) Seek(t mediatime.Time) error {
	s.mu.Lock()
	t = max(0, min(t, s.lastTime()))
	s.base, s.wallStart = t, time.Now()
	s.jumps++
	s.mu.Unlock()
	return s.showAll(t)
}

// lastTime is the last frame's time of the primary: the latest session
// time a seek lands on.
func (s *Session) lastTime() mediatime.Time {
	ix := s.views[0].ix
	if ix.Len() == 0 {
		return 0
	}
	return ix.PTS[ix.Len()-1]
}

// showAll makes every view show its rule frame at t, in parallel, and
// waits for all.
func (s *Session) showAll(t mediatime.Time) error {
	errs := make([]error, len(s.views))
	var wg sync.WaitGroup
	for i, w := range s.views {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.do(func() { errs[i] = w.show(t, false) })
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Follow makes views from..Len()-1 show their rule frames for session
// time t, without waiting and without touching the session's clock: for a
// window whose own player plays the primary view (with its sound) and
// whose other views follow each frame it shows. Each view takes the latest
// time it was given, so one that decodes slower than the primary skips
// times rather than falling further behind.
func (s *Session) Follow(t mediatime.Time, from int) {
	for _, w := range s.views[max(from, 0):] {
		for {
			select {
			case w.follow <- t:
			default:
				select { // replace the waiting time by the newer one
				case <-w.follow:
				default:
				}
				continue
			}
			break
		}
	}
}

// Step pauses and moves the stepping view delta of its frames; every
// other view shows its frame at the new session time. From "not yet
// recording" a step forward goes to the view's first frame, from "no
// longer recording" a step back to its last.
func (s *Session) Step(delta int) error {
	s.Pause()
	s.mu.Lock()
	k := s.stepper
	t := s.base
	s.mu.Unlock()
	w := s.views[k]
	var off mediatime.Time
	n, st := int64(-1), ViewNotYet
	w.do(func() { off = w.offset; n, st = RuleFrame(w.ix, w.offset, t) })
	last := w.ix.Len() - 1
	var m int64
	switch st {
	case ViewShowing:
		m = n + int64(delta)
	case ViewNotYet:
		if delta <= 0 {
			return nil
		}
		m = int64(delta) - 1
	case ViewEnded:
		if delta >= 0 {
			return nil
		}
		m = last + int64(delta) + 1
	}
	m = max(0, min(m, last))
	if last < 0 {
		return nil
	}
	return s.Seek(w.ix.PTS[m] + off)
}

// Play starts playback from the session time on screen (from 0 at the
// end).
func (s *Session) Play() {
	s.mu.Lock()
	if s.playing {
		s.mu.Unlock()
		return
	}
	if s.base >= s.lastTime() {
		s.base = 0
	}
	s.playing, s.wallStart = true, time.Now()
	s.mu.Unlock()
	s.wakeAll()
}

// Pause stops the clock; every view then shows its rule frame for the
// time it stopped at (a view that was behind catches up).
func (s *Session) Pause() {
	s.mu.Lock()
	if !s.playing {
		s.mu.Unlock()
		return
	}
	s.base = s.nowLocked()
	s.playing = false
	t := s.base
	s.mu.Unlock()
	s.showAll(t)
}

// SetSpeed sets the playback rate (clamped to MinSpeed..MaxSpeed); the
// clock goes on from the time on screen.
func (s *Session) SetSpeed(f float64) {
	f = max(MinSpeed, min(f, MaxSpeed))
	s.mu.Lock()
	s.base, s.wallStart = s.nowLocked(), time.Now()
	s.speed = f
	s.mu.Unlock()
	s.wakeAll()
}

func (s *Session) wakeAll() {
	for _, w := range s.views {
		select {
		case w.wake <- struct{}{}:
		default:
		}
	}
}

// Close stops every view and releases its decoder.
func (s *Session) Close() error {
	s.mu.Lock()
	s.playing = false
	s.mu.Unlock()
	return s.closeWorkers()
}

func (s *Session) closeWorkers() error {
	var errs []error
	for _, w := range s.views {
		select {
		case <-w.quit:
			continue // closed already
		default:
		}
		close(w.quit)
		<-w.done
		errs = append(errs, w.dec.Close())
	}
	return errors.Join(errs...)
}

// do runs f on the view's goroutine and waits for it.
func (w *viewWorker) do(f func()) {
	ran := make(chan struct{})
	select {
	case w.cmds <- func() { f(); close(ran) }:
		<-ran
	case <-w.done:
	}
}

func (w *viewWorker) loop() {
	defer close(w.done)
	for {
		var timer *time.Timer
		var due <-chan time.Time
		w.s.mu.Lock()
		playing, t, jumps := w.s.playing, w.s.nowLocked(), w.s.jumps
		w.s.mu.Unlock()
		if playing {
			if err := w.show(t, jumps == w.jumps); err != nil {
				w.report(err)
			}
			if t >= w.s.end {
				w.s.reachedEnd()
			} else if d, ok := w.untilNext(t); ok {
				timer = time.NewTimer(d)
				due = timer.C
			}
		}
		select {
		case f := <-w.cmds:
			f()
		case t := <-w.follow:
			if err := w.show(t, false); err != nil {
				w.report(err)
			}
		case <-w.wake:
		case <-due:
		case <-w.quit:
			if timer != nil {
				timer.Stop()
			}
			return
		}
		if timer != nil {
			timer.Stop()
		}
	}
}

// reachedEnd pauses a session whose clock reached its end.
func (s *Session) reachedEnd() {
	s.mu.Lock()
	if s.playing && s.nowLocked() >= s.end {
		s.base, s.playing = s.end, false
	}
	s.mu.Unlock()
}

// untilNext is the wall time until this view's picture next changes (or
// the session ends) at the current speed.
func (w *viewWorker) untilNext(t mediatime.Time) (time.Duration, bool) {
	var next mediatime.Time
	switch w.state {
	case ViewNotYet:
		if w.ix.Len() == 0 {
			return 0, false
		}
		next = w.ix.PTS[0] + w.offset
	case ViewShowing:
		if w.cur+1 < w.ix.Len() {
			next = w.ix.PTS[w.cur+1] + w.offset
		} else {
			next = w.ix.Duration() + w.offset
		}
	case ViewEnded:
		next = w.s.end
	}
	next = min(next, w.s.end)
	speed := w.s.Speed()
	d := time.Duration(float64((next - t).Duration()) / speed)
	return max(d, 0), true
}

// show delivers the rule frame at t unless it is on screen already.
// During playback a jump of more than one frame counts the frames skipped.
func (w *viewWorker) show(t mediatime.Time, playing bool) error {
	w.s.mu.Lock()
	w.jumps = w.s.jumps
	w.s.mu.Unlock()
	n, st := RuleFrame(w.ix, w.offset, t)
	if !w.fresh && st == w.state && n == w.cur {
		return nil
	}
	if playing && st == ViewShowing && w.state == ViewShowing && n > w.cur+1 {
		w.dropped.Add(n - w.cur - 1)
	}
	vf := ViewFrame{View: w.i, State: st, At: t, Frame: Frame{Index: -1}}
	if st == ViewShowing {
		f, err := w.dec.Frame(n)
		if err != nil {
			if playing { // go on with the next frame rather than retry this one
				w.cur, w.state, w.fresh = n, st, false
			}
			return fmt.Errorf("view %d (%s) at session time %s: %w", w.i+1, w.path, t.Seconds(), err)
		}
		vf.Frame = f
		w.shownAt.Store(int64(w.ix.PTS[n] + w.offset))
	}
	w.cur, w.state, w.fresh = n, st, false
	w.shownState.Store(int32(st))
	w.s.mu.Lock()
	cb := w.s.onFrame
	w.s.mu.Unlock()
	if cb != nil {
		cb(vf)
	}
	w.shown.Add(1)
	return nil
}

func (w *viewWorker) report(err error) {
	w.s.mu.Lock()
	cb := w.s.onError
	w.s.mu.Unlock()
	if cb != nil {
		cb(w.i, err)
	}
}
