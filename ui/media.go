package ui

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"dyadcode/annotate"
	"dyadcode/app"
	"dyadcode/media"
	"dyadcode/media/audio"
)

// openPlayer opens v with the engine (using and filling the project's
// frame-index cache c) and adapts the media player to the view: frames go
// to show, errors to fail and sustained lag (this computer decodes slower
// than the video plays) to lag, all from the player's goroutine.
func openPlayer(e app.PlayerOpener, v annotate.Video, c app.Cache, show func(frame), fail func(error), lag func(media.Lag)) (Player, error) {
	p, err := e.OpenPlayer(v, c)
	if err != nil {
		return nil, err
	}
	p.OnFrame(func(f media.Frame) { show(frame{Index: f.Index, Time: f.Time, Image: f.Image}) })
	p.OnError(fail)
	if lag != nil {
		p.OnLag(lag)
	}
	return p, nil
}

// lagNotice says once (the player reports lag once) that the video is too
// heavy for this computer and offers a proxy; playing the proxy needs one.
func (s *shell) lagNotice(v *codingView, video annotate.Video, l media.Lag) {
	if s.view != v {
		return
	}
	name := filepath.Base(app.PlayPath(video))
	msg := fmt.Sprintf("This computer decodes %s slower than it plays: %.0f%% of its frames were skipped. "+
		"The clock and the sound keep time and tagging works, but the picture jumps.", name, (1-l.Speed)*100)
	if video.Proxy != "" || s.proj == nil {
		dialog.ShowInformation("Video too heavy for this computer", wrapText(msg, 70), s.win)
		return
	}
	msg += " A proxy (a copy quick to decode, with the same frames and times, next to the project) plays smoothly; " +
		"your observations stay codings of the original. Make it now?"
	dialog.ShowConfirm("Video too heavy for this computer", wrapText(msg, 70), func(ok bool) {
		if ok {
			s.makeProxy(v, video)
		}
	}, s.win)
}

// makeProxy transcodes the video to a proxy behind a progress bar, records
// it in the project, and reopens the observation on it.
func (s *shell) makeProxy(v *codingView, video annotate.Video) {
	proj := s.proj
	base := strings.TrimSuffix(filepath.Base(video.Path), filepath.Ext(video.Path))
	out := filepath.Join(filepath.Dir(proj.Path()), base+".proxy.mp4")
	ctx, cancel := context.WithCancel(context.Background())
	bar := widget.NewProgressBar()
	prog := dialog.NewCustom("Making a proxy", "Cancel", container.NewVBox(widget.NewLabel(filepath.Base(out)), bar), s.win)
	prog.SetOnClosed(cancel)
	prog.Resize(fyne.NewSize(420, 140))
	prog.Show()
	s.sched.spawn(func() {
		defer cancel()
		_, err := app.MakeProxy(ctx, proj, video.Path, out, media.ProxyOptions{}, func(done, total annotate.Time) {
			if total > 0 {
				s.sched.uiDo(func() { bar.SetValue(float64(done) / float64(total)) })
			}
		})
		s.sched.uiDo(func() {
			prog.Hide()
			switch {
			case ctx.Err() != nil && err != nil:
				return // cancelled: nothing changed
			case err != nil:
				s.showError("Could not make the proxy", err, "The project is unchanged; the original still plays.")
			case s.view == v && s.proj == proj:
				s.openObservation(s.obsID) // now plays the proxy
			}
		})
	})
}

// attachMedia opens the video off the UI goroutine and hands the player to
// the view when it is ready, so a long index scan never freezes the window.
func (s *shell) attachMedia(v *codingView, video annotate.Video) {
	path := app.PlayPath(video)
	video.Path = path
	start := v.cur.Time
	s.sched.spawn(func() {
		p, err := openPlayer(s.engine, video, s.proj, v.frames, func(err error) {
			s.sched.uiDo(func() { v.fail("The video player stopped", err) })
		}, func(l media.Lag) {
			s.sched.uiDo(func() { s.lagNotice(v, video, l) })
		})
		if err == nil {
			// Show where the coder left off before handing the player over.
			if serr := p.Seek(start); serr != nil && !app.IsEndOfVideo(serr) {
				s.sched.uiDo(func() { v.fail("Could not return to where you left off", serr) })
			}
		}
		s.sched.uiDo(func() {
			if s.view != v { // the coder moved on meanwhile
				if p != nil {
					p.Close()
				}
				return
			}
			if err != nil {
				v.noPlayer(fmt.Errorf("%s: %w", filepath.Base(path), err))
				if errors.Is(err, os.ErrNotExist) {
					s.offerRelink(v, video)
					return
				}
				s.showError("Could not open the video "+filepath.Base(path), err, app.VideoAdvice(err))
				return
			}
			v.attach(p)
		})
		if err == nil {
			s.loadWaveform(v, video)
		}
	})
}

// loadWaveform gives the timeline its audio lane: from the project's cache,
// or decoded once (off the UI goroutine; a long file takes seconds) and
// cached. A video without sound simply has no lane.
func (s *shell) loadWaveform(v *codingView, video annotate.Video) {
	if v.tl == nil {
		return
	}
	proj := s.proj
	if peaks, ok := app.CachedWaveform(proj, video); ok {
		s.sched.uiDo(func() { v.tl.setWaveform(peaks) })
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.sched.uiDo(func() { v.stopWave = cancel })
	s.sched.spawn(func() {
		defer cancel()
		peaks, err := s.engine.Waveform(ctx, proj, video)
		switch {
		case errors.Is(err, audio.ErrNoAudio), ctx.Err() != nil:
			return
		case err != nil:
			fyne.LogError("waveform of "+video.Path, err) // damaged: show what could be read
		}
		if len(peaks) > 0 {
			s.sched.uiDo(func() { v.tl.setWaveform(peaks) })
		}
	})
}

// offerRelink is what a missing video asks: the file has moved, been
// renamed or sits on a drive not mounted. Find it… lets the coder pick it
// where it is now; app.AddVideo knows it by content and points the
// project at it, and the observation reopens with the picture. Coding by
// frame without the picture stays possible.
func (s *shell) offerRelink(v *codingView, video annotate.Video) {
	name := filepath.Base(video.Path)
	msg := fmt.Sprintf("%s is not at\n%s\nany more: moved, renamed, or on a drive that is not mounted.\n\n"+
		"Find it… lets you pick it where it is now; dyadcode recognises it by its content and relinks it. "+
		"Until then you can code by frame without the picture.", name, filepath.Dir(video.Path))
	log.Print("missing video: ", video.Path)
	d := dialog.NewCustomConfirm("Where is "+name+"?", "Find it…", "Code without picture",
		widget.NewLabel(wrapText(msg, 70)), func(find bool) {
			if !find {
				s.win.Canvas().Unfocus()
				return
			}
			// Start beside the project: moved videos are most often in a
			// folder near it.
			s.openFileDialogIn(filepath.Dir(s.proj.Path()), videoExts, func(path string) { s.relink(v, video, path) })
		}, s.win)
	v.track(d)
	d.Show()
}

// relink points the project's video at path when it holds the same
// content, then reopens the observation with its picture.
func (s *shell) relink(v *codingView, video annotate.Video, path string) {
	if s.proj == nil || s.view != v {
		return
	}
	res, err := app.AddVideo(s.proj, s.engine, path)
	switch {
	case err != nil:
		s.showError("Could not use "+filepath.Base(path), err, app.VideoAdvice(err))
		return
	case res.Video.ID != video.ID:
		s.showError("That is another video", fmt.Errorf("%s does not hold the content of %s", path, filepath.Base(video.Path)),
			"Pick the file this observation was coded on; a copy with another name is fine.")
		return
	}
	log.Printf("relinked %s to %s", video.Path, res.Video.Path)
	s.openObservation(v.ed.Obs.ID)
}
