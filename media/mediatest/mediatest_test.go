package mediatest

import (
	"os/exec"
	"strings"
	"testing"
)

// TestCatalogue generates every file and checks it is what its spec claims:
// the codec ffprobe reports and the number of video frames.
func TestCatalogue(t *testing.T) {
	codec := map[string]string{
		H264LongGOP.Name: "h264", H264VFR.Name: "h264", NTSC.Name: "h264", MPEG4AVI.Name: "mpeg4",
		VP9WebM.Name: "vp9", MJPEGMOV.Name: "mjpeg", Rotated.Name: "h264", MPEGTS.Name: "h264",
		NoAudio.Name: "h264", LongAudio.Name: "h264", OpenGOP.Name: "h264",
	}
	for _, s := range All {
		t.Run(s.Name, func(t *testing.T) {
			p := Path(t, s)
			if again := Path(t, s); again != p {
				t.Errorf("second Path = %s, want cached %s", again, p)
			}
			st := ProbeStream(t, p)
			if st.Codec != codec[s.Name] {
				t.Errorf("codec %s, want %s", st.Codec, codec[s.Name])
			}
			if n := len(ProbeFrames(t, p)); n != s.Frames {
				t.Errorf("%d frames, want %d", n, s.Frames)
			}
		})
	}
	t.Run("rotation", func(t *testing.T) {
		out, err := exec.Command("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
			"stream_side_data=rotation", "-of", "csv=p=0", Path(t, Rotated)).Output()
		if err != nil || !strings.Contains(string(out), "90") {
			t.Errorf("rotation side data %q (%v), want ±90", out, err)
		}
	})
	t.Run("start time", func(t *testing.T) {
		st := ProbeStream(t, Path(t, MPEGTS))
		if st.StartPTS < 9*90000 {
			t.Errorf("start_pts %d, want about 10 s at 90 kHz", st.StartPTS)
		}
	})
}
