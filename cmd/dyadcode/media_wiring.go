package main

import (
	"dyadcode/annotate"
	"dyadcode/media"
)

// Links FFmpeg (package media) into the commands that only need a hook:
// add-video records a video's duration, frame rate and exact frame count.
func init() {
	probeVideo = func(path string) (annotate.Video, error) {
		in, err := media.Probe(path)
		if err != nil {
			return annotate.Video{}, err
		}
		return annotate.Video{Path: path, Duration: in.Duration, Rate: in.Rate, Frames: in.Frames}, nil
	}
}
