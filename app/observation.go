package app

import (
	"errors"
	"fmt"
	"strings"

	"dyadcode/annotate"
	"dyadcode/store"
)

// ErrNoCoder: an observation was asked for without a coder's name; every
// observation records who coded it.
var ErrNoCoder = errors.New("no coder name")

// ObservationFor returns the ID of coder's observation of a video (by
// path, file name or ID), making a new one when the coder has none: one
// observation per coder and video, so opening the same pair again resumes
// it. created says whether it was made now.
func ObservationFor(p *store.Project, video, coder string) (id string, created bool, err error) {
	coder = strings.TrimSpace(coder)
	if coder == "" {
		return "", false, ErrNoCoder
	}
	v, err := p.FindVideo(video)
	if err != nil {
		return "", false, fmt.Errorf("video %s: %w", video, err)
	}
	// "Dana " resumes dana's observation (annotate.SameCoder).
	if id, ok, err := CoderObservation(p, v.ID, coder); err != nil || ok {
		return id, false, err
	}
	id, err = NewObservation(p, v.ID, coder)
	return id, err == nil, err
}

// NewObservation makes a new, empty observation of the video with the given
// ID by coder, recording the coder's name.
func NewObservation(p *store.Project, videoID, coder string) (string, error) {
	coder = strings.TrimSpace(coder)
	if coder == "" {
		return "", ErrNoCoder
	}
	if known, err := p.Coders(); err == nil {
		coder = annotate.CoderSpelling(known, coder) // the spelling first used
	}
	if err := p.AddCoder(coder); err != nil && !errors.Is(err, store.ErrExists) {
		return "", fmt.Errorf("record the coder %s: %w", coder, err)
	}
	o, err := p.NewObservation(videoID, coder)
	if err != nil {
		return "", err
	}
	return o.ID, nil
}
