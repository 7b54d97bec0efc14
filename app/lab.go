package app

// A lab's shared project on PostgreSQL (package store/lab): the actions
// behind `dyadcode lab ...`, and lab URLs wherever export, agree, metrics
// and report take a project file.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"dyadcode/annotate"
	"dyadcode/store"
	"dyadcode/store/lab"
)

// LabTimeout bounds one lab action from the command line.
const LabTimeout = 5 * time.Minute

// IsLabURL says whether an argument names a lab server rather than a file:
// a postgres:// or postgresql:// URL.
func IsLabURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "postgres://") || strings.HasPrefix(l, "postgresql://")
}

// ErrNotLabURL: an address that is no postgres:// URL.
var ErrNotLabURL = errors.New("not a lab URL (postgres://...)")

// CheckLabURL accepts a lab URL fit to remember: postgres:// and without
// a password.
func CheckLabURL(url string) error {
	if !IsLabURL(url) {
		return fmt.Errorf("%q: %w", url, ErrNotLabURL)
	}
	return lab.CheckStorable(url)
}

// RedactLabURL drops a password from a lab URL, for messages.
func RedactLabURL(url string) string { return lab.Redact(url) }

// LabInit sets up a lab at url from a project: schema, the project's
// scheme and its videos' metadata (never the videos). The URL's role
// becomes the lab's administrator; members are added with LabAddCoder.
func LabInit(ctx context.Context, url, projectPath string) (lab.Status, error) {
	p, err := OpenProject(projectPath, true)
	if err != nil {
		return lab.Status{}, err
	}
	defer p.Close()
	l, err := lab.InitFromProject(ctx, url, p)
	if err != nil {
		return lab.Status{}, err
	}
	defer l.Close()
	return l.Status(ctx)
}

// LabAddCoder makes a database role a lab member under a coder name (the
// administrator's action).
func LabAddCoder(ctx context.Context, url, name, role string, supervisor bool) error {
	l, err := lab.Open(ctx, url)
	if err != nil {
		return err
	}
	defer l.Close()
	return l.AddCoder(ctx, name, role, supervisor)
}

// LabJoin links a project to a lab as coder. The URL is stored in the
// project, so it must not hold a password.
func LabJoin(ctx context.Context, projectPath, url, coder string) error {
	if err := lab.CheckStorable(url); err != nil {
		return err
	}
	l, err := lab.Open(ctx, url)
	if err != nil {
		return err
	}
	defer l.Close()
	p, err := OpenProject(projectPath, false)
	if err != nil {
		return err
	}
	defer p.Close()
	return lab.Link(ctx, p, l, url, coder)
}

// LabSync pushes the project's waiting changes and pulls what the coder
// may see, once.
func LabSync(ctx context.Context, projectPath string) (lab.SyncResult, lab.State, error) {
	p, err := OpenProject(projectPath, false)
	if err != nil {
		return lab.SyncResult{}, lab.State{}, err
	}
	defer p.Close()
	return LabSyncOpen(ctx, p)
}

// LabSyncOpen is LabSync on a project already open (the window's
// background sync). A server that cannot be reached is a state, not a
// failure of the project: the changes wait.
func LabSyncOpen(ctx context.Context, p *store.Project) (lab.SyncResult, lab.State, error) {
	link, err := p.LabLink()
	if err != nil {
		return lab.SyncResult{}, lab.State{}, err
	}
	l, err := lab.Open(ctx, link.URL)
	if err != nil {
		w, _ := p.OutboxWaiting(link.Coder)
		return lab.SyncResult{}, lab.StateAfter(err, w), err
	}
	defer l.Close()
	return lab.SyncProject(ctx, l, p)
}

// LabStatus summarises a lab as the URL's role sees it.
func LabStatus(ctx context.Context, url string) (lab.Status, lab.Member, error) {
	l, err := lab.Open(ctx, url)
	if err != nil {
		return lab.Status{}, lab.Member{}, err
	}
	defer l.Close()
	st, err := l.Status(ctx)
	return st, l.Me(), err
}

// labObs is an observation on the server with its video.
type labObs struct {
	info  lab.Observation
	video annotate.Video
}

func labObservations(ctx context.Context, l *lab.Lab) ([]labObs, error) {
	infos, err := l.Observations(ctx)
	if err != nil {
		return nil, err
	}
	vs, err := l.Videos(ctx)
	if err != nil {
		return nil, err
	}
	byFP := map[string]annotate.Video{}
	for _, v := range vs {
		byFP[v.Fingerprint] = v
	}
	out := make([]labObs, len(infos))
	for i, in := range infos {
		out[i] = labObs{in, byFP[in.Video]}
	}
	return out, nil
}

// LabTransfers loads the observations a lab shows the URL's role (ids:
// observation UIDs, empty for all) as they leave it in an export, with the
// lab's scheme.
func LabTransfers(ctx context.Context, url string, ids []string) ([]annotate.Transfer, *annotate.Scheme, error) {
	l, err := lab.Open(ctx, url)
	if err != nil {
		return nil, nil, err
	}
	defer l.Close()
	s, _, err := l.Scheme(ctx)
	if err != nil {
		return nil, nil, err
	}
	st, err := l.Status(ctx)
	if err != nil {
		return nil, nil, err
	}
	all, err := labObservations(ctx, l)
	if err != nil {
		return nil, nil, err
	}
	picked := all
	if len(ids) > 0 {
		picked = nil
		for _, id := range ids {
			i := -1
			for k, o := range all {
				if o.info.UID == id {
					i = k
				}
			}
			if i < 0 {
				var have []string
				for _, o := range all {
					have = append(have, o.info.UID)
				}
				return nil, nil, fmt.Errorf("%s: no observation %q (have %s)", l.URL(), id, joinOrNone(have))
			}
			picked = append(picked, all[i])
		}
	}
	var out []annotate.Transfer
	for _, o := range picked {
		obs, err := l.Observation(ctx, o.info.UID)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, annotate.Transfer{Project: st.Name, Video: o.video.Path, Obs: obs, End: o.video.Duration, Rate: o.video.Rate})
	}
	return out, s, nil
}

// LoadLabCoded is LoadCoded for a lab URL: every observation the role may
// see, read on the server.
func LoadLabCoded(url string) (*Coded, error) {
	ctx, cancel := context.WithTimeout(context.Background(), LabTimeout)
	defer cancel()
	recs, s, err := LabTransfers(ctx, url, nil)
	if err != nil {
		return nil, err
	}
	in := &Coded{Source: lab.Redact(url), Title: lab.Redact(url), Scheme: s}
	for _, t := range recs {
		in.Obs = append(in.Obs, CodedObs{Obs: t.Obs, Video: t.Video, End: t.EndOrLast()})
	}
	return in, nil
}

// ErrNoSuchVideo: no video of that name or fingerprint in the lab.
var ErrNoSuchVideo = errors.New("no such video")

// LoadLabAgreement is LoadAgreement on a lab's live data: the
// observations of one video (file name or fingerprint), picked by coder
// name or observation UID, read on the server.
func LoadLabAgreement(url, video string, coders []string) (AgreementInput, error) {
	var in AgreementInput
	ctx, cancel := context.WithTimeout(context.Background(), LabTimeout)
	defer cancel()
	l, err := lab.Open(ctx, url)
	if err != nil {
		return in, err
	}
	defer l.Close()
	all, err := labObservations(ctx, l)
	if err != nil {
		return in, err
	}
	vs, err := l.Videos(ctx)
	if err != nil {
		return in, err
	}
	var v *annotate.Video
	var names []string
	for i := range vs {
		names = append(names, vs[i].Path)
		if vs[i].Fingerprint == video || vs[i].Path == video {
			v = &vs[i]
		}
	}
	if v == nil {
		return in, fmt.Errorf("%s: video %q: %w (the lab has %s)", l.URL(), video, ErrNoSuchVideo, joinOrNone(names))
	}
	var ofVideo []store.ObservationInfo
	for _, o := range all {
		if o.info.Video == v.Fingerprint {
			ofVideo = append(ofVideo, store.ObservationInfo{ID: o.info.UID, UID: o.info.UID, Coder: o.info.Coder})
		}
	}
	picked := ofVideo
	if len(coders) > 0 {
		if picked, err = pickCoders(ofVideo, v.Path, coders); err != nil {
			return in, fmt.Errorf("%s: %w", l.URL(), err)
		}
	}
	count := map[string]int{}
	for _, oi := range picked {
		count[oi.Coder]++
	}
	for _, oi := range picked {
		o, err := l.Observation(ctx, oi.UID)
		if err != nil {
			return in, err
		}
		name := oi.Coder
		if count[name] > 1 {
			name = fmt.Sprintf("%s#%s", oi.Coder, oi.UID)
		}
		in.Obs = append(in.Obs, o)
		in.Coders = append(in.Coders, name)
	}
	if in.Scheme, _, err = l.Scheme(ctx); err != nil {
		return in, err
	}
	in.End = v.Duration
	return in, nil
}

// LabReview is what a supervisor picks from when reviewing a lab: its
// scheme, videos (ID is the fingerprint) and the observations the role
// may see.
type LabReview struct {
	URL    string // without password
	Scheme *annotate.Scheme
	Videos []annotate.Video
	Obs    []lab.Observation
}

// LoadLabReview reads a lab's videos and observations for review; nothing
// is written.
func LoadLabReview(ctx context.Context, url string) (*LabReview, error) {
	l, err := lab.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	defer l.Close()
	r := &LabReview{URL: l.URL()}
	if r.Scheme, _, err = l.Scheme(ctx); err != nil {
		return nil, err
	}
	if r.Videos, err = l.Videos(ctx); err != nil {
		return nil, err
	}
	if r.Obs, err = l.Observations(ctx); err != nil {
		return nil, err
	}
	return r, nil
}

// LoadLabObservations reads observations (by UID) as the server has them
// now.
func LoadLabObservations(ctx context.Context, url string, uids []string) ([]*annotate.Observation, error) {
	l, err := lab.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	defer l.Close()
	out := make([]*annotate.Observation, 0, len(uids))
	for _, u := range uids {
		o, err := l.Observation(ctx, u)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}
