package ui

// Review ▸ Compare coders on a lab…: the agreement view on a lab server's
// live data, read-only. The supervisor gives the lab's URL (the linked
// project's is offered), picks a video and codings as for a project, and
// each comparison reads the observations from the server as they are at
// that moment. Nothing is written to the server or to the open project.

import (
	"context"
	"errors"
	"path/filepath"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"dyadcode/annotate"
	"dyadcode/app"
	"dyadcode/ui/review"
)

const prefLabURL = "labURL"

// showLabAgreement asks for the lab's URL, then shows the picker.
func (s *shell) showLabAgreement() {
	entry := widget.NewEntry()
	entry.SetPlaceHolder("postgres://you@server/lab?sslmode=verify-full")
	entry.SetText(s.prefs.String(prefLabURL))
	if s.proj != nil {
		if link, err := s.proj.LabLink(); err == nil {
			entry.SetText(link.URL)
		}
	}
	dialog.ShowForm("Compare coders on a lab", "Connect", "Cancel",
		[]*widget.FormItem{widget.NewFormItem("Lab URL", entry)}, func(ok bool) {
			if ok {
				s.openLabAgreement(entry.Text)
			}
		}, s.win)
}

// openLabAgreement loads the lab's videos and observations away from the
// UI goroutine, then shows the picker.
func (s *shell) openLabAgreement(url string) {
	if err := app.CheckLabURL(url); err != nil {
		s.showError("Not a lab URL", err, "A lab URL starts with postgres://. Put a password in ~/.pgpass, not in the URL.")
		return
	}
	s.prefs.SetString(prefLabURL, url)
	s.sched.spawn(func() {
		ctx, cancel := context.WithTimeout(context.Background(), app.LabTimeout)
		defer cancel()
		r, err := app.LoadLabReview(ctx, url)
		s.sched.uiDo(func() {
			if err != nil {
				s.showError("Could not read the lab", err, "Check the URL, the network and your role in the lab.")
				return
			}
			review.ShowPicker(s.win, labChoices(r), func(videoID string, obsIDs []string) {
				s.compareOnLab(url, r, videoID, obsIDs)
			})
		})
	})
}

// labChoices lists the lab's videos with their observations for the
// picker; IDs are fingerprints and UIDs.
func labChoices(r *app.LabReview) []review.VideoChoice {
	var out []review.VideoChoice
	for _, v := range r.Videos {
		c := review.VideoChoice{ID: v.Fingerprint, Name: filepath.Base(v.Path)}
		for _, o := range r.Obs {
			if o.Video == v.Fingerprint {
				c.Observations = append(c.Observations, review.ObservationChoice{ID: o.UID, Coder: o.Coder, Events: o.Events, Modified: o.Modified})
			}
		}
		out = append(out, c)
	}
	return out
}

// compareOnLab reads the chosen observations from the server now and
// opens the agreement view on them.
func (s *shell) compareOnLab(url string, r *app.LabReview, videoID string, uids []string) {
	var name string
	var duration annotate.Time
	for _, v := range r.Videos {
		if v.Fingerprint == videoID {
			name, duration = filepath.Base(v.Path), v.Duration
		}
	}
	if name == "" {
		s.showError("Could not compare", errors.New("the lab has no such video"), "")
		return
	}
	s.sched.spawn(func() {
		ctx, cancel := context.WithTimeout(context.Background(), app.LabTimeout)
		defer cancel()
		obs, err := app.LoadLabObservations(ctx, url, uids)
		s.sched.uiDo(func() {
			if err != nil {
				s.showError("Could not read the observations", err, "")
				return
			}
			// No seeking: the lab's videos are not the open project's.
			a := review.NewAgreementView(s.win, r.Scheme, obs, duration, func(annotate.Time) {})
			s.reviewWindow("Agreement — "+name+" (lab, read-only)", a, nil)
		})
	})
}
