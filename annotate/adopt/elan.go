package adopt

import (
	"bytes"
	"strings"

	"dyadcode/annotate"
	"dyadcode/annotate/eaf"
)

// maxFreeValues is how many distinct free-text values a tier may hold and
// still be read as a list of behaviours; beyond it the tier is a
// transcription, not coding.
const maxFreeValues = 60

// pointLength: annotations this short are points; ELAN has no points, and
// exports of point coding (dyadcode's among them) give them one frame.
const pointLength = 100 * annotate.Millisecond

// fromELAN adopts an ELAN file's or template's tiers: participants become
// subjects; a tier's vocabulary entries (or, without one, its distinct
// values) become behaviours of the tier's participant; a tier without
// either is one behaviour; child tiers named for modifiers (or
// symbolic associations with a vocabulary under a behaviour tier) give
// the parent's behaviours modifiers; tiers named for comments or notes
// hold comments; an "Episodes" tier gives the episodes. The Mapping says
// all that tier by tier, for importing the file.
func fromELAN(name string, data []byte) (*Result, error) {
	d, err := eaf.Parse(bytes.NewReader(data), name)
	if err != nil {
		return nil, err
	}
	b := newBuilder(name, strings.TrimSuffix(strings.TrimSuffix(baseName(name), ".eaf"), ".etf"))
	e := &elanAdopter{b: b, d: d, m: &eaf.Mapping{}, tierBehaviors: map[string][]int{}, subjectsOf: map[int]map[string]bool{}}
	for _, t := range d.Tiers {
		e.tier(t)
	}
	e.shareBehaviors()
	if p := d.PrimaryMedia(); p >= 0 {
		for i, m := range d.Media {
			if i != p {
				b.lose("linked media %q (%s): an observation is of one video, %s", m.Name(), m.MIME, d.Media[p].Name())
			}
		}
	}
	b.autoKeys()
	res, err := b.result()
	if err != nil {
		return nil, err
	}
	res.Mapping = e.m
	return res, nil
}

type elanAdopter struct {
	b             *builder
	d             *eaf.Document
	m             *eaf.Mapping
	tierBehaviors map[string][]int        // tier ID -> behaviours made from it
	subjectsOf    map[int]map[string]bool // behaviour -> subjects it was seen with
}

func (e *elanAdopter) role(t *eaf.Tier, r eaf.Role, behavior, subject string) {
	e.m.Tiers = append(e.m.Tiers, eaf.TierRole{Tier: t.ID, Role: r, Behavior: behavior, Subject: subject})
}

func (e *elanAdopter) tier(t *eaf.Tier) {
	f := strings.ToLower(t.ID)
	cv := e.d.TierCV(t)
	values := e.values(t, cv)
	switch {
	case f == "episodes" || f == "episode":
		for _, v := range values {
			e.b.s.Episodes = append(e.b.s.Episodes, annotate.EpisodeDef{Name: v.name})
		}
		e.role(t, eaf.RoleEpisodes, "", "")
	case t.Parent != "" && (strings.Contains(f, "comment") || strings.Contains(f, "note")):
		e.role(t, eaf.RoleComment, "", "")
	case t.Parent != "" && (strings.Contains(f, "modifier") || (cv != nil && e.d.Constraint(t) == "Symbolic_Association" && len(e.tierBehaviors[t.Parent]) > 0)):
		for _, i := range e.tierBehaviors[t.Parent] {
			for _, v := range values {
				e.b.addModifiers(i, strings.Split(v.name, "|")...)
			}
		}
		if len(e.tierBehaviors[t.Parent]) == 0 {
			e.b.lose("tier %q: modifiers of tier %q, which holds no behaviours", t.ID, t.Parent)
			e.role(t, eaf.RoleIgnore, "", "")
			return
		}
		e.role(t, eaf.RoleModifiers, "", "")
	case len(values) == 0 && len(t.Anns) == 0 && f == "default":
		e.b.lose("tier %q: ELAN's empty default tier is not a behaviour", t.ID)
		e.role(t, eaf.RoleIgnore, "", "")
	case len(values) == 0:
		// No vocabulary, no values: the tier itself is what is coded.
		i := e.b.behavior(t.ID, annotate.State)
		subj := e.subject(t)
		e.b.s.Behaviors[i].Subject = subj
		e.tierBehaviors[t.ID] = []int{i}
		e.role(t, eaf.RoleBehavior, e.b.s.Behaviors[i].Code, subj)
	case cv == nil && len(values) > maxFreeValues:
		e.b.lose("tier %q: %d distinct free-text values (a transcription?) are not behaviours; import ignores the tier", t.ID, len(values))
		e.role(t, eaf.RoleIgnore, "", "")
	default:
		// Symbolic tiers' times are shares of the parent's, so their
		// lengths say nothing about point or state.
		symbolic := strings.HasPrefix(e.d.Constraint(t), "Symbolic")
		subj := e.subject(t)
		for _, v := range values {
			i := e.b.find(v.name)
			if i < 0 {
				i = e.b.behavior(v.name, v.kind)
				e.b.s.Behaviors[i].Description = v.desc
			} else if v.kind == annotate.State && !symbolic {
				e.b.s.Behaviors[i].Kind = annotate.State
			}
			e.tierBehaviors[t.ID] = append(e.tierBehaviors[t.ID], i)
			if e.subjectsOf[i] == nil {
				e.subjectsOf[i] = map[string]bool{}
			}
			e.subjectsOf[i][subj] = true
		}
		e.role(t, eaf.RoleValues, "", subj)
	}
	if cv != nil {
		e.noteLanguages(t, cv)
	}
}

func (e *elanAdopter) subject(t *eaf.Tier) string {
	if t.Participant == "" {
		return ""
	}
	return e.b.subject(t.Participant)
}

// shareBehaviors gives each behaviour its subject, or none when several
// participants' tiers use it (the event then takes the tier's subject).
func (e *elanAdopter) shareBehaviors() {
	for i, subs := range e.subjectsOf {
		if len(subs) == 1 {
			for s := range subs {
				e.b.s.Behaviors[i].Subject = s
			}
		}
	}
}

type elanValue struct {
	name, desc string
	kind       annotate.Kind
}

// values are the tier's vocabulary entries (in their first language) or
// else the distinct values of its annotations; a value all of whose
// annotations are short is a point.
func (e *elanAdopter) values(t *eaf.Tier, cv *eaf.Vocabulary) []elanValue {
	long := map[string]bool{}
	seen := map[string]bool{}
	var out []elanValue
	for _, a := range t.Anns {
		v := strings.TrimSpace(a.Value)
		if cv != nil {
			if ce, ok := cv.Entry(a.CVERef, v); ok {
				v = ce.Values[0].Value
			}
		}
		if a.End-a.Start > pointLength {
			long[v] = true
		}
		if v != "" && !seen[v] && cv == nil {
			seen[v] = true
			out = append(out, elanValue{name: v})
		}
	}
	if cv != nil {
		for _, ce := range cv.Entries {
			out = append(out, elanValue{name: ce.Values[0].Value, desc: ce.Values[0].Description})
		}
	}
	symbolic := strings.HasPrefix(e.d.Constraint(t), "Symbolic")
	for i := range out {
		out[i].kind = annotate.State
		if len(t.Anns) > 0 && !long[out[i].name] && !symbolic {
			out[i].kind = annotate.Point
		}
	}
	return out
}

// noteLanguages lists a vocabulary's other languages once: their names
// are not kept in the scheme, though import still recognises them.
func (e *elanAdopter) noteLanguages(t *eaf.Tier, cv *eaf.Vocabulary) {
	langs := map[string]bool{}
	for _, ce := range cv.Entries {
		for _, lv := range ce.Values[1:] {
			langs[lv.Lang] = true
		}
	}
	if len(langs) == 0 {
		return
	}
	for _, l := range e.b.lost {
		if strings.Contains(l, "vocabulary \""+cv.ID+"\"") {
			return
		}
	}
	var ls []string
	for _, ce := range cv.Entries[:1] {
		for _, lv := range ce.Values[1:] {
			ls = append(ls, lv.Lang)
		}
	}
	e.b.lose("vocabulary %q: entry names in %s are not kept (the scheme uses %s); import still recognises them", cv.ID, strings.Join(ls, ", "), langName(cv.Entries[0].Values[0].Lang))
}

func langName(l string) string {
	if l == "" {
		return "the first language"
	}
	return l
}
