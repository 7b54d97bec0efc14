package audio

// go-astiav v0.16.0 exposes no access to audio sample data nor a way to cut
// or fabricate audio frames, so these few lines reach AVFrame directly. The
// frames are always allocated by astiav; these helpers only read them or fill
// a fresh frame with FFmpeg's own sample routines. TestCFrameHelpers fails
// loudly if a new FFmpeg or astiav changes the layout they rely on.

//#cgo pkg-config: libavutil
//#include <libavutil/frame.h>
//#include <libavutil/samplefmt.h>
//#include <libavutil/channel_layout.h>
//#include <string.h>
//
// // dy_tail fills dst with src's samples from skip on (an exact seek drops
// // decoded samples before the target).
// static int dy_tail(AVFrame *dst, const AVFrame *src, int skip) {
//   int n = src->nb_samples - skip;
//   if (skip < 0 || n <= 0) return AVERROR(EINVAL);
//   dst->format = src->format;
//   dst->sample_rate = src->sample_rate;
//   int r = av_channel_layout_copy(&dst->ch_layout, &src->ch_layout);
//   if (r < 0) return r;
//   dst->nb_samples = n;
//   r = av_frame_get_buffer(dst, 0);
//   if (r < 0) return r;
//   return av_samples_copy(dst->extended_data, src->extended_data, 0, skip, n,
//                          src->ch_layout.nb_channels, src->format);
// }
//
// // dy_silence fills dst with n samples of silence in like's format (a gap in
// // the audio timestamps, or audio that starts after the first video frame).
// static int dy_silence(AVFrame *dst, const AVFrame *like, int n) {
//   if (n <= 0) return AVERROR(EINVAL);
//   dst->format = like->format;
//   dst->sample_rate = like->sample_rate;
//   int r = av_channel_layout_copy(&dst->ch_layout, &like->ch_layout);
//   if (r < 0) return r;
//   dst->nb_samples = n;
//   r = av_frame_get_buffer(dst, 0);
//   if (r < 0) return r;
//   return av_samples_set_silence(dst->extended_data, 0, n,
//                                 like->ch_layout.nb_channels, like->format);
// }
//
// // dy_fix_layout gives a frame whose channels have no known layout (WAV
// // without a channel mask: "1 channels") FFmpeg's default layout for that
// // count, since filter graphs refuse unknown layouts.
// static void dy_fix_layout(AVFrame *f) {
//   if (f->ch_layout.order != AV_CHANNEL_ORDER_UNSPEC) return;
//   int n = f->ch_layout.nb_channels;
//   av_channel_layout_uninit(&f->ch_layout);
//   av_channel_layout_default(&f->ch_layout, n);
// }
//
// // dy_mono writes the mean of f's channels, as floats in full scale, for
// // every sample of f into out (the waveform's mono mix). Any FFmpeg
// // sample format, packed or planar. Returns 0, or -1 for an unknown format.
// static int dy_mono(const AVFrame *f, float *out) {
//   int n = f->nb_samples, ch = f->ch_layout.nb_channels;
//   if (ch <= 0) return -1;
//   int planar = av_sample_fmt_is_planar(f->format);
//   enum AVSampleFormat pf = av_get_packed_sample_fmt(f->format);
//   float inv = 1.0f / ch;
//   for (int i = 0; i < n; i++) {
//     float sum = 0;
//     for (int c = 0; c < ch; c++) {
//       const uint8_t *p = planar ? f->extended_data[c] : f->extended_data[0];
//       int k = planar ? i : i * ch + c;
//       float v;
//       switch (pf) {
//       case AV_SAMPLE_FMT_U8:  v = (((const uint8_t *)p)[k] - 128) / 128.0f; break;
//       case AV_SAMPLE_FMT_S16: v = ((const int16_t *)p)[k] / 32768.0f; break;
//       case AV_SAMPLE_FMT_S32: v = ((const int32_t *)p)[k] / 2147483648.0f; break;
//       case AV_SAMPLE_FMT_S64: v = (float)(((const int64_t *)p)[k] / 9223372036854775808.0); break;
//       case AV_SAMPLE_FMT_FLT: v = ((const float *)p)[k]; break;
//       case AV_SAMPLE_FMT_DBL: v = (float)((const double *)p)[k]; break;
//       default: return -1;
//       }
//       sum += v;
//     }
//     out[i] = sum * inv;
//   }
//   return 0;
// }
//
// static int64_t dy_best_ts(const AVFrame *f) { return f->best_effort_timestamp; }
//
// static const float *dy_floats(const AVFrame *f) { return (const float *)f->data[0]; }
// static int dy_channels(const AVFrame *f) { return f->ch_layout.nb_channels; }
import "C"

import (
	"fmt"
	"unsafe"

	"github.com/asticode/go-astiav"
)

func cframe(f *astiav.Frame) *C.AVFrame { return (*C.AVFrame)(f.UnsafePointer()) }

// frameTail makes dst hold src's samples from index skip on.
func frameTail(dst, src *astiav.Frame, skip int) error {
	if r := C.dy_tail(cframe(dst), cframe(src), C.int(skip)); r < 0 {
		return astiav.Error(r)
	}
	return nil
}

// frameSilence makes dst hold n silent samples in like's format.
func frameSilence(dst, like *astiav.Frame, n int) error {
	if r := C.dy_silence(cframe(dst), cframe(like), C.int(n)); r < 0 {
		return astiav.Error(r)
	}
	return nil
}

// fixLayout replaces an unspecified channel layout by the default one.
func fixLayout(f *astiav.Frame) { C.dy_fix_layout(cframe(f)) }

// monoMix writes the mean of f's channels for each sample into dst (which
// it grows as needed) and returns it.
func monoMix(f *astiav.Frame, dst []float32) ([]float32, error) {
	n := f.NbSamples()
	if n <= 0 {
		return dst[:0], nil
	}
	if cap(dst) < n {
		dst = make([]float32, n)
	}
	dst = dst[:n]
	if C.dy_mono(cframe(f), (*C.float)(unsafe.Pointer(&dst[0]))) < 0 {
		return dst[:0], fmt.Errorf("sample format %s not supported", f.SampleFormat().Name())
	}
	return dst, nil
}

// frameTime is the frame's best-effort timestamp (pts, else guessed from
// the packet's dts), or astiav.NoPtsValue.
func frameTime(f *astiav.Frame) int64 { return int64(C.dy_best_ts(cframe(f))) }

// frameChannels is the channel count of f.
func frameChannels(f *astiav.Frame) int { return int(C.dy_channels(cframe(f))) }

// packedFloats views the interleaved float32 samples of a packed
// AV_SAMPLE_FMT_FLT frame (what our filter graphs end with). The slice
// aliases FFmpeg's buffer: copy out before the frame is unreferenced.
func packedFloats(f *astiav.Frame) []float32 {
	n := f.NbSamples() * frameChannels(f)
	p := C.dy_floats(cframe(f))
	if n <= 0 || p == nil {
		return nil
	}
	return unsafe.Slice((*float32)(unsafe.Pointer(p)), n)
}
