package ui

import (
	"context"
	"errors"
	"fmt"

	"fyne.io/fyne/v2"

	"dyadcode/annotate"
	"dyadcode/media"
	"dyadcode/media/audio"
	"dyadcode/store/demo"
)

// playerAudio plays the soundtrack; tests turn it off so they never touch
// a sound device.
var playerAudio = true

// Media wiring: the ui package reaches FFmpeg only through these hooks.
func init() {
	probeVideo = func(path string) (annotate.Video, error) {
		in, err := media.Probe(path)
		if err != nil {
			return annotate.Video{}, err
		}
		return annotate.Video{Path: path, Duration: in.Duration, Rate: in.Rate, Frames: in.Frames}, nil
	}
	endOfVideo = media.ErrEOF
	openPlayer = openMediaPlayer
	if demo.Probe == nil { // the demo project records the clip as probed
		demo.Probe = probeVideo
	}
}

// indexKey names a video's frame index in the project's cache: by content,
// so a moved or renamed file keeps its index.
func indexKey(v annotate.Video) string { return "media-index:" + v.Fingerprint }

func openMediaPlayer(v annotate.Video, c videoCache, show func(frame), fail func(error)) (Player, error) {
	var ix *media.Index
	if c != nil && v.Fingerprint != "" {
		if data, err := c.Cache(indexKey(v)); err == nil {
			ix, _ = media.UnmarshalIndex(data) // a damaged entry is simply rebuilt
		}
	}
	p, err := media.OpenPlayer(v.Path, media.PlayerOptions{Index: ix, Audio: playerAudio})
	if err != nil {
		return nil, err
	}
	if ix == nil && c != nil && v.Fingerprint != "" {
		if err := c.PutCache(indexKey(v), p.Index().Marshal()); err != nil {
			fyne.LogError("cache the frame index", err) // only costs a rescan next time
		}
	}
	p.OnFrame(func(f media.Frame) { show(frame{Index: f.Index, Time: f.Time, Image: f.Image}) })
	p.OnError(fail)
	return p, nil
}

// waveBuckets is how many peaks the waveform lane gets: one per 20 ms,
// between 1000 and 200,000 (enough to see syllables when zoomed in, small
// enough to cache).
func waveBuckets(d annotate.Time) int {
	return int(min(max(int64(d/(20*annotate.Millisecond)), 1000), 200_000))
}

// loadWaveform gives the timeline its audio lane: from the project's cache,
// or decoded once (off the UI goroutine; a long file takes seconds) and
// cached. A video without sound simply has no lane.
func (s *shell) loadWaveform(v *codingView, video annotate.Video) {
	if v.tl == nil {
		return
	}
	n := waveBuckets(video.Duration)
	key := fmt.Sprintf("waveform:%s:%d", video.Fingerprint, n)
	proj := s.proj
	if data, err := proj.Cache(key); err == nil && video.Fingerprint != "" {
		if peaks, err := audio.UnmarshalPeaks(data); err == nil {
			uiDo(func() { v.tl.setWaveform(peaks) })
			return
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	uiDo(func() { v.stopWave = cancel })
	spawn(func() {
		defer cancel()
		peaks, err := audio.WaveformOf(video.Path, n, audio.WaveformOptions{Context: ctx})
		switch {
		case errors.Is(err, audio.ErrNoAudio), ctx.Err() != nil:
			return
		case err == nil && video.Fingerprint != "":
			if perr := proj.PutCache(key, audio.MarshalPeaks(peaks)); perr != nil {
				fyne.LogError("cache the waveform", perr)
			}
		case err != nil:
			fyne.LogError("waveform of "+video.Path, err) // damaged: show what could be read
		}
		if len(peaks) > 0 {
			uiDo(func() { v.tl.setWaveform(peaks) })
		}
	})
}
