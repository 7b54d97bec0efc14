package audio

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ebitengine/oto/v3"

	"dyadcode/mediatime"
)

// Output plays one video's audio and is the player's clock. While playing at
// an audible speed on a working device the clock is the audio itself: Now is
// the media time of the sample being heard. Otherwise (no device, Device
// false, muted speed, device stalled) it is a WallClock scaled by the speed,
// handed over without a jump. All methods are safe from any goroutine and
// none blocks on the device.
type Output struct {
	path string
	opt  Options

	mu      sync.Mutex
	wall    *WallClock // authoritative whenever seg is nil
	seg     *segment   // audio being played; nil when silent
	playing bool
	speed   float64
	volume  float64
	closed  bool
	err     error // last failure to start audio (seek of a damaged file)

	decMu sync.Mutex // guards dec; oto's goroutine reads through it
	dec   *Decoder   // nil with Device false
}

// Open opens path's audio for playback. ErrNoAudio if the file has none;
// other errors name the file. With opt.Device false oto is never touched.
func Open(path string, opt Options) (*Output, error) {
	dec, err := OpenDecoder(path, opt)
	if err != nil {
		return nil, err
	}
	o := &Output{path: path, opt: opt, wall: NewWallClock(), speed: 1, volume: 1}
	if opt.Device {
		o.dec = dec
		// Start opening the device now so it is ready by the first Play;
		// the result is looked at, never waited for.
		_, _ = deviceContext()
	} else {
		dec.Close()
	}
	return o, nil
}

// Path is the file played.
func (o *Output) Path() string { return o.path }

// segment is one continuous run of audio handed to an oto player, from a
// start time at one speed. Seek, pause and speed changes end it and start a
// new one, which drops the device buffer at once and keeps the arithmetic of
// the clock exact: a segment's media time is start + frames heard × speed.
type segment struct {
	o      *Output
	player *oto.Player
	start  mediatime.Time
	speed  float64
	handed atomic.Int64 // stereo frames handed to oto
	dead   atomic.Bool
	buf    []float32

	clock audioClock
}

// Read is called by oto's goroutine. After the audio ends it hands out
// silence, so the clock keeps running for a video longer than its sound.
func (s *segment) Read(p []byte) (int, error) {
	frames := len(p) / (4 * OutputChannels)
	if frames == 0 {
		return 0, nil
	}
	s.o.decMu.Lock()
	defer s.o.decMu.Unlock()
	if s.dead.Load() || s.o.dec == nil {
		return 0, io.EOF
	}
	need := frames * OutputChannels
	if cap(s.buf) < need {
		s.buf = make([]float32, need)
	}
	buf := s.buf[:need]
	n, _ := s.o.dec.Read(buf) // damage is kept in dec.Err; we play silence
	clear(buf[n:])
	for i, v := range buf {
		binary.LittleEndian.PutUint32(p[4*i:], math.Float32bits(v))
	}
	s.handed.Add(int64(frames))
	return frames * 4 * OutputChannels, nil
}

// latencyFrames: what the device buffer holds between oto and the speaker.
var latencyFrames = int64(deviceBuffer.Seconds() * OutputRate)

// pos is the media time of the sample being heard: handed to oto minus what
// oto and the device still hold.
func (s *segment) pos() mediatime.Time {
	played := s.handed.Load() - int64(s.player.BufferedSize()/(4*OutputChannels)) - latencyFrames
	if played < 0 {
		played = 0
	}
	return s.start + mediatime.Time(math.Round(float64(played)*s.speed*1e6/OutputRate))
}

// startSegmentLocked starts audio at the wall clock's position if it can be
// heard now; otherwise the wall clock stays in charge.
func (o *Output) startSegmentLocked() {
	if o.seg != nil || !o.playing || o.closed || o.dec == nil || !Audible(o.speed) {
		return
	}
	ctx, err := deviceContext()
	if err != nil {
		return
	}
	t := o.wall.Now()
	o.decMu.Lock()
	o.dec.speed = o.speed
	err = o.dec.Seek(t)
	o.decMu.Unlock()
	if err != nil {
		o.err = err
		return
	}
	now := time.Now()
	s := &segment{o: o, start: t, speed: o.speed, clock: newAudioClock(t, o.speed, now)}
	s.player = ctx.NewPlayer(s)
	s.player.SetBufferSize(playerChunk)
	s.player.SetVolume(o.volume)
	o.seg = s
	s.player.Play()
}

// stopSegmentLocked stops the audio and hands its position to the wall clock.
func (o *Output) stopSegmentLocked() {
	if o.seg != nil {
		t := o.audioNowLocked() // may already fall back to the wall clock
		o.dropSegmentLocked(t)
	}
}

// dropSegmentLocked stops the audio and puts the wall clock at t.
func (o *Output) dropSegmentLocked(t mediatime.Time) {
	s := o.seg
	if s == nil {
		return
	}
	s.dead.Store(true)
	s.player.Pause()
	_ = s.player.Close() // leaves oto's mixer at once instead of at GC
	o.seg = nil
	_ = o.wall.Seek(t)
}

// Now is the current media time.
func (o *Output) Now() mediatime.Time {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.seg == nil && o.playing && o.err == nil {
		// The device may have become ready since Play. (After a failure,
		// only an explicit Seek, Play or SetSpeed retries.)
		o.startSegmentLocked()
	}
	if o.seg == nil {
		return o.wall.Now()
	}
	return o.audioNowLocked()
}

// audioNowLocked is the audio clock, checked for a device that is not
// really playing; such a device is given up for the wall clock.
func (o *Output) audioNowLocked() mediatime.Time {
	s := o.seg
	t, v := s.clock.at(s.pos(), time.Now())
	switch v {
	case clockStalled:
		// oto reports no error on a machine without a sound card, its
		// clock just never moves.
		o.audioFailedLocked(errors.New("audio device: playback does not advance (no sound card?)"), t)
		return o.wall.Now()
	case clockTooFast:
		o.audioFailedLocked(errors.New("audio device: consumes samples faster than real time"), t)
		return o.wall.Now()
	case clockProven:
		deviceProven()
	}
	return t
}

// audioFailedLocked leaves the audio clock for the wall clock at t. A device
// that never worked is given up for good; a proven one is retried at the
// next Play, Seek or SetSpeed (not at every Now: o.err holds it off).
func (o *Output) audioFailedLocked(err error, t mediatime.Time) {
	deviceFailed(err)
	o.dropSegmentLocked(t)
	o.err = err
}

// Running reports whether the clock advances (playing).
func (o *Output) Running() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.playing
}

// UsingAudioClock reports whether Now follows the audio being heard.
func (o *Output) UsingAudioClock() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.seg != nil
}

// Play starts playback from the current position.
func (o *Output) Play() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed || o.playing {
		return
	}
	o.err = nil
	o.playing = true
	o.wall.Play()
	o.startSegmentLocked()
}

// Pause stops playback where it stands.
func (o *Output) Pause() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.playing {
		return
	}
	o.stopSegmentLocked()
	o.wall.Pause()
	o.playing = false
}

// Seek moves to media time t (negative means 0); the audio resumes exactly
// at t, samples before it dropped.
func (o *Output) Seek(t mediatime.Time) error {
	if t < 0 {
		t = 0
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return fmt.Errorf("seek %s: %w", o.path, ErrClosed)
	}
	o.stopSegmentLocked()
	_ = o.wall.Seek(t)
	o.err = nil
	o.startSegmentLocked()
	return o.err
}

// SetSpeed sets the playback rate (clamped to MinSpeed..MaxSpeed). Between
// MinAudibleSpeed and MaxAudibleSpeed the audio is time-stretched at its
// pitch; outside it is muted and the clock runs on the wall clock.
func (o *Output) SetSpeed(f float64) {
	f = clampSpeed(f)
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed || f == o.speed {
		return
	}
	o.stopSegmentLocked()
	o.err = nil
	o.wall.SetSpeed(f)
	o.speed = f
	o.startSegmentLocked()
}

// Speed is the playback rate.
func (o *Output) Speed() float64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.speed
}

// SetVolume sets the loudness, 0 (mute) to 1 (as recorded). The clock is
// unaffected: muted audio still paces playback.
func (o *Output) SetVolume(v float64) {
	if v != v || v < 0 {
		v = 0
	}
	v = min(v, 1)
	o.mu.Lock()
	defer o.mu.Unlock()
	o.volume = v
	if o.seg != nil {
		o.seg.player.SetVolume(v)
	}
}

// Volume is the loudness set by SetVolume.
func (o *Output) Volume() float64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.volume
}

// Err reports why audio is not heard although a device was asked for: the
// device's failure, or damage in the file's audio (decoding continues with
// silence after it). nil when all is well.
func (o *Output) Err() error {
	o.mu.Lock()
	err := o.err
	o.mu.Unlock()
	if err != nil {
		return err
	}
	o.decMu.Lock()
	if o.dec != nil {
		err = o.dec.Err()
	}
	o.decMu.Unlock()
	if err != nil {
		return err
	}
	if o.opt.Device {
		if err := DeviceStatus(); err != nil {
			return err
		}
	}
	return nil
}

// Close stops the sound and frees the decoder. It never waits on the device.
func (o *Output) Close() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return nil
	}
	o.stopSegmentLocked()
	o.wall.Pause()
	o.playing = false
	o.closed = true
	o.decMu.Lock()
	defer o.decMu.Unlock()
	if o.dec != nil {
		o.dec.Close()
		o.dec = nil
	}
	return nil
}
