// Package adopt turns another tool's coding scheme into a dyadcode scheme,
// so a lab can start from the ethogram, tiers or columns it already has:
// a BORIS project (.boris), an ELAN file or template (.eaf, .etf), a Noldus
// Observer XT coding scheme export (.otx, or .otb, its zipped form) and a
// Datavyu spreadsheet (.opf).
//
// Every result lists what could not be carried over, each item named with
// the file and the thing (a modifier set's structure, a key already taken,
// an independent variable…): nothing is dropped silently. Names become
// codes (lower case, a–z, 0–9 and _), and each behaviour and subject keeps
// the other tool's name as its Name, which is what the importers match, so
// the same file's observations import with the adopted scheme without
// unknown behaviours.
package adopt

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"dyadcode/annotate"
	"dyadcode/annotate/eaf"
)

// Result is an adopted scheme and what did not fit.
type Result struct {
	Scheme *annotate.Scheme
	// NotCarried names, one per line, everything of the source dyadcode
	// has no place for.
	NotCarried []string
	// Mapping says how an ELAN file's tiers map to Scheme, for importing
	// that file's (or its siblings') annotations; nil for other tools.
	Mapping *eaf.Mapping
}

// Sentinel errors callers can test with errors.Is.
var (
	// ErrFormat: the file's kind is not one adopt reads.
	ErrFormat = errors.New("not a coding scheme adopt can read")
	// ErrMalformed: the file is of a known kind but damaged or hostile.
	ErrMalformed = errors.New("malformed file")
)

// maxFileBytes bounds a source file read into memory.
const maxFileBytes = 512 << 20

// FromFile adopts the scheme of the file at path, chosen by its extension.
func FromFile(path string) (*Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(data) > maxFileBytes {
		return nil, fmt.Errorf("%s: %w: larger than %d MiB", path, ErrMalformed, maxFileBytes>>20)
	}
	return From(path, data)
}

// From adopts the scheme of a file's contents; name (its path) chooses
// the reader by extension and names the file in messages.
func From(name string, data []byte) (*Result, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".boris":
		return fromBORIS(name, data)
	case ".eaf", ".etf":
		return fromELAN(name, data)
	case ".otx", ".otb":
		return fromObserver(name, data)
	case ".opf":
		return fromDatavyu(name, data)
	}
	return nil, fmt.Errorf("%s: %w: expected a BORIS project (.boris), an ELAN file or template (.eaf, .etf), an Observer XT coding scheme (.otx, .otb) or a Datavyu file (.opf)", name, ErrFormat)
}

// Extensions lists the file kinds From reads, for file dialogs.
func Extensions() []string { return []string{".boris", ".eaf", ".etf", ".otx", ".otb", ".opf"} }

// builder assembles a scheme: unique codes, keys claimed once, and the
// list of what did not fit.
type builder struct {
	file  string
	s     *annotate.Scheme
	codes map[string]bool // behaviour codes and subject codes, each their own space
	subjs map[string]bool
	keys  map[string]string // normalised key -> owner
	lost  []string
}

func newBuilder(file, name string) *builder {
	return &builder{file: file, s: &annotate.Scheme{Name: name, Subjects: []annotate.Subject{}, Behaviors: []annotate.Behavior{}, Episodes: []annotate.EpisodeDef{}},
		codes: map[string]bool{}, subjs: map[string]bool{}, keys: map[string]string{}}
}

func (b *builder) lose(format string, a ...any) {
	b.lost = append(b.lost, b.file+": "+fmt.Sprintf(format, a...))
}

// Code turns a name from another tool into a code: lower case, runs of
// anything but a–z and 0–9 become one "_", and a name that does not start
// with a letter gets prefix (b_, s_). An empty result is fallback.
func Code(name, prefix, fallback string) string {
	var sb strings.Builder
	under := false
	for _, r := range strings.ToLower(name) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if under && sb.Len() > 0 {
				sb.WriteByte('_')
			}
			under = false
			sb.WriteRune(r)
			continue
		}
		under = true
	}
	c := sb.String()
	if c == "" {
		c = fallback
	}
	if c[0] < 'a' || c[0] > 'z' {
		c = prefix + c
	}
	return c
}

func unique(c string, taken map[string]bool) string {
	if !taken[c] {
		taken[c] = true
		return c
	}
	for i := 2; ; i++ {
		if x := fmt.Sprintf("%s_%d", c, i); !taken[x] {
			taken[x] = true
			return x
		}
	}
}

// subject returns the code of the subject named name, adding it.
func (b *builder) subject(name string) string {
	for _, s := range b.s.Subjects {
		if s.Name == name {
			return s.Code
		}
	}
	c := unique(Code(name, "s_", "subject"), b.subjs)
	b.s.Subjects = append(b.s.Subjects, annotate.Subject{Code: c, Name: name})
	return c
}

// behavior adds a behaviour named name (its code derived from it) and
// returns its index.
func (b *builder) behavior(name string, kind annotate.Kind) int {
	c := unique(Code(name, "b_", "behavior"), b.codes)
	b.s.Behaviors = append(b.s.Behaviors, annotate.Behavior{Code: c, Name: name, Kind: kind, Color: palette[len(b.s.Behaviors)%len(palette)]})
	return len(b.s.Behaviors) - 1
}

// find returns the index of the behaviour named name, ignoring case as
// the importers do, or -1.
func (b *builder) find(name string) int {
	for i, x := range b.s.Behaviors {
		if strings.EqualFold(strings.TrimSpace(x.Name), strings.TrimSpace(name)) {
			return i
		}
	}
	return -1
}

// key gives behaviour i the key k if the scheme can bind it and no one
// else has it; otherwise the key is listed as not carried over.
func (b *builder) key(i int, k string) {
	if k == "" {
		return
	}
	owner := fmt.Sprintf("behaviour %q", b.s.Behaviors[i].Name)
	if !validKey(k) {
		b.lose("%s: key %q is not a single character or F1–F12, so it is left unbound", owner, k)
		return
	}
	nk := annotate.NormalizeKey(k)
	if prev, ok := b.keys[nk]; ok {
		b.lose("%s: key %q is already %s's (dyadcode keys ignore case), so it is left unbound", owner, k, prev)
		return
	}
	b.keys[nk] = owner
	b.s.Behaviors[i].Key = nk
}

// autoKeys gives behaviours without a key the first free letter or digit
// of their name, for tools that have no keys (ELAN, Datavyu).
func (b *builder) autoKeys() {
	for i := range b.s.Behaviors {
		if b.s.Behaviors[i].Key != "" {
			continue
		}
		for _, r := range strings.ToLower(b.s.Behaviors[i].Name + "abcdefghijklmnopqrstuvwxyz0123456789") {
			k := string(r)
			if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
				if _, taken := b.keys[k]; !taken {
					b.keys[k] = fmt.Sprintf("behaviour %q", b.s.Behaviors[i].Name)
					b.s.Behaviors[i].Key = k
					break
				}
			}
		}
	}
}

// addModifiers adds values to behaviour i's modifiers, once each.
func (b *builder) addModifiers(i int, values ...string) {
	bh := &b.s.Behaviors[i]
	for _, v := range values {
		v = strings.TrimSpace(strings.NewReplacer("|", "/", "\n", " ", "\r", " ").Replace(v))
		if v == "" {
			continue
		}
		dup := false
		for _, m := range bh.Modifiers {
			if m == v {
				dup = true
			}
		}
		if !dup {
			bh.Modifiers = append(bh.Modifiers, v)
		}
	}
}

func (b *builder) result() (*Result, error) {
	if err := b.s.Validate(); err != nil {
		// A bug here, not in the user's file: codes and keys are made valid above.
		return nil, fmt.Errorf("%s: the adopted scheme is invalid: %w", b.file, err)
	}
	return &Result{Scheme: b.s, NotCarried: b.lost}, nil
}

// validKey mirrors annotate's rule: one printable character other than
// space, or F1–F12.
func validKey(k string) bool {
	probe := annotate.Scheme{Behaviors: []annotate.Behavior{{Code: "x", Kind: annotate.Point, Key: k}}}
	return probe.Validate() == nil
}

// palette gives adopted behaviours distinct colours in the timeline.
var palette = [...]string{"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"}

// Into is the scheme a project gets when it adopts res in place of
// current: the adopted subjects and behaviours, and the adopted episodes,
// or current's when the other tool has none (BORIS, Observer and Datavyu
// have no episodes), with current's rating scales for the episodes kept.
// What current had that the result drops (episodes the tool replaces,
// derived measures, which name current's behaviours) is added to
// res.NotCarried.
func Into(current *annotate.Scheme, res *Result) *annotate.Scheme {
	s := res.Scheme.Clone()
	if current == nil {
		return s
	}
	if len(s.Episodes) == 0 {
		s.Episodes = append([]annotate.EpisodeDef(nil), current.Episodes...)
	}
	have := map[string]bool{}
	for _, e := range s.Episodes {
		have[e.Name] = true
	}
	for _, r := range current.Ratings {
		kept := r
		kept.Episodes = nil
		for _, e := range r.Episodes {
			if have[e] {
				kept.Episodes = append(kept.Episodes, e)
			}
		}
		if len(r.Episodes) > 0 && len(kept.Episodes) == 0 {
			res.NotCarried = append(res.NotCarried, fmt.Sprintf("rating scale %q: none of its episodes is in the adopted scheme, so it is dropped", r.Code))
			continue
		}
		s.Ratings = append(s.Ratings, kept)
	}
	for _, e := range current.Episodes {
		if !have[e.Name] {
			res.NotCarried = append(res.NotCarried, fmt.Sprintf("episode %q of the current scheme is not in the adopted one", e.Name))
		}
	}
	// Episode keys may now collide with adopted behaviour keys.
	keys := map[string]bool{}
	for _, b := range s.Behaviors {
		if b.Key != "" {
			keys[annotate.NormalizeKey(b.Key)] = true
		}
	}
	for i, e := range s.Episodes {
		if e.Key != "" && keys[annotate.NormalizeKey(e.Key)] {
			res.NotCarried = append(res.NotCarried, fmt.Sprintf("episode %q: key %q is an adopted behaviour's, so the episode is left without a key", e.Name, e.Key))
			s.Episodes[i].Key = ""
		}
	}
	if len(current.Measures) > 0 {
		// Derived measures name the old scheme's behaviours; kept, they
		// would point at codes the adopted scheme may not have.
		res.NotCarried = append(res.NotCarried, "the current scheme's derived measures name its own behaviours and are not kept; define them again for the adopted behaviours")
	}
	if s.Name == "" {
		s.Name = current.Name
	}
	return s
}
