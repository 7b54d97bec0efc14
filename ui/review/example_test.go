package review_test

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"dyadcode/annotate"
	"dyadcode/ui/review"
)

// How the coding window puts the review widgets in a window: the
// supervisor view seeks the player, the rating form records through the
// observation's editor (which saves each rating before showing it), and
// the metrics view is recomputed after edits.
func Example() {
	var (
		win    fyne.Window             // the coding window
		scheme *annotate.Scheme        // the project's scheme
		ed     *annotate.Editor        // the open observation's editor
		coded  []*annotate.Observation // codings of the open video, reference first
		end    annotate.Time           // the video's duration
		seek   func(annotate.Time)     // moves the player
	)
	agree := review.NewAgreementView(win, scheme, coded, end, seek)
	metrics := review.NewMetricsView(win, scheme, ed.Obs, end)
	ratings := review.NewRatingsView(scheme, ed.Obs, func(episode, scale string, v int) error {
		_, err := ed.Rate(episode, scale, v)
		return err
	})
	// After any edit, undo or redo of the observation:
	metrics.Recompute()
	ratings.Reload()
	// A "Next disagreement" menu item:
	agree.NextDisagreement()
	win.SetContent(container.NewAppTabs(
		container.NewTabItem("Agreement", agree),
		container.NewTabItem("Metrics", metrics),
		container.NewTabItem("Ratings", ratings),
	))
}
