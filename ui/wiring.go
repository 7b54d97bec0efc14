package ui

import (
	"errors"

	"fyne.io/fyne/v2"

	"dyadcode/annotate"
)

// Backend hooks. Each is replaced by a wiring file when its package lands,
// so the window builds and runs with whatever is there.

// errNoDemo: the demo project is not available in this build.
var errNoDemo = errors.New("no demo project in this build")

// ensureDemo makes the demo project in dataDir and returns its path.
var ensureDemo = func(dataDir string) (string, error) { return "", errNoDemo }

// probeVideo fills a Video's duration, rate and frame count from the file.
var probeVideo = func(path string) (annotate.Video, error) { return annotate.Video{Path: path}, nil }

// openPlayer opens a video for the coding view; frames go to show (from the
// player's goroutine), errors to fail. It runs off the UI goroutine.
var openPlayer = func(v annotate.Video, show func(frame), fail func(error)) (Player, error) {
	return nil, errors.New("the media engine is not linked into this build")
}

// attachMedia opens the video off the UI goroutine and hands the player to
// the view when it is ready, so a long index scan never freezes the window.
func (s *shell) attachMedia(v *codingView, video annotate.Video) {
	path := video.Path
	if video.Proxy != "" {
		path = video.Proxy
	}
	video.Path = path
	spawn(func() {
		p, err := openPlayer(video, v.frames, func(err error) {
			uiDo(func() { v.fail("The video player stopped", err) })
		})
		uiDo(func() {
			if s.view != v { // the coder moved on meanwhile
				if p != nil {
					p.Close()
				}
				return
			}
			if err != nil {
				v.noPlayer(err)
				return
			}
			v.attach(p)
		})
	})
}

func (s *shell) reviewMenu() *fyne.Menu { return nil }
