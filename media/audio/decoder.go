package audio

import (
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/asticode/go-astiav"

	"dyadcode/media/internal/av"
	"dyadcode/mediatime"
)

// input is an opened file's demuxer and audio decoder.
type input struct {
	path  string
	fc    *astiav.FormatContext
	st    *astiav.Stream
	codec *astiav.Codec
	cc    *astiav.CodecContext
}

// openInput opens path and the decoder of its audio track (0-based among
// the file's audio streams). Errors name the file; a file without audio, or
// without that track, gives ErrNoAudio.
func openInput(path string, track int) (_ *input, err error) {
	fc, err := av.OpenFormat(path)
	if err != nil {
		return nil, err
	}
	in := &input{path: path, fc: fc}
	defer func() {
		if err != nil {
			in.close()
		}
	}()
	tracks := 0
	for _, s := range in.fc.Streams() {
		if s.CodecParameters().MediaType() != astiav.MediaTypeAudio {
			continue
		}
		if tracks++; tracks-1 != track {
			continue
		}
		cp := s.CodecParameters()
		c := astiav.FindDecoder(cp.CodecID())
		if c == nil || cp.SampleRate() <= 0 {
			return nil, fmt.Errorf("open %s: %w (audio track %d: codec %s cannot be decoded)", path, ErrNoAudio, track, cp.CodecID())
		}
		in.st, in.codec = s, c
	}
	if in.st == nil {
		if tracks > 0 {
			return nil, fmt.Errorf("open %s: %w: no audio track %d (the file has %d)", path, ErrNoAudio, track, tracks)
		}
		return nil, fmt.Errorf("open %s: %w", path, ErrNoAudio)
	}
	// Reading a video's sound should not read its pictures: the demuxer
	// skips the other streams' data (an MP4 demuxer seeks over the video
	// samples: a 1 GB camera file yields its 20 MB of sound).
	for _, s := range in.fc.Streams() {
		if s.Index() != in.st.Index() {
			av.Discard(s)
		}
	}
	if err := in.openCodec(); err != nil {
		return nil, err
	}
	return in, nil
}

// Track describes one audio stream of a file, for a track picker.
type Track struct {
	Index      int    // 0-based among the audio streams: Options.Track
	Codec      string // FFmpeg codec name
	Channels   int
	SampleRate int
	Language   string // from the container's metadata, "" if none
	Title      string
}

// Tracks lists path's audio streams (empty if it has none).
func Tracks(path string) ([]Track, error) {
	fc, err := av.OpenFormat(path)
	if err != nil {
		return nil, err
	}
	defer func() {
		fc.CloseInput()
		fc.Free()
	}()
	var out []Track
	for _, s := range fc.Streams() {
		cp := s.CodecParameters()
		if cp.MediaType() != astiav.MediaTypeAudio {
			continue
		}
		t := Track{Index: len(out), Codec: cp.CodecID().Name(), Channels: cp.ChannelLayout().NbChannels(), SampleRate: cp.SampleRate()}
		if md := s.Metadata(); md != nil {
			if e := md.Get("language", nil, 0); e != nil {
				t.Language = e.Value()
			}
			if e := md.Get("title", nil, 0); e != nil {
				t.Title = e.Value()
			}
		}
		out = append(out, t)
	}
	return out, nil
}

// openCodec (re)creates the decoder. After a seek a fresh decoder is the
// portable reset: astiav v0.16.0 has no avcodec_flush_buffers, and opening an
// audio decoder costs microseconds.
func (in *input) openCodec() error {
	if in.cc != nil {
		in.cc.Free()
		in.cc = nil
	}
	cc := astiav.AllocCodecContext(in.codec)
	if cc == nil {
		return fmt.Errorf("open %s: allocating %s decoder failed", in.path, in.codec.Name())
	}
	if err := in.st.CodecParameters().ToCodecContext(cc); err != nil {
		cc.Free()
		return fmt.Errorf("open %s: %s decoder parameters: %w", in.path, in.codec.Name(), err)
	}
	cc.SetThreadCount(1)
	if err := cc.Open(in.codec, nil); err != nil {
		cc.Free()
		return fmt.Errorf("open %s: opening %s decoder: %w", in.path, in.codec.Name(), err)
	}
	in.cc = cc
	return nil
}

func (in *input) close() {
	if in.cc != nil {
		in.cc.Free()
		in.cc = nil
	}
	if in.fc != nil {
		in.fc.CloseInput()
		in.fc.Free()
		in.fc = nil
	}
}

// seconds converts a pts of the audio stream to seconds.
func (in *input) seconds(pts int64) float64 {
	tb := in.st.TimeBase()
	if tb.Den() == 0 {
		return 0
	}
	return float64(pts) * float64(tb.Num()) / float64(tb.Den())
}

// start is the audio stream's start in seconds (0 if unknown).
func (in *input) start() float64 {
	if s := in.st.StartTime(); s != astiav.NoPtsValue {
		return in.seconds(s)
	}
	return 0
}

// duration estimates the audio length in seconds (0 if unknown).
func (in *input) duration() float64 {
	if d := in.st.Duration(); d > 0 && d != astiav.NoPtsValue {
		return in.seconds(d)
	}
	if d := in.fc.Duration(); d > 0 {
		return float64(d) / 1e6
	}
	return 0
}

// maxDecodeErrors bounds how many consecutive undecodable packets are
// skipped before the file is declared broken, so garbage never loops forever.
const maxDecodeErrors = 200

// frameReader hands out the decoded frames of the audio stream from the
// current read position on. Damaged packets are skipped (as players do) and
// counted; a read error other than end of file (a truncated or damaged
// file) ends the stream after the frames decoded so far. Either is kept in
// err, naming the file and the media time reached, so the caller keeps what
// it got and can still tell the user.
type frameReader struct {
	in       *input
	pkt      *astiav.Packet
	frame    *astiav.Frame
	readEOF  bool
	done     bool
	badRun   int
	skipped  int     // damaged packets skipped
	firstBad float64 // media time of the first
	lastTime float64 // stream seconds of the last frame decoded
	lastEnd  float64 // and of its end
	err      error   // damage found while reading; reported at the end
}

// truncSlack is how much shorter than declared the audio may end before the
// file counts as truncated: containers round durations, encoders pad.
const truncSlack = 0.5 // seconds

// checkComplete, at a clean end of file, compares how far the audio went
// with the duration the container declares: a file cut short (a copy
// interrupted, a camera's card full) reads to a clean EOF in most demuxers,
// and the user must hear about it.
func (r *frameReader) checkComplete() {
	d := r.in.duration()
	got := r.lastEnd - r.in.start()
	if d > 0 && got < d-truncSlack && r.lastEnd > 0 {
		r.err = fmt.Errorf("read %s: audio ends at %.3f s but the file declares %.3f s: %w", r.in.path, got, d, ErrDamaged)
	}
}

func (r *frameReader) noteBad() {
	if r.skipped == 0 {
		r.firstBad = r.lastEnd - r.in.start()
	}
	r.skipped++
}

// damage is what went wrong so far, nil for a clean read.
func (r *frameReader) damage() error {
	if r.err != nil {
		return r.err
	}
	if r.skipped > 0 {
		return fmt.Errorf("decode %s: %d damaged audio packets skipped, the first at %.3f s: %w", r.in.path, r.skipped, r.firstBad, ErrDamaged)
	}
	return nil
}

func newFrameReader(in *input) *frameReader {
	return &frameReader{in: in, pkt: astiav.AllocPacket(), frame: astiav.AllocFrame()}
}

func (r *frameReader) free() {
	r.pkt.Free()
	r.frame.Free()
}

// reset forgets the decoder's state after a seek.
func (r *frameReader) reset() error {
	r.readEOF, r.done, r.badRun, r.err, r.skipped = false, false, 0, nil, 0
	return r.in.openCodec()
}

// next returns the next decoded frame (valid until the next call), or
// io.EOF at the end of the stream.
func (r *frameReader) next() (*astiav.Frame, error) {
	for {
		if r.done {
			return nil, io.EOF
		}
		r.frame.Unref()
		err := r.in.cc.ReceiveFrame(r.frame)
		switch {
		case err == nil:
			r.badRun = 0
			fixLayout(r.frame)
			if pts := frameTime(r.frame); pts != astiav.NoPtsValue {
				r.lastTime = r.in.seconds(pts)
				if sr := r.frame.SampleRate(); sr > 0 {
					r.lastEnd = r.lastTime + float64(r.frame.NbSamples())/float64(sr)
				}
			}
			return r.frame, nil
		case errors.Is(err, astiav.ErrEof):
			r.done = true
			continue
		case errors.Is(err, astiav.ErrEagain):
		default:
			// A damaged packet: skip it, as players do, unless the file is
			// nothing but damage.
			r.noteBad()
			if r.badRun++; r.badRun > maxDecodeErrors {
				r.done = true
				return nil, fmt.Errorf("decode %s: audio undecodable after %.3f s: %w (%v)", r.in.path, r.lastEnd-r.in.start(), ErrDamaged, err)
			}
			continue
		}
		if r.readEOF {
			// The flush packet was sent; EAGAIN here would loop forever.
			r.done = true
			continue
		}
		r.pkt.Unref()
		if err := r.in.fc.ReadFrame(r.pkt); err != nil {
			if !errors.Is(err, astiav.ErrEof) {
				r.err = fmt.Errorf("read %s: audio stops at %.3f s: %w (%v)", r.in.path, r.lastEnd-r.in.start(), ErrDamaged, err)
			} else {
				r.checkComplete()
			}
			r.readEOF = true
			if err := r.in.cc.SendPacket(nil); err != nil {
				r.done = true
			}
			continue
		}
		if r.pkt.StreamIndex() != r.in.st.Index() {
			continue
		}
		if err := r.in.cc.SendPacket(r.pkt); err != nil && !errors.Is(err, astiav.ErrEagain) {
			r.noteBad()
			if r.badRun++; r.badRun > maxDecodeErrors {
				r.done = true
				return nil, fmt.Errorf("decode %s: audio undecodable after %.3f s: %w (%v)", r.in.path, r.lastEnd-r.in.start(), ErrDamaged, err)
			}
		}
	}
}

// Decoder decodes one file's audio into interleaved float32 stereo at
// OutputRate, time-stretched by the speed without changing pitch. It starts
// at media time 0 and repositions exactly with Seek. It is not safe for
// concurrent use; Output serialises access.
type Decoder struct {
	in        *input
	rd        *frameReader
	startTime float64 // seconds subtracted from stream timestamps
	track     int
	speed     float64
	g         *graph
	tmp, sil  *astiav.Frame // trimmed input; inserted silence
	out       *astiav.Frame

	target  float64 // media time (s) of the first sample after a seek
	first   bool    // no input kept since the seek
	untimed int     // frames without timestamp dropped since the seek
	next    float64 // media time (s) the next input sample should have
	fed     int64   // input samples fed to the graph (its pts)
	flushed bool

	pending []float32
	off     int
	start   mediatime.Time // media time of the first output sample since the seek
	emitted int64          // output frames handed out since the seek
	err     error
	closed  bool
}

// OpenDecoder opens path's audio track opt.Track; opt.StartTime is
// subtracted from the stream's timestamps (opt.Device is ignored). ErrNoAudio
// if the file has no such track.
func OpenDecoder(path string, opt Options) (*Decoder, error) {
	in, err := openInput(path, opt.Track)
	if err != nil {
		return nil, err
	}
	d := &Decoder{in: in, rd: newFrameReader(in), startTime: opt.StartTime.Float(), speed: 1, track: opt.Track,
		tmp: astiav.AllocFrame(), sil: astiav.AllocFrame(), out: astiav.AllocFrame(), first: true}
	return d, nil
}

// Speed is the current time-stretch factor.
func (d *Decoder) Speed() float64 { return d.speed }

// SetSpeed changes the time-stretch factor (MinAudibleSpeed..MaxAudibleSpeed)
// and repositions exactly at the current Position, so the stream continues
// seamlessly in media time.
func (d *Decoder) SetSpeed(f float64) error {
	if d.closed {
		return ErrClosed
	}
	if !Audible(f) || f != f {
		return fmt.Errorf("audio speed %g outside %g..%g", f, MinAudibleSpeed, MaxAudibleSpeed)
	}
	if f == d.speed {
		return nil
	}
	d.speed = f
	return d.Seek(d.Position())
}

// Position is the media time of the next sample Read returns.
func (d *Decoder) Position() mediatime.Time {
	return d.start + mediatime.Time(math.Round(float64(d.emitted)*d.speed*1e6/OutputRate))
}

// Err reports damage met so far (a truncated or corrupt file); decoding
// continues with silence after it, so playback never stops on bad audio.
func (d *Decoder) Err() error {
	if d.err != nil {
		return d.err
	}
	return d.rd.damage()
}

// Seek repositions so that the next Read starts exactly at media time t:
// decoded samples before t are dropped, and if the audio starts after t the
// gap is filled with silence.
func (d *Decoder) Seek(t mediatime.Time) error {
	if d.closed {
		return ErrClosed
	}
	if t < 0 {
		t = 0
	}
	if d.rd.readEOF {
		// Some demuxers do not recover from end of file: Ogg then hands out
		// packets with times shifted by a page. A fresh open costs about a
		// millisecond and only happens after playing to the end.
		if err := d.reopen(); err != nil {
			return fmt.Errorf("seek %s to %s: %w", d.in.path, t, err)
		}
	}
	// Land a little early: some demuxers place audio seeks after the
	// requested time, and the excess is trimmed exactly below.
	want := t.Float() + d.startTime - 0.5
	tb := d.in.st.TimeBase()
	ts := int64(math.Floor(want * float64(tb.Den()) / float64(tb.Num())))
	if err := d.in.fc.SeekFrame(d.in.st.Index(), ts, astiav.NewSeekFlags(astiav.SeekFlagBackward)); err != nil {
		// Not seekable (raw streams, damaged index): read again from the
		// start. Slow but exact.
		if err2 := d.reopen(); err2 != nil {
			return fmt.Errorf("seek %s to %s: %w (reopen: %v)", d.in.path, t, err, err2)
		}
	}
	if err := d.rd.reset(); err != nil {
		return err
	}
	d.g.free()
	d.g = nil
	d.target, d.first, d.next, d.fed, d.flushed, d.untimed = t.Float(), true, t.Float(), 0, false, 0
	d.pending, d.off = d.pending[:0], 0
	d.start, d.emitted = t, 0
	d.err = nil
	return nil
}

func (d *Decoder) reopen() error {
	path := d.in.path
	in, err := openInput(path, d.track)
	if err != nil {
		return err
	}
	d.in.close()
	*d.in = *in
	return nil
}

// Read fills dst with interleaved stereo samples (len(dst) should be even)
// and returns how many float32 values it wrote; io.EOF once the audio has
// ended and everything was read.
func (d *Decoder) Read(dst []float32) (int, error) {
	if d.closed {
		return 0, ErrClosed
	}
	dst = dst[:len(dst)&^1]
	n := 0
	for n < len(dst) {
		if d.off == len(d.pending) {
			d.pending, d.off = d.pending[:0], 0
			if err := d.fill(); err != nil {
				if n > 0 && err == io.EOF {
					break
				}
				d.emitted += int64(n / OutputChannels)
				return n, err
			}
			continue
		}
		c := copy(dst[n:], d.pending[d.off:])
		d.off += c
		n += c
	}
	d.emitted += int64(n / OutputChannels)
	return n, nil
}

// fill decodes until some output is pending or the stream ends.
func (d *Decoder) fill() error {
	for len(d.pending) == 0 {
		if d.flushed {
			return io.EOF
		}
		f, err := d.rd.next()
		if err == io.EOF {
			d.flushed = true
			if d.g != nil {
				if err := d.g.push(nil, d.out, d.emit); err != nil {
					return fmt.Errorf("decode %s: %w", d.in.path, err)
				}
			}
			continue
		}
		if err != nil {
			// Undecodable: end the stream here and keep the reason.
			d.err = err
			d.flushed = true
			continue
		}
		if err := d.feed(f); err != nil {
			return err
		}
	}
	return nil
}

// maxUntimed bounds how many frames without a timestamp are dropped after
// a seek while waiting for a timed one; a stream with no timestamps at all
// is then taken as continuous from the target.
const maxUntimed = 500

// overlapSlack: timestamp jitter below this is not taken for repeated audio.
const overlapSlack = 0.002 // seconds

// maxGap caps the silence inserted for a timestamp jump: a damaged
// timestamp must not make us fabricate hours of silence in memory.
const maxGap = 30.0 // seconds

// feed trims or pads one decoded frame to the exact timeline and pushes it
// through the graph.
func (d *Decoder) feed(f *astiav.Frame) error {
	rate := f.SampleRate()
	n := f.NbSamples()
	if rate <= 0 || n <= 0 {
		return nil
	}
	ft := d.next
	if pts := frameTime(f); pts != astiav.NoPtsValue {
		ft = d.in.seconds(pts) - d.startTime
	} else if d.first && d.untimed < maxUntimed {
		// Right after a seek some demuxers (Ogg) deliver frames before they
		// know the time again: where they are is unknown, so they cannot be
		// placed exactly; the first timed frame sets the position.
		d.untimed++
		return nil
	}
	in := f
	if d.first {
		if ft+float64(n)/float64(rate) <= d.target {
			return nil // wholly before the target
		}
		if ft < d.target {
			skip := int(math.Round((d.target - ft) * float64(rate)))
			if skip >= n {
				return nil
			}
			if skip > 0 {
				d.tmp.Unref()
				if err := frameTail(d.tmp, f, skip); err != nil {
					return fmt.Errorf("decode %s: trimming to seek target: %w", d.in.path, err)
				}
				in = d.tmp
			}
			ft = d.target
		}
		d.first = false
	} else if over := d.next - ft; over > overlapSlack {
		// The frame starts before the end of what was already played: some
		// demuxers (Ogg after a seek) hand out packets twice. Play each
		// instant once. A jump back of more than a second is a timestamp
		// discontinuity (a concatenated recording), not a repeat: keep
		// playing straight on.
		if over > 1 {
			ft = d.next
		} else {
			skip := int(math.Round(over * float64(rate)))
			if skip >= n {
				return nil
			}
			d.tmp.Unref()
			if err := frameTail(d.tmp, f, skip); err != nil {
				return fmt.Errorf("decode %s: trimming repeated audio: %w", d.in.path, err)
			}
			in = d.tmp
			ft = d.next
		}
	}
	// Audio starting after the target, or a hole in the timestamps: play
	// silence so later sound stays at its media time. Small jitter is
	// ignored (20 ms) except right after a seek, where the start must be exact.
	if gap := ft - d.next; gap > 0.02 || (gap > 0.0005 && d.fed == 0) {
		if err := d.silence(f, math.Min(gap, maxGap)); err != nil {
			return err
		}
	}
	d.next = ft + float64(in.NbSamples())/float64(rate)
	return d.push(in)
}

func (d *Decoder) silence(like *astiav.Frame, seconds float64) error {
	left := int(math.Round(seconds * float64(like.SampleRate())))
	for left > 0 {
		n := min(left, like.SampleRate()/10+1)
		left -= n
		d.sil.Unref()
		if err := frameSilence(d.sil, like, n); err != nil {
			return fmt.Errorf("decode %s: making silence: %w", d.in.path, err)
		}
		if err := d.push(d.sil); err != nil {
			return err
		}
	}
	return nil
}

func (d *Decoder) push(f *astiav.Frame) error {
	if d.g == nil || d.g.key != frameKey(f) {
		// First frame, or the format changed mid-stream: flush what the old
		// graph holds, then build one for the new format.
		if d.g != nil {
			if err := d.g.push(nil, d.out, d.emit); err != nil {
				return fmt.Errorf("decode %s: %w", d.in.path, err)
			}
			d.g.free()
		}
		g, err := newGraph(f, tempoFilters(d.speed))
		if err != nil {
			return fmt.Errorf("decode %s: %w", d.in.path, err)
		}
		d.g, d.fed = g, 0
	}
	f.SetPts(d.fed)
	d.fed += int64(f.NbSamples())
	if err := d.g.push(f, d.out, d.emit); err != nil {
		return fmt.Errorf("decode %s: %w", d.in.path, err)
	}
	return nil
}

func (d *Decoder) emit(out *astiav.Frame) {
	d.pending = append(d.pending, packedFloats(out)...)
}

// Close frees FFmpeg's resources; further calls return ErrClosed.
func (d *Decoder) Close() error {
	if d.closed {
		return nil
	}
	d.closed = true
	d.g.free()
	d.g = nil
	d.rd.free()
	d.tmp.Free()
	d.sil.Free()
	d.out.Free()
	d.in.close()
	return nil
}
