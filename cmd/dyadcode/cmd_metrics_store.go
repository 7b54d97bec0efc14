// Wiring of metrics, plot and report to the project store (package
// dyadcode/store).

package main

import (
	"fmt"
	"path/filepath"

	"dyadcode/store"
)

func init() { loadProject = readProjectInput }

// readProjectInput opens a project read-only, so a coding window may keep it open.
func readProjectInput(path string) (*coded, error) {
	p, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer p.Close()
	in := &coded{source: path, title: filepath.Base(path), scheme: p.Scheme()}
	infos, err := p.Observations()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for _, info := range infos {
		o, err := p.Observation(info.ID)
		if err != nil {
			return nil, fmt.Errorf("%s: observation %s: %w", path, info.ID, err)
		}
		v, err := p.Video(o.Video)
		if err != nil {
			return nil, fmt.Errorf("%s: observation %s: video %s: %w", path, info.ID, o.Video, err)
		}
		end := v.Duration
		if end <= 0 { // a video not probed yet: the coding's last time is the best bound
			end = o.LastTime()
		}
		in.obs = append(in.obs, codedObs{Obs: o, Video: filepath.Base(v.Path), End: end})
	}
	return in, nil
}
