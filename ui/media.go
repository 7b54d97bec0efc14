package ui

import (
	"fyne.io/fyne/v2"

	"dyadcode/annotate"
	"dyadcode/media"
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
