package av

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/asticode/go-astiav"
)

// makeClip writes a small H.264 MP4 with AAC sound with the ffmpeg command.
func makeClip(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "clip.mp4")
	out, err := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
		"-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25", "-f", "lavfi", "-i", "sine=sample_rate=48000",
		"-t", "1", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", p).CombinedOutput()
	if err != nil {
		t.Fatalf("ffmpeg: %v: %s", err, out)
	}
	return p
}

// TestLayout guards the reads of astiav's unexported fields: if go-astiav is
// upgraded and a struct changes, this fails loudly (and the accessors return
// nil, so nothing writes to random memory meanwhile).
func TestLayout(t *testing.T) {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range bi.Deps {
			if m.Path == "github.com/asticode/go-astiav" && m.Version != "v0.16.0" {
				t.Fatalf("go-astiav is %s; internal.go was checked against v0.16.0: re-read stream.go, packet.go and codec_context.go", m.Version)
			}
		}
	}
	for _, id := range []astiav.CodecID{astiav.CodecIDH264, astiav.CodecIDMjpeg, astiav.CodecIDMpeg4} {
		cc := astiav.AllocCodecContext(astiav.FindDecoder(id))
		if codecContext(cc) == nil {
			t.Fatalf("cannot reach the AVCodecContext of a %s decoder: astiav's CodecContext changed", id.Name())
		}
		if skipFrame(cc) != 0 || !SetSkipNonRef(cc, true) || skipFrame(cc) == 0 || !SetSkipNonRef(cc, false) || skipFrame(cc) != 0 {
			t.Errorf("skip_frame did not follow SetSkipNonRef on %s", id.Name())
		}
		cc.Free()
	}
	fc, err := OpenFormat(makeClip(t))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { fc.CloseInput(); fc.Free() }()
	streams := fc.Streams()
	if len(streams) != 2 {
		t.Fatalf("%d streams, want 2", len(streams))
	}
	for _, s := range streams {
		if stream(s) == nil {
			t.Fatalf("cannot reach AVStream %d: astiav's Stream changed", s.Index())
		}
		if AttachedPic(s) {
			t.Errorf("stream %d taken for cover art", s.Index())
		}
	}
	if !Discard(streams[1]) || !Discarded(streams[1]) || Discarded(streams[0]) {
		t.Error("Discard did not mark exactly the audio stream")
	}
	pkt := astiav.AllocPacket()
	defer pkt.Free()
	if err := fc.ReadFrame(pkt); err != nil {
		t.Fatal(err)
	}
	if packet(pkt) == nil {
		t.Fatal("cannot reach the AVPacket: astiav's Packet changed")
	}
}

// TestOpenErrors: every refusal names the file and matches the sentinel a
// caller tests.
func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	clip, err := os.ReadFile(makeClip(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, path string
		want       error
		says       string
	}{
		{"missing", filepath.Join(dir, "nope.mp4"), fs.ErrNotExist, "no such file"},
		{"directory", dir, ErrNotMedia, "directory"},
		{"empty", write("empty.mp4", nil), ErrNotMedia, "an empty file"},
		{"text", write("notes.mp4", []byte("not a video, just words\n")), ErrNotMedia, "demuxer"},
		{"cut before the sample table", write("cut.mp4", clip[:len(clip)/100]), ErrTruncated, "moov"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fc, err := OpenFormat(tc.path)
			if err == nil {
				fc.CloseInput()
				fc.Free()
				t.Fatal("opened")
			}
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.path) || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("error %q: want %v, the path and %q", err, tc.want, tc.says)
			}
		})
	}
}
