package media

import (
	"errors"
	"fmt"
	"image"
	"sync"
	"sync/atomic"
	"time"

	"dyadcode/media/audio"
	"dyadcode/mediatime"
)

// Playback speeds the player accepts (SetSpeed clamps to this range).
const (
	MinSpeed = 0.1
	MaxSpeed = 4.0
)

// Speeds are the steps a speed menu offers.
var Speeds = []float64{0.1, 0.25, 0.5, 1, 1.5, 2, 4}

// PlayerOptions configure OpenPlayer.
type PlayerOptions struct {
	// Index is the cached frame index (from the store); nil builds it.
	Index *Index
	// Audio plays the soundtrack through the sound device. false never
	// touches the device: the player runs on the wall clock (tests,
	// headless commands).
	Audio bool
	// CacheBytes and Threads are passed to the Decoder.
	CacheBytes int64
	Threads    int
}

// Player plays a video against a clock on its own goroutine: the audio
// clock while sound plays (media/audio moves to the wall clock when muted,
// outside 0.5–2×, or without a sound card), else the wall clock. A frame
// whose display interval has passed by the time it is decoded is dropped and
// counted (Dropped), never shown late.
//
// Callbacks (OnFrame, OnError) run on the player's goroutine; a GUI hands
// them to its own goroutine (fyne.Do). A callback must not call the
// Player's methods itself (they wait for that same goroutine): hand such
// work to another goroutine. OnFrame is called synchronously, so a
// slow receiver never builds a queue: the next frame due when it returns is
// the one shown (the newest wins).
//
// Image ownership: each Frame.Image passed to OnFrame belongs to the
// receiver from then on; the player never writes to it again. Give it back
// with Recycle when it is no longer shown (e.g. when the next frame replaces
// it on screen) and the player reuses it instead of allocating a new one.
//
// All methods are safe from any goroutine. Seek, SeekFrame and Step work
// while playing or paused and return once the new frame was delivered.
type Player struct {
	path  string
	info  Info
	ix    *Index
	dec   *Decoder
	clock audio.Transport
	// audioErr is why a file with audio plays silent on the wall clock.
	audioErr error

	cmds   chan func()
	quit   chan struct{}
	exited chan struct{}
	closed atomic.Bool

	mu         sync.Mutex
	playing    bool
	speed      float64
	pos        int64
	posT       mediatime.Time
	onFrame    func(Frame)
	onError    func(error)
	viewW      int
	viewH      int
	free       []*image.RGBA
	usingAudio bool

	// ready is the next frame, decoded and converted ahead while waiting
	// for its time, so at its time it is only handed over. Loop-owned.
	ready *prepared

	dropped atomic.Int64
	shown   atomic.Int64

	// Lag watch (loop-owned): playback that drops frames steadily because
	// this machine decodes the video slower than its clock (4K HEVC on a
	// laptop) is reported once through onLag. A window starts at
	// lagStart with the counters at lagShown, lagDropped.
	onLag                func(Lag)
	lagStart             time.Time
	lagShown, lagDropped int64
	lagReported          bool
}

// Lag reports playback that cannot keep up on this machine: over Window of
// playing, Dropped of Dropped+Shown frames were skipped, i.e. the picture
// moves at about Speed of the video's rate while the clock (and the sound)
// keep time. The window can say so and offer a proxy.
type Lag struct {
	Path       string
	Window     time.Duration
	Shown      int64
	Dropped    int64
	Speed      float64 // shown / (shown + dropped)
	SpeedAsked float64 // the playback rate set (1 = normal)
}

// Lag thresholds: a window of lagWindow of playback in which at least
// lagDropShare of the frames were dropped is sustained lag, not a hiccup.
const (
	lagWindow    = 2 * time.Second
	lagDropShare = 0.25
)

type prepared struct {
	idx int64
	img *image.RGBA
}

// OpenPlayer opens path for playback, positioned on frame 0 (not yet
// delivered: call SeekFrame(0) or Play after setting OnFrame).
func OpenPlayer(path string, opt PlayerOptions) (*Player, error) {
	dec, err := OpenWith(path, opt.Index, DecoderOptions{CacheBytes: opt.CacheBytes, Threads: opt.Threads})
	if err != nil {
		return nil, err
	}
	info := dec.Info()
	var clock audio.Transport
	var audioErr error
	if info.HasAudio {
		out, err := audio.Open(path, audio.Options{StartTime: info.StartTime, Device: opt.Audio})
		if err == nil {
			clock = out
		} else {
			// A file whose audio cannot be read still plays its picture on
			// the wall clock; the picture is what coders code.
			audioErr = err
		}
	}
	if clock == nil {
		clock = audio.NewWallClock()
	}
	p := &Player{path: path, info: info, ix: dec.Index(), dec: dec, clock: clock, audioErr: audioErr, speed: 1, pos: -1,
		cmds: make(chan func()), quit: make(chan struct{}), exited: make(chan struct{})}
	go p.loop()
	return p, nil
}

// Info describes the video.
func (p *Player) Info() Info { return p.info }

// Damage is nil for an intact file; for one cut short or damaged it is a
// *DamageError (matching ErrTruncated) saying where the playable part ends.
// Such a file plays up to there; OnError gets the same error when playback
// reaches it.
func (p *Player) Damage() error {
	if !p.ix.Damaged {
		return nil
	}
	return &DamageError{Path: p.path, At: p.ix.DamageAt, Reason: "the rest of the file cannot be read"}
}

// Index is the frame index in use (for the store cache).
func (p *Player) Index() *Index { return p.ix }

// OnFrame sets the frame callback (see the ownership rule on Player).
func (p *Player) OnFrame(f func(Frame)) {
	p.mu.Lock()
	p.onFrame = f
	p.mu.Unlock()
}

// OnLag sets the callback for sustained lag (see Lag). It is called at most
// once per Player, on the player's goroutine, while playing goes on with
// frames dropped.
func (p *Player) OnLag(f func(Lag)) {
	p.mu.Lock()
	p.onLag = f
	p.mu.Unlock()
}

// watchLag checks the current window of playback for sustained lag.
func (p *Player) watchLag() {
	if p.lagReported {
		return
	}
	now := time.Now()
	shown, dropped := p.shown.Load(), p.dropped.Load()
	if p.lagStart.IsZero() {
		p.lagStart, p.lagShown, p.lagDropped = now, shown, dropped
		return
	}
	el := now.Sub(p.lagStart)
	if el < lagWindow {
		return
	}
	s, d := shown-p.lagShown, dropped-p.lagDropped
	p.lagStart, p.lagShown, p.lagDropped = now, shown, dropped
	if s+d == 0 || float64(d) < lagDropShare*float64(s+d) {
		return
	}
	p.lagReported = true // from now on advance shows keyframes when behind
	p.mu.Lock()
	cb, speed := p.onLag, p.speed
	p.mu.Unlock()
	if cb == nil {
		return
	}
	cb(Lag{Path: p.path, Window: el, Shown: s, Dropped: d, Speed: float64(s) / float64(s+d), SpeedAsked: speed})
}

// OnError sets the callback for errors met while playing (a damaged file:
// playback pauses at the last good frame).
func (p *Player) OnError(f func(error)) {
	p.mu.Lock()
	p.onError = f
	p.mu.Unlock()
}

// Recycle gives back an image received through OnFrame.
func (p *Player) Recycle(img *image.RGBA) {
	if img == nil || img.Pix == nil {
		return
	}
	p.mu.Lock()
	if len(p.free) < 4 {
		p.free = append(p.free, img)
	}
	p.mu.Unlock()
}

// Playing reports whether the player is playing.
func (p *Player) Playing() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.playing
}

// Speed is the playback rate.
func (p *Player) Speed() float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.speed
}

// Position is the frame on screen and its media time.
func (p *Player) Position() (int64, mediatime.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return max(p.pos, 0), p.posT
}

// Dropped counts frames skipped because they were late.
func (p *Player) Dropped() int64 { return p.dropped.Load() }

// Shown counts frames delivered to OnFrame.
func (p *Player) Shown() int64 { return p.shown.Load() }

// AudioError is why a file that has audio plays silently (its audio could
// not be opened), nil otherwise. Whether the sound device works is
// media/audio's DeviceStatus.
func (p *Player) AudioError() error { return p.audioErr }

// UsingAudioClock reports whether playback follows the audio being heard.
func (p *Player) UsingAudioClock() bool { return p.clock.UsingAudioClock() }

var errClosed = errors.New("player is closed")

// do runs f on the player's goroutine and waits for it.
func (p *Player) do(f func() error) error {
	if p.closed.Load() {
		return fmt.Errorf("%s: %w", p.path, errClosed)
	}
	res := make(chan error, 1)
	select {
	case p.cmds <- func() { res <- f() }:
	case <-p.exited:
		return fmt.Errorf("%s: %w", p.path, errClosed)
	}
	select {
	case err := <-res:
		return err
	case <-p.exited:
		return fmt.Errorf("%s: %w", p.path, errClosed)
	}
}

// Play starts playback from the frame on screen (from frame 0 when at the
// last frame).
func (p *Player) Play() {
	_ = p.do(func() error {
		if p.playing {
			return nil
		}
		if p.pos >= p.ix.Len()-1 {
			if err := p.show(0, true, p.ix.PTS[0]); err != nil {
				p.fail(err)
				return nil
			}
		}
		p.dec.stopRefill() // playing forward: the frames behind are moot
		p.setPlaying(true)
		p.clock.Play()
		return nil
	})
}

// Pause stops playback on the frame on screen.
func (p *Player) Pause() {
	_ = p.do(func() error {
		p.pause()
		return nil
	})
}

func (p *Player) pause() {
	if !p.playing {
		return
	}
	p.lagStart = time.Time{} // a new window when playing resumes
	p.clock.Pause()
	p.setPlaying(false)
	p.dropReady()
	// The clock ran on within the frame's interval; park it on the frame so
	// a tag made now and a resumed playback agree with the picture.
	_ = p.clock.Seek(p.posT)
}

func (p *Player) setPlaying(v bool) {
	p.mu.Lock()
	p.playing = v
	p.mu.Unlock()
}

// SetSpeed sets the playback rate, clamped to MinSpeed..MaxSpeed.
func (p *Player) SetSpeed(f float64) {
	if f != f || f < MinSpeed {
		f = MinSpeed
	}
	f = min(f, MaxSpeed)
	_ = p.do(func() error {
		p.mu.Lock()
		p.speed = f
		p.mu.Unlock()
		p.clock.SetSpeed(f)
		return nil
	})
}

// Seek shows the frame on screen at media time t (clamped to the video).
func (p *Player) Seek(t mediatime.Time) error {
	return p.do(func() error {
		t := min(max(t, 0), p.ix.PTS[p.ix.Len()-1])
		return p.show(p.ix.FrameAt(t), true, t)
	})
}

// SeekFrame shows frame n.
func (p *Player) SeekFrame(n int64) error {
	return p.do(func() error {
		if n < 0 || n >= p.ix.Len() {
			return fmt.Errorf("%s: frame %d of %d: %w", p.path, n, p.ix.Len(), ErrEOF)
		}
		return p.show(n, true, p.ix.PTS[n])
	})
}

// Step moves by delta frames (pausing playback first, as coders expect).
func (p *Player) Step(delta int) error {
	return p.do(func() error {
		p.pause()
		n := max(p.pos, 0) + int64(delta)
		if n < 0 || n >= p.ix.Len() {
			return fmt.Errorf("%s: step to frame %d of %d: %w", p.path, n, p.ix.Len(), ErrEOF)
		}
		if delta == -1 {
			// One exact seek at most, the rest of the GOP cached by the
			// loop while idle (see Decoder.Refill).
			p.dropReady()
			if err := p.dec.fetchBack(n, false); err != nil {
				return err
			}
			p.setPos(n)
			_ = p.clock.Seek(p.ix.PTS[n])
			return p.deliver()
		}
		return p.show(n, delta != 1, p.ix.PTS[n])
	})
}

// SetViewSize sets the area frames are shown in: frames come at the largest
// size that fits it with the video's aspect ratio, never larger than the
// video itself (the GPU scales up for free). 0, 0 means the video's size.
func (p *Player) SetViewSize(w, h int) {
	_ = p.do(func() error {
		p.mu.Lock()
		p.viewW, p.viewH = w, h
		p.mu.Unlock()
		p.dropReady() // converted at the old size
		if !p.playing && p.pos >= 0 {
			p.deliver() // re-render the paused frame at the new size
		}
		return nil
	})
}

// Close stops the player and releases the decoder and audio. It never
// hangs: if the goroutine is inside a long decode it frees everything when
// that ends.
func (p *Player) Close() error {
	if p.closed.Swap(true) {
		return nil
	}
	close(p.quit)
	select {
	case <-p.exited:
	case <-time.After(5 * time.Second):
		return fmt.Errorf("%s: player still busy; it will close when its decode ends", p.path)
	}
	return nil
}

// outSize is the delivered image size for the current view.
func (p *Player) outSize() (int, int) {
	dw, dh := p.info.DisplaySize()
	p.mu.Lock()
	vw, vh := p.viewW, p.viewH
	p.mu.Unlock()
	return fitSize(dw, dh, vw, vh)
}

// fitSize fits a dw x dh picture into vw x vh keeping its aspect ratio,
// never enlarging it.
func fitSize(dw, dh, vw, vh int) (int, int) {
	if vw <= 0 || vh <= 0 || (vw >= dw && vh >= dh) {
		return dw, dh
	}
	w, h := vw, dh*vw/dw
	if h > vh {
		w, h = dw*vh/dh, vh
	}
	return max(w, 2), max(h, 2)
}

// show decodes frame n, delivers it and moves the clock to t.
func (p *Player) show(n int64, random bool, t mediatime.Time) error {
	p.dropReady()
	if err := p.dec.fetch(n, random); err != nil {
		return err
	}
	p.setPos(n)
	_ = p.clock.Seek(t)
	return p.deliver()
}

func (p *Player) setPos(n int64) {
	p.mu.Lock()
	p.pos, p.posT = n, p.ix.PTS[n]
	p.mu.Unlock()
}

// deliver renders the frame on screen into a free buffer and calls OnFrame.
func (p *Player) deliver() error {
	// The decoder may stand on a frame prepared ahead; come back to the
	// one on screen (a cache hit).
	if p.pos >= 0 && p.dec.curIdx != p.pos {
		if err := p.dec.fetch(p.pos, false); err != nil {
			return err
		}
	}
	img, err := p.render()
	if err != nil || img == nil {
		return err
	}
	p.handOver(p.dec.curIdx, img)
	return nil
}

// render converts the decoder's current frame into a free buffer of the
// view's size (nil without an OnFrame callback: nobody would see it).
func (p *Player) render() (*image.RGBA, error) {
	w, h := p.outSize()
	p.mu.Lock()
	cb := p.onFrame
	var img *image.RGBA
	for len(p.free) > 0 && img == nil {
		img = p.free[len(p.free)-1]
		p.free = p.free[:len(p.free)-1]
		if img.Rect.Dx() != w || img.Rect.Dy() != h {
			img = nil
		}
	}
	p.mu.Unlock()
	if cb == nil {
		return nil, nil
	}
	if img == nil {
		img = image.NewRGBA(image.Rect(0, 0, w, h))
	}
	if err := p.dec.renderTo(img); err != nil {
		return nil, err
	}
	return img, nil
}

func (p *Player) handOver(idx int64, img *image.RGBA) {
	p.mu.Lock()
	cb := p.onFrame
	p.mu.Unlock()
	if cb == nil {
		return
	}
	p.shown.Add(1)
	cb(Frame{Index: idx, Time: p.ix.PTS[idx], Image: img})
}

// prepare decodes and converts frame n ahead of its time.
func (p *Player) prepare(n int64) error {
	if err := p.dec.fetch(n, false); err != nil {
		return err
	}
	img, err := p.render()
	if err != nil {
		return err
	}
	if img == nil { // no receiver: nothing to convert
		img = &image.RGBA{}
	}
	p.ready = &prepared{idx: n, img: img}
	return nil
}

func (p *Player) dropReady() {
	if p.ready != nil {
		if p.ready.img.Pix != nil {
			p.Recycle(p.ready.img)
		}
		p.ready = nil
	}
}

func (p *Player) fail(err error) {
	p.pause()
	p.mu.Lock()
	cb := p.onError
	p.mu.Unlock()
	if cb != nil {
		cb(err)
	}
}

func (p *Player) loop() {
	defer close(p.exited)
	defer func() {
		p.clock.Close()
		p.dec.Close()
	}()
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		var wake <-chan time.Time
		if p.playing {
			wait, err := p.advance()
			if err != nil {
				p.fail(err)
			} else if wait >= 0 && p.playing {
				timer.Reset(wait)
				wake = timer.C
			}
		}
		if !p.playing && p.dec.Refilling() {
			// Idle after a back-step: cache the frames behind it a few at a
			// time, taking any command first.
			select {
			case <-p.quit:
				return
			case f := <-p.cmds:
				f()
			default:
				if _, err := p.dec.Refill(refillChunk); err != nil {
					p.dec.stopRefill() // a step there will report it
				}
			}
			continue
		}
		select {
		case <-p.quit:
			return
		case f := <-p.cmds:
			f()
		case <-wake:
		}
		if wake != nil && !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
	}
}

// refillChunk is how many frames the idle loop decodes between looks at
// its commands: a few tens of milliseconds of 1080p decoding.
const refillChunk = 4

// lateBurst bounds how many late frames one advance decodes before the loop
// looks at its commands again.
const lateBurst = 2

// catchUpFrames: when playback is this many frames behind the clock and a
// keyframe lies between, jump there instead of decoding every late frame.
const catchUpFrames = 60

// advance shows the frame due now, dropping late ones, and returns how long
// to wait for the next one (0: look again at once). While waiting it
// prepares the next frame, so at its time the frame is only handed over.
func (p *Player) advance() (time.Duration, error) {
	p.watchLag()
	last := p.ix.Len() - 1
	now := p.clock.Now()
	n := p.pos + 1
	if n > last {
		// Hold the last frame to the end of its interval, then stop.
		if end := p.ix.Duration(); now < end {
			return p.wallWait(end - now), nil
		}
		p.pause()
		if err := p.Damage(); err != nil {
			// Playback reached the damage: say so, as the end of a good
			// file is not.
			p.fail(err)
		}
		return -1, nil
	}
	if due := p.ix.PTS[n]; now < due {
		if p.ready == nil {
			if err := p.prepare(n); err != nil {
				return 0, err
			}
			return 0, nil // preparing took time: look at the clock again
		}
		return p.wallWait(due - now), nil
	}
	target := max(p.ix.FrameAt(now), n)
	deadline := mediatime.Time(-1)
	if target < last {
		deadline = p.ix.PTS[target+1]
	}
	if r := p.ready; r != nil && r.idx == target {
		p.ready = nil
		p.setPos(target)
		if deadline >= 0 && p.clock.Now() >= deadline {
			p.dropped.Add(1)
			p.Recycle(r.img)
			return 0, nil
		}
		if r.img.Pix != nil {
			p.handOver(target, r.img)
		}
		return 0, nil // at once: prepare the next frame, then wait for it
	}
	p.dropReady() // the prepared frame's time has passed
	if k := p.ix.keyBefore(target); p.lagReported && k > n && target-n > lateBurst {
		// This machine decodes slower than the clock: rather than decode
		// frames that would all be late, go to the newest keyframe (one
		// frame's decoding) and show it, late as it may be: the picture
		// moves on in keyframe steps while the clock and sound keep time.
		if err := p.dec.fetch(k, true); err != nil {
			return 0, err
		}
		p.dropped.Add(k - n)
		p.setPos(k)
		img, err := p.render()
		if err != nil {
			return 0, err
		}
		if img != nil {
			p.handOver(k, img)
		}
		return 0, nil
	}
	if target-n > catchUpFrames && p.ix.keyBefore(target) > n {
		if err := p.dec.fetch(target, true); err != nil {
			return 0, err
		}
		p.dropped.Add(target - n)
		p.setPos(target)
	} else {
		// Decode the late frames a few at a time, returning to the loop
		// in between: a machine slower than the video must still take
		// commands (pause, seek) at once, never only when it caught up.
		end := min(target, n+lateBurst-1)
		for k := n; k <= end; k++ {
			if err := p.dec.fetch(k, false); err != nil {
				return 0, err
			}
			p.setPos(k)
			if k < target {
				p.dropped.Add(1) // its interval is over: never shown late
			}
		}
		if end < target {
			return 0, nil
		}
	}
	img, err := p.render()
	if err != nil {
		return 0, err
	}
	// Decoding and converting took time: if the frame's interval ended
	// meanwhile, drop it rather than show it late.
	if deadline >= 0 && p.clock.Now() >= deadline {
		p.dropped.Add(1)
		p.Recycle(img)
		return 0, nil
	}
	if img != nil {
		p.handOver(target, img)
	}
	return 0, nil // at once: prepare the next frame, then wait for it
}

// wallWait converts a media-time interval to wall time at the current speed.
func (p *Player) wallWait(d mediatime.Time) time.Duration {
	if d <= 0 {
		return 0
	}
	p.mu.Lock()
	s := p.speed
	p.mu.Unlock()
	return time.Duration(float64(d.Duration()) / s)
}
