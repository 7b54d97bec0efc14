package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"dyadcode/annotate"
	"dyadcode/media"
	"dyadcode/store"
)

func init() {
	register(&command{
		name: "add-video",
		args: "PROJECT.dyad VIDEO",
		summary: `Add a video to a project (path, size, fingerprint, duration, frame rate).
The content fingerprint finds the video again after it moves (see
relocate); duration, frame rate and frame count come from FFmpeg. Adding a video the project already has (same content) reports
the existing one.`,
		run: runAddVideo,
	})
}

// probeVideo reads a video's duration, frame rate and frame count; it is
// set by media_wiring.go, which links FFmpeg in. nil: add-video records
// path, size and fingerprint only.
var probeVideo func(path string) (annotate.Video, error)

func runAddVideo(env *cmdEnv, args []string) error {
	c := commands["add-video"]
	fs := newFlags(env, c)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("need a project and a video (got %d arguments)", len(pos))
	}
	p, err := openProject(pos[0], false)
	if err != nil {
		return err
	}
	defer p.Close()
	v, added, err := addVideoFile(env, p, pos[1])
	if err != nil {
		return err
	}
	if added {
		fmt.Fprintf(env.stdout, "added %s %s (%s)\n", v.ID, v.Path, describeVideo(v))
	} else {
		fmt.Fprintf(env.stdout, "%s is already in the project as %s (%s)\n", pos[1], v.ID, v.Path)
	}
	return nil
}

// addVideoFile records the video at path, probing it when FFmpeg is linked
// in, and reports whether it was new. A video the project knows by content
// whose recorded file has gone is pointed at path instead.
func addVideoFile(env *cmdEnv, p *store.Project, path string) (annotate.Video, bool, error) {
	fi, err := os.Stat(path)
	switch {
	case err != nil:
		return annotate.Video{}, false, fmt.Errorf("video: %w", err)
	case !fi.Mode().IsRegular():
		return annotate.Video{}, false, fmt.Errorf("video %s is not a regular file", path)
	case store.IsProjectFile(path):
		// Unreadable media are recorded with a warning, but a project
		// (the arguments swapped, or the project itself) is never a video.
		return annotate.Video{}, false, fmt.Errorf("video %s is a dyadcode project, not a video (usage: dyadcode add-video PROJECT.dyad VIDEO)", path)
	}
	fp, size, err := store.Fingerprint(path)
	if err != nil {
		return annotate.Video{}, false, fmt.Errorf("video: %w", err)
	}
	known, err := p.Videos()
	if err != nil {
		return annotate.Video{}, false, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return annotate.Video{}, false, fmt.Errorf("video %s: %w", path, err)
	}
	for _, k := range known {
		if k.Fingerprint != fp {
			continue
		}
		if k.Path != abs {
			if _, err := os.Stat(k.Path); errors.Is(err, fs.ErrNotExist) {
				k.Path = abs
				if err := p.UpdateVideo(k); err != nil {
					return annotate.Video{}, false, err
				}
				fmt.Fprintf(env.stderr, "dyadcode: %s had moved; its path is now %s\n", k.ID, abs)
			}
		}
		if k.Duration <= 0 && probeVideo != nil && probe(env, &k) == nil {
			if err := p.UpdateVideo(k); err != nil {
				return annotate.Video{}, false, err
			}
		}
		return k, false, nil
	}
	v := annotate.Video{Path: abs, Size: size, Fingerprint: fp}
	if probeVideo != nil {
		if err := probe(env, &v); notCodable(err) {
			return annotate.Video{}, false, fmt.Errorf("video %s cannot be coded: %w", path, err)
		}
	}
	v, err = p.AddVideo(v)
	if err != nil {
		return annotate.Video{}, false, err
	}
	return v, true, nil
}

// probe fills in v's timing from probeVideo, warning when the file cannot be
// read. A damaged or truncated video is still worth recording (it can be
// coded up to the damage, and the coding window probes again); the error is
// returned so callers can refuse what is no video at all (notCodable).
func probe(env *cmdEnv, v *annotate.Video) error {
	info, err := probeVideo(v.Path)
	if err != nil {
		if !notCodable(err) {
			fmt.Fprintf(env.stderr, "dyadcode: warning: cannot read the duration and frame rate of %s: %v; recorded its path, size and fingerprint only\n", v.Path, err)
		}
		return err
	}
	v.Duration, v.Rate, v.Frames = info.Duration, info.Rate, info.Frames
	return nil
}

// notCodable reports a probe error that means the file can never be coded
// here: not a media file (empty, text, a document), no video stream, or a
// video codec this FFmpeg cannot decode. Recording such a file as a video
// only defers the surprise to the coding window.
func notCodable(err error) bool {
	return errors.Is(err, media.ErrNotMedia) || errors.Is(err, media.ErrNoVideo) || errors.Is(err, media.ErrUnsupported)
}

// describeVideo says what is known of a video's timing.
func describeVideo(v annotate.Video) string {
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

// openProject opens a project for the command line: read-only for commands
// that only read (so several can run together), otherwise for writing with
// the store's rolling backups.
func openProject(path string, readOnly bool) (*store.Project, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: no such project (create it with 'dyadcode new %s')", path, path)
	}
	return store.Open(path, store.Options{ReadOnly: readOnly})
}
