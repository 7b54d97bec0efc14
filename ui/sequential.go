package ui

import (
	"path/filepath"
	"strings"

	"dyadcode/annotate"
	"dyadcode/annotate/sequential"
	"dyadcode/app"
	"dyadcode/ui/review"
)

// showSequential opens Review ▸ Sequential analysis of the open
// observation: app.Sequential, the action `dyadcode sequential` runs,
// over this coding; clicking a transition seeks the coding window.
func (s *shell) showSequential() {
	if !s.needObservation() {
		return
	}
	if w := s.review.sequentialWin; w != nil {
		w.RequestFocus()
		return
	}
	v := s.view
	coded := func() *app.Coded {
		return &app.Coded{Source: "observation " + v.ed.Obs.ID, Scheme: v.ed.Scheme,
			Obs: []app.CodedObs{{Obs: v.ed.Obs, Video: filepath.Base(v.video.Path), End: v.video.Duration}}}
	}
	analyze := func(opt sequential.Options) (*sequential.Report, error) {
		c := coded()
		if len(opt.Codes) == 0 {
			// The codes this coding uses: rows and columns of codes
			// never coded would only be empty.
			opt.Codes = app.CodedCodes(c)
		}
		return app.Sequential(c, opt)
	}
	var codes []string
	for _, b := range v.ed.Scheme.Behaviors {
		codes = append(codes, b.Code)
	}
	seek := func(obs string, t annotate.Time) {
		if s.view == v && v.ed.Obs.ID == obs {
			v.seek(t)
		}
	}
	name := strings.TrimSuffix(filepath.Base(v.video.Path), filepath.Ext(v.video.Path)) + "-" + v.ed.Obs.Coder
	var episodes []string
	for _, e := range v.ed.Scheme.Episodes {
		episodes = append(episodes, e.Name)
	}
	q := review.NewSequentialView(s.win, codes, episodes, name, analyze, seek)
	s.review.sequential = q
	s.review.sequentialWin = s.reviewWindow("Sequential analysis — "+v.ed.Obs.Coder+" — "+filepath.Base(v.video.Path), q, func() {
		s.review.sequential, s.review.sequentialWin = nil, nil
	})
}
