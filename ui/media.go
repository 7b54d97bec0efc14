package ui

import (
	"dyadcode/annotate"
	"dyadcode/media"
)

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
}
