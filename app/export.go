package app

import (
	"fmt"
	"io"
	"strings"

	"dyadcode/annotate"
	"dyadcode/annotate/csvio"
	"dyadcode/store"
)

// Transfers loads the observations with the given IDs (every observation
// when ids is empty) with the names an interchange file carries: the
// project's file name without .dyad, the video's file name, and the
// video's duration and frame rate. progress, when not nil, is called after
// each observation with how many are done of how many.
func Transfers(p *store.Project, ids []string, progress func(done, total int)) ([]annotate.Transfer, error) {
	infos, err := p.Observations()
	if err != nil {
		return nil, err
	}
	if len(ids) > 0 {
		if infos, err = pickObservations(p.Path(), infos, ids); err != nil {
			return nil, err
		}
	}
	out := make([]annotate.Transfer, 0, len(infos))
	for i, in := range infos {
		tr, err := p.Transfer(in.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, tr)
		if progress != nil {
			progress(i+1, len(infos))
		}
	}
	return out, nil
}

// pickObservations keeps the observations with the given IDs, in that
// order, naming the ones the project has when an ID is unknown.
func pickObservations(source string, infos []store.ObservationInfo, ids []string) ([]store.ObservationInfo, error) {
	byID := map[string]store.ObservationInfo{}
	var have []string
	for _, in := range infos {
		byID[in.ID] = in
		have = append(have, in.ID)
	}
	keep := make([]store.ObservationInfo, 0, len(ids))
	for _, id := range ids {
		in, ok := byID[id]
		if !ok {
			return nil, fmt.Errorf("%s: no observation %q (have %s)", source, id, joinOrNone(have))
		}
		keep = append(keep, in)
	}
	return keep, nil
}

// SplitIDs reads a comma-separated list of IDs or names ("1, 2,3"),
// dropping empty entries.
func SplitIDs(list string) []string {
	var ids []string
	for _, id := range strings.Split(list, ",") {
		if id = strings.TrimSpace(id); id != "" {
			ids = append(ids, id)
		}
	}
	return ids
}

func joinOrNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

// ExportCSV writes every observation of p to path in dyadcode's tidy CSV,
// after the output checks (never over a project or a video) and whole or
// not at all. progress sees one step per observation read plus one for
// the write. It returns how many observations were written.
func ExportCSV(p *store.Project, path string, progress func(done, total int)) (int, error) {
	return ExportCSVWith(p, path, csvio.Options{}, progress)
}

// ExportCSVWith is ExportCSV with the CSV writer's options: BOM for a file
// Excel opens with accents intact (the window's Export CSV for Excel…, the
// command line's export --excel).
func ExportCSVWith(p *store.Project, path string, opt csvio.Options, progress func(done, total int)) (int, error) {
	if err := CheckOutput(path); err != nil {
		return 0, err
	}
	var step func(done, total int)
	if progress != nil {
		step = func(done, total int) { progress(done, total+1) }
	}
	recs, err := Transfers(p, nil, step)
	if err != nil {
		return 0, err
	}
	if err := WriteFile(path, func(w io.Writer) error { return csvio.WriteWith(w, recs, p.Scheme(), opt) }); err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	if progress != nil {
		progress(len(recs)+1, len(recs)+1)
	}
	return len(recs), nil
}
