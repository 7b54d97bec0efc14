package eaf

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"dyadcode/annotate"
)

// Document is an EAF file (or .etf template) as ELAN defines it, before
// any mapping to a coding scheme: its media, tiers with every annotation's
// time worked out, linguistic types and controlled vocabularies. Import
// (Read) and scheme adoption (package adopt) both start from it.
type Document struct {
	File   string // name used in messages
	Format string // FORMAT attribute: "2.7", "2.8", "3.0"…
	Date   string
	Media  []Media
	Props  []Property
	Tiers  []*Tier
	Types  map[string]*LingType
	// Vocabularies in file order; CV looks one up by ID.
	Vocabularies []*Vocabulary

	rootLine, headLine int
	tierIdx            map[string]*Tier
	annIdx             map[string]annPlace
}

// annPlace locates an annotation by ID.
type annPlace struct {
	t *Tier
	a *Annotation
}

// Media is one MEDIA_DESCRIPTOR. Origin is TIME_ORIGIN: the media time at
// which the annotation time line starts, so media time = annotation time
// + Origin.
type Media struct {
	URL, Relative, MIME, ExtractedFrom string
	Origin                             annotate.Time
}

// Property is a header PROPERTY.
type Property struct {
	Name, Value string
	Line        int
}

// LingType is a LINGUISTIC_TYPE: its constraint ("" for a top-level
// alignable type, else Time_Subdivision, Symbolic_Subdivision,
// Symbolic_Association or Included_In) and the vocabulary its tiers use.
type LingType struct {
	ID, Constraint, CV string
	TimeAlignable      bool
}

// Vocabulary is a CONTROLLED_VOCABULARY. EAF 2.7 entries have one value
// (CV_ENTRY); from 2.8 on an entry (CV_ENTRY_ML) has a value per language.
type Vocabulary struct {
	ID, Description string
	External        string // EXT_REF: entries live in another file
	Entries         []CVEntry
}

// CVEntry is one vocabulary entry with its value in every language.
type CVEntry struct {
	ID     string
	Values []LangValue // first is the one ELAN shows by default
}

// LangValue is an entry's value and description in one language ("" for
// EAF 2.7's language-less entries).
type LangValue struct {
	Lang, Value, Description string
}

// Tier is a TIER with its annotations in file order.
type Tier struct {
	ID, Participant, Annotator, Type, Parent, Lang string
	Line                                           int
	Anns                                           []Annotation
}

// Annotation is an alignable or reference annotation. Start and End are
// always set once Parse returns: from the time slots, interpolated for
// unaligned slots, or inherited through references (see resolveTimes).
type Annotation struct {
	ID, Value, CVERef string
	Ref, Prev         string // REF_ANNOTATION: the annotation referred to and the previous sibling
	Slot1, Slot2      string // ALIGNABLE_ANNOTATION: its time slots
	Start, End        annotate.Time
	Line, ValueLine   int
}

// Alignable tells an alignable annotation from a reference one.
func (a Annotation) Alignable() bool { return a.Ref == "" }

// Constraint returns the constraint of the tier's linguistic type.
func (d *Document) Constraint(t *Tier) string {
	if lt := d.Types[t.Type]; lt != nil {
		return lt.Constraint
	}
	return ""
}

// CV returns the vocabulary with the given ID.
func (d *Document) CV(id string) *Vocabulary {
	for _, v := range d.Vocabularies {
		if v.ID == id {
			return v
		}
	}
	return nil
}

// TierCV returns the vocabulary the tier's values come from, or nil.
func (d *Document) TierCV(t *Tier) *Vocabulary {
	if lt := d.Types[t.Type]; lt != nil && lt.CV != "" {
		return d.CV(lt.CV)
	}
	return nil
}

// Tier returns the tier with the given ID.
func (d *Document) Tier(id string) *Tier {
	if d.tierIdx != nil {
		return d.tierIdx[id]
	}
	for _, t := range d.Tiers {
		if t.ID == id {
			return t
		}
	}
	return nil
}

// Parse reads an EAF document or ETF template, checks its structure and
// works out every annotation's time. Every problem is reported as
// FILE:LINE and wraps ErrMalformed.
func Parse(r io.Reader, name string) (*Document, error) {
	root, err := parseTree(r, name)
	if err != nil {
		return nil, err
	}
	d := &Document{File: name, Format: root.attr("FORMAT"), Date: root.attr("DATE"), Types: map[string]*LingType{}, rootLine: root.line}
	p := &problems{file: name}
	if err := d.readHeader(root); err != nil {
		return nil, err
	}
	d.readTypes(root, p)
	d.readVocabularies(root, p)
	slots := readSlots(root, p)
	d.readTiers(root, p)
	d.index()
	if len(p.errs) == 0 {
		d.resolveTimes(slots, p)
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return d, nil
}

// index builds the lookups by ID once the tiers are read.
func (d *Document) index() {
	d.tierIdx = map[string]*Tier{}
	d.annIdx = map[string]annPlace{}
	for _, t := range d.Tiers {
		d.tierIdx[t.ID] = t
		for i := range t.Anns {
			d.annIdx[t.Anns[i].ID] = annPlace{t, &t.Anns[i]}
		}
	}
}

// readHeader reads the media and properties; the header is the one part
// EAF requires of every file.
func (d *Document) readHeader(root *node) error {
	head := root.first("HEADER")
	if head == nil {
		return fmt.Errorf("%s:%d: %w: no <HEADER>", d.File, root.line, ErrMalformed)
	}
	d.headLine = head.line
	if u := head.attr("TIME_UNITS"); u != "" && u != "milliseconds" {
		return fmt.Errorf("%s:%d: %w: TIME_UNITS %q; only milliseconds are supported", d.File, head.line, ErrMalformed, u)
	}
	for _, md := range head.all("MEDIA_DESCRIPTOR") {
		m := Media{URL: md.attr("MEDIA_URL"), Relative: md.attr("RELATIVE_MEDIA_URL"), MIME: md.attr("MIME_TYPE"), ExtractedFrom: md.attr("EXTRACTED_FROM")}
		if o := md.attr("TIME_ORIGIN"); o != "" {
			n, err := strconv.ParseInt(strings.TrimSpace(o), 10, 64)
			// xsd:long: negative too (a view that started after the
			// primary one is an origin before its own start).
			if err != nil || n < -math.MaxUint32 || n > math.MaxUint32 {
				return fmt.Errorf("%s:%d: %w: TIME_ORIGIN %q is not a whole number of milliseconds", d.File, md.line, ErrMalformed, o)
			}
			m.Origin = annotate.Time(n) * annotate.Millisecond
		}
		d.Media = append(d.Media, m)
	}
	for _, pr := range head.all("PROPERTY") {
		d.Props = append(d.Props, Property{Name: pr.attr("NAME"), Value: pr.text.String(), Line: pr.line})
	}
	return nil
}

func (d *Document) readTypes(root *node, p *problems) {
	for _, n := range root.all("LINGUISTIC_TYPE") {
		lt := &LingType{ID: n.attr("LINGUISTIC_TYPE_ID"), Constraint: n.attr("CONSTRAINTS"), CV: n.attr("CONTROLLED_VOCABULARY_REF"),
			TimeAlignable: n.attr("TIME_ALIGNABLE") != "false"}
		if _, dup := d.Types[lt.ID]; dup {
			p.add(n.line, ErrMalformed, "linguistic type %q defined twice", lt.ID)
			continue
		}
		d.Types[lt.ID] = lt
	}
}

// readVocabularies reads both CV layouts: EAF 2.7's CV_ENTRY (value as
// text, DESCRIPTION attribute) and 2.8+'s CV_ENTRY_ML with one CVE_VALUE
// per LANG_REF.
func (d *Document) readVocabularies(root *node, p *problems) {
	for _, n := range root.all("CONTROLLED_VOCABULARY") {
		v := &Vocabulary{ID: n.attr("CV_ID"), Description: n.attr("DESCRIPTION"), External: n.attr("EXT_REF")}
		if desc := n.first("DESCRIPTION"); desc != nil && v.Description == "" {
			v.Description = strings.TrimSpace(desc.text.String())
		}
		if d.CV(v.ID) != nil {
			p.add(n.line, ErrMalformed, "controlled vocabulary %q defined twice", v.ID)
			continue
		}
		for _, e := range n.kids {
			switch e.name {
			case "CV_ENTRY":
				v.Entries = append(v.Entries, CVEntry{ID: e.attr("CVE_ID"),
					Values: []LangValue{{Value: strings.TrimSpace(e.text.String()), Description: e.attr("DESCRIPTION")}}})
			case "CV_ENTRY_ML":
				ce := CVEntry{ID: e.attr("CVE_ID")}
				for _, lv := range e.all("CVE_VALUE") {
					ce.Values = append(ce.Values, LangValue{Lang: lv.attr("LANG_REF"), Value: strings.TrimSpace(lv.text.String()), Description: lv.attr("DESCRIPTION")})
				}
				if len(ce.Values) == 0 {
					p.add(e.line, ErrMalformed, "vocabulary %q: entry %q has no CVE_VALUE", v.ID, ce.ID)
					continue
				}
				v.Entries = append(v.Entries, ce)
			}
		}
		d.Vocabularies = append(d.Vocabularies, v)
	}
}

// Entry finds the entry with the given ID, or whose value in some
// language is v (case-insensitive), so a value typed in any language of
// the vocabulary resolves to the same entry.
func (v *Vocabulary) Entry(id, value string) (CVEntry, bool) {
	if v == nil {
		return CVEntry{}, false
	}
	for _, e := range v.Entries {
		if id != "" && e.ID == id {
			return e, true
		}
	}
	f := fold(value)
	for _, e := range v.Entries {
		for _, lv := range e.Values {
			if f != "" && fold(lv.Value) == f {
				return e, true
			}
		}
	}
	return CVEntry{}, false
}

// slotTable is TIME_ORDER: every slot in file order, with its time when
// aligned.
type slotTable struct {
	order []string
	index map[string]int
	at    map[string]int64 // ms; aligned slots, then interpolated ones
}

func readSlots(root *node, p *problems) *slotTable {
	st := &slotTable{index: map[string]int{}, at: map[string]int64{}}
	to := root.first("TIME_ORDER")
	if to == nil {
		return st
	}
	for _, ts := range to.all("TIME_SLOT") {
		id := ts.attr("TIME_SLOT_ID")
		if id == "" {
			p.add(ts.line, ErrMalformed, "TIME_SLOT without TIME_SLOT_ID")
			continue
		}
		if _, dup := st.index[id]; dup {
			p.add(ts.line, ErrMalformed, "time slot %q defined twice", id)
			continue
		}
		st.index[id] = len(st.order)
		st.order = append(st.order, id)
		v, has := ts.attrs["TIME_VALUE"]
		if !has {
			continue // unaligned: placed by resolveTimes
		}
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		// xsd:unsignedInt, as EAF 3.0 declares it: about 49 days.
		if err != nil || n < 0 || n > math.MaxUint32 {
			p.add(ts.line, ErrMalformed, "time slot %s: TIME_VALUE %q is not a whole number of milliseconds", id, v)
			continue
		}
		st.at[id] = n
	}
	return st
}

func (d *Document) readTiers(root *node, p *problems) {
	seen := map[string]bool{}
	tiers := map[string]bool{}
	for _, tn := range root.all("TIER") {
		t := &Tier{ID: tn.attr("TIER_ID"), Participant: tn.attr("PARTICIPANT"), Annotator: tn.attr("ANNOTATOR"),
			Type: tn.attr("LINGUISTIC_TYPE_REF"), Parent: tn.attr("PARENT_REF"), Lang: tn.attr("LANG_REF"), Line: tn.line}
		if tiers[t.ID] {
			p.add(tn.line, ErrMalformed, "tier %q defined twice", t.ID)
			continue
		}
		tiers[t.ID] = true
		for _, an := range tn.all("ANNOTATION") {
			for _, a := range an.kids {
				x, ok := readAnnotation(a, t, p)
				if !ok {
					continue
				}
				if seen[x.ID] {
					p.add(a.line, ErrMalformed, "annotation ID %q used twice", x.ID)
					continue
				}
				seen[x.ID] = true
				t.Anns = append(t.Anns, x)
			}
		}
		d.Tiers = append(d.Tiers, t)
	}
	for _, t := range d.Tiers {
		if t.Parent != "" && !tiers[t.Parent] {
			p.add(t.Line, ErrMalformed, "tier %q: parent tier %q does not exist", t.ID, t.Parent)
		}
	}
}

func readAnnotation(a *node, t *Tier, p *problems) (Annotation, bool) {
	x := Annotation{ID: a.attr("ANNOTATION_ID"), CVERef: a.attr("CVE_REF"), Line: a.line, ValueLine: a.line}
	if v := a.first("ANNOTATION_VALUE"); v != nil {
		x.Value, x.ValueLine = v.text.String(), v.line
	}
	switch a.name {
	case "ALIGNABLE_ANNOTATION":
		x.Slot1, x.Slot2 = a.attr("TIME_SLOT_REF1"), a.attr("TIME_SLOT_REF2")
	case "REF_ANNOTATION":
		x.Ref, x.Prev = a.attr("ANNOTATION_REF"), a.attr("PREVIOUS_ANNOTATION")
		if x.Ref == "" {
			p.add(a.line, ErrMalformed, "tier %q: reference annotation %s without ANNOTATION_REF", t.ID, x.ID)
			return x, false
		}
	default:
		return x, false
	}
	if x.ID == "" {
		p.add(a.line, ErrMalformed, "tier %q: annotation without ANNOTATION_ID", t.ID)
		return x, false
	}
	return x, true
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

func (p *problems) err() error {
	if len(p.errs) == 0 {
		return nil
	}
	return errors.Join(p.errs...)
}
