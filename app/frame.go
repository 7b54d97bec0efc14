package app

import (
	"dyadcode/annotate"
	"dyadcode/media"
)

// FrameRequest picks a frame of a video and the size to save it at.
type FrameRequest struct {
	ByTime bool          // pick by time (At) instead of by number (Index)
	Index  int64         // the frame number, from 0
	At     annotate.Time // the media time; the frame on screen then
	// Width and Height scale the picture; 0 keeps the video's size.
	Width, Height int
}

// SaveFrame writes one frame of video to out as PNG, after the output
// checks (never over a project or a video) and whole or not at all.
func SaveFrame(video, out string, req FrameRequest) (media.Frame, error) {
	if err := CheckOutput(out); err != nil {
		return media.Frame{}, err
	}
	d, err := media.Open(video, nil)
	if err != nil {
		return media.Frame{}, err
	}
	defer d.Close()
	d.SetSize(req.Width, req.Height)
	var f media.Frame
	if req.ByTime {
		f, err = d.At(req.At)
	} else {
		f, err = d.Frame(req.Index)
	}
	if err != nil {
		return media.Frame{}, err
	}
	if err := media.WritePNG(out, f.Image); err != nil {
		return media.Frame{}, err
	}
	return f, nil
}
