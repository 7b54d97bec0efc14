package ui

import (
	"testing"
	"time"

	"dyadcode/media"
)

// TestLagNoticeOffersProxy: when the player reports that this computer
// cannot keep up, the window says so and offers a proxy; accepting makes
// it (a real transcode through app.MakeProxy), records it in the project and
// reopens the observation playing it.
func TestLagNoticeOffersProxy(t *testing.T) {
	h := openCoding(t, makeProject(t))
	v := h.view()
	video := v.video
	if video.Proxy != "" {
		t.Fatalf("the test video already has a proxy: %s", video.Proxy)
	}
	h.s.lagNotice(v, video, media.Lag{Path: video.Path, Window: 2 * time.Second, Shown: 5, Dropped: 45, Speed: 0.1, SpeedAsked: 1})
	pump()
	tapButton(t, h, "Yes")
	waitFor(t, "the proxy to be made and played", func() bool {
		got, err := h.s.proj.Video(video.ID)
		return err == nil && got.Proxy != "" && h.s.view != v && h.s.view != nil && h.s.view.player != nil
	})
	got, _ := h.s.proj.Video(video.ID)
	info, err := media.Probe(got.Proxy)
	if err != nil {
		t.Fatalf("the proxy does not open: %v", err)
	}
	if info.Frames != 75 {
		t.Errorf("proxy has %d frames, the original 75", info.Frames)
	}
}
