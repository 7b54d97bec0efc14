package ui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"dyadcode/annotate"
	"dyadcode/store/demo"
)

// Backend hooks. Each is replaced by a wiring file when its package lands,
// so the window builds and runs with whatever is there.

// errNoDemo: the demo project is not available in this build.
var errNoDemo = errors.New("no demo project in this build")

// ensureDemo makes the demo project in dataDir (once) and returns its path.
var ensureDemo = demo.Ensure

// probeVideo fills a Video's duration, rate and frame count from the file.
var probeVideo = func(path string) (annotate.Video, error) { return annotate.Video{Path: path}, nil }

// videoCache keeps what is slow to rebuild (a video's frame index) between
// sessions; the project file implements it.
type videoCache interface {
	Cache(key string) ([]byte, error)
	PutCache(key string, data []byte) error
}

// openPlayer opens a video for the coding view; frames go to show (from the
// player's goroutine), errors to fail. It runs off the UI goroutine.
var openPlayer = func(v annotate.Video, c videoCache, show func(frame), fail func(error)) (Player, error) {
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
	start := v.cur.Time
	spawn(func() {
		p, err := openPlayer(video, s.proj, v.frames, func(err error) {
			uiDo(func() { v.fail("The video player stopped", err) })
		})
		if err == nil {
			// Show where the coder left off before handing the player over.
			if serr := p.Seek(start); serr != nil && !isEndOfVideo(serr) {
				uiDo(func() { v.fail("Could not return to where you left off", serr) })
			}
		}
		uiDo(func() {
			if s.view != v { // the coder moved on meanwhile
				if p != nil {
					p.Close()
				}
				return
			}
			if err != nil {
				v.noPlayer(fmt.Errorf("%s: %w", filepath.Base(path), err))
				s.showError("Could not open the video "+filepath.Base(path), err, videoAdvice(err))
				return
			}
			v.attach(p)
		})
		if err == nil {
			s.loadWaveform(v, video)
		}
	})
}

// videoAdvice says what to do when a video cannot be opened.
func videoAdvice(err error) string {
	switch {
	case errors.Is(err, os.ErrNotExist):
		return "The file has moved or its drive is not mounted. Mount it, or run dyadcode relocate PROJECT.dyad FOLDER to find it by content. You can still code by frame without the picture."
	case errors.Is(err, os.ErrPermission):
		return "You have no permission to read the file."
	}
	return "Convert it to H.264 MP4 (dyadcode proxy makes a coding-friendly copy with the same timestamps) and add that. You can still code by frame without the picture."
}
