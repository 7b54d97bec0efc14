// Wiring of `dyadcode agree PROJECT.dyad` to the project store.

package main

import (
	"fmt"
	"strings"

	"dyadcode/store"
)

func init() { agreeProject = agreeFromProject }

// agreeFromProject loads the observations of one video from a project,
// opened read-only so a coder may keep working in it. coders picks and
// orders them (by coder name, or observation ID); empty means every
// observation of the video in the project's order.
func agreeFromProject(path, video string, coders []string) (agreeInput, error) {
	var in agreeInput
	p, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		return in, fmt.Errorf("open %s: %w", path, err)
	}
	defer p.Close()
	v, err := p.FindVideo(video)
	if err != nil {
		return in, fmt.Errorf("%s: video %q: %w", path, video, err)
	}
	infos, err := p.Observations()
	if err != nil {
		return in, fmt.Errorf("%s: %w", path, err)
	}
	var ofVideo []store.ObservationInfo
	for _, oi := range infos {
		if oi.Video == v.ID {
			ofVideo = append(ofVideo, oi)
		}
	}
	picked := ofVideo
	if len(coders) > 0 {
		picked = nil
		for _, name := range coders {
			var match []store.ObservationInfo
			for _, oi := range ofVideo {
				if oi.Coder == name || oi.ID == name {
					match = append(match, oi)
				}
			}
			switch len(match) {
			case 0:
				var have []string
				for _, oi := range ofVideo {
					have = append(have, fmt.Sprintf("%s (observation %s)", oi.Coder, oi.ID))
				}
				return in, fmt.Errorf("%s: no observation of %s by %q (there are: %s)", path, v.Path, name, strings.Join(have, ", "))
			case 1:
				picked = append(picked, match[0])
			default:
				var ids []string
				for _, oi := range match {
					ids = append(ids, oi.ID)
				}
				return in, fmt.Errorf("%s: %q coded %s %d times (observations %s); name the observation IDs in --coders", path, name, v.Path, len(match), strings.Join(ids, ", "))
			}
		}
	}
	// The same coder twice (intra-rater agreement) gets the observation ID
	// in the name so the report tells them apart.
	count := map[string]int{}
	for _, oi := range picked {
		count[oi.Coder]++
	}
	for _, oi := range picked {
		o, err := p.Observation(oi.ID)
		if err != nil {
			return in, fmt.Errorf("%s: observation %s: %w", path, oi.ID, err)
		}
		name := oi.Coder
		if count[name] > 1 || name == "" {
			name = fmt.Sprintf("%s#%s", oi.Coder, oi.ID)
		}
		in.obs = append(in.obs, o)
		in.coders = append(in.coders, name)
	}
	in.scheme = p.Scheme()
	in.end = v.Duration
	return in, nil
}
