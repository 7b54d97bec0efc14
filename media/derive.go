package media

import (
	"errors"
	"fmt"
	"os"
	"runtime"

	"github.com/asticode/go-astiav"

	"dyadcode/media/internal/av"
	"dyadcode/mediatime"
)

// This file lists frames the way ffprobe -show_frames does: by decoding,
// frame n being the decoder's n-th output and its time the best-effort
// timestamp libavcodec computes (the frame's reordered PTS, or the DTS of
// the packet that made the decoder output it when PTS are missing or
// faulty). The packet scan in index.go is used whenever the container gives
// every packet a presentation time; decoding is the reference it is checked
// against at the head of every file, and the whole truth for files whose
// packets lack PTS.

// fromPackets fills the index from the packets in display order. hiddenKey
// (noPTS if none) is the DTS of a keyframe an edit list hides, from which
// the first shown frames decode when none of them is a keyframe.
func (ix *Index) fromPackets(pkts []pkt, hiddenKey int64) {
	ix.Raw = make([]int64, len(pkts))
	ix.DTS = make([]int64, len(pkts))
	ix.Key = make([]bool, len(pkts))
	for i, k := range pkts {
		ix.Raw[i], ix.DTS[i], ix.Key[i] = k.pts, k.dts, k.key
	}
	if len(pkts) > 0 && !ix.Key[0] && hiddenKey != noPTS {
		ix.Key[0], ix.DTS[0] = true, min(ix.DTS[0], hiddenKey)
	}
	ix.retime()
}

// retime sets Origin, PTS and the start keyframe from Raw and Key.
func (ix *Index) retime() {
	ix.Origin = 0
	if len(ix.Raw) > 0 {
		ix.Origin = ix.Raw[0]
		// Frame 0 must be decodable from somewhere: a stream whose first
		// packet lacks the key flag (some MPEG-TS cuts) still starts
		// decoding at 0.
		ix.Key[0] = ix.Key[0] || !anyKey(ix.Key)
	}
	ix.PTS = make([]mediatime.Time, len(ix.Raw))
	for i, r := range ix.Raw {
		ix.PTS[i] = ix.toTime(r)
	}
}

// headFrames is how many decoded frames checkHead compares: enough to pass
// the reordering delay of B-frame pyramids.
const headFrames = 8

// checkHead decodes the first frames and makes the index agree with them:
// packets the decoder never shows at the start (an H.264 stream cut before
// a keyframe) are dropped; if the decoder's timestamps are not the packets'
// at all, the index is rebuilt by decoding.
func (ix *Index) checkHead(path string) error {
	l, err := openLister(path)
	if err != nil {
		return err
	}
	defer l.close()
	var got []int64
	l.each(nil, func(f listed) bool {
		got = append(got, f.raw)
		return len(got) < headFrames
	})
	if len(got) == 0 {
		return nil // nothing decodes: the Decoder says where, when asked
	}
	j := ix.frameOfRaw(got[0])
	ok := j >= 0
	for i := 1; ok && i < len(got); i++ {
		ok = j+int64(i) < ix.Len() && ix.Raw[j+int64(i)] == got[i]
	}
	if !ok {
		return ix.fromDecoder(path, nil)
	}
	if j > 0 {
		ix.Raw, ix.DTS, ix.Key = ix.Raw[j:], ix.DTS[j:], ix.Key[j:]
		ix.retime()
	}
	return nil
}

// fromDecoder lists every frame by decoding the whole video stream.
func (ix *Index) fromDecoder(path string, progress func(done, total int64)) error {
	l, err := openLister(path)
	if err != nil {
		return err
	}
	defer l.close()
	ix.Raw, ix.DTS, ix.Key = ix.Raw[:0], ix.DTS[:0], ix.Key[:0]
	lastKeyDTS := noPTS
	err = l.each(progress, func(f listed) bool {
		if n := len(ix.Raw); n > 0 && f.raw <= ix.Raw[n-1] {
			// Frames must be ordered to be found again; a decoder that
			// repeats a timestamp (damage) gets the next free tick.
			f.raw = ix.Raw[n-1] + 1
		}
		if f.key {
			lastKeyDTS = f.keyDTS
		} else if lastKeyDTS == noPTS {
			// Before any keyframe came out (its packet hidden by an
			// edit list, or the stream starts mid-GOP): decoding starts
			// at the first packet.
			lastKeyDTS = l.firstDTS
		}
		ix.Raw = append(ix.Raw, f.raw)
		ix.DTS = append(ix.DTS, lastKeyDTS)
		ix.Key = append(ix.Key, f.key)
		return true
	})
	ix.Decoded = true
	ix.retime()
	if len(ix.Raw) == 0 {
		if err == nil {
			err = errors.New("no frame decodes")
		}
		return &DamageError{Path: path, Reason: err.Error()}
	}
	return nil
}

// lister decodes a video stream from its start, in order.
type lister struct {
	// firstDTS is the first video packet's DTS (or PTS), once read.
	firstDTS int64
	in       *input
	cc       *astiav.CodecContext
	pkt      *astiav.Packet
	frm      *astiav.Frame
}

// listed is one decoded frame: its best-effort timestamp, whether a decoder
// can start there, and then the DTS of the packet to seek to.
type listed struct {
	raw    int64
	key    bool
	keyDTS int64
}

func openLister(path string) (*lister, error) {
	in, err := openInput(path)
	if err != nil {
		return nil, err
	}
	for _, s := range in.fc.Streams() {
		if s.Index() != in.vs.Index() {
			av.Discard(s)
		}
	}
	cc, err := newCodecContext(in, 0)
	if err != nil {
		in.close()
		return nil, err
	}
	return &lister{in: in, cc: cc, pkt: astiav.AllocPacket(), frm: astiav.AllocFrame()}, nil
}

func (l *lister) close() {
	l.frm.Free()
	l.pkt.Free()
	l.cc.Free()
	l.in.close()
}

// each calls fn for every frame the decoder outputs until fn returns false
// or the stream ends. It returns why demuxing stopped early, if it did.
func (l *lister) each(progress func(done, total int64), fn func(listed) bool) error {
	var size int64
	if st, err := os.Stat(l.in.path); err == nil {
		size = st.Size()
	}
	vi := l.in.vs.Index()
	// Key packets' DTS in decode order, matched to key frames as they come
	// out (a decoder outputs keyframes in the order it received them).
	var keys []int64
	var readErr error
	var prevRaw int64 = noPTS
	first := true
	// receive hands fn every frame the decoder has ready; false when fn
	// wants no more.
	receive := func() bool {
		for l.cc.ReceiveFrame(l.frm) == nil { // else EAGAIN, EOF or a bad frame: feed on
			f := listed{raw: bestEffort(l.frm)}
			if f.raw == noPTS {
				f.raw = l.frm.Pts()
			}
			if f.raw == noPTS {
				f.raw = l.frm.PktDts()
			}
			if f.raw == noPTS { // no clue at all: the next tick
				f.raw = 0
				if prevRaw != noPTS {
					f.raw = prevRaw + 1
				}
			}
			prevRaw = f.raw
			if l.frm.KeyFrame() && len(keys) > 0 {
				f.key, f.keyDTS = true, keys[0]
				keys = keys[1:]
			}
			l.frm.Unref()
			if !fn(f) {
				return false
			}
		}
		return true
	}
	for n := 0; ; n++ {
		if err := l.in.fc.ReadFrame(l.pkt); err != nil {
			if !errors.Is(err, astiav.ErrEof) {
				readErr = fmt.Errorf("%s: reading packets: %w", l.in.path, err)
			}
			break
		}
		if progress != nil && n%256 == 0 {
			progress(l.pkt.Pos(), size)
		}
		if l.pkt.StreamIndex() != vi {
			l.pkt.Unref()
			continue
		}
		dts := l.pkt.Dts()
		if dts == noPTS {
			dts = l.pkt.Pts()
		}
		if first {
			l.firstDTS, first = dts, false
		}
		if l.pkt.Flags().Has(astiav.PacketFlagKey) {
			keys = append(keys, dts)
		}
		// Packets an edit list hides are sent too: later frames may
		// reference them, and libavcodec drops their own pictures.
		for {
			err := l.cc.SendPacket(l.pkt)
			if !errors.Is(err, astiav.ErrEagain) {
				break // sent, or a damaged packet the decoder skips
			}
			if !receive() {
				l.pkt.Unref()
				return nil
			}
		}
		l.pkt.Unref()
		if !receive() {
			return nil
		}
	}
	l.cc.SendPacket(nil) // drain
	receive()
	return readErr
}

// newCodecContext opens a decoder for in's video stream the way the Decoder
// and the lister both use it (the same threading, so both see the same
// frames). threads 0 is one per core.
func newCodecContext(in *input, threads int) (*astiav.CodecContext, error) {
	cc := astiav.AllocCodecContext(in.codec)
	if cc == nil {
		return nil, fmt.Errorf("open %s: cannot allocate a %s decoder", in.path, in.codec.Name())
	}
	if err := in.vs.CodecParameters().ToCodecContext(cc); err != nil {
		cc.Free()
		return nil, fmt.Errorf("open %s: decoder parameters: %w", in.path, err)
	}
	if threads <= 0 {
		threads = runtime.NumCPU()
	}
	cc.SetThreadCount(threads)
	cc.SetThreadType(astiav.ThreadTypeFrame | astiav.ThreadTypeSlice)
	cc.SetTimeBase(in.vs.TimeBase())
	// The stream's frame rate lets decoders without timestamps (raw
	// streams) derive them as ffprobe's decoder does.
	cc.SetFramerate(in.vs.AvgFrameRate())
	if err := cc.Open(in.codec, nil); err != nil {
		cc.Free()
		return nil, fmt.Errorf("open %s: %w %s (%v)", in.path, ErrUnsupported, in.codec.Name(), err)
	}
	return cc, nil
}

// shortRIFF: an AVI (RIFF) file states its size in its first eight bytes;
// one shorter than that was cut. The header's frame count proves nothing in
// AVI (packed bitstreams and dropped-frame markers make it disagree with the
// packets in files that are whole).
func shortRIFF(in *input, path string, size int64) error {
	f := in.fc.InputFormat()
	if f == nil || f.Name() != "avi" || size <= 0 {
		return nil
	}
	h, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer h.Close()
	var b [8]byte
	if _, err := h.ReadAt(b[:], 0); err != nil || string(b[:4]) != "RIFF" {
		return nil
	}
	declared := int64(b[4]) | int64(b[5])<<8 | int64(b[6])<<16 | int64(b[7])<<24
	if declared+8 > size {
		return fmt.Errorf("the file ends at byte %d, its RIFF header says %d", size, declared+8)
	}
	return nil
}
