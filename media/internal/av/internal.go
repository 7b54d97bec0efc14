package av

// The FFmpeg fields go-astiav v0.16.0 does not wrap, reached through cgo:
//
//   - AVStream.discard: skip a stream's data in the demuxer (a picture
//     decoder needs no sound, the sound reader no picture: an MP4 demuxer
//     then seeks over the other samples instead of reading them).
//   - AVStream.disposition: cover art in audio files is a one-picture
//     "video" stream flagged attached_pic, not a video.
//   - AVStream.codecpar->field_order: whether pictures are whole frames.
//   - avcodec_flush_buffers: drop the decoder's queued frames after a seek,
//     instead of reopening it (with frame threading, a new thread pool
//     per seek).
//   - AVCodecContext.skip_frame: skip non-reference frames before a seek
//     target.
//   - an AVPacket's bytes, to read H.264 NAL headers (nal_ref_idc).
//
// astiav keeps the AVStream, AVCodecContext and AVPacket pointers in an
// unexported first field. The accessors below read it only after checking,
// at run time, that the struct is what this was written for (its size, and
// a field read through the pointer equals what astiav's own getter says);
// otherwise they return nil and the callers fall back to doing without.
// TestLayout fails loudly if an astiav upgrade breaks the assumption.

/*
#cgo pkg-config: libavcodec libavformat libavutil
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <string.h>

static int av_stream_index(const AVStream *s) { return s->index; }
static void av_discard_all(AVStream *s) { s->discard = AVDISCARD_ALL; }
static int av_discarded(const AVStream *s) { return s->discard == AVDISCARD_ALL; }
static int av_attached_pic(const AVStream *s) { return (s->disposition & AV_DISPOSITION_ATTACHED_PIC) != 0; }
static int av_progressive(const AVStream *s) { return s->codecpar->field_order == AV_FIELD_PROGRESSIVE; }

// av_cc_is reports whether c looks like the AVCodecContext of a codec id.
static int av_cc_is(const AVCodecContext *c, int id) {
	return c->av_class && c->av_class->class_name && strcmp(c->av_class->class_name, "AVCodecContext") == 0 && (int)c->codec_id == id;
}
static void av_flush(AVCodecContext *c) { avcodec_flush_buffers(c); }
static void av_skip_nonref(AVCodecContext *c, int on) { c->skip_frame = on ? AVDISCARD_NONREF : AVDISCARD_DEFAULT; }
static int av_skip_frame(const AVCodecContext *c) { return c->skip_frame; }

static int av_packet_size(const AVPacket *p) { return p->size; }
static int av_packet_stream(const AVPacket *p) { return p->stream_index; }

// av_h264_nonref reports whether an H.264 packet holds only non-reference
// pictures: every coded slice (NAL types 1-5) has nal_ref_idc 0. lensize is
// the NAL length prefix size of avcC ("mp4") streams, 0 for Annex B start
// codes. Anything it cannot parse counts as a reference (returns 0).
static int av_h264_nonref(const AVPacket *p, int lensize) {
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
*/
import "C"

import (
	"unsafe"

	"github.com/asticode/go-astiav"
)

// firstField reads the pointer astiav keeps as the first field of *T, if
// T's size is at least a pointer's (checked again by each caller's field
// comparison).
func firstField[T any](v *T, size uintptr) unsafe.Pointer {
	if v == nil || unsafe.Sizeof(*v) != size {
		return nil
	}
	return *(*unsafe.Pointer)(unsafe.Pointer(v))
}

// Sizes of astiav v0.16.0's structs: Stream and Packet hold the C pointer
// only, CodecContext the pointer and a *HardwareDeviceContext.
const (
	ptrSize          = unsafe.Sizeof(uintptr(0))
	streamSize       = ptrSize
	packetSize       = ptrSize
	codecContextSize = 2 * ptrSize
)

// stream is the AVStream behind s, or nil if the layout is not the known one.
func stream(s *astiav.Stream) *C.AVStream {
	p := firstField(s, streamSize)
	if p == nil {
		return nil
	}
	cs := (*C.AVStream)(p)
	if int(C.av_stream_index(cs)) != s.Index() {
		return nil
	}
	return cs
}

// codecContext is the AVCodecContext behind cc, or nil if the layout is
// not the known one.
func codecContext(cc *astiav.CodecContext) *C.AVCodecContext {
	p := firstField(cc, codecContextSize)
	if p == nil {
		return nil
	}
	c := (*C.AVCodecContext)(p)
	if C.av_cc_is(c, C.int(cc.CodecID())) == 0 {
		return nil
	}
	return c
}

// packet is the AVPacket behind p, or nil if the layout is not the known one.
func packet(p *astiav.Packet) *C.AVPacket {
	ptr := firstField(p, packetSize)
	if ptr == nil {
		return nil
	}
	c := (*C.AVPacket)(ptr)
	if int(C.av_packet_size(c)) != p.Size() || int(C.av_packet_stream(c)) != p.StreamIndex() {
		return nil
	}
	return c
}

// Discard makes the demuxer skip s's packets without reading them (as the
// ffmpeg command does for streams it does not use); false if it could not.
func Discard(s *astiav.Stream) bool {
	cs := stream(s)
	if cs != nil {
		C.av_discard_all(cs)
	}
	return cs != nil
}

// Discarded reports whether s is marked to be skipped.
func Discarded(s *astiav.Stream) bool {
	cs := stream(s)
	return cs != nil && C.av_discarded(cs) != 0
}

// AttachedPic reports whether s is cover art rather than video.
func AttachedPic(s *astiav.Stream) bool {
	cs := stream(s)
	return cs != nil && C.av_attached_pic(cs) != 0
}

// Progressive reports whether s's pictures are known to be whole frames
// (field_order progressive), not interlaced fields that may come one per
// packet.
func Progressive(s *astiav.Stream) bool {
	cs := stream(s)
	return cs != nil && C.av_progressive(cs) != 0
}

// Flush drops the decoder's queued frames; false if it could not (the
// caller then reopens the decoder).
func Flush(cc *astiav.CodecContext) bool {
	c := codecContext(cc)
	if c != nil {
		C.av_flush(c)
	}
	return c != nil
}

// SetSkipNonRef makes the decoder skip (on) or decode (off) non-reference
// frames; false if it could not.
func SetSkipNonRef(cc *astiav.CodecContext, on bool) bool {
	c := codecContext(cc)
	if c == nil {
		return false
	}
	v := C.int(0)
	if on {
		v = 1
	}
	C.av_skip_nonref(c, v)
	return true
}

// skipFrame is AVCodecContext.skip_frame (for the layout test).
func skipFrame(cc *astiav.CodecContext) int {
	c := codecContext(cc)
	if c == nil {
		return -1
	}
	return int(C.av_skip_frame(c))
}

// H264NonRef reports whether an H.264 packet holds only non-reference
// pictures; lenSize is the avcC NAL length size, 0 for Annex B. false when
// unsure.
func H264NonRef(p *astiav.Packet, lenSize int) bool {
	c := packet(p)
	return c != nil && C.av_h264_nonref(c, C.int(lenSize)) != 0
}
