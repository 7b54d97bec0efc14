package eaf

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"dyadcode/annotate"
)

// Role is what a tier holds, for import.
type Role string

// The roles a tier can have.
const (
	// RoleBehavior: every annotation is Behavior (values, if any, are
	// that behaviour or its modifiers).
	RoleBehavior Role = "behavior"
	// RoleValues: annotation values name behaviours, of Subject when set.
	RoleValues Role = "values"
	// RoleModifiers: values are modifiers ("a|b") of the parent's event.
	RoleModifiers Role = "modifiers"
	// RoleComment: values are comments on the parent's event.
	RoleComment Role = "comment"
	// RoleEpisodes: values are episode names; each annotation starts one.
	RoleEpisodes Role = "episodes"
	// RoleIgnore: the tier is not imported (a transcription, say).
	RoleIgnore Role = "ignore"
	// RoleUnknown: nothing says what the tier is; import refuses it.
	RoleUnknown Role = ""
)

// TierRole says what one tier is.
type TierRole struct {
	Tier     string `json:"tier"`
	Role     Role   `json:"role"`
	Behavior string `json:"behavior,omitempty"` // RoleBehavior
	Subject  string `json:"subject,omitempty"`  // RoleBehavior, RoleValues
}

// Mapping says what tiers of an ELAN file are, for what import cannot tell
// from names alone. As JSON:
//
//	{"tiers": [
//	  {"tier": "Baby gaze", "role": "values", "subject": "child"},
//	  {"tier": "Mum touches", "role": "behavior", "behavior": "touch", "subject": "caregiver"},
//	  {"tier": "Gaze quality", "role": "modifiers"},
//	  {"tier": "Transcript", "role": "ignore"}
//	]}
//
// or as CSV with the header tier,role,behavior,subject (the last two may
// be empty or left out). Tier names are matched exactly; behaviour and
// subject by code or name as everywhere in import.
type Mapping struct {
	Tiers []TierRole `json:"tiers"`
}

// ErrMapping wraps every problem with a mapping file.
var ErrMapping = errors.New("invalid tier mapping")

// maxMappingBytes bounds a mapping file: it lists tiers, not coding.
const maxMappingBytes = 4 << 20

// ParseMapping reads a mapping file, JSON or CSV (told apart by the first
// character), naming the file and the problem on error.
func ParseMapping(r io.Reader, name string) (*Mapping, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxMappingBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(data) > maxMappingBytes {
		return nil, fmt.Errorf("%s: %w: larger than %d MiB", name, ErrMapping, maxMappingBytes>>20)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var m Mapping
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '{' {
		dec := json.NewDecoder(bytes.NewReader(t))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&m); err != nil {
			return nil, fmt.Errorf("%s: %w: %v", name, ErrMapping, err)
		}
	} else if err := m.readCSV(data, name); err != nil {
		return nil, err
	}
	var errs []error
	seen := map[string]bool{}
	for i, tr := range m.Tiers {
		where := fmt.Sprintf("%s: entry %d (tier %q)", name, i+1, tr.Tier)
		switch tr.Role {
		case RoleBehavior:
			if tr.Behavior == "" {
				errs = append(errs, fmt.Errorf("%s: %w: role behavior needs a behavior", where, ErrMapping))
			}
		case RoleValues, RoleModifiers, RoleComment, RoleEpisodes, RoleIgnore:
		default:
			errs = append(errs, fmt.Errorf("%s: %w: role %q is not behavior, values, modifiers, comment, episodes or ignore", where, ErrMapping, tr.Role))
		}
		if tr.Tier == "" {
			errs = append(errs, fmt.Errorf("%s: %w: no tier name", where, ErrMapping))
		}
		if seen[tr.Tier] {
			errs = append(errs, fmt.Errorf("%s: %w: tier listed twice", where, ErrMapping))
		}
		seen[tr.Tier] = true
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return &m, nil
}

func (m *Mapping) readCSV(data []byte, name string) error {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err != nil {
		return fmt.Errorf("%s: %w: %v", name, ErrMapping, err)
	}
	if len(recs) == 0 {
		return fmt.Errorf("%s: %w: empty file", name, ErrMapping)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[fold(h)] = i
	}
	if _, ok := col["tier"]; !ok {
		return fmt.Errorf("%s:1: %w: the header needs a tier and a role column (tier,role,behavior,subject)", name, ErrMapping)
	}
	if _, ok := col["role"]; !ok {
		return fmt.Errorf("%s:1: %w: the header needs a tier and a role column (tier,role,behavior,subject)", name, ErrMapping)
	}
	get := func(rec []string, c string) string {
		if i, ok := col[c]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	for _, rec := range recs[1:] {
		if strings.TrimSpace(strings.Join(rec, "")) == "" {
			continue
		}
		m.Tiers = append(m.Tiers, TierRole{Tier: get(rec, "tier"), Role: Role(strings.ToLower(get(rec, "role"))), Behavior: get(rec, "behavior"), Subject: get(rec, "subject")})
	}
	return nil
}

// WriteJSON writes the mapping as the JSON ParseMapping reads.
func (m *Mapping) WriteJSON(w io.Writer) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

func (m *Mapping) role(tier string) (TierRole, bool) {
	if m == nil {
		return TierRole{}, false
	}
	for _, tr := range m.Tiers {
		if tr.Tier == tier {
			return tr, true
		}
	}
	return TierRole{}, false
}

// check tests the mapping against the file and the scheme: every tier it
// names exists, its behaviour and subject are in the scheme, and modifier
// and comment tiers have a parent to attach to.
func (m *Mapping) check(d *Document, s *annotate.Scheme) error {
	if m == nil {
		return nil
	}
	var errs []error
	for i, tr := range m.Tiers {
		where := fmt.Sprintf("%s: mapping entry %d (tier %q)", d.File, i+1, tr.Tier)
		t := d.Tier(tr.Tier)
		if t == nil {
			errs = append(errs, fmt.Errorf("%s: %w: the file has no such tier", where, ErrMapping))
			continue
		}
		if tr.Behavior != "" {
			if b, ok := s.FindBehavior(tr.Behavior); !ok {
				errs = append(errs, fmt.Errorf("%s: %w: behaviour %q is not in the scheme", where, ErrUnknown, tr.Behavior))
			} else {
				m.Tiers[i].Behavior = b.Code
			}
		}
		if tr.Subject != "" {
			if sub, ok := s.FindSubject(tr.Subject); !ok {
				errs = append(errs, fmt.Errorf("%s: %w: subject %q is not in the scheme", where, ErrUnknown, tr.Subject))
			} else {
				m.Tiers[i].Subject = sub.Code
			}
		}
		if (tr.Role == RoleModifiers || tr.Role == RoleComment) && t.Parent == "" {
			errs = append(errs, fmt.Errorf("%s: %w: a %s tier must be a child tier of the events it describes", where, ErrMapping, tr.Role))
		}
	}
	return errors.Join(errs...)
}

// recognise says what a tier is from its name, participant and values,
// the rules the package comment lists. base is the tier name without an
// "@label".
func (d *Document) recognise(t *Tier, base string, s *annotate.Scheme) TierRole {
	tr := TierRole{Tier: t.ID}
	f := fold(base)
	if t.Parent != "" {
		// dyadcode writes ".../modifiers" and ".../comment"; ELAN users
		// name child tiers freely ("Child comments", "notes").
		// A tier named for both ("Modifier notes") holds notes: free
		// text is what a notes tier is for.
		switch {
		case strings.HasSuffix(f, modSuffix):
			tr.Role = RoleModifiers
			return tr
		case strings.HasSuffix(f, noteSuffix) || strings.Contains(f, "comment") || strings.Contains(f, "note"):
			tr.Role = RoleComment
			return tr
		case strings.Contains(f, "modifier"):
			tr.Role = RoleModifiers
			return tr
		}
	}
	if f == "episodes" || f == "episode" {
		tr.Role = RoleEpisodes
		return tr
	}
	if t.Parent != "" && len(t.Anns) > 0 && d.allModifiers(t, s) {
		// A child tier whatever its name ("Intensity") whose values are
		// all modifiers (as adopting a vocabulary child tier makes them).
		tr.Role = RoleModifiers
		return tr
	}
	if b, ok := tierBehavior(s, base); ok {
		tr.Role, tr.Behavior = RoleBehavior, b.Code
		return tr
	}
	if sub, ok := s.FindSubject(base); ok {
		tr.Role, tr.Subject = RoleValues, sub.Code
		return tr
	}
	if sub, ok := s.FindSubject(t.Participant); ok {
		tr.Role, tr.Subject = RoleValues, sub.Code
		return tr
	}
	if len(t.Anns) == 0 {
		tr.Role = RoleIgnore // an empty tier such as ELAN's "default": nothing to lose
		return tr
	}
	im := importer{doc: d, s: s}
	for _, a := range t.Anns {
		if _, ok := im.behaviorValue(t, a); !ok {
			return tr // RoleUnknown
		}
	}
	tr.Role = RoleValues
	return tr
}

// allModifiers says whether every value on the tier, in any language of
// its vocabulary, is a modifier of some behaviour and none is a
// behaviour itself.
func (d *Document) allModifiers(t *Tier, s *annotate.Scheme) bool {
	im := importer{doc: d, s: s}
	for _, a := range t.Anns {
		if _, ok := im.behaviorValue(t, a); ok {
			return false
		}
		found := false
		for _, n := range im.names(t, a) {
			for _, part := range strings.Split(n, "|") {
				for _, b := range s.Behaviors {
					if _, ok := b.FindModifier(part); ok {
						found = true
					}
				}
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// tierBehavior resolves a tier name to one behaviour: "code", "name",
// "subject:code", "subject:name".
func tierBehavior(s *annotate.Scheme, name string) (annotate.Behavior, bool) {
	if b, ok := s.FindBehavior(name); ok {
		return b, true
	}
	subj, rest, ok := strings.Cut(name, ":")
	if !ok {
		return annotate.Behavior{}, false
	}
	sub, ok := s.FindSubject(subj)
	if !ok {
		return annotate.Behavior{}, false
	}
	b, ok := s.FindBehavior(rest)
	if !ok || (b.Subject != "" && b.Subject != sub.Code) {
		return annotate.Behavior{}, false
	}
	return b, true
}

// Suggestion is one tier with the role import would give it, for a
// mapping dialog: Ambiguous tiers are the ones to ask the user about.
type Suggestion struct {
	TierRole
	Parent, Participant, Annotator string
	Count                          int
	Values                         []string // distinct values, first few
	Ambiguous                      bool
}

// Suggest lists every tier with the role Import would give it under s and
// m (nil: recognised from names and values), marking the tiers nothing
// recognises as ambiguous.
func (d *Document) Suggest(s *annotate.Scheme, m *Mapping) []Suggestion {
	im := &importer{doc: d, s: s, mapping: m}
	im.readProperties()
	im.declareObservations()
	var out []Suggestion
	for _, t := range d.Tiers {
		sg := Suggestion{TierRole: im.roleOf(t), Parent: t.Parent, Participant: t.Participant, Annotator: t.Annotator, Count: len(t.Anns)}
		seen := map[string]bool{}
		for _, a := range t.Anns {
			if !seen[a.Value] && len(sg.Values) < 8 {
				seen[a.Value] = true
				sg.Values = append(sg.Values, a.Value)
			}
		}
		sg.Ambiguous = sg.Role == RoleUnknown
		out = append(out, sg)
	}
	return out
}
