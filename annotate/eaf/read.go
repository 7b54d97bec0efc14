package eaf

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"dyadcode/annotate"
)

// Read parses an EAF file (written by dyadcode or by ELAN) into one
// Transfer per observation, mapping tiers and values to s as the package
// comment describes. Every problem is reported, as FILE:LINE, and nothing
// is returned unless the whole file is valid.
func Read(r io.Reader, name string, s *annotate.Scheme) ([]annotate.Transfer, error) {
	return ReadMapped(r, name, s, nil)
}

// ReadMapped is Read with a mapping that says what some tiers are (see
// Mapping); tiers it does not name are recognised as Read does.
func ReadMapped(r io.Reader, name string, s *annotate.Scheme, m *Mapping) ([]annotate.Transfer, error) {
	if s == nil {
		return nil, fmt.Errorf("%s: ELAN import needs the coding scheme to map tiers to codes", name)
	}
	doc, err := Parse(r, name)
	if err != nil {
		return nil, err
	}
	return doc.Import(s, m)
}

// Import maps the document's tiers to s (m may be nil) and returns one
// Transfer per observation. The steps: read dyadcode's header properties,
// pick the video, declare the observations, turn event tiers into events
// (parents before children), attach modifier and comment tiers to them,
// then ratings, open marks and a final check of each observation.
func (d *Document) Import(s *annotate.Scheme, m *Mapping) ([]annotate.Transfer, error) {
	if s == nil {
		return nil, fmt.Errorf("%s: ELAN import needs the coding scheme to map tiers to codes", d.File)
	}
	im := &importer{doc: d, s: s, mapping: m, p: &problems{file: d.File}, open: map[string]bool{}, olines: map[string]int{}, events: map[string]evRef{}}
	if err := m.check(d, s); err != nil {
		return nil, err
	}
	im.readProperties()
	im.chooseVideo()
	im.declareObservations()
	var attach []*Tier
	order, _ := d.tiersParentsFirst(&problems{}) // Parse already refused loops
	for _, t := range order {
		role := im.roleOf(t)
		switch role.Role {
		case RoleModifiers, RoleComment:
			attach = append(attach, t)
		case RoleIgnore:
		default:
			im.eventTier(t, role)
		}
	}
	for _, t := range attach {
		im.attachTier(t, im.roleOf(t).Role)
	}
	im.addRatings()
	im.checkOpenMarks()
	return im.finish()
}

// importer holds the state of one Import.
type importer struct {
	doc     *Document
	s       *annotate.Scheme
	mapping *Mapping
	p       *problems

	ours    bool // written by dyadcode (dyadcode:version present)
	project string
	video   string
	origin  annotate.Time // TIME_ORIGIN of the chosen video
	end     annotate.Time
	rate    annotate.Rate
	metas   []obsMeta
	ratings []ratingMeta
	rlines  []int
	open    map[string]bool
	olines  map[string]int

	labelled bool // several observations, told apart by "@label"
	groups   []*group
	events   map[string]evRef // annotation ID -> its event
	unknown  []string
}

// group is one observation being assembled.
type group struct {
	key     string
	meta    obsMeta
	coder   string
	events  []annotate.Event
	marks   []annotate.EpisodeMark
	ratings []annotate.Rating
}

type evRef struct {
	g *group
	i int
}

func (im *importer) unknownf(line int, format string, a ...any) {
	im.unknown = append(im.unknown, fmt.Sprintf("%s:%d: %s", im.doc.File, line, fmt.Sprintf(format, a...)))
}

// readProperties reads the "dyadcode:*" header properties; ELAN's own
// (URN, lastUsedAnnotationId) mean nothing here.
func (im *importer) readProperties() {
	p := im.p
	for _, pr := range im.doc.Props {
		v := pr.Value
		switch pr.Name {
		case propVersion:
			im.ours = true
			if v != "1" {
				p.add(pr.Line, ErrMalformed, "dyadcode EAF version %q is not supported (this build reads version 1)", v)
			}
		case propProject:
			im.project = v
		case propVideo:
			im.video = v
		case propEnd:
			t, err := annotate.ParseSeconds(v)
			if err != nil || t < 0 {
				p.add(pr.Line, ErrMalformed, "end time %q is not a time in seconds", v)
			}
			im.end = t
		case propRate:
			n, dd, ok := strings.Cut(v, "/")
			num, err1 := strconv.ParseInt(n, 10, 64)
			den, err2 := strconv.ParseInt(dd, 10, 64)
			im.rate = annotate.Rate{Num: num, Den: den}
			if !ok || err1 != nil || err2 != nil || !im.rate.Valid() {
				p.add(pr.Line, ErrMalformed, "frame rate %q is not N/D", v)
				im.rate = annotate.Rate{}
			}
		case propObservation:
			var om obsMeta
			if err := json.Unmarshal([]byte(v), &om); err != nil {
				p.add(pr.Line, ErrMalformed, "observation property: %v", err)
				continue
			}
			if slices.ContainsFunc(im.metas, func(x obsMeta) bool { return x.Label == om.Label }) {
				p.add(pr.Line, ErrMalformed, "observation label %q listed twice", om.Label)
				continue
			}
			im.metas = append(im.metas, om)
		case propRating:
			var rm ratingMeta
			if err := json.Unmarshal([]byte(v), &rm); err != nil {
				p.add(pr.Line, ErrMalformed, "rating property: %v", err)
				continue
			}
			im.ratings = append(im.ratings, rm)
			im.rlines = append(im.rlines, pr.Line)
		case propOpen:
			im.open[strings.TrimSpace(v)] = true
			im.olines[strings.TrimSpace(v)] = pr.Line
		}
	}
}

// chooseVideo picks the media the observation is of: the first video that
// is not extracted from another file, else the first media. Its
// TIME_ORIGIN shifts every time, since dyadcode times are that video's
// media times. Other linked media (a second camera, audio) are not part of
// a dyadcode observation.
func (im *importer) chooseVideo() {
	pick := im.doc.PrimaryMedia()
	if pick < 0 {
		return
	}
	m := im.doc.Media[pick]
	im.origin = m.Origin
	if im.video == "" {
		im.video = mediaName(m.URL, m.Relative)
	}
}

// PrimaryMedia is the index of the media an observation of the file is
// of: the first video not extracted from another file, else the first
// media; -1 when the file links none.
func (d *Document) PrimaryMedia() int {
	for i, m := range d.Media {
		if strings.HasPrefix(m.MIME, "video/") && m.ExtractedFrom == "" {
			return i
		}
	}
	if len(d.Media) > 0 {
		return 0
	}
	return -1
}

// Name is a media descriptor's file name as the store expects it.
func (m Media) Name() string { return mediaName(m.URL, m.Relative) }

// declareObservations creates the observations dyadcode's header lists;
// other files get one per ANNOTATOR as tiers are read.
func (im *importer) declareObservations() {
	im.labelled = im.ours && len(im.metas) > 1
	if im.ours {
		for _, om := range im.metas {
			im.groupFor(om.Label, om.Coder).meta = om
		}
	}
}

func (im *importer) groupFor(key, coder string) *group {
	for _, g := range im.groups {
		if g.key == key {
			return g
		}
	}
	g := &group{key: key, coder: coder}
	im.groups = append(im.groups, g)
	return g
}

// splitLabel strips the "@label" of a tier in a file with several
// observations; the longest matching label wins, so coders "b" and "a@b"
// both match "child:smile@a@b" correctly.
func (im *importer) splitLabel(id string) (base, key string, ok bool) {
	if !im.labelled {
		return id, "", true
	}
	best := -1
	for i, om := range im.metas {
		if strings.HasSuffix(id, "@"+om.Label) && (best < 0 || len(om.Label) > len(im.metas[best].Label)) {
			best = i
		}
	}
	if best < 0 {
		return id, "", false
	}
	return strings.TrimSuffix(id, "@"+im.metas[best].Label), im.metas[best].Label, true
}

// groupOf is the observation a tier's events belong to.
func (im *importer) groupOf(t *Tier) (*group, bool) {
	_, key, ok := im.splitLabel(t.ID)
	if !ok {
		im.unknownf(t.Line, "tier %q belongs to none of the observations listed in the header", t.ID)
		return nil, false
	}
	if im.ours {
		return im.groupFor(key, ""), true
	}
	return im.groupFor(t.Annotator, t.Annotator), true
}

// roleOf is what a tier holds: from the mapping when it names the tier,
// else recognised from names and values (Recognise).
func (im *importer) roleOf(t *Tier) TierRole {
	if r, ok := im.mapping.role(t.ID); ok {
		return r
	}
	base, _, _ := im.splitLabel(t.ID)
	return im.doc.recognise(t, base, im.s)
}

// eventTier turns a tier's annotations into events or episode marks.
func (im *importer) eventTier(t *Tier, role TierRole) {
	g, ok := im.groupOf(t)
	if !ok {
		return
	}
	switch role.Role {
	case RoleEpisodes:
		im.episodeTier(t, g)
	case RoleBehavior:
		im.behaviorTier(t, g, role)
	case RoleValues:
		im.valuesTier(t, g, role)
	default: // RoleUnknown
		im.unknownf(t.Line, "tier %q matches no behaviour, subject, episode, modifier or comment of the scheme (say what it is in a mapping file)", t.ID)
	}
}

func (im *importer) episodeTier(t *Tier, g *group) {
	for _, a := range t.Anns {
		def, ok := im.episode(t, a)
		if !ok {
			im.unknownf(a.ValueLine, "tier %q: %q is not an episode of the scheme", t.ID, a.Value)
			continue
		}
		g.marks = append(g.marks, annotate.EpisodeMark{Name: def.Name, Start: a.Start + im.origin})
	}
}

// behaviorTier: every annotation is one behaviour; its value, if any, must
// be the behaviour itself or modifiers of it.
func (im *importer) behaviorTier(t *Tier, g *group, role TierRole) {
	b, ok := im.s.Behavior(role.Behavior)
	if !ok {
		b, _ = im.s.FindBehavior(role.Behavior) // checked by Mapping.check or recognise
	}
	if im.ours && t.Type == typePoint && b.Kind != annotate.Point {
		im.p.add(t.Line, ErrUnknown, "tier %q holds points but %q is a state in this scheme", t.ID, b.Code)
		return
	}
	if im.ours && t.Type == typeState && b.Kind != annotate.State {
		im.p.add(t.Line, ErrUnknown, "tier %q holds states but %q is a point in this scheme", t.ID, b.Code)
		return
	}
	part := cmp.Or(role.Subject, t.Participant)
	for _, a := range t.Anns {
		var mods []string
		if v := fold(a.Value); v != "" && v != fold(b.Code) && v != fold(b.Name) {
			var bad bool
			mods, bad = im.modifiersOf(b, a.Value)
			if bad {
				im.unknownf(a.ValueLine, "tier %q: value %q is neither %q nor modifiers of it", t.ID, a.Value, b.Code)
				continue
			}
		}
		im.addEvent(g, a, b, part, mods)
	}
}

// valuesTier: annotation values name behaviours, of role.Subject when set.
// A tier recognised only by its values refuses as a whole; one given a
// subject reports each value that is not one of its behaviours.
func (im *importer) valuesTier(t *Tier, g *group, role TierRole) {
	subj, isSubj := im.s.FindSubject(role.Subject)
	var bad []string
	type hit struct {
		a Annotation
		b annotate.Behavior
	}
	var hits []hit
	for _, a := range t.Anns {
		b, ok := im.behaviorValue(t, a)
		if ok && isSubj && b.Subject != "" && b.Subject != subj.Code {
			ok = false
		}
		if !ok {
			bad = append(bad, fmt.Sprintf("%s:%d: tier %q: value %q is not a behaviour%s of the scheme", im.doc.File, a.ValueLine, t.ID, a.Value, subjectNote(isSubj, subj)))
			continue
		}
		hits = append(hits, hit{a, b})
	}
	if !isSubj && len(bad) > 0 {
		im.unknownf(t.Line, "tier %q matches no behaviour, subject or episode of the scheme", t.ID)
		return
	}
	im.unknown = append(im.unknown, bad...)
	part := t.Participant
	if isSubj {
		part = subj.Code
	}
	for _, h := range hits {
		im.addEvent(g, h.a, h.b, part, nil)
	}
}

func (im *importer) addEvent(g *group, a Annotation, b annotate.Behavior, participant string, mods []string) {
	e := annotate.Event{Behavior: b.Code, Subject: b.Subject, Start: a.Start + im.origin, End: a.End + im.origin, Modifiers: mods}
	if e.Subject == "" {
		if s, ok := im.s.FindSubject(participant); ok {
			e.Subject = s.Code
		}
	}
	switch {
	case b.Kind == annotate.Point:
		e.End = e.Start
	case im.open[a.ID]:
		e.Open = true
		e.End = e.Start
	}
	im.events[a.ID] = evRef{g, len(g.events)}
	g.events = append(g.events, e)
}

// names are the texts an annotation's value may be matched by: the value
// itself and, when it comes from a controlled vocabulary, the entry's
// value in every language, so a file coded in ELAN's Dutch or German
// interface still finds the scheme's English codes.
func (im *importer) names(t *Tier, a Annotation) []string {
	out := []string{a.Value}
	if e, ok := im.doc.TierCV(t).Entry(a.CVERef, a.Value); ok {
		for _, lv := range e.Values {
			out = append(out, lv.Value)
		}
	}
	return out
}

func (im *importer) behaviorValue(t *Tier, a Annotation) (annotate.Behavior, bool) {
	for _, n := range im.names(t, a) {
		if b, ok := im.s.FindBehavior(n); ok {
			return b, true
		}
	}
	return annotate.Behavior{}, false
}

func (im *importer) episode(t *Tier, a Annotation) (annotate.EpisodeDef, bool) {
	for _, n := range im.names(t, a) {
		if e, ok := findEpisode(im.s, n); ok {
			return e, true
		}
	}
	return annotate.EpisodeDef{}, false
}

func findEpisode(s *annotate.Scheme, v string) (annotate.EpisodeDef, bool) {
	if e, ok := s.Episode(v); ok {
		return e, true
	}
	for _, e := range s.Episodes {
		if fold(e.Name) == fold(v) {
			return e, true
		}
	}
	return annotate.EpisodeDef{}, false
}

// modifiersOf splits "a|b" into b's modifiers; bad when any part is not one.
func (im *importer) modifiersOf(b annotate.Behavior, v string) (mods []string, bad bool) {
	for _, mod := range strings.Split(v, "|") {
		if mod = strings.TrimSpace(mod); mod == "" {
			continue
		}
		found, ok := b.FindModifier(mod)
		if !ok {
			return nil, true
		}
		if !slices.Contains(mods, found) {
			mods = append(mods, found)
		}
	}
	return mods, false
}

// attachTier puts a modifier or comment tier's values on the events they
// belong to: the annotation a reference points to (through any chain of
// references), or for an alignable child the parent annotation it lies in.
func (im *importer) attachTier(t *Tier, role Role) {
	for _, a := range t.Anns {
		er, found, parentRefused := im.eventFor(t, a)
		if parentRefused {
			continue // its event was refused, and reported
		}
		if !found {
			im.p.add(a.Line, ErrMalformed, "tier %q: annotation %s belongs to no imported event", t.ID, a.ID)
			continue
		}
		e := &er.g.events[er.i]
		if role == RoleComment {
			e.Comment = joinComment(e.Comment, a.Value)
			continue
		}
		b, _ := im.s.Behavior(e.Behavior)
		for _, mod := range strings.Split(a.Value, "|") {
			if mod = strings.TrimSpace(mod); mod == "" {
				continue
			}
			found, ok := b.FindModifier(mod)
			if !ok {
				for _, n := range im.names(t, Annotation{Value: mod}) {
					if found, ok = b.FindModifier(n); ok {
						break
					}
				}
			}
			if !ok {
				im.unknownf(a.ValueLine, "tier %q: %q is not a modifier of %q", t.ID, mod, b.Code)
				continue
			}
			if !slices.Contains(e.Modifiers, found) {
				e.Modifiers = append(e.Modifiers, found)
			}
		}
	}
}

// eventFor climbs from a child annotation to the event it describes.
// parentRefused says an ancestor exists but was not imported (its own
// problem is reported already).
func (im *importer) eventFor(t *Tier, a Annotation) (er evRef, found, parentRefused bool) {
	cur, tier := a, t
	for steps := 0; steps < len(im.doc.annIdx)+1; steps++ {
		var up string
		if cur.Ref != "" {
			up = cur.Ref
		} else if par := im.doc.Tier(tier.Parent); par != nil {
			up = covering(par, cur)
		}
		if up == "" {
			return evRef{}, false, steps > 0
		}
		if er, ok := im.events[up]; ok {
			return er, true, false
		}
		pl, ok := im.doc.annIdx[up]
		if !ok {
			return evRef{}, false, false
		}
		cur, tier = *pl.a, pl.t
	}
	return evRef{}, false, false
}

func joinComment(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " / " + b
}

func (im *importer) addRatings() {
	for ri, rm := range im.ratings {
		line := im.rlines[ri]
		var g *group
		for _, x := range im.groups {
			if x.key == rm.Observation {
				g = x
			}
		}
		if g == nil {
			im.p.add(line, ErrMalformed, "rating for unknown observation %q", rm.Observation)
			continue
		}
		sc, ok := im.s.Rating(rm.Scale)
		switch {
		case !ok:
			im.unknownf(line, "rating scale %q is not in the scheme", rm.Scale)
			continue
		case rm.Value < sc.Min || rm.Value > sc.Max:
			im.p.add(line, annotate.ErrBadRating, "rating %s=%d in %q is outside %d–%d", rm.Scale, rm.Value, rm.Episode, sc.Min, sc.Max)
			continue
		}
		g.ratings = append(g.ratings, annotate.Rating{Episode: rm.Episode, Scale: rm.Scale, Value: rm.Value})
	}
}

func (im *importer) checkOpenMarks() {
	for id := range im.open {
		if _, ok := im.events[id]; !ok {
			im.p.add(im.olines[id], ErrMalformed, "%s lists annotation %q, which is not an imported event", propOpen, id)
		}
	}
}

// finish numbers the events, validates each observation and returns them
// all, or every problem found.
func (im *importer) finish() ([]annotate.Transfer, error) {
	p := im.p
	if len(im.unknown) > 0 {
		p.errs = append(p.errs, fmt.Errorf("%w (rename them in ELAN, add them to the scheme or map them in a mapping file):\n  %s", ErrUnknown, strings.Join(im.unknown, "\n  ")))
	}
	var date time.Time
	if t, err := time.Parse(time.RFC3339, im.doc.Date); err == nil && t.Unix() != 0 {
		date = t
	}
	var out []annotate.Transfer
	for _, g := range im.groups {
		if len(g.events) == 0 && len(g.marks) == 0 && len(g.ratings) == 0 && !im.ours {
			continue // an ANNOTATOR with only empty tiers
		}
		// An ELAN file's observations are its annotators: the ID names
		// which one to import from a file of several.
		o := &annotate.Observation{ID: g.meta.ID, Coder: g.coder, Created: date, Modified: date}
		if !im.ours {
			o.ID = g.key
		}
		if im.ours {
			o.Coder = g.meta.Coder
		}
		// Event IDs follow (start, tier order) so they do not depend on
		// the annotation IDs of the file.
		slices.SortStableFunc(g.events, func(a, b annotate.Event) int { return cmp.Compare(a.Start, b.Start) })
		for i := range g.events {
			g.events[i].ID = annotate.EventID(i + 1)
		}
		o.Events = g.events
		o.NextID = annotate.EventID(len(g.events) + 1)
		slices.SortStableFunc(g.marks, func(a, b annotate.EpisodeMark) int { return cmp.Compare(a.Start, b.Start) })
		for i := 1; i < len(g.marks); i++ {
			if g.marks[i].Start == g.marks[i-1].Start {
				p.add(im.doc.headLine, ErrMalformed, "observation %q: episodes %q and %q start at the same time %s", g.key, g.marks[i-1].Name, g.marks[i].Name, g.marks[i].Start.Seconds())
			}
		}
		o.Episodes = g.marks
		o.Ratings = g.ratings
		if err := o.Validate(im.s); err != nil {
			p.errs = append(p.errs, fmt.Errorf("%s: observation %q: %w", im.doc.File, g.key, err))
		}
		out = append(out, annotate.Transfer{Project: im.project, Video: im.video, Obs: o, End: im.end, Rate: im.rate})
	}
	if len(p.errs) > 0 {
		return nil, errors.Join(p.errs...)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: %w: no tiers with coding", im.doc.File, ErrUnknown)
	}
	return out, nil
}

func subjectNote(isSubj bool, s annotate.Subject) string {
	if isSubj {
		return " of " + s.Code
	}
	return ""
}

// covering finds the parent annotation an alignable child annotation lies
// in (Included_In and Time_Subdivision tiers).
func covering(parent *Tier, a Annotation) string {
	for _, x := range parent.Anns {
		if x.Start <= a.Start && a.End <= x.End {
			return x.ID
		}
	}
	return ""
}

// mediaName turns ELAN's media URL into a file name as the store expects.
func mediaName(abs, rel string) string {
	for _, u := range []string{abs, rel} {
		if u == "" {
			continue
		}
		if x, err := url.Parse(u); err == nil {
			if x.Scheme == "file" || x.Scheme == "" {
				return path.Clean(x.Path)
			}
		}
		return u
	}
	return ""
}
