package store

import (
	"path/filepath"
	"strings"

	"dyadcode/annotate"
)

// Name is the project's name as interchange files carry it: the file name
// without .dyad.
func (p *Project) Name() string {
	return strings.TrimSuffix(filepath.Base(p.path), filepath.Ext(p.path))
}

// Transfer loads observation id as it leaves the project in an export: with
// the project's name, its video's file name, and the video's duration (which
// closes the last episode and running states) and frame rate. The command
// line and the coding window export through this one function so their
// files agree.
func (p *Project) Transfer(id string) (annotate.Transfer, error) {
	o, err := p.Observation(id)
	if err != nil {
		return annotate.Transfer{}, err
	}
	v, err := p.Video(o.Video)
	if err != nil {
		return annotate.Transfer{}, err
	}
	tr := annotate.Transfer{Project: p.Name(), Video: filepath.Base(v.Path), Obs: o, End: v.Duration, Rate: v.Rate}
	for _, view := range o.Views {
		vv, err := p.Video(view.Video)
		if err != nil {
			return annotate.Transfer{}, err
		}
		tr.Views = append(tr.Views, annotate.ViewFile{Video: filepath.Base(vv.Path), Offset: view.Offset})
	}
	return tr, nil
}
