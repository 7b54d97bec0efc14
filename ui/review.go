package ui

import (
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"dyadcode/annotate"
	"dyadcode/annotate/report"
	"dyadcode/app"
	"dyadcode/ui/review"
)

// The review windows: a supervisor's comparison of coders, the open
// observation's metrics, and its per-episode ratings. Each is its own
// window so it can sit beside the coding window (or on a second screen).
type reviewWindows struct {
	// agreement is the supervisor's one comparison window: Compare again
	// shows the new comparison in it rather than opening one more.
	agreement    *review.Agreement
	agreementWin fyne.Window
	metrics      *review.Metrics
	metricsWin   fyne.Window
	ratings      *review.Ratings
	ratingsWin   fyne.Window
	// sequential is Review ▸ Sequential analysis (ui/sequential.go).
	sequential    *review.Sequential
	sequentialWin fyne.Window
}

func (s *shell) reviewMenu() *fyne.Menu {
	item := func(label string, sc fyne.Shortcut, f func()) *fyne.MenuItem {
		it := fyne.NewMenuItem(label, f)
		it.Shortcut = sc
		return it
	}
	shift := func(k fyne.KeyName) fyne.Shortcut {
		return &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierControl | fyne.KeyModifierShift}
	}
	return fyne.NewMenu("Review",
		item("Compare coders (agreement)…", shift(fyne.KeyA), s.showAgreement),
		item("Compare coders on a lab (read-only)…", nil, s.showLabAgreement),
		item("Metrics of this observation", shift(fyne.KeyM), s.showMetrics),
		item("Ratings of this observation", shift(fyne.KeyR), s.showRatings),
		item("Sequential analysis of this observation", nil, s.showSequential),
	)
}

// reviewEdited keeps the open review windows in step with an edit.
func (s *shell) reviewEdited() {
	if s.review.metrics != nil {
		s.review.metrics.Recompute()
	}
	if s.review.ratings != nil {
		s.review.ratings.Reload()
	}
	if s.review.sequential != nil {
		s.review.sequential.Compute()
	}
}

// closeReview closes the windows that belong to the open observation.
func (s *shell) closeReview() {
	if w := s.review.metricsWin; w != nil {
		w.Close()
	}
	if w := s.review.ratingsWin; w != nil {
		w.Close()
	}
	if w := s.review.sequentialWin; w != nil {
		w.Close()
	}
	// The agreement window is the project's, not the observation's: it
	// stays until the project closes.
	a, aw := s.review.agreement, s.review.agreementWin
	s.review = reviewWindows{agreement: a, agreementWin: aw}
}

func (s *shell) reviewWindow(title string, content fyne.CanvasObject, onClosed func()) fyne.Window {
	w := s.app.NewWindow(title)
	w.SetContent(content)
	w.Resize(fyne.NewSize(980, 620))
	w.SetOnClosed(onClosed)
	w.Show()
	return w
}

func (s *shell) needObservation() bool {
	if s.view == nil {
		s.showError("No observation open", errors.New("nothing to review"), "Open an observation from the start screen first.")
		return false
	}
	return true
}

func (s *shell) showMetrics() {
	if !s.needObservation() {
		return
	}
	if w := s.review.metricsWin; w != nil {
		w.RequestFocus()
		return
	}
	v := s.view
	m := review.NewMetricsView(s.win, v.ed.Scheme, v.ed.Obs, v.video.Duration)
	// Save report writes the whole project, as `dyadcode report` does, so
	// the agreement sections appear.
	proj := s.proj
	m.ReportInput = func() (report.Input, error) {
		in, err := app.CodedOf(proj)
		if err != nil {
			return report.Input{}, err
		}
		return app.ReportInput(in, time.Now()), nil
	}
	s.review.metrics = m
	s.review.metricsWin = s.reviewWindow("Metrics — "+v.ed.Obs.Coder+" — "+filepath.Base(v.video.Path), m, func() {
		s.review.metrics, s.review.metricsWin = nil, nil
	})
}

func (s *shell) showRatings() {
	if !s.needObservation() {
		return
	}
	if w := s.review.ratingsWin; w != nil {
		w.RequestFocus()
		return
	}
	v := s.view
	if len(v.ed.Scheme.Ratings) == 0 {
		s.showError("No rating scales", errors.New("the scheme has no rating scales"), "Add rating scales to the scheme (dyadcode scheme) to rate episodes.")
		return
	}
	r := review.NewRatingsView(v.ed.Scheme, v.ed.Obs, func(episode, scale string, value int) error {
		if s.view != v {
			return errors.New("the observation was closed")
		}
		ch, err := v.ed.Rate(episode, scale, value)
		if err != nil {
			return err
		}
		v.afterEdit(ch, fmt.Sprintf("rated %s in %s: %d", scale, episode, value))
		return nil
	})
	s.review.ratings = r
	s.review.ratingsWin = s.reviewWindow("Ratings — "+v.ed.Obs.Coder+" — "+filepath.Base(v.video.Path), r, func() {
		s.review.ratings, s.review.ratingsWin = nil, nil
	})
}

// showAgreement lets the supervisor pick a video and two or more codings
// of it, then compares them. Clicking a disagreement seeks the coding
// window when it shows that video.
func (s *shell) showAgreement() {
	if s.proj == nil {
		s.showError("No project open", errors.New("nothing to compare"), "Open a project first.")
		return
	}
	if s.view != nil {
		s.view.pause()
	}
	videos, err := s.proj.Videos()
	if err != nil {
		s.showError("Could not list the videos", err, "")
		return
	}
	infos, err := s.proj.Observations()
	if err != nil {
		s.showError("Could not list the observations", err, "")
		return
	}
	var choices []review.VideoChoice
	for _, vd := range videos {
		c := review.VideoChoice{ID: vd.ID, Name: filepath.Base(vd.Path)}
		for _, in := range infos {
			if in.Video == vd.ID {
				c.Observations = append(c.Observations, review.ObservationChoice{ID: in.ID, Coder: in.Coder, Events: in.Events, Modified: in.Modified})
			}
		}
		choices = append(choices, c)
	}
	proj := s.proj
	// Compare again happens in the comparison's own window: the picker
	// opens over it, and the new comparison replaces the old one there.
	over := s.win
	if w := s.review.agreementWin; w != nil {
		over = w
		w.Show()
		w.RequestFocus()
	}
	review.ShowPicker(over, choices, func(videoID string, obsIDs []string) {
		if s.proj != proj {
			return
		}
		vd, err := proj.Video(videoID)
		if err != nil {
			s.showError("Could not read the video", err, "")
			return
		}
		var obs []*annotate.Observation
		for _, id := range obsIDs {
			o, err := proj.Observation(id)
			if err != nil {
				s.showError("Could not read observation "+id, err, "")
				return
			}
			obs = append(obs, o)
		}
		// The comparison's own lanes follow a click on a disagreement; the
		// coding window's playhead (and where its coder resumes) stays.
		title := "Agreement — " + filepath.Base(vd.Path)
		if a, w := s.review.agreement, s.review.agreementWin; a != nil && w != nil {
			a.SetObservations(obs, vd.Duration)
			w.SetTitle(title)
			w.Show()
			w.RequestFocus()
			return
		}
		w := s.app.NewWindow(title)
		a := review.NewAgreementView(w, proj.Scheme(), obs, vd.Duration, nil)
		w.SetContent(a)
		w.Resize(fyne.NewSize(980, 620))
		w.SetOnClosed(func() { s.review.agreement, s.review.agreementWin = nil, nil })
		s.review.agreement, s.review.agreementWin = a, w
		w.Show()
	})
}
