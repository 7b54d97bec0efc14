package app

import (
	"fmt"

	"dyadcode/annotate"
	"dyadcode/store"
)

// CoderObservation finds the observation coder has of video, under the
// one rule for coder names (annotate.SameCoder: "Dana " and "dana" are
// one coder), so typing one's name at the start of a session resumes the
// last one instead of starting an empty observation beside it. ok is
// false when the coder has none yet.
func CoderObservation(p *store.Project, videoID, coder string) (id string, ok bool, err error) {
	infos, err := p.Observations()
	if err != nil {
		return "", false, fmt.Errorf("list the observations of %s: %w", p.Path(), err)
	}
	for _, in := range infos {
		if in.Video == videoID && annotate.SameCoder(in.Coder, coder) {
			return in.ID, true, nil
		}
	}
	return "", false, nil
}
