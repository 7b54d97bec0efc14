package eaf

import (
	"bufio"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"dyadcode/annotate"
)

// obsMeta is the JSON of a "dyadcode:observation" header property.
type obsMeta struct {
	Label string `json:"label"`
	ID    string `json:"id"`
	Coder string `json:"coder"`
}

// ratingMeta is the JSON of a "dyadcode:rating" header property.
type ratingMeta struct {
	Observation string `json:"observation"` // label
	Episode     string `json:"episode"`
	Scale       string `json:"scale"`
	Value       int    `json:"value"`
}

// outAnn is one annotation to write: alignable when ref is "", else a
// reference to the annotation ref.
type outAnn struct {
	id         string
	t1, t2     int // indices into the slot list
	ref        string
	value, cve string
}

type outTier struct {
	id, participant, annotator, ltype, parent string
	anns                                      []outAnn
}

type slot struct {
	ms  int64
	seq int
}

// writer assembles the document in memory: the time slots must precede the
// tiers in the file but are only known once every annotation is placed.
type writer struct {
	slots []slot
	tiers []outTier
	nextA int
	open  []string
}

func (w *writer) slot(t int64) int {
	w.slots = append(w.slots, slot{ms: t, seq: len(w.slots)})
	return len(w.slots) - 1
}

func (w *writer) annID() string {
	w.nextA++
	return "a" + strconv.Itoa(w.nextA)
}

// Write writes the observations of one video as an EAF 3.0 document; s is
// the project's coding scheme, which decides the tiers and vocabularies.
// Events are validated against s first and nothing is written on error.
// The steps: check, lay out every annotation and time slot in memory, then
// write header, time order, tiers and the type and vocabulary tables.
func Write(out io.Writer, recs []annotate.Transfer, s *annotate.Scheme) error {
	if err := checkWrite(recs, s); err != nil || s == nil || len(recs) == 0 {
		return err
	}
	labels := observationLabels(recs)
	end, rate := videoOf(recs)
	frame := ms(DefaultFrame)
	if rate.Valid() {
		frame = max(ms(rate.FrameDuration()), 1)
	}
	var w writer
	var modified time.Time
	for i, r := range recs {
		if r.Obs.Modified.After(modified) {
			modified = r.Obs.Modified
		}
		w.addObservation(r, s, labels[i], frame)
	}
	if err := w.checkSlots(); err != nil {
		return err
	}
	order, slotName := w.slotNames()

	b := bufio.NewWriter(out)
	p := func(format string, a ...any) { fmt.Fprintf(b, format, a...) }
	date := time.Unix(0, 0).UTC()
	if !modified.IsZero() {
		date = modified.UTC().Truncate(time.Second)
	}
	p("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
	p("<ANNOTATION_DOCUMENT AUTHOR=\"dyadcode\" DATE=\"%s\" FORMAT=\"3.0\" VERSION=\"3.0\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:noNamespaceSchemaLocation=\"http://www.mpi.nl/tools/elan/EAFv3.0.xsd\">\n",
		date.Format(time.RFC3339))
	w.writeHeader(p, recs, labels, end, rate)
	p("    <TIME_ORDER>\n")
	for _, i := range order {
		p("        <TIME_SLOT TIME_SLOT_ID=\"%s\" TIME_VALUE=\"%d\"/>\n", slotName[i], w.slots[i].ms)
	}
	p("    </TIME_ORDER>\n")
	for _, t := range w.tiers {
		writeTier(p, t, slotName)
	}
	writeTypes(p)
	writeVocabularies(p, s)
	p("</ANNOTATION_DOCUMENT>\n")
	return b.Flush()
}

// checkWrite is what every exporter checks, plus: one file holds one
// video of one project.
func checkWrite(recs []annotate.Transfer, s *annotate.Scheme) error {
	err := annotate.CheckExport("ELAN export", recs, s)
	if s == nil || len(recs) == 0 {
		return err
	}
	errs := []error{err}
	for _, r := range recs {
		if r.Video != recs[0].Video {
			errs = append(errs, fmt.Errorf("%w: %q and %q", ErrSeveralVideos, recs[0].Video, r.Video))
		}
		if r.Project != recs[0].Project {
			errs = append(errs, fmt.Errorf("observations of different projects (%q and %q) cannot share a file", recs[0].Project, r.Project))
		}
	}
	return errors.Join(errs...)
}

// videoOf is the video's end (the latest known) and frame rate (the first
// known) over the observations.
func videoOf(recs []annotate.Transfer) (annotate.Time, annotate.Rate) {
	end, rate := recs[0].End, recs[0].Rate
	for _, r := range recs[1:] {
		end = max(end, r.End)
		if !rate.Valid() {
			rate = r.Rate
		}
	}
	return end, rate
}

// checkSlots refuses times EAF cannot hold (xsd:unsignedInt ms).
func (w *writer) checkSlots() error {
	for _, sl := range w.slots {
		if sl.ms < 0 {
			return errors.New("negative time (an episode mark before the start of the video?) cannot be written to EAF")
		}
		if sl.ms > math.MaxUint32 {
			return fmt.Errorf("time %d ms does not fit in an EAF file (at most %d ms, about 49 days)", sl.ms, uint32(math.MaxUint32))
		}
	}
	return nil
}

// slotNames numbers the slots in time order; ties keep the order the
// annotations were made in, so the numbering is a function of the data
// alone.
func (w *writer) slotNames() (order []int, names []string) {
	order = make([]int, len(w.slots))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(w.slots[a].ms, w.slots[b].ms) })
	names = make([]string, len(w.slots))
	for rank, i := range order {
		names[i] = "ts" + strconv.Itoa(rank+1)
	}
	return order, names
}

type printer func(format string, a ...any)

// writeHeader writes the media and the dyadcode:* properties (see the
// package comment).
func (w *writer) writeHeader(p printer, recs []annotate.Transfer, labels []string, end annotate.Time, rate annotate.Rate) {
	p("    <HEADER MEDIA_FILE=\"\" TIME_UNITS=\"milliseconds\">\n")
	if v := recs[0].Video; v != "" {
		p("        <MEDIA_DESCRIPTOR MEDIA_URL=\"%s\" MIME_TYPE=\"%s\" RELATIVE_MEDIA_URL=\"%s\"/>\n",
			esc(mediaURL(v)), esc(mimeType(v)), esc("./"+uriEscape(filepath.Base(filepath.FromSlash(v)))))
	}
	// Further views of the session: ELAN plays media time = annotation
	// time + TIME_ORIGIN, and a view shows its time t - offset at session
	// time t, so its origin is -offset (whole milliseconds in EAF).
	for _, view := range recs[0].Views {
		origin := ""
		if ms := -int64(math.Round(view.Offset.Float() * 1000)); ms != 0 {
			origin = fmt.Sprintf(" TIME_ORIGIN=\"%d\"", ms)
		}
		p("        <MEDIA_DESCRIPTOR MEDIA_URL=\"%s\" MIME_TYPE=\"%s\" RELATIVE_MEDIA_URL=\"%s\"%s/>\n",
			esc(mediaURL(view.Video)), esc(mimeType(view.Video)), esc("./"+uriEscape(filepath.Base(filepath.FromSlash(view.Video)))), origin)
	}
	prop := func(name, value string) {
		p("        <PROPERTY NAME=\"%s\">%s</PROPERTY>\n", esc(name), esc(value))
	}
	prop("lastUsedAnnotationId", strconv.Itoa(w.nextA))
	prop(propVersion, "1")
	if recs[0].Project != "" {
		prop(propProject, recs[0].Project)
	}
	if recs[0].Video != "" {
		prop(propVideo, recs[0].Video)
	}
	if end > 0 {
		prop(propEnd, end.Seconds())
	}
	if rate.Valid() {
		prop(propRate, rate.String())
	}
	for i, r := range recs {
		j, _ := json.Marshal(obsMeta{Label: labels[i], ID: r.Obs.ID, Coder: r.Obs.Coder})
		prop(propObservation, string(j))
	}
	for i, r := range recs {
		rs := slices.Clone(r.Obs.Ratings)
		slices.SortFunc(rs, func(a, b annotate.Rating) int {
			return cmp.Or(cmp.Compare(a.Episode, b.Episode), cmp.Compare(a.Scale, b.Scale))
		})
		for _, rt := range rs {
			j, _ := json.Marshal(ratingMeta{Observation: labels[i], Episode: rt.Episode, Scale: rt.Scale, Value: rt.Value})
			prop(propRating, string(j))
		}
	}
	for _, id := range w.open {
		prop(propOpen, id)
	}
	p("    </HEADER>\n")
}

func writeTier(p printer, t outTier, slotName []string) {
	p("    <TIER")
	if t.annotator != "" {
		p(" ANNOTATOR=\"%s\"", esc(t.annotator))
	}
	p(" LINGUISTIC_TYPE_REF=\"%s\"", t.ltype)
	if t.parent != "" {
		p(" PARENT_REF=\"%s\"", esc(t.parent))
	}
	if t.participant != "" {
		p(" PARTICIPANT=\"%s\"", esc(t.participant))
	}
	p(" TIER_ID=\"%s\"", esc(t.id))
	if len(t.anns) == 0 {
		p("/>\n")
		return
	}
	p(">\n")
	for _, a := range t.anns {
		p("        <ANNOTATION>\n")
		if a.ref == "" {
			p("            <ALIGNABLE_ANNOTATION ANNOTATION_ID=\"%s\"", a.id)
			if a.cve != "" {
				p(" CVE_REF=\"%s\"", esc(a.cve))
			}
			p(" TIME_SLOT_REF1=\"%s\" TIME_SLOT_REF2=\"%s\">\n", slotName[a.t1], slotName[a.t2])
			p("                <ANNOTATION_VALUE>%s</ANNOTATION_VALUE>\n", esc(a.value))
			p("            </ALIGNABLE_ANNOTATION>\n")
		} else {
			p("            <REF_ANNOTATION ANNOTATION_ID=\"%s\" ANNOTATION_REF=\"%s\">\n", a.id, a.ref)
			p("                <ANNOTATION_VALUE>%s</ANNOTATION_VALUE>\n", esc(a.value))
			p("            </REF_ANNOTATION>\n")
		}
		p("        </ANNOTATION>\n")
	}
	p("    </TIER>\n")
}

// writeTypes writes the linguistic types, language and constraints
// dyadcode's tiers use (the constraints are the four ELAN always lists).
func writeTypes(p printer) {
	for _, lt := range []string{typeState, typePoint} {
		p("    <LINGUISTIC_TYPE CONTROLLED_VOCABULARY_REF=\"%s\" GRAPHIC_REFERENCES=\"false\" LINGUISTIC_TYPE_ID=\"%s\" TIME_ALIGNABLE=\"true\"/>\n", cvBehaviors, lt)
	}
	p("    <LINGUISTIC_TYPE CONTROLLED_VOCABULARY_REF=\"%s\" GRAPHIC_REFERENCES=\"false\" LINGUISTIC_TYPE_ID=\"%s\" TIME_ALIGNABLE=\"true\"/>\n", cvEpisodes, typeEpisode)
	p("    <LINGUISTIC_TYPE CONSTRAINTS=\"Symbolic_Association\" GRAPHIC_REFERENCES=\"false\" LINGUISTIC_TYPE_ID=\"%s\" TIME_ALIGNABLE=\"false\"/>\n", typeNote)
	p("    <LANGUAGE LANG_DEF=\"http://cdb.iso.org/lg/CDB-00130975-001\" LANG_ID=\"%s\" LANG_LABEL=\"undetermined (und)\"/>\n", langID)
	p("    <CONSTRAINT DESCRIPTION=\"Time subdivision of parent annotation's time interval, no time gaps allowed within this interval\" STEREOTYPE=\"Time_Subdivision\"/>\n")
	p("    <CONSTRAINT DESCRIPTION=\"Symbolic subdivision of a parent annotation. Annotations refering to the same parent are ordered\" STEREOTYPE=\"Symbolic_Subdivision\"/>\n")
	p("    <CONSTRAINT DESCRIPTION=\"1-1 association with a parent annotation\" STEREOTYPE=\"Symbolic_Association\"/>\n")
	p("    <CONSTRAINT DESCRIPTION=\"Time alignable annotations within the parent annotation's time interval, gaps are allowed\" STEREOTYPE=\"Included_In\"/>\n")
}

// writeVocabularies writes the behaviour and episode vocabularies, so
// ELAN offers the scheme's codes in a list.
func writeVocabularies(p printer, s *annotate.Scheme) {
	p("    <CONTROLLED_VOCABULARY CV_ID=\"%s\">\n", cvBehaviors)
	p("        <DESCRIPTION LANG_REF=\"%s\">%s</DESCRIPTION>\n", langID, esc("Behaviours of the coding scheme "+s.Name))
	for _, bh := range s.Behaviors {
		p("        <CV_ENTRY_ML CVE_ID=\"%s\">\n", esc(behaviorCVE(bh.Code)))
		p("            <CVE_VALUE DESCRIPTION=\"%s\" LANG_REF=\"%s\">%s</CVE_VALUE>\n", esc(bh.Name), langID, esc(bh.Code))
		p("        </CV_ENTRY_ML>\n")
	}
	p("    </CONTROLLED_VOCABULARY>\n")
	p("    <CONTROLLED_VOCABULARY CV_ID=\"%s\">\n", cvEpisodes)
	p("        <DESCRIPTION LANG_REF=\"%s\">%s</DESCRIPTION>\n", langID, esc("Episodes of the coding scheme "+s.Name))
	for i, ep := range s.Episodes {
		p("        <CV_ENTRY_ML CVE_ID=\"%s\">\n", episodeCVE(i))
		desc := ""
		if ep.Nominal > 0 {
			desc = "nominal length " + ep.Nominal.Seconds() + " s"
		}
		p("            <CVE_VALUE DESCRIPTION=\"%s\" LANG_REF=\"%s\">%s</CVE_VALUE>\n", esc(desc), langID, esc(ep.Name))
		p("        </CV_ENTRY_ML>\n")
	}
	p("    </CONTROLLED_VOCABULARY>\n")
}

func behaviorCVE(code string) string { return "cve_" + code }
func episodeCVE(i int) string        { return "cve_episode_" + strconv.Itoa(i+1) }

// observationLabels names each observation for the tier suffix: "" when
// the file holds one, else the coder (coder#ID when a coder or an empty
// coder appears twice).
func observationLabels(recs []annotate.Transfer) []string {
	labels := make([]string, len(recs))
	if len(recs) == 1 {
		return labels
	}
	count := map[string]int{}
	for _, r := range recs {
		count[r.Obs.Coder]++
	}
	used := map[string]bool{}
	for i, r := range recs {
		l := r.Obs.Coder
		if l == "" || count[l] > 1 {
			l = r.Obs.Coder + "#" + r.Obs.ID
		}
		for n := 2; used[l]; n++ { // IDs missing or repeated: still unique
			l = fmt.Sprintf("%s#%s.%d", r.Obs.Coder, r.Obs.ID, n)
		}
		used[l] = true
		labels[i] = l
	}
	return labels
}

func tierName(base, label string) string {
	if label == "" {
		return base
	}
	return base + "@" + label
}

// behaviorBase is a behaviour tier's name without the observation label.
func behaviorBase(b annotate.Behavior) string {
	if b.Subject == "" {
		return b.Code
	}
	return b.Subject + ":" + b.Code
}

// eventOrder sorts a tier's events by everything that is written, so the
// output does not depend on event IDs.
func eventOrder(a, b annotate.Event) int {
	return cmp.Or(
		cmp.Compare(a.Start, b.Start),
		cmp.Compare(a.End, b.End),
		boolCmp(a.Open, b.Open),
		cmp.Compare(strings.Join(a.Modifiers, "|"), strings.Join(b.Modifiers, "|")),
		cmp.Compare(a.Comment, b.Comment),
	)
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

func (w *writer) addObservation(r annotate.Transfer, s *annotate.Scheme, label string, frame int64) {
	o := r.Obs
	last := ms(r.EndOrLast())
	coder := o.Coder

	// Episodes: each annotation runs to the next mark, the last to the
	// end; only the starts matter on import.
	ep := outTier{id: tierName(episodesTier, label), annotator: coder, ltype: typeEpisode}
	marks := slices.Clone(o.Episodes)
	slices.SortStableFunc(marks, func(a, b annotate.EpisodeMark) int { return cmp.Compare(a.Start, b.Start) })
	for i, m := range marks {
		start := ms(m.Start)
		end := last
		if i+1 < len(marks) {
			end = ms(marks[i+1].Start)
		}
		if end <= start {
			end = start + frame
		}
		cve := ""
		for j, def := range s.Episodes {
			if def.Name == m.Name {
				cve = episodeCVE(j)
			}
		}
		ep.anns = append(ep.anns, outAnn{id: w.annID(), t1: w.slot(start), t2: w.slot(end), value: m.Name, cve: cve})
	}
	w.tiers = append(w.tiers, ep)

	byCode := map[string][]annotate.Event{}
	for _, e := range o.Events {
		byCode[e.Behavior] = append(byCode[e.Behavior], e)
	}
	for _, b := range s.Behaviors {
		evs := byCode[b.Code]
		slices.SortStableFunc(evs, eventOrder)
		base := behaviorBase(b)
		main := outTier{id: tierName(base, label), participant: b.Subject, annotator: coder, ltype: typeState}
		if b.Kind == annotate.Point {
			main.ltype = typePoint
		}
		mods := outTier{id: tierName(base+modSuffix, label), participant: b.Subject, annotator: coder, ltype: typeNote, parent: main.id}
		notes := outTier{id: tierName(base+noteSuffix, label), participant: b.Subject, annotator: coder, ltype: typeNote, parent: main.id}
		for _, e := range evs {
			start := ms(e.Start)
			var end int64
			switch {
			case b.Kind == annotate.Point:
				end = start + frame
			case e.Open:
				end = last
				if end <= start {
					end = start + frame
				}
			default:
				end = ms(e.End)
			}
			id := w.annID()
			main.anns = append(main.anns, outAnn{id: id, t1: w.slot(start), t2: w.slot(end), value: b.Code, cve: behaviorCVE(b.Code)})
			if e.Open && b.Kind == annotate.State {
				w.open = append(w.open, id)
			}
			if len(e.Modifiers) > 0 {
				mods.anns = append(mods.anns, outAnn{id: w.annID(), ref: id, value: strings.Join(e.Modifiers, "|")})
			}
			if e.Comment != "" {
				notes.anns = append(notes.anns, outAnn{id: w.annID(), ref: id, value: e.Comment})
			}
		}
		w.tiers = append(w.tiers, main)
		if len(mods.anns) > 0 {
			w.tiers = append(w.tiers, mods)
		}
		if len(notes.anns) > 0 {
			w.tiers = append(w.tiers, notes)
		}
	}
}

// esc escapes text for XML character data and attribute values alike.
func esc(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		case '\'':
			b.WriteString("&apos;")
		case '\n':
			b.WriteString("&#10;")
		case '\r':
			b.WriteString("&#13;")
		case '\t':
			b.WriteString("&#9;")
		default:
			// Characters XML 1.0 cannot carry at all are replaced rather
			// than producing a file ELAN refuses.
			if r < 0x20 || r == 0xFFFE || r == 0xFFFF || (r >= 0xD800 && r <= 0xDFFF) {
				b.WriteRune('\uFFFD')
				continue
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// uriEscape percent-encodes what a URI cannot hold, keeping '/'.
func uriEscape(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~/:!$&'()*+,;=@", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// mediaURL is the file URL ELAN expects: absolute paths become
// file:///..., relative names stay relative (ELAN then tries them next to
// the .eaf file).
func mediaURL(v string) string {
	p := filepath.ToSlash(v)
	if path.IsAbs(p) {
		return "file://" + uriEscape(p)
	}
	if vol := filepath.VolumeName(v); vol != "" { // C:\videos\a.mp4
		return "file:///" + uriEscape(p)
	}
	return uriEscape(p)
}

func mimeType(v string) string {
	switch strings.ToLower(filepath.Ext(v)) {
	case ".mp4", ".m4v":
		return "video/mp4"
	case ".mpg", ".mpeg":
		return "video/mpeg"
	case ".mov":
		return "video/quicktime"
	case ".wav":
		return "audio/x-wav"
	case ".mp3":
		return "audio/mpeg"
	}
	return "video/*"
}
