package audio

// Reading a video's audio should not read its video. FFmpeg skips the data of
// a stream marked AVDISCARD_ALL (MP4/MOV demuxers then seek over video
// samples instead of reading them: a 1 GB camera file yields its 20 MB of
// sound), but go-astiav v0.16.0 has no setter for AVStream.discard nor an
// accessor for the AVStream behind *astiav.Stream. The pointer is that
// struct's only field; discardOthers checks this at run time (size of the
// struct and the stream's index read back through it) and does nothing if a
// future astiav differs, and TestDiscardOtherStreams fails loudly then.

//#cgo pkg-config: libavformat
//#include <libavformat/avformat.h>
//
// static int dy_stream_index(const AVStream *s) { return s->index; }
// static void dy_discard_all(AVStream *s) { s->discard = AVDISCARD_ALL; }
// static int dy_discarded(const AVStream *s) { return s->discard == AVDISCARD_ALL; }
import "C"

import (
	"unsafe"

	"github.com/asticode/go-astiav"
)

// cstream is the AVStream behind s, or nil if astiav's layout is not the
// one this was written for.
func cstream(s *astiav.Stream) *C.AVStream {
	if s == nil || unsafe.Sizeof(*s) != unsafe.Sizeof(uintptr(0)) {
		return nil
	}
	p := *(*unsafe.Pointer)(unsafe.Pointer(s))
	if p == nil {
		return nil
	}
	cs := (*C.AVStream)(p)
	if int(C.dy_stream_index(cs)) != s.Index() {
		return nil
	}
	return cs
}

// discardOthers tells the demuxer to skip every stream but keep. It returns
// how many streams were marked.
func discardOthers(fc *astiav.FormatContext, keep *astiav.Stream) int {
	n := 0
	for _, s := range fc.Streams() {
		if s.Index() == keep.Index() {
			continue
		}
		if cs := cstream(s); cs != nil {
			C.dy_discard_all(cs)
			n++
		}
	}
	return n
}

// discarded reports whether s is marked to be skipped (for the test).
func discarded(s *astiav.Stream) bool {
	cs := cstream(s)
	return cs != nil && C.dy_discarded(cs) != 0
}
