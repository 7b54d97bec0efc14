package eaf

import (
	"cmp"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"dyadcode/annotate"
)

// node is an XML element with the line it starts on, so every problem can
// be reported as FILE:LINE.
type node struct {
	name  string
	space string // namespace prefix as written, to match the end tag
	attrs map[string]string
	kids  []*node
	text  strings.Builder
	line  int
}

func (n *node) attr(k string) string { return n.attrs[k] }

func (n *node) all(name string) []*node {
	var out []*node
	for _, k := range n.kids {
		if k.name == name {
			out = append(out, k)
		}
	}
	return out
}

func (n *node) first(name string) *node {
	for _, k := range n.kids {
		if k.name == name {
			return k
		}
	}
	return nil
}

// maxDepth bounds nesting: EAF is four levels deep, and a hostile file
// must not exhaust the stack or memory.
const maxDepth = 64

func parseTree(r io.Reader, name string) (*node, error) {
	dec := xml.NewDecoder(r)
	dec.Strict = true
	var root *node
	var stack []*node
	for {
		line, _ := dec.InputPos()
		// RawToken skips namespace resolution (a quarter of the time
		// Token takes, and EAF uses no namespaces beyond xsi); the end-tag
		// check Token would do is done below.
		tok, err := dec.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			l, _ := dec.InputPos()
			return nil, fmt.Errorf("%s:%d: %w: %v", name, l, ErrMalformed, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &node{name: t.Name.Local, space: t.Name.Space, attrs: map[string]string{}, line: line}
			if l, _ := dec.InputPos(); l > line {
				// The position before the token can sit at the end of the
				// previous line; use where the start tag ends instead
				// when it is a single-line tag.
				n.line = l
			}
			for _, a := range t.Attr {
				n.attrs[a.Name.Local] = a.Value
			}
			if len(stack) >= maxDepth {
				return nil, fmt.Errorf("%s:%d: %w: elements nested deeper than %d", name, n.line, ErrMalformed, maxDepth)
			}
			if len(stack) == 0 {
				if root != nil {
					return nil, fmt.Errorf("%s:%d: %w: more than one root element", name, n.line, ErrMalformed)
				}
				root = n
			} else {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			l, _ := dec.InputPos()
			if len(stack) == 0 {
				return nil, fmt.Errorf("%s:%d: %w: unexpected </%s>", name, l, ErrMalformed, t.Name.Local)
			}
			if open := stack[len(stack)-1]; open.name != t.Name.Local || t.Name.Space != open.space {
				return nil, fmt.Errorf("%s:%d: %w: element <%s> (line %d) closed by </%s>", name, l, ErrMalformed, open.name, open.line, t.Name.Local)
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			}
		}
	}
	if len(stack) > 0 {
		l, _ := dec.InputPos()
		return nil, fmt.Errorf("%s:%d: %w: <%s> (line %d) is never closed", name, l, ErrMalformed, stack[len(stack)-1].name, stack[len(stack)-1].line)
	}
	if root == nil {
		return nil, fmt.Errorf("%s: %w: no XML element (empty file?)", name, ErrMalformed)
	}
	if root.name != "ANNOTATION_DOCUMENT" {
		return nil, fmt.Errorf("%s:%d: %w: root element is <%s>, not <ANNOTATION_DOCUMENT>", name, root.line, ErrMalformed, root.name)
	}
	return root, nil
}

// problems collects every error of a file before giving up, so the user
// fixes them in one pass.
type problems struct {
	file string
	errs []error
}

func (p *problems) add(line int, kind error, format string, a ...any) {
	if len(p.errs) >= 200 {
		return // enough to act on; a broken file should not make a huge message
	}
	p.errs = append(p.errs, fmt.Errorf("%s:%d: %w: %s", p.file, line, kind, fmt.Sprintf(format, a...)))
}

// mapper resolves names in a file to the scheme: behaviours and subjects
// by code first and then by name, case-insensitively (annotate's
// FindBehavior and FindSubject, shared with BORIS import), episodes here.
type mapper struct {
	s *annotate.Scheme
}

func (m mapper) episode(v string) (annotate.EpisodeDef, bool) {
	for _, e := range m.s.Episodes {
		if e.Name == v {
			return e, true
		}
	}
	f := fold(v)
	for _, e := range m.s.Episodes {
		if fold(e.Name) == f {
			return e, true
		}
	}
	return annotate.EpisodeDef{}, false
}

// tierBehavior resolves a tier name to one behaviour: "code", "name",
// "subject:code", "subject:name".
func (m mapper) tierBehavior(name string) (annotate.Behavior, bool) {
	if b, ok := m.s.FindBehavior(name); ok {
		return b, true
	}
	subj, rest, ok := strings.Cut(name, ":")
	if !ok {
		return annotate.Behavior{}, false
	}
	s, ok := m.s.FindSubject(subj)
	if !ok {
		return annotate.Behavior{}, false
	}
	b, ok := m.s.FindBehavior(rest)
	if !ok || (b.Subject != "" && b.Subject != s.Code) {
		return annotate.Behavior{}, false
	}
	return b, true
}

type ann struct {
	id, ref, value string
	start, end     annotate.Time
	line           int // of the annotation element
	vline          int // of its ANNOTATION_VALUE, where value problems are
}

type tier struct {
	id, participant, annotator, ltype, parent string
	line                                      int
	anns                                      []ann
}

// Read parses an EAF file (written by dyadcode or by ELAN) into one
// Transfer per observation, mapping tiers and values to s (see the package
// comment). Every problem is reported, as FILE:LINE, and nothing is
// returned unless the whole file is valid.
func Read(r io.Reader, name string, s *annotate.Scheme) ([]annotate.Transfer, error) {
	if s == nil {
		return nil, fmt.Errorf("%s: ELAN import needs the coding scheme to map tiers to codes", name)
	}
	root, err := parseTree(r, name)
	if err != nil {
		return nil, err
	}
	p := &problems{file: name}
	m := mapper{s: s}

	// Header.
	head := root.first("HEADER")
	if head == nil {
		return nil, fmt.Errorf("%s:%d: %w: no <HEADER>", name, root.line, ErrMalformed)
	}
	if u := head.attr("TIME_UNITS"); u != "" && u != "milliseconds" {
		return nil, fmt.Errorf("%s:%d: %w: TIME_UNITS %q; only milliseconds are supported", name, head.line, ErrMalformed, u)
	}
	var (
		ours    bool
		project string
		video   string
		end     annotate.Time
		rate    annotate.Rate
		metas   []obsMeta
		ratings []ratingMeta
		rlines  []int
		open    = map[string]bool{}
		olines  = map[string]int{}
	)
	for _, md := range head.all("MEDIA_DESCRIPTOR") {
		if video == "" {
			video = mediaName(md.attr("MEDIA_URL"), md.attr("RELATIVE_MEDIA_URL"))
		}
	}
	for _, pr := range head.all("PROPERTY") {
		v := pr.text.String()
		switch pr.attr("NAME") {
		case propVersion:
			ours = true
			if v != "1" {
				p.add(pr.line, ErrMalformed, "dyadcode EAF version %q is not supported (this build reads version 1)", v)
			}
		case propProject:
			project = v
		case propVideo:
			video = v
		case propEnd:
			t, err := annotate.ParseSeconds(v)
			if err != nil || t < 0 {
				p.add(pr.line, ErrMalformed, "end time %q is not a time in seconds", v)
			}
			end = t
		case propRate:
			n, d, ok := strings.Cut(v, "/")
			num, err1 := strconv.ParseInt(n, 10, 64)
			den, err2 := strconv.ParseInt(d, 10, 64)
			rate = annotate.Rate{Num: num, Den: den}
			if !ok || err1 != nil || err2 != nil || !rate.Valid() {
				p.add(pr.line, ErrMalformed, "frame rate %q is not N/D", v)
				rate = annotate.Rate{}
			}
		case propObservation:
			var om obsMeta
			if err := json.Unmarshal([]byte(v), &om); err != nil {
				p.add(pr.line, ErrMalformed, "observation property: %v", err)
				continue
			}
			if slices.ContainsFunc(metas, func(x obsMeta) bool { return x.Label == om.Label }) {
				p.add(pr.line, ErrMalformed, "observation label %q listed twice", om.Label)
				continue
			}
			metas = append(metas, om)
		case propRating:
			var rm ratingMeta
			if err := json.Unmarshal([]byte(v), &rm); err != nil {
				p.add(pr.line, ErrMalformed, "rating property: %v", err)
				continue
			}
			ratings = append(ratings, rm)
			rlines = append(rlines, pr.line)
		case propOpen:
			open[strings.TrimSpace(v)] = true
			olines[strings.TrimSpace(v)] = pr.line
		}
	}

	// Time slots; an unaligned slot (no TIME_VALUE) is only a problem if a
	// tier we import uses it.
	slotsAt := map[string]annotate.Time{}
	unaligned := map[string]bool{}
	if to := root.first("TIME_ORDER"); to != nil {
		for _, ts := range to.all("TIME_SLOT") {
			id := ts.attr("TIME_SLOT_ID")
			if id == "" {
				p.add(ts.line, ErrMalformed, "TIME_SLOT without TIME_SLOT_ID")
				continue
			}
			v, has := ts.attrs["TIME_VALUE"]
			if !has {
				unaligned[id] = true
				continue
			}
			n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			// xsd:unsignedInt, as EAF 3.0 declares it: about 49 days.
			if err != nil || n < 0 || n > math.MaxUint32 {
				p.add(ts.line, ErrMalformed, "time slot %s: TIME_VALUE %q is not a whole number of milliseconds", id, v)
				continue
			}
			slotsAt[id] = annotate.Time(n) * annotate.Millisecond
		}
	}

	// Tiers and their annotations.
	var tiers []*tier
	tierByID := map[string]*tier{}
	annByID := map[string]*ann{}
	for _, tn := range root.all("TIER") {
		t := &tier{id: tn.attr("TIER_ID"), participant: tn.attr("PARTICIPANT"), annotator: tn.attr("ANNOTATOR"),
			ltype: tn.attr("LINGUISTIC_TYPE_REF"), parent: tn.attr("PARENT_REF"), line: tn.line}
		if _, dup := tierByID[t.id]; dup {
			p.add(tn.line, ErrMalformed, "tier %q defined twice", t.id)
			continue
		}
		tierByID[t.id] = t
		tiers = append(tiers, t)
		for _, an := range tn.all("ANNOTATION") {
			for _, a := range an.kids {
				val, vline := "", a.line
				if v := a.first("ANNOTATION_VALUE"); v != nil {
					val, vline = v.text.String(), v.line
				}
				x := ann{id: a.attr("ANNOTATION_ID"), value: val, line: a.line, vline: vline}
				switch a.name {
				case "ALIGNABLE_ANNOTATION":
					r1, r2 := a.attr("TIME_SLOT_REF1"), a.attr("TIME_SLOT_REF2")
					t1, ok1 := slotsAt[r1]
					t2, ok2 := slotsAt[r2]
					switch {
					case unaligned[r1] || unaligned[r2]:
						p.add(a.line, ErrMalformed, "tier %q: annotation %s uses a time slot without a time; align it in ELAN first", t.id, x.id)
						continue
					case !ok1 || !ok2:
						p.add(a.line, ErrMalformed, "tier %q: annotation %s refers to missing time slot %q or %q", t.id, x.id, r1, r2)
						continue
					case t2 < t1:
						p.add(a.line, ErrMalformed, "tier %q: annotation %s ends (%d ms) before it starts (%d ms)", t.id, x.id, t2/annotate.Millisecond, t1/annotate.Millisecond)
						continue
					}
					x.start, x.end = t1, t2
				case "REF_ANNOTATION":
					x.ref = a.attr("ANNOTATION_REF")
				default:
					continue
				}
				if x.id == "" {
					p.add(a.line, ErrMalformed, "tier %q: annotation without ANNOTATION_ID", t.id)
					continue
				}
				if _, dup := annByID[x.id]; dup {
					p.add(a.line, ErrMalformed, "annotation ID %q used twice", x.id)
					continue
				}
				t.anns = append(t.anns, x)
				annByID[x.id] = &t.anns[len(t.anns)-1]
			}
		}
	}
	// annByID pointed into slices that may have grown; rebuild it.
	clear(annByID)
	for _, t := range tiers {
		for i := range t.anns {
			annByID[t.anns[i].id] = &t.anns[i]
		}
	}

	// Group tiers into observations: by "@label" in files dyadcode wrote
	// with several observations, else by ANNOTATOR.
	type group struct {
		key     string
		meta    obsMeta
		coder   string
		events  []annotate.Event
		marks   []annotate.EpisodeMark
		ratings []annotate.Rating
	}
	var groups []*group
	groupFor := func(key, coder string) *group {
		for _, g := range groups {
			if g.key == key {
				return g
			}
		}
		g := &group{key: key, coder: coder}
		groups = append(groups, g)
		return g
	}
	labelled := ours && len(metas) > 1
	if ours {
		for _, om := range metas {
			g := groupFor(om.Label, om.Coder)
			g.meta = om
		}
	}
	// main tier ID -> event index in its group, for child tiers.
	type evRef struct {
		g *group
		i int
	}
	events := map[string]evRef{}
	var unknown []string

	splitLabel := func(id string) (base, key string, ok bool) {
		if !labelled {
			return id, "", true
		}
		// The longest matching label wins: coders "b" and "a@b" both
		// match "child:smile@a@b".
		best := -1
		for i, om := range metas {
			if strings.HasSuffix(id, "@"+om.Label) && (best < 0 || len(om.Label) > len(metas[best].Label)) {
				best = i
			}
		}
		if best < 0 {
			return id, "", false
		}
		return strings.TrimSuffix(id, "@"+metas[best].Label), metas[best].Label, true
	}

	var children []*tier
	for _, t := range tiers {
		if t.parent != "" {
			children = append(children, t)
			continue
		}
		base, key, ok := splitLabel(t.id)
		if !ok {
			unknown = append(unknown, fmt.Sprintf("%s:%d: tier %q belongs to none of the observations listed in the header", name, t.line, t.id))
			continue
		}
		var g *group
		if ours {
			g = groupFor(key, "")
		} else {
			g = groupFor(t.annotator, t.annotator)
		}
		// Episodes tier.
		if f := fold(base); f == "episodes" || f == "episode" {
			for _, a := range t.anns {
				def, ok := m.episode(a.value)
				if !ok {
					unknown = append(unknown, fmt.Sprintf("%s:%d: tier %q: %q is not an episode of the scheme", name, a.vline, t.id, a.value))
					continue
				}
				g.marks = append(g.marks, annotate.EpisodeMark{Name: def.Name, Start: a.start})
			}
			continue
		}
		// Tier that is one behaviour.
		if b, ok := m.tierBehavior(base); ok {
			if ours && t.ltype == typePoint && b.Kind != annotate.Point {
				p.add(t.line, ErrUnknown, "tier %q holds points but %q is a state in this scheme", t.id, b.Code)
				continue
			}
			if ours && t.ltype == typeState && b.Kind != annotate.State {
				p.add(t.line, ErrUnknown, "tier %q holds states but %q is a point in this scheme", t.id, b.Code)
				continue
			}
			for _, a := range t.anns {
				if v := fold(a.value); v != "" && v != fold(b.Code) && v != fold(b.Name) {
					unknown = append(unknown, fmt.Sprintf("%s:%d: tier %q: value %q is not %q", name, a.vline, t.id, a.value, b.Code))
					continue
				}
				events[a.id] = evRef{g, len(g.events)}
				g.events = append(g.events, makeEvent(b, t.participant, m, a, open))
			}
			continue
		}
		// Tier of a subject, or a tier whose values all name behaviours.
		subj, isSubj := m.s.FindSubject(base)
		if !isSubj {
			subj, isSubj = m.s.FindSubject(t.participant)
		}
		var bad []string
		var evs []annotate.Event
		var ids []string
		for _, a := range t.anns {
			b, ok := m.s.FindBehavior(a.value)
			if ok && isSubj && b.Subject != "" && b.Subject != subj.Code {
				ok = false
			}
			if !ok {
				bad = append(bad, fmt.Sprintf("%s:%d: tier %q: value %q is not a behaviour%s of the scheme", name, a.vline, t.id, a.value, subjectNote(isSubj, subj)))
				continue
			}
			part := t.participant
			if isSubj {
				part = subj.Code
			}
			evs = append(evs, makeEvent(b, part, m, a, open))
			ids = append(ids, a.id)
		}
		if !isSubj && len(t.anns) == 0 {
			continue // an empty tier such as ELAN's "default": nothing to lose
		}
		if !isSubj && len(bad) > 0 {
			// Neither the name nor the values say what this tier is.
			unknown = append(unknown, fmt.Sprintf("%s:%d: tier %q matches no behaviour, subject or episode of the scheme", name, t.line, t.id))
			continue
		}
		unknown = append(unknown, bad...)
		for i, e := range evs {
			events[ids[i]] = evRef{g, len(g.events)}
			g.events = append(g.events, e)
		}
	}
	for _, t := range children {
		base := t.id
		if labelled {
			base, _, _ = splitLabel(t.id)
		}
		f := fold(base)
		// dyadcode writes ".../modifiers" and ".../comment"; ELAN users
		// name child tiers freely ("Child comments", "notes").
		isMods := strings.HasSuffix(f, modSuffix) || strings.Contains(f, "modifier")
		isNote := !isMods && (strings.HasSuffix(f, noteSuffix) || strings.Contains(f, "comment") || strings.Contains(f, "note"))
		if !isMods && !isNote {
			unknown = append(unknown, fmt.Sprintf("%s:%d: child tier %q holds neither modifiers nor comments", name, t.line, t.id))
			continue
		}
		for _, a := range t.anns {
			ref := a.ref
			if ref == "" { // an alignable child: attach to the parent annotation it lies in
				ref = covering(tierByID[t.parent], a)
			}
			er, ok := events[ref]
			if !ok && annByID[ref] != nil {
				continue // its parent annotation was refused, and reported
			}
			if !ok {
				p.add(a.line, ErrMalformed, "tier %q: annotation %s refers to %q, which is not an imported event", t.id, a.id, ref)
				continue
			}
			e := &er.g.events[er.i]
			if isNote {
				e.Comment = a.value
				continue
			}
			b, _ := s.Behavior(e.Behavior)
			for _, mod := range strings.Split(a.value, "|") {
				mod = strings.TrimSpace(mod)
				if mod == "" {
					continue
				}
				found, ok := b.FindModifier(mod)
				if !ok {
					unknown = append(unknown, fmt.Sprintf("%s:%d: tier %q: %q is not a modifier of %q", name, a.vline, t.id, mod, b.Code))
					continue
				}
				if !slices.Contains(e.Modifiers, found) {
					e.Modifiers = append(e.Modifiers, found)
				}
			}
		}
	}
	for ri, rm := range ratings {
		line := rlines[ri]
		var g *group
		for _, x := range groups {
			if x.key == rm.Observation {
				g = x
			}
		}
		if g == nil {
			p.add(line, ErrMalformed, "rating for unknown observation %q", rm.Observation)
			continue
		}
		sc, ok := s.Rating(rm.Scale)
		switch {
		case !ok:
			unknown = append(unknown, fmt.Sprintf("%s:%d: rating scale %q is not in the scheme", name, line, rm.Scale))
			continue
		case rm.Value < sc.Min || rm.Value > sc.Max:
			p.add(line, annotate.ErrBadRating, "rating %s=%d in %q is outside %d–%d", rm.Scale, rm.Value, rm.Episode, sc.Min, sc.Max)
			continue
		}
		g.ratings = append(g.ratings, annotate.Rating{Episode: rm.Episode, Scale: rm.Scale, Value: rm.Value})
	}
	for id := range open {
		if _, ok := events[id]; !ok {
			p.add(olines[id], ErrMalformed, "%s lists annotation %q, which is not an imported event", propOpen, id)
		}
	}
	if len(unknown) > 0 {
		p.errs = append(p.errs, fmt.Errorf("%w (rename them in ELAN or add them to the scheme):\n  %s", ErrUnknown, strings.Join(unknown, "\n  ")))
	}

	var date time.Time
	if d := root.attr("DATE"); d != "" {
		if t, err := time.Parse(time.RFC3339, d); err == nil && t.Unix() != 0 {
			date = t
		}
	}
	var out []annotate.Transfer
	for _, g := range groups {
		if len(g.events) == 0 && len(g.marks) == 0 && len(g.ratings) == 0 && !ours {
			continue // an ANNOTATOR with only empty tiers
		}
		o := &annotate.Observation{ID: g.meta.ID, Coder: g.coder, Created: date, Modified: date}
		if ours {
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
				p.add(head.line, ErrMalformed, "observation %q: episodes %q and %q start at the same time %s", g.key, g.marks[i-1].Name, g.marks[i].Name, g.marks[i].Start.Seconds())
			}
		}
		o.Episodes = g.marks
		o.Ratings = g.ratings
		if err := o.Validate(s); err != nil {
			p.errs = append(p.errs, fmt.Errorf("%s: observation %q: %w", name, g.key, err))
		}
		out = append(out, annotate.Transfer{Project: project, Video: video, Obs: o, End: end, Rate: rate})
	}
	if len(p.errs) > 0 {
		return nil, errors.Join(p.errs...)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: %w: no tiers with coding", name, ErrUnknown)
	}
	return out, nil
}

func subjectNote(isSubj bool, s annotate.Subject) string {
	if isSubj {
		return " of " + s.Code
	}
	return ""
}

func makeEvent(b annotate.Behavior, participant string, m mapper, a ann, open map[string]bool) annotate.Event {
	e := annotate.Event{Behavior: b.Code, Subject: b.Subject, Start: a.start, End: a.end}
	if e.Subject == "" {
		if s, ok := m.s.FindSubject(participant); ok {
			e.Subject = s.Code
		}
	}
	switch {
	case b.Kind == annotate.Point:
		e.End = e.Start
	case open[a.id]:
		e.Open = true
		e.End = e.Start
	}
	return e
}

// covering finds the parent annotation an alignable child annotation lies
// in (ELAN files may use Included_In child tiers for notes).
func covering(parent *tier, a ann) string {
	if parent == nil {
		return ""
	}
	for _, x := range parent.anns {
		if x.start <= a.start && a.end <= x.end {
			return x.id
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
