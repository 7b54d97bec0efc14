package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"dyadcode/annotate"
	"dyadcode/store"
)

func init() {
	register(&command{
		name: "import",
		args: "PROJECT.dyad --coder NAME --video VIDEO FILE [--format csv|...] [--observation ID]",
		summary: `Import one coder's observation of a video from a CSV (or ELAN, BORIS) file.
The file is dyadcode CSV (the export format, or the minimal
behavior,start_s,end_s form) or any format registered for import, chosen
by --format or the file's extension. VIDEO is a video of the project (path,
file name or ID) or a video file, which is added if the project does not
have it. The whole file is checked against the project's coding scheme
first; any problem is reported as FILE:LINE and nothing is written.
Without --coder or --video, the names in the file are used. A file that
holds several observations (a BORIS project or export, an ELAN file with
several annotators, a CSV export of a whole project) is imported one
observation at a time: pick it with --observation, the ID the file gives it.`,
		run: runImport,
	})
}

func runImport(env *cmdEnv, args []string) error {
	c := commands["import"]
	fs := newFlags(env, c)
	coder := fs.String("coder", "", "the coder's name (default: the file's coder column)")
	video := fs.String("video", "", "the video coded: a project video (path, file name, ID) or a video file to add")
	formatName := fs.String("format", "", "file format: "+formatNames()+" (default: by extension)")
	pick := fs.String("observation", "", "in a file with several observations, the one to import (its ID in the file)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("need a project and one file to import (got %d arguments)", len(pos))
	}
	projectPath, file := pos[0], pos[1]
	f, err := formatFor(*formatName, file)
	if err != nil {
		return err
	}
	if f.read == nil {
		return usagef("the %s format is export-only", f.name)
	}
	p, err := openProject(projectPath, false)
	if err != nil {
		return err
	}
	defer p.Close()
	scheme := p.Scheme()

	// Everything is read and checked before the first write, so a bad file
	// leaves the project exactly as it was.
	in, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	recs, err := f.read(in, file, scheme)
	in.Close()
	if err != nil {
		return err
	}
	rec, err := pickObservation(recs, file, *pick)
	if err != nil {
		return err
	}
	o := rec.Obs
	if *coder != "" {
		o.Coder = *coder
	}
	o.Coder = strings.TrimSpace(o.Coder)
	if o.Coder == "" {
		return usagef("--coder is required: %s does not name a coder", file)
	}
	if err := checkObservation(o, scheme); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	videoName := *video
	if videoName == "" {
		videoName = rec.Video
	}
	if videoName == "" {
		return usagef("--video is required: %s does not name a video", file)
	}
	// A video file is matched by content (a different file that happens to
	// share a name is a different video); anything else names a project
	// video by ID, path or file name.
	var v annotate.Video
	if fi, serr := os.Stat(videoName); serr == nil && fi.Mode().IsRegular() {
		var added bool
		if v, added, err = addVideoFile(env, p, videoName); err != nil {
			return err
		}
		if added {
			fmt.Fprintf(env.stdout, "added %s %s (%s)\n", v.ID, v.Path, describeVideo(v))
		}
	} else if v, err = p.FindVideo(videoName); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("%w, and there is no such file to add", err)
		}
		return err
	}
	if rec.Video != "" && rec.Video != filepath.Base(v.Path) {
		fmt.Fprintf(env.stderr, "dyadcode import: warning: %s was coded on %s; importing it as a coding of %s\n", file, rec.Video, v.Path)
	}
	// Events lie inside the video (a domain rule the store enforces too);
	// said here in the user's terms, since a coding that runs past the end
	// is most often the coding of another, longer video.
	if v.Duration > 0 && o.LastTime() > v.Duration {
		return fmt.Errorf("%s codes up to %s s, after the end of %s (%s s): is it the coding of another video? Nothing was imported",
			file, o.LastTime().Seconds(), v.Path, v.Duration.Seconds())
	}
	n, err := p.ImportObservation(v.ID, o)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "imported observation %s: %s coding %s, %d events, %d episode marks, %d ratings\n",
		n.ID, n.Coder, v.ID, len(n.Events), len(n.Episodes), len(n.Ratings))
	return nil
}

// checkObservation repeats the store's checks before anything is written,
// so a file the store would refuse does not leave a newly added video
// behind.
func checkObservation(o *annotate.Observation, s *annotate.Scheme) error {
	var errs []error
	if err := o.Validate(s); err != nil {
		errs = append(errs, err)
	}
	for _, r := range o.Ratings {
		if sc, ok := s.Rating(r.Scale); !ok || r.Value < sc.Min || r.Value > sc.Max {
			errs = append(errs, fmt.Errorf("%w: %s=%d in %q", annotate.ErrBadRating, r.Scale, r.Value, r.Episode))
		}
	}
	for i := 1; i < len(o.Episodes); i++ {
		if o.Episodes[i].Start == o.Episodes[i-1].Start {
			errs = append(errs, fmt.Errorf("two episode marks at %s", o.Episodes[i].Start.Seconds()))
		}
	}
	return errors.Join(errs...)
}

// pickObservation chooses the observation to import from what a file
// holds: the only one, or the one whose ID in the file is pick. Each import
// stays one observation in one transaction, so a refused file writes
// nothing.
func pickObservation(recs []annotate.Transfer, file, pick string) (annotate.Transfer, error) {
	if len(recs) == 0 {
		return annotate.Transfer{}, fmt.Errorf("%s: no observation in the file", file)
	}
	var names []string
	for _, r := range recs {
		if pick != "" && r.Obs.ID == pick {
			return r, nil
		}
		name := r.Obs.ID
		if r.Obs.Coder != "" {
			name += " (" + r.Obs.Coder + ")"
		}
		names = append(names, name)
	}
	switch {
	case pick != "":
		return annotate.Transfer{}, fmt.Errorf("%s has no observation %q; it holds: %s", file, pick, strings.Join(names, ", "))
	case len(recs) > 1:
		return annotate.Transfer{}, usagef("%s holds %d observations; pick one with --observation ID: %s", file, len(recs), strings.Join(names, ", "))
	}
	return recs[0], nil
}
