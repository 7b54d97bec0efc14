package media

// The few FFmpeg calls go-astiav v0.16.0 does not wrap, reached through cgo:
//
//   - AVFrame.best_effort_timestamp: the timestamp ffprobe lists, which
//     astiav does not expose.
//   - sws_scale straight into the Go-owned pixels of a reused *image.RGBA,
//     with the frame's colour matrix and range, so conversion allocates
//     nothing per frame and copies the picture once.
//
// Stream, decoder and packet fields astiav does not wrap are reached through
// media/internal/av, the one guarded place for them.

/*
#cgo pkg-config: libavcodec libavformat libavutil libswscale
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>

static int64_t dc_best_effort(AVFrame *f) { return f->best_effort_timestamp; }

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
