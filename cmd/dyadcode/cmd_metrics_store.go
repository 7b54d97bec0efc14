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
		tr, err := p.Transfer(info.ID)
		if err != nil {
			return nil, fmt.Errorf("%s: observation %s: %w", path, info.ID, err)
		}
		// A video not probed yet has no duration: the coding's last time
		// is the best bound (EndOrLast).
		in.obs = append(in.obs, codedObs{Obs: tr.Obs, Video: tr.Video, End: tr.EndOrLast()})
	}
	return in, nil
}
