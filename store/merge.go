package store

// Merging projects: a supervisor collects alice.dyad and ben.dyad from two
// laptops and brings their coding into one project. Observations are
// matched by their UID (identity.go), never by local ID, coder or video
// path; videos by content fingerprint; coders by name.

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	bolt "go.etcd.io/bbolt"

	"dyadcode/annotate"
)

// ErrSchemeMismatch: a project to merge codes with other behaviours than
// the target (errors.As gives the *SchemeMismatchError with the list).
var ErrSchemeMismatch = errors.New("coding schemes differ")

// BehaviorDiff is one behaviour on which two schemes disagree: its kind in
// the target (Into) and in the source (From), "" where it is missing.
type BehaviorDiff struct {
	Code       string
	Into, From string
}

func (d BehaviorDiff) String() string {
	switch {
	case d.Into == "":
		return fmt.Sprintf("behaviour %q (%s) is only in the project merged from", d.Code, d.From)
	case d.From == "":
		return fmt.Sprintf("behaviour %q (%s) is missing from the project merged from", d.Code, d.Into)
	}
	return fmt.Sprintf("behaviour %q is a %s here but a %s there", d.Code, d.Into, d.From)
}

// SchemeMismatchError lists, behaviour by behaviour, how a source's scheme
// differs from the target's.
type SchemeMismatchError struct {
	File  string
	Diffs []BehaviorDiff
}

func (e *SchemeMismatchError) Error() string {
	lines := make([]string, len(e.Diffs))
	for i, d := range e.Diffs {
		lines[i] = "  " + d.String()
	}
	return fmt.Sprintf("%s codes with another scheme than the project, nothing was merged:\n%s", e.File, strings.Join(lines, "\n"))
}

func (e *SchemeMismatchError) Unwrap() error { return ErrSchemeMismatch }

// compareSchemes lists the behaviours whose code or kind differ, sorted by
// code. Names, keys, colours and the like may differ: they do not change
// what a coded event means.
func compareSchemes(into, from *annotate.Scheme) []BehaviorDiff {
	kinds := func(s *annotate.Scheme) map[string]string {
		m := map[string]string{}
		for _, b := range s.Behaviors {
			m[b.Code] = string(b.Kind)
		}
		return m
	}
	a, b := kinds(into), kinds(from)
	var out []BehaviorDiff
	for code, k := range a {
		if b[code] != k {
			out = append(out, BehaviorDiff{Code: code, Into: k, From: b[code]})
		}
	}
	for code, k := range b {
		if _, ok := a[code]; !ok {
			out = append(out, BehaviorDiff{Code: code, From: k})
		}
	}
	slices.SortFunc(out, func(x, y BehaviorDiff) int { return strings.Compare(x.Code, y.Code) })
	return out
}

// MergedObservation is one observation of a source and what Merge did
// with it.
type MergedObservation struct {
	From   string // source file
	FromID string // its ID there
	ID     string // its ID in the target ("" when nothing was written)
	UID    string
	Coder  string
	Video  string // the file name of its video in the target
	Events int
	// Others are the target's copies it was compared with: the one it
	// replaced, the ones it diverged from, the one it equals or is older
	// than.
	Others []string
}

// MergedVideo is a video a source brought that the target did not have.
type MergedVideo struct {
	From string
	ID   string // in the target
	Path string // as the source recorded it (maybe another machine's)
}

// MergeReport says what Merge did.
type MergeReport struct {
	Coders []string      // coders new to the target
	Videos []MergedVideo // videos new to the target
	// Added: observations new to the target.
	Added []MergedObservation
	// Replaced: newer copies that replaced the target's copy they descend
	// from (keeping its ID).
	Replaced []MergedObservation
	// Unchanged: copies the target has already, or an older state of a
	// copy it has.
	Unchanged []MergedObservation
	// Diverged: copies edited apart from the target's copy since they
	// were one; both are kept, the source's under a new ID.
	Diverged []MergedObservation
}

// Changed reports whether the merge wrote anything.
func (r *MergeReport) Changed() bool {
	return len(r.Coders)+len(r.Videos)+len(r.Added)+len(r.Replaced)+len(r.Diverged) > 0
}

// srcObs is an observation read from a source, ready to write.
type srcObs struct {
	key    []byte
	info   obsInfo
	obs    *annotate.Observation
	video  annotate.Video
	events []stackItem // encoded, under their keys
	episodes, ratings,
	undo, redo, log []stackItem
	undoSeq, redoSeq uint64
	heads            []string // heads[k] = head after k log entries
}

// headAt is the source copy's head after n entries, "" past its log.
func (o *srcObs) headAt(n uint64) string {
	if n >= uint64(len(o.heads)) {
		return ""
	}
	return o.heads[n]
}

// source is everything Merge takes from one project file.
type source struct {
	path   string
	scheme *annotate.Scheme
	videos []annotate.Video
	coders []stackItem
	obs    []*srcObs
}

// Merge brings the observations (events, episode marks, ratings, comments,
// undo history and change log), coders and videos of the project files
// from into p. The sources are only read: opened read-only (one open for
// writing elsewhere is an ErrLocked error naming it), and a format 2 file
// is read as it is, without upgrading it.
//
// Videos are matched by content fingerprint; observations by UID. A copy
// p has already (same UID and log), or an older state of one (p's copy
// descends from it), adds nothing; a copy that descends from p's replaces
// it, keeping its ID; a copy that diverged from every copy p has is added
// beside them and reported. Merging the same file twice therefore changes
// nothing the second time.
//
// Nothing is written when any source cannot be read (named in the error,
// ErrNotProject when damaged), when its scheme differs in behaviour codes
// or kinds (*SchemeMismatchError, ErrSchemeMismatch), or when one of its
// observations fails the domain checks under p's scheme. Otherwise the
// whole merge is one fsynced transaction: a crash leaves p as it was or
// fully merged.
func (p *Project) Merge(from ...string) (*MergeReport, error) {
	if p.opt.ReadOnly {
		return nil, errorf(ErrReadOnly, "merge into %s: the project is open read-only", p.path)
	}
	scheme := p.Scheme()
	// The domain checks bound events by the video's duration: the
	// target's record of a recording it knows, else the source's.
	videos, err := p.Videos()
	if err != nil {
		return nil, fmt.Errorf("merge into %s: %w", p.path, err)
	}
	durations := map[string]annotate.Time{}
	for _, v := range videos {
		if _, ok := durations[v.Fingerprint]; !ok {
			durations[v.Fingerprint] = v.Duration
		}
	}
	var srcs []*source
	var mismatches []error
	for _, path := range from {
		src, err := p.readSource(path)
		if err != nil {
			return nil, fmt.Errorf("merge into %s: %w", p.path, err)
		}
		if diffs := compareSchemes(scheme, src.scheme); len(diffs) > 0 {
			mismatches = append(mismatches, &SchemeMismatchError{File: path, Diffs: diffs})
			continue
		}
		for _, o := range src.obs {
			d, ok := durations[o.video.Fingerprint]
			if !ok {
				d = o.video.Duration
			}
			if err := checkObservation(scheme, o.obs, d); err != nil {
				return nil, fmt.Errorf("merge into %s: %s, observation %s by %s: %w", p.path, path, o.info.ID, o.info.Coder, err)
			}
		}
		srcs = append(srcs, src)
	}
	if len(mismatches) > 0 {
		return nil, fmt.Errorf("merge into %s: %w", p.path, errors.Join(mismatches...))
	}
	var rep *MergeReport
	err = p.update(func(tx *bolt.Tx) error {
		rep = &MergeReport{}
		m, err := newMerger(tx, rep)
		if err != nil {
			return err
		}
		for _, src := range srcs {
			if err := m.merge(src); err != nil {
				return fmt.Errorf("%s: %w", src.path, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("merge into %s: %w", p.path, err)
	}
	return rep, nil
}

// readSource opens a project to merge from read-only and reads all of it
// that Merge takes, checking it as it goes.
func (p *Project) readSource(path string) (*source, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if abs == p.path {
		return nil, fmt.Errorf("%s: a project cannot be merged into itself", path)
	}
	q, err := Open(path, Options{ReadOnly: true, readOlder: true, LockTimeout: p.opt.LockTimeout})
	if err != nil {
		if errors.Is(err, ErrOlderVersion) {
			return nil, errorf(ErrOlderVersion, "%s uses an old file format; open it once in dyadcode (not read-only) to upgrade it, then merge it", path)
		}
		return nil, err
	}
	defer q.Close()
	version, err := q.schemaVersion(path)
	if err != nil {
		return nil, err
	}
	src := &source{path: path, scheme: q.Scheme()}
	damaged := func(format string, a ...any) error {
		return errorf(ErrNotProject, "%s is damaged: %s", path, fmt.Sprintf(format, a...))
	}
	err = q.view(func(tx *bolt.Tx) error {
		created := string(tx.Bucket(bucketMeta).Get(keyCreated))
		videos := map[string]annotate.Video{}
		if err := tx.Bucket(bucketVideos).ForEach(func(k, v []byte) error {
			var vid annotate.Video
			if err := json.Unmarshal(v, &vid); err != nil || vid.Fingerprint == "" {
				return damaged("video key %x: %v", k, err)
			}
			src.videos = append(src.videos, vid)
			videos[vid.ID] = vid
			return nil
		}); err != nil {
			return err
		}
		src.coders = readItems(tx.Bucket(bucketCoders))
		all := tx.Bucket(bucketObservations)
		return all.ForEachBucket(func(k []byte) error {
			ob := all.Bucket(k)
			id := strconv.FormatUint(binary.BigEndian.Uint64(k), 10)
			info, err := readInfo(ob, id)
			if err != nil {
				return damaged("observation %s: %v", id, err)
			}
			o := &srcObs{key: clone(k), info: info, video: videos[info.Video]}
			if o.video.ID == "" {
				return damaged("observation %s: its video %s is not in the project", id, info.Video)
			}
			for _, name := range [][]byte{bucketEvents, bucketEpisodes, bucketRatings} {
				if ob.Bucket(name) == nil {
					return damaged("observation %s: bucket %s missing", id, name)
				}
			}
			o.obs = &annotate.Observation{ID: id, Coder: info.Coder, NextID: annotate.EventID(info.NextID),
				Events: make([]annotate.Event, 0, info.Events)}
			o.events = make([]stackItem, 0, info.Events)
			if err := ob.Bucket(bucketEvents).ForEach(func(k, v []byte) error {
				e, err := decodeEvent(v)
				if err != nil {
					return damaged("observation %s: event key %x: %v", id, k, err)
				}
				if string(eventKey(e.Start, e.ID)) != string(k) {
					return damaged("observation %s: event %d stored under the wrong key", id, e.ID)
				}
				o.obs.Events = append(o.obs.Events, e)
				kv := append(append(make([]byte, 0, len(k)+len(v)), k...), v...) // one allocation
				o.events = append(o.events, stackItem{kv[:len(k):len(k)], kv[len(k):]})
				return nil
			}); err != nil {
				return err
			}
			o.info.Events = len(o.events)
			o.episodes = readItems(ob.Bucket(bucketEpisodes))
			for _, it := range o.episodes {
				if len(it.k) != 8 {
					return damaged("observation %s: episode key %x", id, it.k)
				}
				o.obs.Episodes = append(o.obs.Episodes, annotate.EpisodeMark{Name: string(it.v), Start: annotate.Time(binary.BigEndian.Uint64(it.k) ^ (1 << 63))})
			}
			o.ratings = readItems(ob.Bucket(bucketRatings))
			for _, it := range o.ratings {
				ep, sc, ok := strings.Cut(string(it.k), "\x00")
				if !ok || len(it.v) != 8 {
					return damaged("observation %s: rating key %q", id, it.k)
				}
				o.obs.Ratings = append(o.obs.Ratings, annotate.Rating{Episode: ep, Scale: sc, Value: int(int64(binary.BigEndian.Uint64(it.v)))})
			}
			if err := readMergeViews(ob, o, videos); err != nil {
				return damaged("observation %s: %v", id, err)
			}
			for _, st := range []struct {
				name  []byte
				items *[]stackItem
				seq   *uint64
			}{{bucketUndo, &o.undo, &o.undoSeq}, {bucketRedo, &o.redo, &o.redoSeq}} {
				if b := ob.Bucket(st.name); b != nil {
					*st.items, *st.seq = readItems(b), b.Sequence()
				}
				for _, it := range *st.items {
					var ch annotate.Change
					if err := json.Unmarshal(it.v, &ch); err != nil {
						return damaged("observation %s: %s history entry %x: %v", id, st.name, it.k, err)
					}
				}
			}
			if version < 3 {
				entry, err := upgradeV2(created, k, &o.info, o.undo, o.redo)
				if err != nil {
					return damaged("observation %s: %v", id, err)
				}
				data, err := json.Marshal(entry)
				if err != nil {
					return err
				}
				o.log = []stackItem{{u64(entry.Seq), data}}
			} else {
				o.log = readItems(ob.Bucket(bucketLog))
			}
			// The chain must hold: Merge trusts it to tell copies apart.
			o.heads = []string{o.info.UID}
			for i, it := range o.log {
				var e LogEntry
				if err := json.Unmarshal(it.v, &e); err != nil || len(it.k) != 8 || binary.BigEndian.Uint64(it.k) != uint64(i+1) ||
					e.Head != chainHead(o.heads[i], e.UID) {
					return damaged("observation %s: change log entry %x does not follow from the one before", id, it.k)
				}
				o.heads = append(o.heads, e.Head)
			}
			if len(o.info.UID) != 32 || uint64(len(o.log)) != o.info.Changes || o.heads[len(o.heads)-1] != o.info.Head {
				return damaged("observation %s: its change log does not match its header", id)
			}
			src.obs = append(src.obs, o)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return src, nil
}

// merger writes sources into the target inside one transaction.
type merger struct {
	tx     *bolt.Tx
	rep    *MergeReport
	videos map[string]string // fingerprint -> target video ID
	names  map[string]string // fingerprint -> target video's file name
	byUID  map[string][]copyRef
	coders []string // the target's, as spelled there
}

// copyRef is a target observation as the merge sees it.
type copyRef struct {
	key  []byte
	info obsInfo
}

func newMerger(tx *bolt.Tx, rep *MergeReport) (*merger, error) {
	m := &merger{tx: tx, rep: rep, videos: map[string]string{}, names: map[string]string{}, byUID: map[string][]copyRef{}}
	tx.Bucket(bucketCoders).ForEach(func(k, _ []byte) error {
		m.coders = append(m.coders, string(k))
		return nil
	})
	err := tx.Bucket(bucketVideos).ForEach(func(k, v []byte) error {
		var vid annotate.Video
		if err := json.Unmarshal(v, &vid); err != nil {
			return errorf(ErrNotProject, "video key %x is damaged: %v", k, err)
		}
		if _, ok := m.videos[vid.Fingerprint]; !ok {
			m.videos[vid.Fingerprint], m.names[vid.Fingerprint] = vid.ID, filepath.Base(vid.Path)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	all := tx.Bucket(bucketObservations)
	err = all.ForEachBucket(func(k []byte) error {
		info, err := readInfo(all.Bucket(k), strconv.FormatUint(binary.BigEndian.Uint64(k), 10))
		if err != nil {
			return err
		}
		m.byUID[info.UID] = append(m.byUID[info.UID], copyRef{clone(k), info})
		return nil
	})
	return m, err
}

func (m *merger) merge(src *source) error {
	// Coders are one coder by annotate's rule ("Dana" on one laptop,
	// "dana" on another); the target's spelling wins.
	coders := m.tx.Bucket(bucketCoders)
	for _, c := range src.coders {
		name := string(c.k)
		if slices.ContainsFunc(m.coders, func(k string) bool { return annotate.SameCoder(k, name) }) {
			continue
		}
		if err := coders.Put(c.k, c.v); err != nil {
			return err
		}
		m.coders = append(m.coders, name)
		m.rep.Coders = append(m.rep.Coders, name)
	}
	vb := m.tx.Bucket(bucketVideos)
	for _, v := range src.videos {
		if _, ok := m.videos[v.Fingerprint]; ok {
			continue
		}
		seq, err := vb.NextSequence()
		if err != nil {
			return err
		}
		v.ID = "v" + strconv.FormatUint(seq, 10)
		data, err := json.Marshal(v)
		if err != nil {
			return err
		}
		if err := vb.Put(u64(seq), data); err != nil {
			return err
		}
		m.videos[v.Fingerprint], m.names[v.Fingerprint] = v.ID, filepath.Base(v.Path)
		m.rep.Videos = append(m.rep.Videos, MergedVideo{From: src.path, ID: v.ID, Path: v.Path})
	}
	all := m.tx.Bucket(bucketObservations)
	for _, o := range src.obs {
		mo := MergedObservation{From: src.path, FromID: o.info.ID, UID: o.info.UID, Coder: o.info.Coder,
			Video: m.names[o.video.Fingerprint], Events: len(o.events)}
		copies := m.byUID[o.info.UID]
		// The target has this copy or a later state of it.
		if i := slices.IndexFunc(copies, func(c copyRef) bool {
			return c.info.Changes >= o.info.Changes && headAt(all.Bucket(c.key), c.info, o.info.Changes) == o.info.Head
		}); i >= 0 {
			mo.ID = idOf(copies[i].key)
			m.rep.Unchanged = append(m.rep.Unchanged, mo)
			continue
		}
		// Copies of the target this one descends from: it replaces them
		// (there is one unless the target held an old and a newer state
		// side by side; the first keeps its ID, the others go).
		var older, others []copyRef
		for _, c := range copies {
			if o.headAt(c.info.Changes) == c.info.Head {
				older = append(older, c)
			} else {
				others = append(others, c)
			}
		}
		key := []byte(nil)
		if len(older) > 0 {
			key = older[0].key
			for _, c := range older {
				mo.Others = append(mo.Others, idOf(c.key))
				if err := all.DeleteBucket(c.key); err != nil {
					return err
				}
			}
		} else {
			seq, err := all.NextSequence()
			if err != nil {
				return err
			}
			key = u64(seq)
			for _, c := range copies {
				mo.Others = append(mo.Others, idOf(c.key))
			}
		}
		info, err := m.write(all, key, o)
		if err != nil {
			return err
		}
		mo.ID = idOf(key)
		m.byUID[o.info.UID] = append(others, copyRef{key, info})
		switch {
		case len(older) > 0:
			m.rep.Replaced = append(m.rep.Replaced, mo)
		case len(copies) > 0:
			m.rep.Diverged = append(m.rep.Diverged, mo)
		default:
			m.rep.Added = append(m.rep.Added, mo)
		}
	}
	return nil
}

func idOf(key []byte) string { return strconv.FormatUint(binary.BigEndian.Uint64(key), 10) }

// write stores a source observation under key with everything it has.
func (m *merger) write(all *bolt.Bucket, key []byte, o *srcObs) (obsInfo, error) {
	info := o.info
	info.ID = idOf(key)
	info.Coder = annotate.CoderSpelling(m.coders, info.Coder)
	info.Video = m.videos[o.video.Fingerprint]
	ob, err := all.CreateBucket(key)
	if err != nil {
		return info, err
	}
	fill := func(name []byte, items []stackItem, seq uint64) error {
		b, err := ob.CreateBucket(name)
		if err != nil {
			return err
		}
		b.FillPercent = 0.9 // keys arrive in order
		for _, it := range items {
			if err := b.Put(it.k, it.v); err != nil {
				return err
			}
		}
		// push numbers new history entries after these.
		return b.SetSequence(seq)
	}
	for _, st := range []struct {
		name  []byte
		items []stackItem
		seq   uint64
	}{
		{bucketEvents, o.events, 0}, {bucketEpisodes, o.episodes, 0}, {bucketRatings, o.ratings, 0},
		{bucketUndo, o.undo, o.undoSeq}, {bucketRedo, o.redo, o.redoSeq}, {bucketLog, o.log, 0},
	} {
		if err := fill(st.name, st.items, st.seq); err != nil {
			return info, err
		}
	}
	if err := m.writeViews(ob, info.Video, o); err != nil {
		return info, err
	}
	return info, writeInfo(ob, info)
}
