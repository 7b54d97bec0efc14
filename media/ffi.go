package media

// The few FFmpeg calls go-astiav v0.16.0 does not wrap, reached through cgo:
//
//   - avcodec_flush_buffers: drop the decoder's queued frames after a seek.
//     Without it the only way back to a clean state is closing and reopening
//     the decoder, which with frame threading means tearing down and starting
//     its thread pool for every seek (measured in BenchmarkSeekFlushVsReopen).
//   - AVCodecContext.skip_frame: let the decoder skip non-reference frames
//     that lie before a seek target, which nobody will see.
//   - the H.264 NAL headers of a packet (nal_ref_idc), to leave
//     non-reference pictures before a seek target out of the decoder
//     entirely rather than through skip_frame (see decodeTo).
//   - AVFrame.best_effort_timestamp: the timestamp ffprobe lists, which
//     astiav does not expose.
//   - sws_scale straight into the Go-owned pixels of a reused *image.RGBA,
//     with the frame's colour matrix and range, so conversion allocates
//     nothing per frame and copies the picture once.
//
//   - AVStream.disposition: cover art in audio files is a one-picture
//     "video" stream flagged attached_pic, not a video.
//
// astiav keeps the AVCodecContext, AVStream and AVPacket pointers in an
// unexported first field; codecContextPtr, streamPtr and packetPtr read them. TestAstiavLayout fails loudly if an astiav
// upgrade moves it, so this cannot silently corrupt memory.

/*
#cgo pkg-config: libavcodec libavformat libavutil libswscale
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>

static void dc_flush(AVCodecContext *c) { avcodec_flush_buffers(c); }
static void dc_skip_nonref(AVCodecContext *c, int on) { c->skip_frame = on ? AVDISCARD_NONREF : AVDISCARD_DEFAULT; }
static int dc_skip_frame(AVCodecContext *c) { return c->skip_frame; }
static int64_t dc_best_effort(AVFrame *f) { return f->best_effort_timestamp; }
static int dc_codec_id(AVCodecContext *c) { return c->codec_id; }
static const char *dc_class_name(AVCodecContext *c) { return c->av_class ? c->av_class->class_name : ""; }

// dc_frame_bytes is the memory a decoded picture holds, for the cache budget.
static int64_t dc_frame_bytes(AVFrame *f) {
	int64_t n = 0;
	for (int i = 0; i < AV_NUM_DATA_POINTERS && f->buf[i]; i++) n += f->buf[i]->size;
	if (n == 0) n = (int64_t)f->linesize[0] * f->height * 2;
	return n;
}

// dc_scale converts f into dst (RGBA, dstride bytes a row) at dw x dh,
// reusing *ctx when the geometry is unchanged.
static int dc_scale(struct SwsContext **ctx, AVFrame *f, uint8_t *dst, int dstride, int dw, int dh, int flags) {
	enum AVPixelFormat src = f->format;
	int full = f->color_range == AVCOL_RANGE_JPEG;
	// Deprecated full-range "J" formats: swscale wants the plain format and
	// the range flag instead (it warns and guesses otherwise).
	switch (src) {
	case AV_PIX_FMT_YUVJ420P: src = AV_PIX_FMT_YUV420P; full = 1; break;
	case AV_PIX_FMT_YUVJ422P: src = AV_PIX_FMT_YUV422P; full = 1; break;
	case AV_PIX_FMT_YUVJ444P: src = AV_PIX_FMT_YUV444P; full = 1; break;
	case AV_PIX_FMT_YUVJ440P: src = AV_PIX_FMT_YUV440P; full = 1; break;
	default: break;
	}
	*ctx = sws_getCachedContext(*ctx, f->width, f->height, src, dw, dh, AV_PIX_FMT_RGBA, flags, NULL, NULL, NULL);
	if (!*ctx) return AVERROR(EINVAL);
	int cs = f->colorspace;
	if (cs == AVCOL_SPC_UNSPECIFIED || cs == AVCOL_SPC_RGB || cs > AVCOL_SPC_BT2020_CL) {
		cs = f->height >= 720 ? SWS_CS_ITU709 : SWS_CS_ITU601;
	}
	const AVPixFmtDescriptor *d = av_pix_fmt_desc_get(src);
	if (d && !(d->flags & AV_PIX_FMT_FLAG_RGB)) {
		sws_setColorspaceDetails(*ctx, sws_getCoefficients(cs), full, sws_getCoefficients(SWS_CS_DEFAULT), 1, 0, 1 << 16, 1 << 16);
	}
	uint8_t *dsts[4] = {dst, NULL, NULL, NULL};
	int strides[4] = {dstride, 0, 0, 0};
	int h = sws_scale(*ctx, (const uint8_t *const *)f->data, f->linesize, 0, f->height, dsts, strides);
	return h > 0 ? 0 : AVERROR(EINVAL);
}

static void dc_sws_free(struct SwsContext **ctx) { sws_freeContext(*ctx); *ctx = NULL; }

// dc_h264_nonref reports whether an H.264 packet holds only non-reference
// pictures: every coded slice (NAL types 1-5) has nal_ref_idc 0. lensize is
// the NAL length prefix size of avcC ("mp4") streams, 0 for Annex B start
// codes. Anything it cannot parse counts as a reference (returns 0).
static int dc_h264_nonref(AVPacket *p, int lensize) {
	const uint8_t *b = p->data;
	int n = p->size, slices = 0;
	if (!b || n <= 0) return 0;
	if (lensize > 0) {
		int i = 0;
		while (i < n) {
			if (i + lensize > n) return 0;
			int64_t len = 0;
			for (int k = 0; k < lensize; k++) len = (len << 8) | b[i + k];
			i += lensize;
			if (len <= 0 || len > n - i) return 0;
			int type = b[i] & 0x1f;
			if (type >= 1 && type <= 5) {
				if (b[i] & 0x60) return 0;
				slices++;
			}
			i += (int)len;
		}
		return slices > 0;
	}
	for (int i = 0; i + 3 < n; i++) {
		if (b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1) {
			int h = b[i + 3], type = h & 0x1f;
			if (type >= 1 && type <= 5) {
				if (h & 0x60) return 0;
				slices++;
			}
			i += 3;
		}
	}
	return slices > 0;
}

static int dc_attached_pic(AVStream *s) { return (s->disposition & AV_DISPOSITION_ATTACHED_PIC) != 0; }
static int dc_stream_index(AVStream *s) { return s->index; }
static int dc_progressive(AVStream *s) { return s->codecpar->field_order == AV_FIELD_PROGRESSIVE; }
static void dc_discard_all(AVStream *s) { s->discard = AVDISCARD_ALL; }
*/
import "C"

import (
	"fmt"
	"image"
	"unsafe"

	"github.com/asticode/go-astiav"
)

// noPTS is AV_NOPTS_VALUE.
const noPTS = int64(C.AV_NOPTS_VALUE)

// codecContextPtr returns the AVCodecContext behind cc (see the file comment).
func codecContextPtr(cc *astiav.CodecContext) *C.AVCodecContext {
	return *(**C.AVCodecContext)(unsafe.Pointer(cc))
}

// streamPtr returns the AVStream behind s (see the file comment).
func streamPtr(s *astiav.Stream) *C.AVStream {
	return *(**C.AVStream)(unsafe.Pointer(s))
}

// attachedPic reports whether s is cover art rather than video.
func attachedPic(s *astiav.Stream) bool { return C.dc_attached_pic(streamPtr(s)) != 0 }

// discardStream makes the demuxer skip s's packets without reading them
// (as the ffmpeg command does for streams it does not use).
func discardStream(s *astiav.Stream) { C.dc_discard_all(streamPtr(s)) }

// progressive reports whether s's pictures are known to be whole frames
// (field_order progressive), not interlaced fields that may come one per
// packet.
func progressive(s *astiav.Stream) bool { return C.dc_progressive(streamPtr(s)) != 0 }

func streamIndexC(s *astiav.Stream) int { return int(C.dc_stream_index(streamPtr(s))) }

func flushDecoder(cc *astiav.CodecContext) { C.dc_flush(codecContextPtr(cc)) }

func setSkipNonRef(cc *astiav.CodecContext, on bool) {
	v := C.int(0)
	if on {
		v = 1
	}
	C.dc_skip_nonref(codecContextPtr(cc), v)
}

// packetPtr returns the AVPacket behind p (see the file comment).
func packetPtr(p *astiav.Packet) *C.AVPacket {
	return *(**C.AVPacket)(unsafe.Pointer(p))
}

// h264NonRef reports whether an H.264 packet holds only non-reference
// pictures (see dc_h264_nonref); lenSize is the avcC NAL length size, 0 for
// Annex B.
func h264NonRef(p *astiav.Packet, lenSize int) bool {
	return C.dc_h264_nonref(packetPtr(p), C.int(lenSize)) != 0
}

// h264LengthSize is the NAL length prefix size given by avcC extradata
// (first byte 1), or 0 for Annex B streams (start codes).
func h264LengthSize(extra []byte) int {
	if len(extra) >= 7 && extra[0] == 1 {
		return int(extra[4]&3) + 1
	}
	return 0
}

func frameC(f *astiav.Frame) *C.AVFrame { return (*C.AVFrame)(f.UnsafePointer()) }

// bestEffort is the frame's best-effort timestamp (noPTS if unknown).
func bestEffort(f *astiav.Frame) int64 { return int64(C.dc_best_effort(frameC(f))) }

// frameBytes is the memory a decoded frame keeps alive.
func frameBytes(f *astiav.Frame) int64 { return int64(C.dc_frame_bytes(frameC(f))) }

// scaler converts decoded frames into RGBA with one reused SwsContext.
type scaler struct{ ctx *C.struct_SwsContext }

// swsBilinear is SWS_BILINEAR: fast, and exact when no resize is asked.
const swsBilinear = C.SWS_BILINEAR

// scale converts f into dst, whose bounds give the output size.
func (s *scaler) scale(f *astiav.Frame, dst *image.RGBA) error {
	w, h := dst.Rect.Dx(), dst.Rect.Dy()
	if w <= 0 || h <= 0 || len(dst.Pix) < dst.Stride*h {
		return fmt.Errorf("bad destination %dx%d", w, h)
	}
	if rc := C.dc_scale(&s.ctx, frameC(f), (*C.uint8_t)(unsafe.Pointer(&dst.Pix[0])), C.int(dst.Stride),
		C.int(w), C.int(h), swsBilinear); rc < 0 {
		return fmt.Errorf("convert %s %dx%d to RGBA %dx%d: %w", f.PixelFormat(), f.Width(), f.Height(), w, h, astiav.Error(rc))
	}
	return nil
}

func (s *scaler) free() {
	if s.ctx != nil {
		C.dc_sws_free(&s.ctx)
	}
}

// layoutCheck is used by TestAstiavLayout: the class name and codec id seen
// through codecContextPtr must be those astiav reports.
func layoutCheck(cc *astiav.CodecContext) (className string, id int, skip int) {
	p := codecContextPtr(cc)
	return C.GoString(C.dc_class_name(p)), int(C.dc_codec_id(p)), int(C.dc_skip_frame(p))
}
