package annotate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Kind says whether a behaviour is a point in time or a state with a
// duration.
type Kind string

// The two kinds of behaviour.
const (
	Point Kind = "point"
	State Kind = "state"
)

// Subject is someone whose behaviour is coded: the child, the caregiver, the
// stranger.
type Subject struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Behavior is one code of the scheme.
type Behavior struct {
	Code        string   `json:"code"`
	Name        string   `json:"name"`
	Subject     string   `json:"subject"`
	Kind        Kind     `json:"kind"`
	Key         string   `json:"key"`
	Color       string   `json:"color"`
	Description string   `json:"description,omitempty"`
	Modifiers   []string `json:"modifiers,omitempty"`
	// Group names a set of mutually exclusive states: starting one stops
	// the running one of the same group at the same instant.
	Group string `json:"group,omitempty"`
}

// EpisodeDef is a kind of episode, such as "5 First reunion".
type EpisodeDef struct {
	Name    string `json:"name"`
	Key     string `json:"key"`
	Nominal Time   `json:"nominal_s"`
}

// RatingScale is an ordinal rating a coder gives per episode, such as
// Ainsworth's 1–7 proximity-seeking scale for the reunions.
type RatingScale struct {
	Code     string   `json:"code"`
	Name     string   `json:"name"`
	Min      int      `json:"min"`
	Max      int      `json:"max"`
	Episodes []string `json:"episodes,omitempty"` // empty: every episode
	// Anchors describe some points of the scale in the manual's words
	// (Ainsworth's scales describe 7, 5, 3 and 1), so a coder choosing a
	// value sees what it means rather than a bare number.
	Anchors []RatingAnchor `json:"anchors,omitempty"`
}

// RatingAnchor is the description of one value of a rating scale.
type RatingAnchor struct {
	Value int    `json:"value"`
	Text  string `json:"text"`
}

// Anchor returns the description of value v, "" when the scale has none.
func (r RatingScale) Anchor(v int) string {
	for _, a := range r.Anchors {
		if a.Value == v {
			return a.Text
		}
	}
	return ""
}

// Scheme is a coding scheme: who is coded, what is coded, with which keys,
// and which episodes and ratings exist. Measures holds the derived-measure
// definitions used by the metrics package, kept raw here so the domain does
// not depend on it.
type Scheme struct {
	Name      string          `json:"name"`
	Subjects  []Subject       `json:"subjects"`
	Behaviors []Behavior      `json:"behaviors"`
	Episodes  []EpisodeDef    `json:"episodes"`
	Ratings   []RatingScale   `json:"ratings,omitempty"`
	Measures  json.RawMessage `json:"measures,omitempty"`
}

// ErrInvalidScheme wraps every validation failure of a scheme.
var ErrInvalidScheme = errors.New("invalid coding scheme")

var (
	codeRe  = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	colorRe = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)
)

// validKey reports whether k is a key the coding window can bind: one
// printable character other than space, or F1–F12. Space, arrows and
// Ctrl-combinations belong to the transport.
func validKey(k string) bool {
	if len([]rune(k)) == 1 {
		r := []rune(k)[0]
		return r > ' ' && r != 0x7f
	}
	if strings.HasPrefix(k, "F") {
		switch k[1:] {
		case "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12":
			return true
		}
	}
	return false
}

// NormalizeKey folds a key to the form stored in schemes: letters lower
// case, function keys upper case.
func NormalizeKey(k string) string {
	if len([]rune(k)) == 1 {
		return strings.ToLower(k)
	}
	return strings.ToUpper(k)
}

// Validate checks the scheme and returns every problem found, joined, each
// wrapping ErrInvalidScheme; nil when it is fine.
func (s *Scheme) Validate() error {
	var errs []error
	bad := func(format string, a ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrInvalidScheme}, a...)...))
	}
	subjects := map[string]bool{}
	for i, sub := range s.Subjects {
		switch {
		case !codeRe.MatchString(sub.Code):
			bad("subject %d: code %q must be lower-case letters, digits and _ starting with a letter", i+1, sub.Code)
		case subjects[sub.Code]:
			bad("subject %q is defined twice", sub.Code)
		}
		subjects[sub.Code] = true
	}
	keys := map[string]string{} // key -> what owns it
	claim := func(key, owner string) {
		if key == "" {
			return
		}
		if !validKey(key) {
			bad("%s: key %q is not a single character or F1–F12", owner, key)
			return
		}
		k := NormalizeKey(key)
		if prev, ok := keys[k]; ok {
			bad("%s: key %q is already used by %s", owner, key, prev)
			return
		}
		keys[k] = owner
	}
	codes := map[string]bool{}
	for i, b := range s.Behaviors {
		owner := fmt.Sprintf("behavior %q", b.Code)
		switch {
		case !codeRe.MatchString(b.Code):
			bad("behavior %d: code %q must be lower-case letters, digits and _ starting with a letter", i+1, b.Code)
		case codes[b.Code]:
			bad("behavior code %q is defined twice", b.Code)
		}
		codes[b.Code] = true
		if b.Kind != Point && b.Kind != State {
			bad("%s: kind %q must be point or state", owner, b.Kind)
		}
		if b.Subject != "" && !subjects[b.Subject] {
			bad("%s: unknown subject %q", owner, b.Subject)
		}
		if b.Color != "" && !colorRe.MatchString(b.Color) {
			bad("%s: colour %q is not #rrggbb", owner, b.Color)
		}
		if b.Group != "" && b.Kind != State {
			bad("%s: only states can be in an exclusive group (group %q)", owner, b.Group)
		}
		seen := map[string]bool{}
		for _, m := range b.Modifiers {
			if m == "" || strings.ContainsAny(m, "|\n") {
				bad("%s: modifier %q must be non-empty without '|' or line breaks", owner, m)
			}
			if seen[m] {
				bad("%s: modifier %q listed twice", owner, m)
			}
			seen[m] = true
		}
		claim(b.Key, owner)
	}
	episodes := map[string]bool{}
	for i, e := range s.Episodes {
		owner := fmt.Sprintf("episode %q", e.Name)
		switch {
		case strings.TrimSpace(e.Name) == "":
			bad("episode %d has no name", i+1)
		case episodes[e.Name]:
			bad("episode %q is defined twice", e.Name)
		}
		episodes[e.Name] = true
		if e.Nominal < 0 {
			bad("%s: negative nominal length", owner)
		}
		claim(e.Key, owner)
	}
	ratings := map[string]bool{}
	for _, r := range s.Ratings {
		owner := fmt.Sprintf("rating %q", r.Code)
		if !codeRe.MatchString(r.Code) {
			bad("%s: code must be lower-case letters, digits and _ starting with a letter", owner)
		}
		if ratings[r.Code] {
			bad("rating %q is defined twice", r.Code)
		}
		ratings[r.Code] = true
		if r.Min >= r.Max {
			bad("%s: min %d must be below max %d", owner, r.Min, r.Max)
		}
		for _, e := range r.Episodes {
			if !episodes[e] {
				bad("%s: unknown episode %q", owner, e)
			}
		}
		anchored := map[int]bool{}
		for _, a := range r.Anchors {
			switch {
			case a.Value < r.Min || a.Value > r.Max:
				bad("%s: anchor %d is outside %d–%d", owner, a.Value, r.Min, r.Max)
			case anchored[a.Value]:
				bad("%s: anchor %d described twice", owner, a.Value)
			case strings.TrimSpace(a.Text) == "":
				bad("%s: anchor %d has no description", owner, a.Value)
			}
			anchored[a.Value] = true
		}
	}
	return errors.Join(errs...)
}

// Behavior returns the behaviour with the given code.
func (s *Scheme) Behavior(code string) (Behavior, bool) {
	for _, b := range s.Behaviors {
		if b.Code == code {
			return b, true
		}
	}
	return Behavior{}, false
}

// Episode returns the episode definition with the given name.
func (s *Scheme) Episode(name string) (EpisodeDef, bool) {
	for _, e := range s.Episodes {
		if e.Name == name {
			return e, true
		}
	}
	return EpisodeDef{}, false
}

// Rating returns the rating scale with the given code.
func (s *Scheme) Rating(code string) (RatingScale, bool) {
	for _, r := range s.Ratings {
		if r.Code == code {
			return r, true
		}
	}
	return RatingScale{}, false
}

// KeyTarget is what a key press means under a scheme: a behaviour or an
// episode start.
type KeyTarget struct {
	Behavior *Behavior
	Episode  *EpisodeDef
}

// ForKey resolves a key (case-insensitive) to a behaviour or episode.
func (s *Scheme) ForKey(key string) (KeyTarget, bool) {
	k := NormalizeKey(key)
	for i := range s.Behaviors {
		if s.Behaviors[i].Key != "" && NormalizeKey(s.Behaviors[i].Key) == k {
			return KeyTarget{Behavior: &s.Behaviors[i]}, true
		}
	}
	for i := range s.Episodes {
		if s.Episodes[i].Key != "" && NormalizeKey(s.Episodes[i].Key) == k {
			return KeyTarget{Episode: &s.Episodes[i]}, true
		}
	}
	return KeyTarget{}, false
}

// SubjectCodes lists the subjects' codes in scheme order.
func (s *Scheme) SubjectCodes() []string {
	out := make([]string, len(s.Subjects))
	for i, sub := range s.Subjects {
		out[i] = sub.Code
	}
	return out
}

// Clone returns a deep copy, so an editor can change a scheme and throw it
// away without touching the original.
func (s *Scheme) Clone() *Scheme {
	data, err := json.Marshal(s)
	if err != nil {
		panic(fmt.Sprintf("annotate: scheme does not marshal: %v", err)) // only plain fields: cannot happen
	}
	var c Scheme
	if err := json.Unmarshal(data, &c); err != nil {
		panic(fmt.Sprintf("annotate: scheme does not unmarshal: %v", err))
	}
	return &c
}

// ParseScheme reads a scheme from JSON, refusing unknown fields (a typo in a
// hand-edited scheme should not silently drop a setting) and validating it.
func ParseScheme(data []byte) (*Scheme, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var s Scheme
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidScheme, err)
	}
	for i := range s.Behaviors {
		s.Behaviors[i].Key = NormalizeKey(s.Behaviors[i].Key)
	}
	for i := range s.Episodes {
		s.Episodes[i].Key = NormalizeKey(s.Episodes[i].Key)
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return &s, nil
}

// MarshalIndent writes the scheme as indented JSON, the form of
// `dyadcode scheme --export`.
func (s *Scheme) MarshalIndent() ([]byte, error) {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// sortedKeys returns the map's keys sorted, for deterministic output.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
