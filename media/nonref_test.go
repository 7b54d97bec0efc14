package media

import (
	"errors"
	"testing"

	"github.com/asticode/go-astiav"

	"dyadcode/media/internal/av"
	"dyadcode/media/mediatest"
)

// TestH264NonRef: the NAL header check that decides which packets before a
// seek target are left out of the decoder. Anything it cannot parse must
// count as a reference, since leaving out a reference picture would change
// every frame after it.
func TestH264NonRef(t *testing.T) {
	// NAL header bytes: forbidden bit, nal_ref_idc (2 bits), type (5 bits).
	const (
		sliceRef    = 0x41 // ref_idc 2, type 1 (non-IDR slice)
		sliceNonRef = 0x01 // ref_idc 0, type 1
		idr         = 0x65 // ref_idc 3, type 5
		sei         = 0x06 // ref_idc 0, type 6 (not a slice)
		aud         = 0x09
	)
	avcc := func(nals ...[]byte) []byte { // 4-byte length prefixes
		var b []byte
		for _, n := range nals {
			b = append(b, byte(len(n)>>24), byte(len(n)>>16), byte(len(n)>>8), byte(len(n)))
			b = append(b, n...)
		}
		return b
	}
	annexB := func(nals ...[]byte) []byte {
		var b []byte
		for _, n := range nals {
			b = append(b, 0, 0, 0, 1)
			b = append(b, n...)
		}
		return b
	}
	for _, c := range []struct {
		name    string
		data    []byte
		lenSize int
		want    bool
	}{
		{"avcC non-reference slice", avcc([]byte{sliceNonRef, 0x9a, 0x10}), 4, true},
		{"avcC SEI then non-reference slice", avcc([]byte{sei, 5, 1, 0x80}, []byte{sliceNonRef, 0x9a}), 4, true},
		{"avcC reference slice", avcc([]byte{sliceRef, 0x9a, 0x10}), 4, false},
		{"avcC IDR", avcc([]byte{idr, 0x88, 0x84}), 4, false},
		{"avcC non-reference then reference slice", avcc([]byte{sliceNonRef, 1}, []byte{sliceRef, 1}), 4, false},
		{"avcC no slice at all", avcc([]byte{sei, 5, 1, 0x80}), 4, false},
		{"avcC length past the end", append([]byte{0, 0, 0, 9, sliceNonRef}, 1, 2), 4, false},
		{"avcC zero length", []byte{0, 0, 0, 0, sliceNonRef}, 4, false},
		{"avcC truncated prefix", []byte{0, 0}, 4, false},
		{"avcC 2-byte lengths", []byte{0, 2, sliceNonRef, 0x9a}, 2, true},
		{"Annex B non-reference slice", annexB([]byte{aud, 0x10}, []byte{sliceNonRef, 0x9a}), 0, true},
		{"Annex B 3-byte start code", []byte{0, 0, 1, sliceNonRef, 0x9a}, 0, true},
		{"Annex B reference slice", annexB([]byte{aud, 0x10}, []byte{sliceRef, 0x9a}), 0, false},
		{"Annex B no start code", []byte{sliceNonRef, 0x9a, 0x10}, 0, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := astiav.AllocPacket()
			defer p.Free()
			if err := p.FromData(c.data); err != nil {
				t.Fatal(err)
			}
			if got := av.H264NonRef(p, c.lenSize); got != c.want {
				t.Fatalf("av.H264NonRef(% x, %d) = %v, want %v", c.data, c.lenSize, got, c.want)
			}
		})
	}
	if got := av.H264NonRef(astiav.AllocPacket(), 4); got {
		t.Fatal("an empty packet counts as non-reference")
	}
}

// TestNonRefDropped: on real H.264 files in each container layout (avcC in
// MP4 and Matroska, Annex B in MPEG-TS) keyframes are never taken for
// non-reference pictures, some B-frames are, and a far seek leaves those out
// of the decoder (TestExactSeek checks the frames still come out exact).
// Other codecs, and interlaced H.264, keep using skip_frame only.
func TestNonRefDropped(t *testing.T) {
	for _, c := range []struct {
		spec   mediatest.Spec
		h264   bool
		target int64
	}{
		{mediatest.H264LongGOP, true, 240},
		{mediatest.MPEGTS, true, 45},
		{mediatest.OpenGOP, true, 35},
		{mediatest.VP9WebM, false, 45},
		// Interlaced (field-coded) H.264: left to skip_frame.
		{mediatest.Spec{Name: "h264_interlaced", Ext: ".mp4", Frames: 50, Args: []string{
			"-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-frames:v", "50", "-c:v", "libx264",
			"-preset", "ultrafast", "-flags", "+ilme+ildct", "-x264-params", "tff=1:bframes=3:b-pyramid=normal",
			"-g", "50", "-pix_fmt", "yuv420p", "-an"}}, false, 45},
	} {
		t.Run(c.spec.Name, func(t *testing.T) {
			path := mediatest.Path(t, c.spec)
			d, err := OpenWith(path, nil, DecoderOptions{CacheBytes: -1})
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			if (d.h264Len >= 0) != c.h264 {
				t.Fatalf("h264Len %d for %s", d.h264Len, c.spec.Name)
			}
			if c.h264 {
				in, err := openInput(path) // the decoder's own demuxer stays at the start
				if err != nil {
					t.Fatal(err)
				}
				defer in.close()
				var packets, nonRef int
				pkt := astiav.AllocPacket()
				defer pkt.Free()
				for {
					if err := in.fc.ReadFrame(pkt); err != nil {
						if !errors.Is(err, astiav.ErrEof) {
							t.Fatal(err)
						}
						break
					}
					if pkt.StreamIndex() == in.vs.Index() {
						packets++
						if av.H264NonRef(pkt, d.h264Len) {
							nonRef++
							if pkt.Flags().Has(astiav.PacketFlagKey) {
								t.Fatalf("keyframe packet at pts %d taken for a non-reference picture", pkt.Pts())
							}
						}
					}
					pkt.Unref()
				}
				if nonRef == 0 || nonRef >= packets/2 {
					t.Fatalf("%d of %d packets non-reference; want some B-frames, never most packets", nonRef, packets)
				}
			}
			if _, err := d.Frame(c.target); err != nil {
				t.Fatal(err)
			}
			if got := d.NonRefDropped > 0; got != c.h264 {
				t.Fatalf("seek to %d dropped %d non-reference packets", c.target, d.NonRefDropped)
			}
		})
	}
}
