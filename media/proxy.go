package media

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/asticode/go-astiav"

	"dyadcode/annotate"
)

// ProxyOptions tune MakeProxy.
type ProxyOptions struct {
	// GOP is the keyframe interval in frames (0 = 12): every seek then
	// decodes at most GOP-1 frames.
	GOP int
	// Quality is the MPEG-4 quantiser, 2 (best, biggest) to 31 (0 = 3).
	Quality int
}

// ProxyCodec is the proxy's video codec, as Probe names it.
//
// Why MPEG-4 Part 2 (FFmpeg's native "mpeg4" encoder) and not H.264: the
// proxy is made through the FFmpeg libraries dyadcode links, on every OS,
// and the Windows build links an LGPL FFmpeg, which has no x264. Among the
// encoders every FFmpeg build has, MPEG-4 with a short GOP and no B-frames
// decodes fast (a seek decodes at most GOP-1 simple frames) at a fraction of
// all-intra MJPEG's size (MJPEG seeks a frame sooner but is 5 to 10 times
// bigger: gigabytes for a session), and MP4 players all read it.
const ProxyCodec = "mpeg4"

// ErrNoFFmpeg: the ffmpeg command is not installed. MakeProxy no longer
// needs it; the bench uses it as its reference.
var ErrNoFFmpeg = errors.New("the ffmpeg command is not installed")

// MakeProxy transcodes src into a coding-friendly MPEG-4 MP4 at dst: short
// GOP, no B-frames, every frame kept with its timestamp (so frame i has the
// same media time in both files and an observation can point at the proxy
// while its times stay those of the original), audio kept (copied when MP4
// carries it as it is, else AAC). progress gets (media time done,
// duration). The output is written to a temporary file and renamed when it
// has been checked frame for frame against the original.
//
// It runs in-process through the FFmpeg libraries the program links, so no
// ffmpeg command is needed, on any OS.
func MakeProxy(ctx context.Context, src, dst string, opt ProxyOptions, progress func(done, total annotate.Time)) error {
	info, ix, err := scan(src, nil)
	if err != nil {
		return fmt.Errorf("proxy: %w", err)
	}
	if opt.GOP <= 0 {
		opt.GOP = 12
	}
	if opt.Quality <= 0 {
		opt.Quality = 3
	}
	if abs1, _ := filepath.Abs(src); abs1 != "" {
		if abs2, _ := filepath.Abs(dst); abs1 == abs2 {
			return fmt.Errorf("proxy %s: the output would overwrite the original", src)
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".proxy-*.mp4")
	if err != nil {
		return fmt.Errorf("proxy %s: %w", dst, err)
	}
	tmp.Close()
	defer os.Remove(tmp.Name())

	if err := transcodeProxy(ctx, src, tmp.Name(), opt, info.Duration, progress); err != nil {
		return fmt.Errorf("proxy %s: %w", src, err)
	}
	// Check before publishing: same frames at the same media times.
	pix, err := BuildIndex(tmp.Name(), nil)
	if err != nil {
		return fmt.Errorf("proxy %s: the new file does not read back: %w", src, err)
	}
	if pix.Len() != ix.Len() {
		return fmt.Errorf("proxy %s: the proxy has %d frames, the original %d", src, pix.Len(), ix.Len())
	}
	for i := range ix.PTS {
		if d := pix.PTS[i] - ix.PTS[i]; d < -1 || d > 1 {
			return fmt.Errorf("proxy %s: frame %d is at %s s in the proxy, %s s in the original", src, i, pix.PTS[i].Seconds(), ix.PTS[i].Seconds())
		}
	}
	if progress != nil {
		progress(info.Duration, info.Duration)
	}
	// CreateTemp's 0600 would make the proxy private to its maker; like
	// every other output it is for sharing (atomicfile.Perm).
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("proxy %s: %w", dst, err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return fmt.Errorf("proxy %s: %w", dst, err)
	}
	return nil
}

// proxyJob holds what transcodeProxy allocates; free releases it all.
type proxyJob struct {
	in       *input
	oc       *astiav.FormatContext
	io       *astiav.IOContext
	vdec     *astiav.CodecContext
	venc     *astiav.CodecContext
	vout     *astiav.Stream
	sws      *astiav.SoftwareScaleContext
	conv     *astiav.Frame // the picture in the encoder's format
	frame    *astiav.Frame
	pkt      *astiav.Packet
	pending  *astiav.Packet // the last video packet, written once the next gives its duration
	lastDur  int64
	pts      []int64 // source timestamps of frames sent to the encoder, oldest first
	sent     int64
	offset   int64 // the file's start time, µs: subtracted so the proxy starts at 0
	audio    *proxyAudio
	duration annotate.Time
}

func (j *proxyJob) free() {
	for _, f := range []*astiav.Frame{j.conv, j.frame} {
		if f != nil {
			f.Free()
		}
	}
	for _, p := range []*astiav.Packet{j.pkt, j.pending} {
		if p != nil {
			p.Free()
		}
	}
	if j.sws != nil {
		j.sws.Free()
	}
	for _, c := range []*astiav.CodecContext{j.vdec, j.venc} {
		if c != nil {
			c.Free()
		}
	}
	if j.audio != nil {
		j.audio.free()
	}
	if j.io != nil {
		j.io.Close()
	}
	if j.oc != nil {
		j.oc.Free()
	}
	if j.in != nil {
		j.in.close()
	}
}

// shift converts a source timestamp of stream s to the proxy's clock: the
// file's start time subtracted (as the ffmpeg command does by default), so
// an MPEG-TS starting at 10 s gives a proxy starting at 0; the index
// counts from frame 0 either way.
func (j *proxyJob) shift(ts int64, tb astiav.Rational) int64 {
	if ts == noPTS || j.offset == 0 {
		return ts
	}
	return ts - astiav.RescaleQ(j.offset, astiav.NewRational(1, astiav.TimeBase), tb)
}

func transcodeProxy(ctx context.Context, src, dst string, opt ProxyOptions, duration annotate.Time, progress func(done, total annotate.Time)) (err error) {
	j := &proxyJob{duration: duration}
	defer j.free()
	if j.in, err = openInput(src); err != nil {
		return err
	}
	if st := j.in.fc.StartTime(); st != noPTS && st > 0 {
		j.offset = st
	}
	if err := j.openVideo(dst, opt); err != nil {
		return err
	}
	if j.in.as != nil {
		if j.audio, err = newProxyAudio(j, j.in.as); err != nil {
			return err
		}
	}
	if j.io, err = astiav.OpenIOContext(dst, astiav.NewIOContextFlags(astiav.IOContextFlagWrite)); err != nil {
		return fmt.Errorf("create %s: %w", dst, err)
	}
	j.oc.SetPb(j.io)
	mux := astiav.NewDictionary()
	defer mux.Free()
	mux.Set("movflags", "+faststart", 0)
	if tb := j.in.vs.TimeBase(); tb.Num() == 1 && tb.Den() > 0 {
		// The original's clock, so timestamps convert without rounding.
		mux.Set("video_track_timescale", strconv.Itoa(tb.Den()), 0)
	}
	if err := j.oc.WriteHeader(mux); err != nil {
		return fmt.Errorf("write the MP4 header: %w", err)
	}

	j.pkt = astiav.AllocPacket()
	j.frame = astiav.AllocFrame()
	vi := j.in.vs.Index()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := j.in.fc.ReadFrame(j.pkt); err != nil {
			if errors.Is(err, astiav.ErrEof) {
				break
			}
			return fmt.Errorf("read: %w", err)
		}
		switch {
		case j.pkt.StreamIndex() == vi:
			err = j.decodeVideo(j.pkt, progress)
		case j.audio != nil && j.pkt.StreamIndex() == j.in.as.Index():
			err = j.audio.packet(j.pkt)
		}
		j.pkt.Unref()
		if err != nil {
			return err
		}
	}
	// Drain: decoder, then encoder, then the held-back packet.
	if err := j.decodeVideo(nil, progress); err != nil {
		return err
	}
	if err := j.encode(nil); err != nil {
		return err
	}
	if err := j.flushPending(true); err != nil {
		return err
	}
	if j.audio != nil {
		if err := j.audio.drain(); err != nil {
			return err
		}
	}
	if err := j.oc.WriteTrailer(); err != nil {
		return fmt.Errorf("finish the MP4: %w", err)
	}
	return nil
}

func (j *proxyJob) openVideo(dst string, opt ProxyOptions) (err error) {
	vs := j.in.vs
	if j.vdec = astiav.AllocCodecContext(j.in.codec); j.vdec == nil {
		return errors.New("allocate the video decoder")
	}
	if err := vs.CodecParameters().ToCodecContext(j.vdec); err != nil {
		return fmt.Errorf("set up the video decoder: %w", err)
	}
	j.vdec.SetThreadCount(0)
	j.vdec.SetThreadType(astiav.ThreadTypeFrame | astiav.ThreadTypeSlice)
	if err := j.vdec.Open(j.in.codec, nil); err != nil {
		return fmt.Errorf("open the %s decoder: %w", j.in.codec.Name(), err)
	}
	if j.oc, err = astiav.AllocOutputFormatContext(nil, "mp4", dst); err != nil || j.oc == nil {
		return fmt.Errorf("this FFmpeg cannot write MP4: %v", err)
	}
	codec := astiav.FindEncoder(astiav.CodecIDMpeg4)
	if codec == nil {
		return errors.New("this FFmpeg has no MPEG-4 encoder")
	}
	if j.venc = astiav.AllocCodecContext(codec); j.venc == nil {
		return errors.New("allocate the MPEG-4 encoder")
	}
	w, h := j.vdec.Width(), j.vdec.Height()
	j.venc.SetWidth(w)
	j.venc.SetHeight(h)
	j.venc.SetPixelFormat(astiav.PixelFormatYuv420P)
	j.venc.SetSampleAspectRatio(j.vdec.SampleAspectRatio())
	// The encoder counts frames (MPEG-4 allows time bases up to 1/65535
	// only, MPEG-TS has 1/90000); each packet gets its frame's original
	// timestamp back on the way to the muxer (see encode).
	rate := j.in.fc.GuessFrameRate(vs, nil)
	if rate.Num() <= 0 || rate.Den() <= 0 || rate.Num() > 65535 {
		rate = astiav.NewRational(25, 1)
	}
	j.venc.SetFramerate(rate)
	j.venc.SetTimeBase(astiav.NewRational(rate.Den(), rate.Num()))
	if j.oc.OutputFormat().Flags().Has(astiav.IOFormatFlagGlobalheader) {
		j.venc.SetFlags(j.venc.Flags().Add(astiav.CodecContextFlagGlobalHeader))
	}
	enc := astiav.NewDictionary()
	defer enc.Free()
	for k, v := range map[string]string{
		"g":  strconv.Itoa(opt.GOP),
		"bf": "0", // frames leave the encoder in the order they came
		// Keyframes exactly every GOP frames, none at scene changes.
		"sc_threshold":   "1000000000",
		"flags":          "+qscale",
		"global_quality": strconv.Itoa(opt.Quality * 118), // FF_QP2LAMBDA
		"threads":        "auto",
	} {
		enc.Set(k, v, 0)
	}
	if err := j.venc.Open(codec, enc); err != nil {
		return fmt.Errorf("open the MPEG-4 encoder (%dx%d): %w", w, h, err)
	}
	if j.vout = j.oc.NewStream(nil); j.vout == nil {
		return errors.New("add the video stream")
	}
	if err := j.vout.CodecParameters().FromCodecContext(j.venc); err != nil {
		return fmt.Errorf("video stream parameters: %w", err)
	}
	j.vout.SetTimeBase(vs.TimeBase())
	j.vout.SetSampleAspectRatio(j.vdec.SampleAspectRatio())
	// A phone's portrait video is landscape pixels plus a rotation: keep it.
	if m := vs.SideData(astiav.PacketSideDataTypeDisplaymatrix); len(m) > 0 {
		if err := j.vout.AddSideData(astiav.PacketSideDataTypeDisplaymatrix, m); err != nil {
			return fmt.Errorf("copy the rotation: %w", err)
		}
	}
	return nil
}

// decodeVideo sends p (nil: end of stream) to the decoder and encodes
// every frame that comes out.
func (j *proxyJob) decodeVideo(p *astiav.Packet, progress func(done, total annotate.Time)) error {
	if err := j.vdec.SendPacket(p); err != nil && !errors.Is(err, astiav.ErrEof) {
		if p == nil {
			return fmt.Errorf("decode video: %w", err)
		}
		// A damaged packet: the scan accepted the file up to its damage,
		// and the frame check after encoding tells whether frames are
		// missing.
		return nil
	}
	for {
		err := j.vdec.ReceiveFrame(j.frame)
		if errors.Is(err, astiav.ErrEagain) || errors.Is(err, astiav.ErrEof) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("decode video: %w", err)
		}
		ts := bestEffort(j.frame)
		if err := j.encode(j.frame); err != nil {
			return err
		}
		j.frame.Unref()
		if progress != nil && ts != noPTS && j.sent%25 == 0 {
			done := rawToTime(j.shift(ts, j.in.vs.TimeBase()), annotate.Rate{Num: int64(j.in.vs.TimeBase().Num()), Den: int64(j.in.vs.TimeBase().Den())})
			progress(max(0, min(done, j.duration)), j.duration)
		}
	}
}

// encode converts f to the encoder's format and sends it (nil: drain),
// then writes every packet the encoder has.
func (j *proxyJob) encode(f *astiav.Frame) error {
	var send *astiav.Frame
	if f != nil {
		ts := bestEffort(f)
		if ts == noPTS {
			ts = f.Pts()
		}
		j.pts = append(j.pts, ts)
		send = f
		if f.PixelFormat() != astiav.PixelFormatYuv420P || f.Width() != j.venc.Width() || f.Height() != j.venc.Height() {
			if j.sws == nil {
				var err error
				j.sws, err = astiav.CreateSoftwareScaleContext(f.Width(), f.Height(), f.PixelFormat(), j.venc.Width(), j.venc.Height(),
					astiav.PixelFormatYuv420P, astiav.NewSoftwareScaleContextFlags(astiav.SoftwareScaleContextFlagBicubic))
				if err != nil {
					return fmt.Errorf("convert %s to yuv420p: %w", f.PixelFormat(), err)
				}
				j.conv = astiav.AllocFrame()
			}
			j.conv.Unref()
			if err := j.sws.ScaleFrame(f, j.conv); err != nil {
				return fmt.Errorf("convert %s to yuv420p: %w", f.PixelFormat(), err)
			}
			send = j.conv
		}
		send.SetPictureType(astiav.PictureTypeNone)
		send.SetPts(j.sent)
		j.sent++
	}
	if err := j.venc.SendFrame(send); err != nil {
		return fmt.Errorf("encode video: %w", err)
	}
	for {
		out := astiav.AllocPacket()
		err := j.venc.ReceivePacket(out)
		if errors.Is(err, astiav.ErrEagain) || errors.Is(err, astiav.ErrEof) {
			out.Free()
			return nil
		}
		if err != nil {
			out.Free()
			return fmt.Errorf("encode video: %w", err)
		}
		if len(j.pts) == 0 {
			out.Free()
			return errors.New("encode video: the encoder returned more packets than it was given frames")
		}
		// No B-frames: packets come out in the order frames went in.
		tb := j.in.vs.TimeBase()
		ts := j.shift(j.pts[0], tb)
		j.pts = j.pts[1:]
		out.SetPts(astiav.RescaleQ(ts, tb, j.vout.TimeBase()))
		out.SetDts(out.Pts())
		out.SetStreamIndex(j.vout.Index())
		if err := j.flushPending(false, out.Pts()); err != nil {
			out.Free()
			return err
		}
		j.pending = out
	}
}

// flushPending writes the held-back video packet with its duration: up to
// next's timestamp, or, for the last one, the duration of the one before.
func (j *proxyJob) flushPending(last bool, next ...int64) error {
	p := j.pending
	if p == nil {
		return nil
	}
	j.pending = nil
	defer p.Free()
	if !last && len(next) == 1 {
		j.lastDur = next[0] - p.Pts()
	}
	if j.lastDur > 0 {
		p.SetDuration(j.lastDur)
	}
	if err := j.oc.WriteInterleavedFrame(p); err != nil {
		return fmt.Errorf("write video: %w", err)
	}
	return nil
}
