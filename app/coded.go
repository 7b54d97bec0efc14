package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"dyadcode/annotate"
	"dyadcode/annotate/agreement"
	"dyadcode/annotate/csvio"
	"dyadcode/annotate/report"
	"dyadcode/annotate/sequential"
	"dyadcode/store"
)

// CodedObs is an observation with the name of its video and the video's
// duration (or, for a video not probed yet, the coding's last time).
type CodedObs struct {
	Obs   *annotate.Observation
	Video string
	End   annotate.Time
	Views []annotate.ViewFile // the session's further cameras
}

// Coded is what metrics, plots and reports read: a scheme and observations.
type Coded struct {
	Source string // the project path, or the file names, for messages
	Title  string
	Scheme *annotate.Scheme
	Obs    []CodedObs
}

// Sentinel errors of LoadCoded about the choice of inputs.
var (
	// ErrMixedInput: a project was given together with other files.
	ErrMixedInput = errors.New("give one project, or only files to import")
	// ErrSchemeWithProject: a scheme file was given with a project, which
	// has its own.
	ErrSchemeWithProject = errors.New("--scheme is for CSV input; a project has its own scheme")
)

// IsProjectPath: project files end in .dyad; a path with no extension is
// taken as a project too, so the error says what is wrong with it.
func IsProjectPath(p string) bool {
	ext := strings.ToLower(filepath.Ext(p))
	return ext == ".dyad" || ext == ""
}

// LoadCoded reads observations from one project (opened read-only, so a
// coding window may keep it open) or from interchange files read against
// the scheme in schemePath (the bundled default when ""), keeping only the
// observations with the given IDs, in that order, when ids is not empty.
func LoadCoded(paths []string, ids []string, schemePath string) (*Coded, error) {
	var in *Coded
	var err error
	if len(paths) == 1 && IsLabURL(paths[0]) {
		if schemePath != "" {
			return nil, ErrSchemeWithProject
		}
		in, err = LoadLabCoded(paths[0])
	} else if len(paths) == 1 && IsProjectPath(paths[0]) {
		if schemePath != "" {
			return nil, ErrSchemeWithProject
		}
		in, err = LoadProjectCoded(paths[0])
	} else {
		for _, p := range paths {
			if IsProjectPath(p) {
				return nil, fmt.Errorf("%w (.csv, ...)", ErrMixedInput)
			}
		}
		in, err = LoadFilesCoded(paths, schemePath)
	}
	if err != nil {
		return nil, err
	}
	if len(ids) > 0 {
		var keep []CodedObs
		for _, id := range ids {
			i := slices.IndexFunc(in.Obs, func(o CodedObs) bool { return o.Obs.ID == id })
			if i < 0 {
				return nil, fmt.Errorf("%s: no observation %q (have %s)", in.Source, id, codedIDs(in.Obs))
			}
			keep = append(keep, in.Obs[i])
		}
		in.Obs = keep
	}
	if len(in.Obs) == 0 {
		return nil, fmt.Errorf("%s: no observations", in.Source)
	}
	return in, nil
}

func codedIDs(obs []CodedObs) string {
	var ids []string
	for _, o := range obs {
		ids = append(ids, o.Obs.ID)
	}
	return joinOrNone(ids)
}

// LoadProjectCoded reads every observation of a project, opened read-only.
func LoadProjectCoded(path string) (*Coded, error) {
	p, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer p.Close()
	return CodedOf(p)
}

// CodedOf reads every observation of an open project (the window's).
func CodedOf(p *store.Project) (*Coded, error) {
	path := p.Path()
	in := &Coded{Source: path, Title: filepath.Base(path), Scheme: p.Scheme()}
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
		in.Obs = append(in.Obs, CodedObs{Obs: tr.Obs, Video: tr.Video, End: tr.EndOrLast(), Views: tr.Views})
	}
	return in, nil
}

// ReportInput is what the HTML report shows of in: every observation, with
// the agreement sections of the videos coded more than once and each
// observation's sequential analysis (default options), stamped with the
// time it was generated.
func ReportInput(in *Coded, generated time.Time) report.Input {
	ri := report.Input{Title: in.Title, Scheme: in.Scheme, Agreement: report.Agreement, Generated: generated,
		Sequential: &sequential.Options{}}
	for _, o := range in.Obs {
		ri.Observations = append(ri.Observations, report.Observation{Obs: o.Obs, Video: o.Video, End: o.End, Views: o.Views})
	}
	return ri
}

// LoadFilesCoded reads interchange files (dyadcode CSV, or any format
// that imports) against a scheme from a file or the bundled default.
func LoadFilesCoded(paths []string, schemePath string) (*Coded, error) {
	s := annotate.DefaultScheme()
	if schemePath != "" {
		data, err := os.ReadFile(schemePath)
		if err != nil {
			return nil, err
		}
		if s, err = annotate.ParseScheme(data); err != nil {
			return nil, fmt.Errorf("%s: %w", schemePath, err)
		}
	}
	in := &Coded{Source: strings.Join(paths, ", "), Title: strings.Join(paths, ", "), Scheme: s}
	for _, path := range paths {
		recs, err := ReadFile(path, "", s)
		if err != nil {
			return nil, err
		}
		for _, t := range recs {
			name := t.Video
			if name == "" {
				name = filepath.Base(path)
			}
			in.Obs = append(in.Obs, CodedObs{Obs: t.Obs, Video: name, End: t.EndOrLast()})
		}
	}
	return in, nil
}

// ReadFile reads every observation of an interchange file in the format
// named (by its extension when format is "").
func ReadFile(path, format string, s *annotate.Scheme) ([]annotate.Transfer, error) {
	f, err := FormatFor(format, path)
	if err != nil {
		return nil, err
	}
	if f.Read == nil {
		return nil, fmt.Errorf("%s: the %s %w", path, f.Name, ErrExportOnly)
	}
	r, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return f.Read(r, path, s)
}

// AgreementInput is what agreement.Compare needs from a project: one
// video's observations, the names to show for them, the scheme, and the
// video's duration (0 when unknown).
type AgreementInput struct {
	Obs    []*annotate.Observation
	Coders []string
	Scheme *annotate.Scheme
	End    annotate.Time
}

// LoadAgreement loads the observations of one video (path, file name or
// ID) from a project, opened read-only so a coder may keep working in it.
// coders picks and orders them (by coder name, or observation ID); empty
// means every observation of the video in the project's order.
func LoadAgreement(path, video string, coders []string) (AgreementInput, error) {
	var in AgreementInput
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
		if picked, err = pickCoders(ofVideo, v.Path, coders); err != nil {
			return in, fmt.Errorf("%s: %w", path, err)
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
		in.Obs = append(in.Obs, o)
		in.Coders = append(in.Coders, name)
	}
	in.Scheme = p.Scheme()
	in.End = v.Duration
	return in, nil
}

// pickCoders keeps, in the order asked, the one observation of each name
// (a coder's name or an observation ID), refusing a name that matches none
// or several.
func pickCoders(ofVideo []store.ObservationInfo, video string, names []string) ([]store.ObservationInfo, error) {
	var picked []store.ObservationInfo
	for _, name := range names {
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
			return nil, fmt.Errorf("no observation of %s by %q (there are: %s)", video, name, strings.Join(have, ", "))
		case 1:
			picked = append(picked, match[0])
		default:
			var ids []string
			for _, oi := range match {
				ids = append(ids, oi.ID)
			}
			return nil, fmt.Errorf("%q coded %s %d times (observations %s); name the observation IDs in --coders", name, video, len(match), strings.Join(ids, ", "))
		}
	}
	return picked, nil
}

// LoadAgreementFiles reads every observation of the CSV files, in order:
// the first file's first observation is the reference. A coder without a
// name in the file is named after the file. schemeFile (may be "") gives
// behaviour kinds, subjects and rating scales.
func LoadAgreementFiles(paths []string, schemeFile string) (AgreementInput, error) {
	var in AgreementInput
	if schemeFile != "" {
		data, err := os.ReadFile(schemeFile)
		if err != nil {
			return in, fmt.Errorf("read scheme: %w", err)
		}
		if in.Scheme, err = annotate.ParseScheme(data); err != nil {
			return in, fmt.Errorf("%s: %w", schemeFile, err)
		}
	}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return in, fmt.Errorf("open %s: %w", p, err)
		}
		recs, err := csvio.Read(f, p, in.Scheme)
		f.Close()
		if err != nil {
			return in, fmt.Errorf("read %s: %w", p, err)
		}
		if len(recs) == 0 {
			return in, fmt.Errorf("%s: no observation in the file", p)
		}
		base := strings.TrimSuffix(filepath.Base(p), filepath.Ext(p))
		for i, r := range recs {
			name := r.Obs.Coder
			if name == "" {
				name = base
				if len(recs) > 1 {
					name = fmt.Sprintf("%s#%d", base, i+1)
				}
			}
			in.Obs = append(in.Obs, r.Obs)
			in.Coders = append(in.Coders, name)
			in.End = max(in.End, r.End)
		}
	}
	return in, nil
}

// Agree compares the coders of in (the first is the reference). opt.End 0
// takes the video's duration from in.
func Agree(in AgreementInput, opt agreement.Options) (*agreement.Report, error) {
	if opt.End == 0 {
		opt.End = in.End
	}
	if len(in.Obs) < 2 {
		return nil, fmt.Errorf("%w: found %d observation(s)", agreement.ErrTooFewCoders, len(in.Obs))
	}
	return agreement.Compare(in.Obs, in.Coders, in.Scheme, opt)
}
