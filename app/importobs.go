package app

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"dyadcode/annotate"
	"dyadcode/annotate/boris"
	"dyadcode/annotate/eaf"
	"dyadcode/store"
)

// Sentinel errors of Import that are the user's choice to make (a front end
// asks, or the command line shows its usage).
var (
	// ErrNeedCoder: neither the request nor the file names a coder.
	ErrNeedCoder = errors.New("no coder named")
	// ErrNeedVideo: neither the request nor the file names a video.
	ErrNeedVideo = errors.New("no video named")
	// ErrPickObservation: the file holds several observations and the
	// request picks none.
	ErrPickObservation = errors.New("several observations in the file")
	// ErrMappingFormat: a tier mapping was given for a file that is not
	// ELAN's.
	ErrMappingFormat = errors.New("mapping given for another format")
)

// ImportRequest says what to import.
type ImportRequest struct {
	File   string // the file to read
	Format string // a format name; "" picks it by File's extension
	Coder  string // the coder; "" takes the file's
	// Video is a project video (ID, path or file name) or a video file to
	// add; "" takes the file's.
	Video string
	// Pick is the observation's ID in a file that holds several.
	Pick string
	// Mapping is a tier mapping file for an ELAN file (see eaf.Mapping);
	// TierMapping the same given directly (the window's mapping dialog).
	Mapping     string
	TierMapping *eaf.Mapping
}

// Imported is what Import did.
type Imported struct {
	Obs   *annotate.Observation // the new observation as stored
	Video annotate.Video        // the video it codes
	// AddedVideo: Video was added to the project by this import.
	AddedVideo bool
	// Warnings: the file was coded on another video, codes past the
	// video's end, or the added video is damaged. The import happened.
	Warnings []error
}

// Import reads one observation from req.File and adds it to p. Everything
// is read and checked before the first write, so a refused file leaves the
// project exactly as it was; a video file named by req.Video is added
// under AddVideo's rules.
func Import(p *store.Project, pr Prober, req ImportRequest) (Imported, error) {
	f, err := FormatFor(req.Format, req.File)
	if err != nil {
		return Imported{}, err
	}
	if f.Read == nil {
		return Imported{}, fmt.Errorf("the %s %w", f.Name, ErrExportOnly)
	}
	if req.Mapping != "" || req.TierMapping != nil {
		if f.Name != "eaf" {
			return Imported{}, fmt.Errorf("%w: a tier mapping is for ELAN files, not %s", ErrMappingFormat, f.Name)
		}
		f = &Format{Name: f.Name, Exts: f.Exts, Read: mappedEAF(req.Mapping, req.TierMapping), Write: f.Write}
	}
	var notes []string
	if f.Name == "boris" {
		f = &Format{Name: f.Name, Exts: f.Exts, Read: func(r io.Reader, name string, s *annotate.Scheme) ([]annotate.Transfer, error) {
			rep, err := boris.ReadReport(r, name, s)
			if err != nil {
				return nil, err
			}
			notes = rep.NotCarried
			return rep.Transfers, nil
		}}
	}
	scheme := p.Scheme()
	rec, err := readOne(f, req.File, req.Pick, scheme)
	if err != nil {
		return Imported{}, err
	}
	o := rec.Obs
	if req.Coder != "" {
		o.Coder = req.Coder
	}
	o.Coder = strings.TrimSpace(o.Coder)
	if o.Coder == "" {
		return Imported{}, fmt.Errorf("%w: %s does not name a coder", ErrNeedCoder, req.File)
	}
	if err := CheckObservation(o, scheme); err != nil {
		return Imported{}, fmt.Errorf("%s: %w", req.File, err)
	}
	videoName := req.Video
	if videoName == "" {
		videoName = rec.Video
	}
	if videoName == "" {
		return Imported{}, fmt.Errorf("%w: %s does not name a video", ErrNeedVideo, req.File)
	}
	// Events lie inside the video (a domain rule the store enforces too);
	// said here in the user's terms, since a coding that runs past the end
	// is most often the coding of another, longer video. Checked before a
	// new video is recorded, so a refused import adds nothing.
	vp := pr
	if pr != nil {
		vp = &probeOnce{pr: pr}
	}
	if end := videoLength(p, vp, videoName); end > 0 && o.LastTime() > end {
		return Imported{}, fmt.Errorf("%s codes up to %s s, after the end of %s (%s s): is it the coding of another video? Nothing was imported",
			req.File, o.LastTime().Seconds(), videoName, end.Seconds())
	}
	var res Imported
	if res, err = importVideo(p, vp, videoName); err != nil {
		return Imported{}, err
	}
	v := res.Video
	if rec.Video != "" && rec.Video != filepath.Base(v.Path) {
		res.Warnings = append(res.Warnings, fmt.Errorf("%s was coded on %s; importing it as a coding of %s", req.File, rec.Video, v.Path))
	}
	res.Warnings = append(res.Warnings, notCarried(notes, rec.Obs.ID)...)
	if res.Obs, err = p.ImportObservation(v.ID, o); err != nil {
		return Imported{}, err
	}
	return res, nil
}

// notCarried turns a BORIS import's list of what it could not carry over
// into warnings, keeping the items about the observation imported and
// those about no observation in particular.
func notCarried(notes []string, id string) []error {
	var out []error
	for _, n := range notes {
		aboutOne := strings.Contains(n, "observations[") || strings.Contains(n, `observation "`)
		if !aboutOne || strings.Contains(n, fmt.Sprintf("%q", id)) {
			out = append(out, fmt.Errorf("not carried over: %s", n))
		}
	}
	return out
}

// readOne reads the file whole and picks the observation to import.
func readOne(f *Format, file, pick string, scheme *annotate.Scheme) (annotate.Transfer, error) {
	in, err := os.Open(file)
	if err != nil {
		return annotate.Transfer{}, fmt.Errorf("import: %w", err)
	}
	recs, err := f.Read(in, file, scheme)
	in.Close()
	if err != nil {
		return annotate.Transfer{}, err
	}
	return PickObservation(recs, file, pick)
}

// videoLength is the duration of the video an import names, before
// anything is recorded: a project video's, or a file's as the project
// knows it or as pr reads it (0 when unknown).
func videoLength(p *store.Project, pr Prober, name string) annotate.Time {
	fi, err := os.Stat(name)
	if err != nil || !fi.Mode().IsRegular() {
		if v, err := p.FindVideo(name); err == nil {
			return v.Duration
		}
		return 0
	}
	if fp, _, err := store.Fingerprint(name); err == nil {
		if vs, err := p.Videos(); err == nil {
			for _, k := range vs {
				if k.Fingerprint == fp && k.Duration > 0 {
					return k.Duration
				}
			}
		}
	}
	abs, err := filepath.Abs(name)
	if err != nil || pr == nil {
		return 0
	}
	v, err := pr.Probe(abs)
	if err != nil {
		return 0
	}
	return v.Duration
}

// probeOnce remembers the last probe, so Import can check a coding against
// a new video's length and then record the video without reading the file
// twice (an exact frame count reads all of it).
type probeOnce struct {
	pr   Prober
	path string
	v    annotate.Video
	err  error
}

func (o *probeOnce) Probe(path string) (annotate.Video, error) {
	if path != o.path {
		o.path = path
		o.v, o.err = o.pr.Probe(path)
	}
	return o.v, o.err
}

// importVideo finds the video an import codes. A video file is matched by
// content (a different file that happens to share a name is a different
// video) and added when new; anything else names a project video by ID,
// path or file name.
func importVideo(p *store.Project, pr Prober, name string) (Imported, error) {
	if fi, err := os.Stat(name); err == nil && fi.Mode().IsRegular() {
		a, err := AddVideo(p, pr, name)
		if err != nil {
			return Imported{}, err
		}
		res := Imported{Video: a.Video, AddedVideo: a.New}
		if a.Warning != nil {
			res.Warnings = append(res.Warnings, a.Warning)
		}
		return res, nil
	}
	v, err := p.FindVideo(name)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return Imported{}, fmt.Errorf("%w, and there is no such file to add", err)
		}
		return Imported{}, err
	}
	return Imported{Video: v}, nil
}

// CheckObservation checks o against the scheme before anything is
// written, so a file the store would refuse does not leave a newly added
// video behind. The rules are the domain's (annotate.Observation.Validate),
// the ones every edit path passes.
func CheckObservation(o *annotate.Observation, s *annotate.Scheme) error { return o.Validate(s) }

// PickObservation chooses the observation to import from what a file
// holds: the only one, or the one whose ID in the file is pick. Each import
// stays one observation in one transaction, so a refused file writes
// nothing.
func PickObservation(recs []annotate.Transfer, file, pick string) (annotate.Transfer, error) {
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
		return annotate.Transfer{}, fmt.Errorf("%w: %s holds %d observations; pick one with --observation ID: %s", ErrPickObservation, file, len(recs), strings.Join(names, ", "))
	}
	return recs[0], nil
}
