package media

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strings"

	"github.com/asticode/go-astiav"

	"dyadcode/mediatime"
)

// Index lists every video frame in display order, as FFmpeg's decoder
// outputs them. Where every packet has a presentation time it is built by
// reading packets (no decoding, so two hours of 1080p index in seconds) and
// its head checked against the decoder; otherwise by decoding (see
// derive.go). It is kept in the project store by the video's fingerprint.
type Index struct {
	// PTS is frame i's media time (start time subtracted); ascending.
	PTS []mediatime.Time
	// Key marks frames a decoder can start from.
	Key []bool
	// Raw is frame i's timestamp in the stream's time base, the value the
	// decoder reports, so frames are matched exactly rather than by rounded
	// microseconds.
	Raw []int64
	// DTS is the decode timestamp of frame i's packet (Raw when the file has
	// none): where the demuxer must seek to start decoding at a keyframe.
	DTS []int64
	// TimeBase is the stream's time base (seconds per Raw unit).
	TimeBase mediatime.Rate
	// Origin is the Raw timestamp of frame 0.
	Origin int64
	// FrameDur is the last frame's duration in media time (the packet's, or
	// the median interval when the container gives none).
	FrameDur mediatime.Time
	// Damaged is set when the scan stopped at damage; DamageAt is then the
	// media time of the last good frame.
	Damaged  bool
	DamageAt mediatime.Time
	// Decoded is set when the timestamps come from decoding the stream, as
	// ffprobe lists them (best-effort timestamps), because the container
	// gives no presentation time for some packets (AVI with B-frames,
	// packed bitstreams, MPEG program streams, raw streams). Raw is then
	// what the decoder reports for each frame, which a packet's own
	// timestamps cannot predict, so a seek decodes every packet from the
	// keyframe on (no skipping of non-reference packets).
	Decoded bool
}

// Len is the number of frames.
func (ix *Index) Len() int64 { return int64(len(ix.PTS)) }

// Duration runs from frame 0 to the end of the last frame.
func (ix *Index) Duration() mediatime.Time {
	if len(ix.PTS) == 0 {
		return 0
	}
	return ix.PTS[len(ix.PTS)-1] + ix.FrameDur
}

// FrameAt is the frame on screen at media time t: the last frame with time
// <= t, clamped to [0, Len()-1] (0 for an empty index).
func (ix *Index) FrameAt(t mediatime.Time) int64 {
	i := sort.Search(len(ix.PTS), func(i int) bool { return ix.PTS[i] > t })
	if i == 0 {
		return 0
	}
	return int64(i - 1)
}

// frameOfRaw finds the frame whose raw timestamp is ts, or -1.
func (ix *Index) frameOfRaw(ts int64) int64 {
	i := sort.Search(len(ix.Raw), func(i int) bool { return ix.Raw[i] >= ts })
	if i < len(ix.Raw) && ix.Raw[i] == ts {
		return int64(i)
	}
	return -1
}

// keyBefore is the last keyframe at or before frame n (0 if none is marked).
func (ix *Index) keyBefore(n int64) int64 {
	for k := n; k >= 0; k-- {
		if ix.Key[k] {
			return k
		}
	}
	return 0
}

// toTime converts a raw timestamp to media time.
func (ix *Index) toTime(raw int64) mediatime.Time {
	return rawToTime(raw-ix.Origin, ix.TimeBase)
}

func rawToTime(d int64, tb mediatime.Rate) mediatime.Time {
	if tb.Den == 0 {
		return 0
	}
	return mediatime.Time(astiav.RescaleQ(d, astiav.NewRational(int(tb.Num), int(tb.Den)), astiav.NewRational(1, 1000000)))
}

// BuildIndex scans path's video packets and returns the frame index.
// progress, if not nil, gets (bytes read, file size) now and then. A damaged
// file returns the index up to the damage (Damaged set) together with an
// error matching ErrTruncated, so a caller may still play what is there.
func BuildIndex(path string, progress func(done, total int64)) (*Index, error) {
	_, ix, err := scan(path, progress)
	return ix, err
}

type pkt struct {
	pts, dts, dur int64
	key           bool
}

// scan reads every packet of the first video stream.
func scan(path string, progress func(done, total int64)) (Info, *Index, error) {
	in, err := openInput(path)
	if err != nil {
		return Info{}, nil, err
	}
	defer in.close()
	info := in.baseInfo()
	var size int64
	if st, err := os.Stat(path); err == nil {
		size = st.Size()
	}
	tb := in.vs.TimeBase()
	ix := &Index{TimeBase: mediatime.Rate{Num: int64(tb.Num()), Den: int64(tb.Den())}}
	p := astiav.AllocPacket()
	defer p.Free()
	var pkts []pkt
	var readErr error
	vi := in.vs.Index()
	var n int
	// discarded counts packets an edit list hides (they are still samples
	// of the track and so in its header's frame count); noPTS counts
	// packets without a presentation time.
	var discarded, missingPTS int
	// hiddenKey is the DTS of the last keyframe an edit list hides: where
	// decoding must start for the first frames shown (noPTS if none).
	hiddenKey := noPTS
	lastDTS := noPTS
	// The latest packet end over all streams (µs), to compare with the
	// duration the header declares.
	maxEnd := int64(math.MinInt64)
	streams := in.fc.Streams()
	for {
		if err := in.fc.ReadFrame(p); err != nil {
			if !errors.Is(err, astiav.ErrEof) {
				readErr = err
			}
			break
		}
		n++
		if progress != nil && n%512 == 0 {
			progress(p.Pos(), size)
		}
		if si := p.StreamIndex(); si >= 0 && si < len(streams) {
			ts := p.Pts()
			if ts == noPTS {
				ts = p.Dts()
			}
			if ts != noPTS {
				end := astiav.RescaleQ(ts+p.Duration(), streams[si].TimeBase(), astiav.NewRational(1, 1000000))
				maxEnd = max(maxEnd, end)
			}
		}
		if p.StreamIndex() != vi {
			p.Unref()
			continue
		}
		fl := p.Flags()
		if fl.Has(astiav.PacketFlagCorrupt) {
			readErr = fmt.Errorf("corrupt packet at byte %d", p.Pos())
			p.Unref()
			break
		}
		if fl.Has(astiav.PacketFlagDiscard) { // before an edit list's start: never shown
			if fl.Has(astiav.PacketFlagKey) && p.Dts() != noPTS {
				hiddenKey = p.Dts()
			}
			discarded++
			p.Unref()
			continue
		}
		pt, dt := p.Pts(), p.Dts()
		if pt == noPTS {
			missingPTS++
		}
		if dt == noPTS {
			// AVI and raw streams may lack DTS on some packets: keep decode
			// order monotonic from the previous one.
			dt = lastDTS
		}
		if pt == noPTS {
			pt = dt
		}
		if pt == noPTS {
			// No timestamp at all (rare raw streams): number by position.
			if len(pkts) > 0 {
				pt = pkts[len(pkts)-1].pts + max(1, pkts[len(pkts)-1].dur)
			} else {
				pt = 0
			}
		}
		if dt == noPTS {
			dt = pt
		}
		lastDTS = dt
		pkts = append(pkts, pkt{pts: pt, dts: dt, dur: p.Duration(), key: fl.Has(astiav.PacketFlagKey)})
		p.Unref()
	}
	// Display order.
	sort.SliceStable(pkts, func(i, j int) bool { return pkts[i].pts < pkts[j].pts })
	if len(pkts) == 0 {
		if readErr != nil {
			return info, ix, &DamageError{Path: path, Reason: readErr.Error()}
		}
		return info, ix, fmt.Errorf("open %s: %w: the video stream has no frames", path, ErrNotMedia)
	}
	var lastDur int64
	if missingPTS > 0 {
		// The packets cannot say which frame the decoder shows when:
		// list the frames the way ffprobe does, by decoding.
		if err := ix.fromDecoder(path, progress); err != nil {
			return info, ix, err
		}
	} else {
		ix.fromPackets(pkts, hiddenKey)
		lastDur = pkts[len(pkts)-1].dur
		// The decoder may not show the first packets (H.264 cut before a
		// keyframe waits for one) or may show frames the packets'
		// timestamps do not predict: check the head against it.
		if err := ix.checkHead(path); err != nil {
			return info, ix, err
		}
	}
	if progress != nil {
		progress(size, size)
	}
	ix.FrameDur = ix.medianInterval()
	if lastDur > 0 {
		ix.FrameDur = rawToTime(lastDur, ix.TimeBase)
	}

	info.Frames = ix.Len()
	info.Duration = ix.Duration()
	info.StartTime = rawToTime(ix.Origin, ix.TimeBase)
	info.VariableRate = ix.variable()
	if !info.Rate.Valid() && ix.FrameDur > 0 {
		info.Rate = mediatime.Rate{Num: int64(mediatime.Second), Den: int64(ix.FrameDur)}
	}
	if readErr == nil {
		readErr = declaredMore(in, len(pkts)+discarded, maxEnd)
	}
	if readErr == nil {
		readErr = shortRIFF(in, path, size)
	}
	if readErr == nil {
		readErr = partialTS(in, size)
	}
	if readErr != nil {
		ix.Damaged = true
		ix.DamageAt = ix.PTS[len(ix.PTS)-1]
		return info, ix, &DamageError{Path: path, At: ix.DamageAt, Reason: readErr.Error()}
	}
	return info, ix, nil
}

func anyKey(k []bool) bool {
	for _, v := range k {
		if v {
			return true
		}
	}
	return false
}

func (ix *Index) medianInterval() mediatime.Time {
	if len(ix.PTS) < 2 {
		return 0
	}
	d := make([]mediatime.Time, len(ix.PTS)-1)
	for i := range d {
		d[i] = ix.PTS[i+1] - ix.PTS[i]
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return d[len(d)/2]
}

// variable reports whether frame intervals differ by more than timestamp
// rounding (a tick of the time base plus 1%).
func (ix *Index) variable() bool {
	if len(ix.Raw) < 3 {
		return false
	}
	lo, hi := ix.Raw[1]-ix.Raw[0], ix.Raw[1]-ix.Raw[0]
	for i := 2; i < len(ix.Raw); i++ {
		d := ix.Raw[i] - ix.Raw[i-1]
		lo, hi = min(lo, d), max(hi, d)
	}
	return hi-lo > 1+hi/100
}

// indexMagic names the encoding; DYIX2 added Decoded (and DYIX1 indexes of
// files whose packets lack PTS were wrong, so they are rebuilt).
const indexMagic = "DYIX2\n"

// Marshal encodes the index compactly (delta varints), for the store cache.
func (ix *Index) Marshal() []byte {
	var b bytes.Buffer
	b.WriteString(indexMagic)
	put := func(v int64) { b.Write(binary.AppendVarint(nil, v)) }
	put(ix.TimeBase.Num)
	put(ix.TimeBase.Den)
	put(ix.Origin)
	put(int64(ix.FrameDur))
	dmg := int64(0)
	if ix.Damaged {
		dmg = 1
	}
	put(dmg)
	put(int64(ix.DamageAt))
	dec := int64(0)
	if ix.Decoded {
		dec = 1
	}
	put(dec)
	put(int64(len(ix.Raw)))
	var prevRaw, prevDTS int64
	for i := range ix.Raw {
		put(ix.Raw[i] - prevRaw)
		put(ix.DTS[i] - prevDTS)
		prevRaw, prevDTS = ix.Raw[i], ix.DTS[i]
		k := int64(0)
		if ix.Key[i] {
			k = 1
		}
		put(k)
	}
	return b.Bytes()
}

// ErrBadIndex: cached index bytes that are not an index of this version.
var ErrBadIndex = errors.New("not a frame index")

// UnmarshalIndex decodes Marshal's bytes.
func UnmarshalIndex(data []byte) (*Index, error) {
	if !bytes.HasPrefix(data, []byte(indexMagic)) {
		return nil, ErrBadIndex
	}
	r := bytes.NewReader(data[len(indexMagic):])
	var err error
	get := func() int64 {
		if err != nil {
			return 0
		}
		var v int64
		v, err = binary.ReadVarint(r)
		return v
	}
	ix := &Index{}
	ix.TimeBase.Num, ix.TimeBase.Den = get(), get()
	ix.Origin = get()
	ix.FrameDur = mediatime.Time(get())
	ix.Damaged = get() == 1
	ix.DamageAt = mediatime.Time(get())
	ix.Decoded = get() == 1
	n := get()
	if err != nil || n < 0 || n > int64(len(data)) || ix.TimeBase.Num <= 0 || ix.TimeBase.Den <= 0 {
		return nil, fmt.Errorf("%w: bad header", ErrBadIndex)
	}
	ix.Raw, ix.DTS, ix.Key, ix.PTS = make([]int64, n), make([]int64, n), make([]bool, n), make([]mediatime.Time, n)
	var raw, dts int64
	for i := range n {
		raw += get()
		dts += get()
		ix.Raw[i], ix.DTS[i], ix.Key[i] = raw, dts, get() == 1
		ix.PTS[i] = ix.toTime(raw)
		if i > 0 && raw < ix.Raw[i-1] {
			return nil, fmt.Errorf("%w: timestamps out of order", ErrBadIndex)
		}
	}
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("%w: %v", ErrBadIndex, err)
	}
	if r.Len() != 0 {
		return nil, fmt.Errorf("%w: %d trailing bytes", ErrBadIndex, r.Len())
	}
	return ix, nil
}

// declaredMore compares what the scan found with what the container's
// header promised: a frame count (MP4, MOV, AVI) or a duration (Matroska,
// WebM, MP4). Fewer frames or an end well short of the duration means the
// file was cut. MPEG-TS declares neither (see partialTS).
func declaredMore(in *input, frames int, maxEnd int64) error {
	name := ""
	if f := in.fc.InputFormat(); f != nil {
		name = f.Name()
	}
	// An MP4/MOV sample table lists every sample, edit-list hidden ones
	// included (frames counts them too); other containers' counts are
	// hints (AVI's disagrees with whole files using packed bitstreams).
	if nb := in.vs.NbFrames(); strings.HasPrefix(name, "mov,") && nb > 0 && int64(frames) < nb {
		return fmt.Errorf("the header lists %d video frames, the file holds %d", nb, frames)
	}
	if !strings.Contains(name, "matroska") && !strings.Contains(name, "mp4") && !strings.Contains(name, "avi") {
		return nil // durations estimated from the bit rate prove nothing
	}
	dur, start := in.fc.Duration(), in.fc.StartTime()
	if dur <= 0 || maxEnd == math.MinInt64 {
		return nil
	}
	if start == noPTS {
		start = 0
	}
	const slack = 500000 // µs: muxers round durations, audio priming
	// Matroska's duration may already include the start offset (a
	// recorder's timestamps starting at 3.5 s): the smaller end is enough.
	if declared := min(start+dur, dur); maxEnd < declared-slack {
		return fmt.Errorf("the header declares %s s, the data ends at %s s",
			mediatime.Time(dur).Seconds(), mediatime.Time(maxEnd-start).Seconds())
	}
	return nil
}

// partialTS: an MPEG-TS recording is a whole number of 188-byte packets
// (192 for Blu-ray/AVCHD .m2ts); a file that is not was cut mid-packet.
func partialTS(in *input, size int64) error {
	f := in.fc.InputFormat()
	if f == nil || f.Name() != "mpegts" || size <= 0 {
		return nil
	}
	if size%188 != 0 && size%192 != 0 {
		return fmt.Errorf("the file ends inside a transport packet (%d bytes is not a multiple of 188 or 192)", size)
	}
	return nil
}
