package app

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"dyadcode/store"
)

// ErrNothingToMerge: Merge was given no project to merge from.
var ErrNothingToMerge = errors.New("no project to merge from")

// Merge brings the observations, coders and videos of the project files
// from into p (store.Project.Merge: sources only read, observations matched
// by identity, one transaction). The report's Summary is what both front
// ends show.
func Merge(p *store.Project, from []string) (*MergeResult, error) {
	if len(from) == 0 {
		return nil, ErrNothingToMerge
	}
	rep, err := p.Merge(from...)
	if err != nil {
		return nil, err
	}
	return &MergeResult{Report: rep}, nil
}

// MergeResult is what Merge did.
type MergeResult struct {
	Report *store.MergeReport
}

// Summary says in lines what the merge did: one per observation added,
// replaced or kept as a diverged copy, one per coder and video added, and
// a count of the observations the project had already. A merge that
// changed nothing says so.
func (r *MergeResult) Summary() []string {
	rep := r.Report
	var lines []string
	obs := func(verb string, mo store.MergedObservation, tail string) {
		lines = append(lines, fmt.Sprintf("%s observation %s: %s coding %s, %d events (observation %s of %s)%s",
			verb, mo.ID, mo.Coder, mo.Video, mo.Events, mo.FromID, filepath.Base(mo.From), tail))
	}
	for _, c := range rep.Coders {
		lines = append(lines, "added coder "+c)
	}
	for _, v := range rep.Videos {
		lines = append(lines, fmt.Sprintf("added video %s %s (from %s)", v.ID, v.Path, filepath.Base(v.From)))
	}
	for _, mo := range rep.Added {
		obs("added", mo, "")
	}
	for _, mo := range rep.Replaced {
		obs("replaced", mo, ": a newer state of the same coding")
	}
	for _, mo := range rep.Diverged {
		obs("kept both copies:", mo, fmt.Sprintf(": edited apart from observation %s since they were one; compare them before deleting either",
			strings.Join(mo.Others, ", ")))
	}
	if n := len(rep.Unchanged); n > 0 {
		lines = append(lines, fmt.Sprintf("%d observation(s) the project has already (or a newer state of)", n))
	}
	if !rep.Changed() {
		lines = append(lines, "nothing new: the project already has everything in these files")
	}
	return lines
}

// MergeAdvice says what to do when a merge is refused.
func MergeAdvice(err error) string {
	switch {
	case errors.Is(err, store.ErrSchemeMismatch):
		return "Nothing was merged. Make the coding schemes agree (Coding ▸ Scheme…, or 'dyadcode scheme --export/--import'), then merge again."
	case errors.Is(err, store.ErrLocked):
		return "Nothing was merged. Close the other dyadcode window or command that has that project open, then merge again."
	case errors.Is(err, store.ErrNotProject):
		return "Nothing was merged. That file is not a dyadcode project or is damaged: restore a copy from the folder “NAME backups” beside it."
	case errors.Is(err, store.ErrOlderVersion):
		return "Nothing was merged. Open that project once in dyadcode to upgrade it, then merge again."
	}
	return "Nothing was merged; the project is as it was."
}
