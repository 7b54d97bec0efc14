package metrics

import (
	"errors"
	"fmt"

	"dyadcode/annotate"
)

// ErrNoNominal is returned by Template when an episode other than the last
// has no nominal length, so the next one would start at the same instant.
var ErrNoNominal = errors.New("episode has no nominal length")

// Template lays the scheme's episodes one after another from start, each
// lasting its nominal length (EpisodeDef.Nominal): the 8 Strange Situation
// episodes of a session filmed to protocol. The GUI and CLI offer it as a
// starting point; the coder then moves each boundary to what happened.
func Template(s *annotate.Scheme, start annotate.Time) ([]annotate.EpisodeMark, error) {
	if start < 0 {
		return nil, fmt.Errorf("episode template: negative start %s", start.Seconds())
	}
	marks := make([]annotate.EpisodeMark, 0, len(s.Episodes))
	t := start
	for i, e := range s.Episodes {
		if e.Nominal <= 0 && i < len(s.Episodes)-1 {
			return nil, fmt.Errorf("episode template: %q: %w", e.Name, ErrNoNominal)
		}
		marks = append(marks, annotate.EpisodeMark{Name: e.Name, Start: t})
		t += e.Nominal
	}
	return marks, nil
}
