package media

import (
	"errors"
	"fmt"
	"image"

	"github.com/asticode/go-astiav"

	"dyadcode/media/internal/av"
	"dyadcode/mediatime"
)

// Frame is one decoded picture.
//
// Ownership: Image is the decoder's (or player's) reused buffer. It stays
// valid and unchanged only until the next call on the Decoder that produced
// it (for a Player: until the OnFrame callback returns). Copy it (or upload
// it) before then if it must outlive that.
type Frame struct {
	Index int64
	Time  mediatime.Time
	Image *image.RGBA
}

// DefaultCacheBytes bounds the decoded-frame cache around the playhead.
const DefaultCacheBytes = 512 << 20

// DecoderOptions tune a Decoder; the zero value is right for the GUI.
type DecoderOptions struct {
	// CacheBytes bounds the decoded frames kept around the playhead so that
	// stepping back is cheap: 0 means DefaultCacheBytes, < 0 no cache.
	CacheBytes int64
	// Threads is the decoder's thread count; 0 picks one per core.
	Threads int
	// Reopen makes seeks close and reopen the decoder instead of flushing
	// it. Only for measuring the two methods (BenchmarkSeekFlushVsReopen).
	Reopen bool
	// NoSkip disables skipping non-reference frames before a seek target.
	// Only for measuring the plain method in benchmarks.
	NoSkip bool
	// Plain makes every jump the textbook way: seek to the keyframe, flush,
	// decode every frame forward to the target (no skipping, no decoding on
	// from the current position). The baseline of `dyadcode bench media`.
	Plain bool
}

// Decoder gives random access to a video's frames, exactly: the frame it
// returns for n is the one a straight decode from the start yields as the
// n-th, with the same timestamp and pixels. It is not safe for concurrent use
// (the Player owns one on its own goroutine).
type Decoder struct {
	info Info
	ix   *Index
	opt  DecoderOptions
	in   *input
	cc   *astiav.CodecContext
	pkt  *astiav.Packet
	frm  *astiav.Frame
	sc   scaler

	cache   *frameCache
	cur     *astiav.Frame // the frame last returned, referenced
	curIdx  int64
	pos     int64 // playhead: index of the frame last returned, -1 before any
	last    int64 // index of the decoder's last output frame, -1 after a seek
	fresh   bool  // demuxer at the start of the file, decoder clean
	demuxed bool  // demuxer hit the end (or damage) and the decoder was told
	drained bool  // the decoder gave its last frame; only a seek resets it
	readErr error // why demuxing stopped early, if it did
	pending bool  // pkt holds a packet the decoder refused with EAGAIN
	// h264Len is the NAL length size (0: Annex B) when the video is H.264,
	// whose non-reference packets before a target are not even sent; -1
	// for other codecs.
	h264Len int
	drop    int64 // packets with DTS below this are skipped after a seek

	// refillLo..refillHi are the frames a first back-step after a jump left
	// for the step cache (none when refillHi < refillLo): Refill decodes
	// them while the caller is idle. hold, when >= 0, is the playhead the
	// cache keeps frames around meanwhile.
	refillLo, refillHi int64
	hold               int64

	outW, outH int // requested display size; 0 = native
	out, tmp   *image.RGBA

	// Counters for benchmarks and tests. NonRefDropped counts H.264
	// non-reference packets before a seek target that were never sent.
	Seeks, Decoded, CacheHits, NonRefDropped int64
}

// Open opens path for random access. ix may be nil: the index is then built
// (use the store's cached one to make a second open instant).
func Open(path string, ix *Index) (*Decoder, error) {
	return OpenWith(path, ix, DecoderOptions{})
}

// OpenWith is Open with options.
func OpenWith(path string, ix *Index, opt DecoderOptions) (*Decoder, error) {
	var info Info
	var damage error
	if ix == nil {
		var err error
		info, ix, err = scan(path, nil)
		if err != nil {
			if !errors.Is(err, ErrTruncated) || ix == nil || ix.Len() == 0 {
				return nil, err
			}
			damage = err // play up to the damage
		}
	}
	if ix.Len() == 0 {
		return nil, fmt.Errorf("open %s: %w: no frames", path, ErrNotMedia)
	}
	in, err := openInput(path)
	if err != nil {
		return nil, err
	}
	// Only the picture is decoded here (sound has its own demuxer in
	// media/audio): let the demuxer skip the other streams' data.
	for _, s := range in.fc.Streams() {
		if s.Index() != in.vs.Index() {
			av.Discard(s)
		}
	}
	if info.Path == "" {
		info = in.baseInfo()
		info.Frames = ix.Len()
		info.Duration = ix.Duration()
		info.StartTime = rawToTime(ix.Origin, ix.TimeBase)
		info.VariableRate = ix.variable()
	}
	if opt.CacheBytes == 0 {
		opt.CacheBytes = DefaultCacheBytes
	}
	d := &Decoder{info: info, ix: ix, opt: opt, in: in, pos: -1, last: -1, fresh: true, drop: noPTS,
		pkt: astiav.AllocPacket(), frm: astiav.AllocFrame(), cache: newFrameCache(opt.CacheBytes), h264Len: -1,
		refillLo: 0, refillHi: -1, hold: -1}
	// Only for progressive video: with field coding the two fields of a
	// frame may come in separate packets and differ in nal_ref_idc, and
	// FFmpeg never skips a frame's second field; skip_frame handles those.
	if cp := in.vs.CodecParameters(); cp.CodecID() == astiav.CodecIDH264 && av.Progressive(in.vs) {
		d.h264Len = h264LengthSize(cp.ExtraData())
	}
	if err := d.openCodec(); err != nil {
		d.Close()
		return nil, err
	}
	if ix.Damaged || damage != nil {
		d.readErr = errors.New("damaged")
	}
	return d, nil
}

func (d *Decoder) openCodec() error {
	cc, err := newCodecContext(d.in, d.opt.Threads)
	if err != nil {
		return err
	}
	d.cc = cc
	return nil
}

// Info describes the open video.
func (d *Decoder) Info() Info { return d.info }

// Index is the frame index in use.
func (d *Decoder) Index() *Index { return d.ix }

// Position is the index of the frame last returned (-1 before any).
func (d *Decoder) Position() int64 { return d.pos }

// SetSize sets the size of returned images, in display orientation (after
// rotation). 0, 0 means the video's own display size.
func (d *Decoder) SetSize(w, h int) {
	if w < 0 || h < 0 {
		w, h = 0, 0
	}
	d.outW, d.outH = w, h
}

// Close releases everything; the Decoder is unusable afterwards.
func (d *Decoder) Close() error {
	if d.cache != nil {
		d.cache.clear()
	}
	if d.cur != nil {
		d.cur.Free()
		d.cur = nil
	}
	if d.cc != nil {
		d.cc.Free()
		d.cc = nil
	}
	if d.frm != nil {
		d.frm.Free()
		d.frm = nil
	}
	if d.pkt != nil {
		d.pkt.Free()
		d.pkt = nil
	}
	d.sc.free()
	if d.in != nil {
		d.in.close()
		d.in = nil
	}
	return nil
}

// Frame returns frame n (0-based, display order).
func (d *Decoder) Frame(n int64) (Frame, error) {
	if d.cc == nil {
		return Frame{}, fmt.Errorf("%s: decoder is closed", d.info.Path)
	}
	if n < 0 || n >= d.ix.Len() {
		return Frame{}, fmt.Errorf("%s: frame %d of %d: %w", d.info.Path, n, d.ix.Len(), ErrEOF)
	}
	if err := d.fetch(n, true); err != nil {
		return Frame{}, err
	}
	return d.render()
}

// At returns the frame on screen at media time t (the last frame with time
// <= t; frame 0 for t before it).
func (d *Decoder) At(t mediatime.Time) (Frame, error) {
	if t > d.ix.Duration() {
		return Frame{}, fmt.Errorf("%s: time %s is past the end %s: %w", d.info.Path, t.Seconds(), d.ix.Duration().Seconds(), ErrEOF)
	}
	return d.Frame(d.ix.FrameAt(t))
}

// Step moves the playhead by delta frames (+1 forward, -1 back) and returns
// that frame. A step back to a frame not cached (the first after a jump)
// costs one exact seek; the frames between its keyframe and it are left for
// Refill, which the caller runs while idle (the Player does, between
// commands), so a run of back-steps decodes the GOP once and then costs
// nothing.
func (d *Decoder) Step(delta int) (Frame, error) {
	if d.cc == nil {
		return Frame{}, fmt.Errorf("%s: decoder is closed", d.info.Path)
	}
	n := d.pos + int64(delta)
	if d.pos < 0 {
		n = max(0, int64(delta)-1) // before any frame, +1 shows frame 0
	}
	if n < 0 || n >= d.ix.Len() {
		return Frame{}, fmt.Errorf("%s: step to frame %d of %d: %w", d.info.Path, n, d.ix.Len(), ErrEOF)
	}
	fetch := d.fetch
	if delta == -1 {
		fetch = d.fetchBack
	}
	if err := fetch(n, false); err != nil {
		return Frame{}, err
	}
	return d.render()
}

// cached reports whether frame n is at hand without decoding.
func (d *Decoder) cached(n int64) bool {
	return (d.cur != nil && d.curIdx == n) || d.cache.get(n) != nil
}

// fetchBack makes frame n current for a step back: from the cache, else by
// one exact seek, leaving the frames before it to Refill.
func (d *Decoder) fetchBack(n int64, _ bool) error {
	if d.cached(n) || d.opt.CacheBytes < 0 {
		return d.fetch(n, false)
	}
	if err := d.fetch(n, true); err != nil {
		return err
	}
	d.refillLo, d.refillHi = d.ix.keyBefore(n), n-1
	return nil
}

// Refilling reports whether Refill has work left.
func (d *Decoder) Refilling() bool { return d.cc != nil && d.refillLo <= d.refillHi }

func (d *Decoder) stopRefill() { d.refillLo, d.refillHi = 0, -1 }

// Refill decodes up to chunk more frames of what the last back-step left
// for the step cache, keeping the current frame and position; it reports
// whether work is left. Call it while idle: each call takes about chunk
// frames' decoding time.
func (d *Decoder) Refill(chunk int) (bool, error) {
	for d.Refilling() && d.cache.get(d.refillLo) != nil {
		d.refillLo++
	}
	if !d.Refilling() {
		d.stopRefill()
		return false, nil
	}
	target := min(d.refillLo+int64(max(chunk, 1))-1, d.refillHi)
	lo, hi := target+1, d.refillHi
	// Keep the frame on screen current: the caller may re-render it.
	var saved *astiav.Frame
	pos, idx := d.pos, d.curIdx
	if d.cur != nil {
		saved = astiav.AllocFrame()
		if err := saved.Ref(d.cur); err != nil {
			saved.Free()
			saved = nil
		}
	}
	d.hold = pos
	err := d.fetch(target, false)
	d.hold = -1
	if saved != nil {
		if e := d.setCur(saved, idx); e != nil && err == nil {
			err = e
		}
		saved.Free()
	}
	d.pos = pos
	d.cache.playhead = pos
	if err != nil {
		d.stopRefill()
		return false, err
	}
	d.refillLo, d.refillHi = lo, hi
	return d.Refilling(), nil
}

// Next returns the frame after the playhead, decoding sequentially: the
// playback path.
func (d *Decoder) Next() (Frame, error) { return d.Step(1) }

// Current re-renders the frame last returned (after SetSize), without
// decoding.
func (d *Decoder) Current() (Frame, error) {
	if d.cur == nil {
		return Frame{}, fmt.Errorf("%s: no frame decoded yet", d.info.Path)
	}
	return d.render()
}

// fetch makes frame n current. random means a jump: non-reference frames
// before n may be skipped. Otherwise (steps, playback) every decoded frame is
// cached.
func (d *Decoder) fetch(n int64, random bool) error {
	d.cache.playhead = n
	if d.hold >= 0 {
		d.cache.playhead = d.hold
	}
	if random {
		d.stopRefill() // a jump: the frames behind the old place are moot
	}
	if d.cur != nil && d.curIdx == n {
		d.pos = n
		return nil
	}
	if f := d.cache.get(n); f != nil {
		d.CacheHits++
		return d.setCur(f, n)
	}
	// Decode on without seeking when no keyframe lies between the decoder's
	// position and n: a seek would land at or before where it already is.
	forward := (d.fresh && d.ix.keyBefore(n) == 0) ||
		(d.last >= 0 && n > d.last && d.ix.keyBefore(n) <= d.last+1 && !d.drained)
	// Skipping needs the packets' PTS to be the frames' (see Index.Decoded).
	skip := random && !d.opt.NoSkip && !d.opt.Plain && !d.ix.Decoded
	if random && d.opt.Plain {
		forward = false
	}
	if forward {
		err := d.decodeTo(n, skip)
		if err == nil || !errors.Is(err, errOvershoot) {
			return err
		}
	}
	// Seek to the keyframe at or before n; if the demuxer lands late (the
	// target comes out already passed), try earlier keyframes, then the start.
	k := d.ix.keyBefore(n)
	for attempt := 0; ; attempt++ {
		if err := d.seek(k); err != nil {
			return err
		}
		err := d.decodeTo(n, skip)
		if err == nil || !errors.Is(err, errOvershoot) {
			return err
		}
		if k == 0 || attempt >= 3 {
			return fmt.Errorf("%s: frame %d (%s s) cannot be decoded exactly: %w", d.info.Path, n, d.ix.PTS[n].Seconds(), ErrTruncated)
		}
		if attempt == 2 {
			k = 0
		} else {
			k = d.ix.keyBefore(k - 1)
		}
	}
}

var errOvershoot = errors.New("decoder passed the target frame")

func (d *Decoder) setCur(f *astiav.Frame, n int64) error {
	if d.cur == nil {
		d.cur = astiav.AllocFrame()
	} else {
		d.cur.Unref()
	}
	if err := d.cur.Ref(f); err != nil {
		return fmt.Errorf("%s: frame %d: %w", d.info.Path, n, err)
	}
	d.curIdx = n
	d.pos = n
	return nil
}

// seek positions the demuxer before keyframe k and resets the decoder.
func (d *Decoder) seek(k int64) error {
	d.Seeks++
	ts := d.ix.DTS[k]
	if k == 0 {
		ts = min(ts, d.ix.Raw[0])
	}
	vi := d.in.vs.Index()
	err := d.in.fc.SeekFrame(vi, ts, astiav.NewSeekFlags(astiav.SeekFlagBackward))
	if err != nil {
		// Some demuxers cannot seek backward to an exact timestamp: go to the
		// start (by bytes, or by the lowest timestamp).
		if err2 := d.in.fc.SeekFrame(vi, d.ix.DTS[0]-1, astiav.NewSeekFlags(astiav.SeekFlagBackward, astiav.SeekFlagAny)); err2 != nil {
			if err3 := d.in.fc.SeekFrame(-1, 0, astiav.NewSeekFlags(astiav.SeekFlagByte)); err3 != nil {
				return fmt.Errorf("%s: seek to frame %d: %w", d.info.Path, k, err)
			}
		}
	}
	if d.pending {
		d.pkt.Unref()
		d.pending = false
	}
	// Flushing keeps the decoder's threads; reopening is the fallback if
	// the decoder cannot be reached (and a benchmark's comparison).
	if d.opt.Reopen || !av.Flush(d.cc) {
		d.cc.Free()
		d.cc = nil
		if err := d.openCodec(); err != nil {
			return err
		}
	}
	av.SetSkipNonRef(d.cc, false)
	d.last = -1
	d.fresh = false
	d.demuxed = false
	d.drained = false
	d.drop = ts
	return nil
}

// maxPacketsPerFetch bounds one fetch's demuxing so damaged files whose
// timestamps never reach the target cannot loop for long.
const maxPacketsPerFetch = 1 << 20

// decodeTo decodes forward until frame n comes out.
func (d *Decoder) decodeTo(n int64, skip bool) error {
	d.fresh = false // from now on the decoder's position is d.last
	target := d.ix.Raw[n]
	defer func() {
		if skip {
			av.SetSkipNonRef(d.cc, false)
		}
	}()
	vi := d.in.vs.Index()
	for guard := 0; guard < maxPacketsPerFetch; guard++ {
		// Take what the decoder has ready before feeding it more.
		for {
			err := d.cc.ReceiveFrame(d.frm)
			if errors.Is(err, astiav.ErrEagain) {
				break
			}
			if errors.Is(err, astiav.ErrEof) {
				d.drained = true
				return d.endReached(n)
			}
			if err != nil {
				return fmt.Errorf("%s: decoding frame %d: %w", d.info.Path, n, err)
			}
			d.Decoded++
			idx := d.identify(d.frm)
			if idx < 0 { // not a frame the index knows (damage): ignore
				d.frm.Unref()
				continue
			}
			d.last = idx
			if idx == n {
				d.cache.put(idx, d.frm)
				err := d.setCur(d.frm, n)
				d.frm.Unref()
				return err
			}
			if idx > n {
				d.frm.Unref()
				return errOvershoot
			}
			if !skip {
				d.cache.put(idx, d.frm)
			}
			d.frm.Unref()
		}
		if d.demuxed {
			// End of input was sent; ReceiveFrame will report EOF.
			if err := d.cc.SendPacket(nil); err != nil && !errors.Is(err, astiav.ErrEof) && !errors.Is(err, astiav.ErrEagain) {
				return d.endReached(n)
			}
			continue
		}
		if !d.pending {
			if err := d.in.fc.ReadFrame(d.pkt); err != nil {
				if !errors.Is(err, astiav.ErrEof) {
					d.readErr = err
				}
				d.demuxed = true
				d.cc.SendPacket(nil) // drain
				continue
			}
			if d.pkt.StreamIndex() != vi {
				d.pkt.Unref()
				continue
			}
			if dts := d.pkt.Dts(); d.drop != noPTS && dts != noPTS && dts < d.drop {
				d.pkt.Unref()
				continue
			}
			d.drop = noPTS
			if skip {
				pts := d.pkt.Pts()
				before := pts != noPTS && pts < target && !d.pkt.Flags().Has(astiav.PacketFlagKey)
				// Not sending such a packet is what skip_frame does inside
				// the H.264 decoder (it drops non-reference slices before
				// starting the picture), but with frame threading a skipped
				// packet still takes a thread's turn and makes the next
				// reference frame wait for the previous ones to finish:
				// measured on 1080p x264 (B-pyramid), exact seeks went
				// from 187 to 129 ms median with 2 threads.
				if before && d.h264Len >= 0 && av.H264NonRef(d.pkt, d.h264Len) {
					d.NonRefDropped++
					d.pkt.Unref()
					continue
				}
				av.SetSkipNonRef(d.cc, before)
			}
		}
		err := d.cc.SendPacket(d.pkt)
		if errors.Is(err, astiav.ErrEagain) {
			d.pending = true // receive first, then send this packet again
			continue
		}
		d.pending = false
		d.pkt.Unref()
		// Other send errors are damaged packets: the decoder conceals or
		// drops them and the stream goes on, as in every player.
	}
	return fmt.Errorf("%s: frame %d not found after %d packets: %w", d.info.Path, n, maxPacketsPerFetch, ErrTruncated)
}

// endReached reports why the decoder ran dry before frame n.
func (d *Decoder) endReached(n int64) error {
	last := d.last
	if last < 0 {
		last = 0
	}
	reason := "the file ends early"
	if d.readErr != nil && d.readErr.Error() != "damaged" {
		reason = d.readErr.Error()
	}
	return &DamageError{Path: d.info.Path, At: d.ix.PTS[min(last, n)], Reason: fmt.Sprintf("frame %d cannot be decoded: %s", n, reason)}
}

// identify maps a decoded frame to its index by timestamp.
func (d *Decoder) identify(f *astiav.Frame) int64 {
	if be := bestEffort(f); be != noPTS {
		if i := d.ix.frameOfRaw(be); i >= 0 {
			return i
		}
	}
	if p := f.Pts(); p != noPTS {
		if i := d.ix.frameOfRaw(p); i >= 0 {
			return i
		}
	}
	if p := f.PktDts(); p != noPTS {
		if i := d.ix.frameOfRaw(p); i >= 0 {
			return i
		}
	} else if f.Pts() == noPTS && bestEffort(f) == noPTS && d.last >= 0 && d.last+1 < d.ix.Len() {
		// No timestamp at all (the last frame out of a draining MPEG-4
		// decoder in AVI): the index numbered it as the next one.
		return d.last + 1
	}
	return -1
}

// render converts the current frame into the decoder's reused image at the
// requested size.
func (d *Decoder) render() (Frame, error) {
	dw, dh := d.info.DisplaySize()
	if d.outW > 0 && d.outH > 0 {
		dw, dh = d.outW, d.outH
	}
	d.out = ensureRGBA(d.out, dw, dh)
	if err := d.renderTo(d.out); err != nil {
		return Frame{}, err
	}
	return Frame{Index: d.curIdx, Time: d.ix.PTS[d.curIdx], Image: d.out}, nil
}

// renderTo converts the current frame to RGBA at dst's size (display
// orientation), applying the display rotation.
func (d *Decoder) renderTo(dst *image.RGBA) error {
	if d.cur == nil {
		return fmt.Errorf("%s: no frame decoded yet", d.info.Path)
	}
	dw, dh := dst.Rect.Dx(), dst.Rect.Dy()
	rot := d.info.Rotation
	if rot == 0 {
		if err := d.sc.scale(d.cur, dst); err != nil {
			return fmt.Errorf("%s: %w", d.info.Path, err)
		}
		return nil
	}
	sw, sh := dw, dh
	if rot == 90 || rot == 270 {
		sw, sh = dh, dw
	}
	d.tmp = ensureRGBA(d.tmp, sw, sh)
	if err := d.sc.scale(d.cur, d.tmp); err != nil {
		return fmt.Errorf("%s: %w", d.info.Path, err)
	}
	rotateRGBA(dst, d.tmp, rot)
	return nil
}

func ensureRGBA(img *image.RGBA, w, h int) *image.RGBA {
	if img != nil && img.Rect.Dx() == w && img.Rect.Dy() == h {
		return img
	}
	return image.NewRGBA(image.Rect(0, 0, w, h))
}

// rotateRGBA writes src turned clockwise by rot degrees into dst.
func rotateRGBA(dst, src *image.RGBA, rot int) {
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	sp, dp := src.Pix, dst.Pix
	ss, ds := src.Stride, dst.Stride
	for y := 0; y < sh; y++ {
		row := sp[y*ss : y*ss+sw*4]
		for x := 0; x < sw; x++ {
			var dx, dy int
			switch rot {
			case 90:
				dx, dy = sh-1-y, x
			case 180:
				dx, dy = sw-1-x, sh-1-y
			default: // 270
				dx, dy = y, sw-1-x
			}
			o := dy*ds + dx*4
			copy(dp[o:o+4], row[x*4:x*4+4])
		}
	}
}
