package app

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"dyadcode/annotate"
	"dyadcode/store"
)

// Sentinel errors of AddVideo, for callers that test for them.
var (
	// ErrProjectNotVideo: the file given as a video is a dyadcode project
	// (the arguments swapped, or the project itself).
	ErrProjectNotVideo = errors.New("is a dyadcode project, not a video")
	// ErrNotRegular: the path is a folder, a device or a pipe.
	ErrNotRegular = errors.New("is not a regular file")
	// ErrNotCodable wraps a probe error that means the file can never be
	// coded here (see NotCodable).
	ErrNotCodable = errors.New("cannot be coded")
)

// Added is what AddVideo did.
type Added struct {
	// Video is the project's record of the file: new, or the one the
	// project already had with the same content.
	Video annotate.Video
	// New: the video was not in the project before.
	New bool
	// MovedFrom is the path a known video was recorded at before it was
	// pointed at this file (its old file had gone); "" when it did not move.
	MovedFrom string
	// Warning, when not nil, is why the video's timing is unknown: the file
	// is damaged or truncated. It is still recorded, since it can be coded
	// up to the damage and the window probes it again.
	Warning error
}

// AddVideo records the video at path in p, reading its timing with pr.
//
// The rules, the same for the window and the command line: a project file,
// a folder or a device is refused, and so is a file that is no video at all
// (NotCodable); a damaged video is recorded with a Warning; a video the
// project already knows by content is returned as it is, re-probed when its
// timing is unknown, and pointed at path when its recorded file has gone.
func AddVideo(p *store.Project, pr Prober, path string) (Added, error) {
	fi, err := os.Stat(path)
	switch {
	case err != nil:
		return Added{}, fmt.Errorf("video: %w", err)
	case !fi.Mode().IsRegular():
		return Added{}, fmt.Errorf("video %s %w", path, ErrNotRegular)
	case store.IsProjectFile(path):
		return Added{}, fmt.Errorf("video %s %w (usage: dyadcode add-video PROJECT.dyad VIDEO)", path, ErrProjectNotVideo)
	}
	fp, size, err := store.Fingerprint(path)
	if err != nil {
		return Added{}, fmt.Errorf("video: %w", err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return Added{}, fmt.Errorf("video %s: %w", path, err)
	}
	known, err := p.Videos()
	if err != nil {
		return Added{}, err
	}
	for _, k := range known {
		if k.Fingerprint == fp {
			return refreshKnown(p, pr, k, abs)
		}
	}
	v := annotate.Video{Path: abs, Size: size, Fingerprint: fp}
	warning, err := probeInto(pr, &v)
	if err != nil {
		return Added{}, fmt.Errorf("video %s %w: %w", path, ErrNotCodable, err)
	}
	v, err = p.AddVideo(v)
	if err != nil {
		return Added{}, err
	}
	return Added{Video: v, New: true, Warning: warning}, nil
}

// refreshKnown is AddVideo for a file whose content the project already
// has as k: it points k at abs when k's file has gone, and probes it when
// its timing is still unknown.
func refreshKnown(p *store.Project, pr Prober, k annotate.Video, abs string) (Added, error) {
	res := Added{}
	changed := false
	if k.Path != abs {
		if _, err := os.Stat(k.Path); errors.Is(err, fs.ErrNotExist) {
			res.MovedFrom = k.Path
			k.Path = abs
			changed = true
		}
	}
	if k.Duration <= 0 {
		w, err := probeInto(pr, &k)
		if err == nil && w == nil {
			changed = true
		}
		res.Warning = w
	}
	if changed {
		if err := p.UpdateVideo(k); err != nil {
			return Added{}, err
		}
	}
	res.Video = k
	return res, nil
}

// probeInto fills in v's timing from pr. A file that is no video at all is
// an error; a damaged one is a warning (v keeps its unknown timing).
func probeInto(pr Prober, v *annotate.Video) (warning, err error) {
	if pr == nil {
		return nil, nil
	}
	info, err := pr.Probe(v.Path)
	switch {
	case err == nil:
		v.Duration, v.Rate, v.Frames = info.Duration, info.Rate, info.Frames
		return nil, nil
	case NotCodable(err):
		return nil, err
	}
	return fmt.Errorf("cannot read the duration and frame rate of %s: %w; recorded its path, size and fingerprint only", v.Path, err), nil
}

// DescribeVideo says what is known of a video's timing.
func DescribeVideo(v annotate.Video) string {
	if v.Duration <= 0 {
		return fmt.Sprintf("%d bytes, duration unknown", v.Size)
	}
	s := v.Duration.Seconds() + " s"
	if v.Rate.Valid() {
		s += fmt.Sprintf(", %.3g fps", v.Rate.Float())
	}
	if v.Frames > 0 {
		s += fmt.Sprintf(", %d frames", v.Frames)
	}
	return s
}

// Relocated is what Relocate found.
type Relocated struct {
	Found   []annotate.Video // videos now recorded at their new place
	Missing []annotate.Video // videos whose file is still gone
}

// Relocate looks in dir and its subfolders for p's videos whose recorded
// file is gone, recognises them by content, records their new paths, and
// reports which are still missing.
func Relocate(p *store.Project, dir string) (Relocated, error) {
	if fi, err := os.Stat(dir); err != nil {
		return Relocated{}, fmt.Errorf("relocate: %w", err)
	} else if !fi.IsDir() {
		return Relocated{}, fmt.Errorf("relocate: %s: %w", dir, ErrNotFolder)
	}
	found, err := p.Relocate(dir)
	if err != nil {
		return Relocated{}, err
	}
	videos, err := p.Videos()
	if err != nil {
		return Relocated{}, err
	}
	res := Relocated{Found: found}
	for _, v := range videos {
		if _, err := os.Stat(v.Path); errors.Is(err, fs.ErrNotExist) {
			res.Missing = append(res.Missing, v)
		}
	}
	return res, nil
}

// ErrNotFolder: Relocate was given a file where a folder belongs.
var ErrNotFolder = errors.New("is not a folder")
