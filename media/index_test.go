package media

import (
	"errors"
	"reflect"
	"testing"

	"dyadcode/media/mediatest"
	"dyadcode/mediatime"
)

// TestIndexMatchesFFprobe: the packet-scan index lists exactly ffprobe's
// decoded frames, in display order, with the first frame's time as origin.
func TestIndexMatchesFFprobe(t *testing.T) {
	for _, s := range mediatest.All {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			path := mediatest.Path(t, s)
			var calls int
			ix, err := BuildIndex(path, func(done, total int64) { calls++ })
			if err != nil {
				t.Fatal(err)
			}
			if calls == 0 {
				t.Error("progress never called")
			}
			want := mediatest.SortedPTS(mediatest.ProbeFrames(t, path))
			if len(ix.Raw) != len(want) {
				t.Fatalf("index has %d frames, ffprobe %d", len(ix.Raw), len(want))
			}
			if !reflect.DeepEqual(ix.Raw, want) {
				t.Fatalf("timestamps differ from ffprobe:\n got %v\nwant %v", ix.Raw[:min(10, len(ix.Raw))], want[:min(10, len(want))])
			}
			if ix.PTS[0] != 0 {
				t.Errorf("frame 0 at %v, want 0", ix.PTS[0])
			}
			st := mediatest.ProbeStream(t, path)
			for i, raw := range want {
				tm := mediatime.Time((raw - want[0]) * 1000000 * st.TimeBaseNum / st.TimeBaseDen)
				if d := ix.PTS[i] - tm; d < -1 || d > 1 {
					t.Fatalf("frame %d at %v, ffprobe says %v", i, ix.PTS[i], tm)
				}
			}
			if !ix.Key[0] {
				t.Error("frame 0 is not a keyframe")
			}
			back, err := UnmarshalIndex(ix.Marshal())
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(back, ix) {
				t.Error("Marshal/UnmarshalIndex round trip changed the index")
			}
		})
	}
}

func TestUnmarshalIndexRejects(t *testing.T) {
	ix, err := BuildIndex(mediatest.Path(t, mediatest.NoAudio), nil)
	if err != nil {
		t.Fatal(err)
	}
	good := ix.Marshal()
	for name, b := range map[string][]byte{
		"empty":     nil,
		"magic":     []byte("hello world"),
		"truncated": good[:len(good)/2],
		"trailing":  append(append([]byte{}, good...), 1, 2, 3),
	} {
		if _, err := UnmarshalIndex(b); !errors.Is(err, ErrBadIndex) {
			t.Errorf("%s: err %v, want ErrBadIndex", name, err)
		}
	}
}

func TestFrameAt(t *testing.T) {
	ix := &Index{PTS: []mediatime.Time{0, 40000, 80000, 200000}}
	for _, c := range []struct {
		t    mediatime.Time
		want int64
	}{{-5, 0}, {0, 0}, {39999, 0}, {40000, 1}, {199999, 2}, {200000, 3}, {9e9, 3}} {
		if got := ix.FrameAt(c.t); got != c.want {
			t.Errorf("FrameAt(%d) = %d, want %d", c.t, got, c.want)
		}
	}
}
