package boris

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// Project is a BORIS project file (.boris, JSON) as BORIS 7–9 write it:
// the ethogram, subjects, independent variables and observations. Scheme
// adoption (package adopt) reads the ethogram from it; Read converts its
// observations.
type Project struct {
	Name       string
	Subjects   []Subject
	Behaviors  []Behavior // in the ethogram's order
	Categories []string
	Variables  []Variable
	// Observations by ID, sorted by ID (JSON objects have no order).
	Observations []Observation
}

// Subject is an entry of subjects_conf.
type Subject struct {
	Key, Name, Description string
}

// Behavior is an entry of behaviors_conf.
type Behavior struct {
	Code, Type, Key, Description, Category, Color string
	Modifiers                                     []ModifierSet
	// Excluded lists the codes this behaviour stops (BORIS's exclusion
	// matrix row).
	Excluded  []string
	CodingMap string
}

// Kind says whether the BORIS type is a state ("State event", "State
// event with coding map") or a point.
func (b Behavior) State() bool { return strings.Contains(strings.ToLower(b.Type), "state") }

// ModifierSet is one set of modifiers of a behaviour.
type ModifierSet struct {
	Name   string
	Type   int      // ModSingle, ModMultiple, ModNumeric, ModExternal
	Values []string // without BORIS's "(key)" suffix
	Keys   []string // the key of each value, "" when none
}

// BORIS's modifier set types (config.py).
const (
	ModSingle   = 0
	ModMultiple = 1
	ModNumeric  = 2
	ModExternal = 3
)

// Variable is an independent variable definition.
type Variable struct {
	Label, Description, Type, Default, Values string
}

// Observation is one observation of the project.
type Observation struct {
	ID, Type, Date, Description string
	// Players maps a player number ("1", "2", …) to its media files.
	Players map[string][]string
	// PlayerOffset is each player's offset in seconds (media_info.offset).
	PlayerOffset map[string]string
	Length       map[string]string // media file -> duration (s), exact decimal
	FPS          map[string]string
	Offset       string // "time offset" (s)
	Variables    map[string]string
	Events       [][]json.RawMessage
}

type rawProject struct {
	Name       string                    `json:"project_name"`
	Subjects   map[string]rawSubject     `json:"subjects_conf"`
	Behaviors  map[string]rawBehavior    `json:"behaviors_conf"`
	Categories json.RawMessage           `json:"behavioral_categories"`
	CatConf    map[string]rawCategory    `json:"behavioral_categories_config"`
	Variables  map[string]rawVariable    `json:"independent_variables"`
	Obs        map[string]rawObservation `json:"observations"`
}

type rawSubject struct {
	Key         string `json:"key"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

type rawBehavior struct {
	Type        string          `json:"type"`
	Key         string          `json:"key"`
	Code        string          `json:"code"`
	Description string          `json:"description"`
	Category    string          `json:"category"`
	Color       string          `json:"color"`
	Modifiers   json.RawMessage `json:"modifiers"` // {} or "" in old projects
	Excluded    string          `json:"excluded"`
	CodingMap   string          `json:"coding map"`
}

type rawModifierSet struct {
	Name   string   `json:"name"`
	Type   int      `json:"type"`
	Values []string `json:"values"`
}

type rawCategory struct {
	Name string `json:"name"`
}

type rawVariable struct {
	Label       string `json:"label"`
	Description string `json:"description"`
	Type        string `json:"type"`
	Default     string `json:"default value"`
	Values      string `json:"possible values"`
}

type rawObservation struct {
	Type        string              `json:"type"`
	Date        string              `json:"date"`
	Description string              `json:"description"`
	File        json.RawMessage     `json:"file"` // {"1": [...], "2": [...]}, or [] for live
	Offset      json.Number         `json:"time offset"`
	Variables   map[string]any      `json:"independent_variables"`
	Events      [][]json.RawMessage `json:"events"`
	MediaInfo   struct {
		Length map[string]json.Number `json:"length"`
		FPS    map[string]json.Number `json:"fps"`
		Offset map[string]json.Number `json:"offset"`
	} `json:"media_info"`
}

// maxProjectBytes bounds a project file read into memory; real projects
// with hundreds of observations are a few megabytes.
const maxProjectBytes = 512 << 20

// ParseProject reads a BORIS project file. Problems name the file and the
// JSON path.
func ParseProject(r io.Reader, name string) (*Project, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxProjectBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(data) > maxProjectBytes {
		return nil, fmt.Errorf("%s: %w: larger than %d MiB", name, ErrMalformed, maxProjectBytes>>20)
	}
	return parseProject(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), name)
}

func parseProject(data []byte, name string) (*Project, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var raw rawProject
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("%s: %w: not a BORIS project: %v", name, ErrMalformed, err)
	}
	p := &Project{Name: raw.Name}
	for _, k := range numericKeys(raw.Subjects) {
		s := raw.Subjects[k]
		p.Subjects = append(p.Subjects, Subject(s))
	}
	for _, k := range numericKeys(raw.Behaviors) {
		b, err := raw.Behaviors[k].convert()
		if err != nil {
			return nil, fmt.Errorf("%s: %w: behaviors_conf[%q]: %v", name, ErrMalformed, k, err)
		}
		p.Behaviors = append(p.Behaviors, b)
	}
	p.Categories = categories(raw.Categories, raw.CatConf)
	for _, k := range numericKeys(raw.Variables) {
		v := raw.Variables[k]
		p.Variables = append(p.Variables, Variable(v))
	}
	ids := make([]string, 0, len(raw.Obs))
	for id := range raw.Obs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		o, err := raw.Obs[id].convert(id)
		if err != nil {
			return nil, fmt.Errorf("%s: %w: observations[%q]: %v", name, ErrMalformed, id, err)
		}
		p.Observations = append(p.Observations, o)
	}
	return p, nil
}

func (rb rawBehavior) convert() (Behavior, error) {
	b := Behavior{Code: rb.Code, Type: rb.Type, Key: rb.Key, Description: rb.Description, Category: rb.Category, Color: rb.Color, CodingMap: rb.CodingMap}
	for _, x := range strings.Split(rb.Excluded, ",") {
		if x = strings.TrimSpace(x); x != "" {
			b.Excluded = append(b.Excluded, x)
		}
	}
	// Old projects write "" for no modifiers, newer ones {}.
	if t := bytes.TrimSpace(rb.Modifiers); len(t) > 0 && t[0] == '{' {
		var sets map[string]rawModifierSet
		if err := json.Unmarshal(t, &sets); err != nil {
			return b, fmt.Errorf("modifiers: %v", err)
		}
		for _, k := range numericKeys(sets) {
			rs := sets[k]
			ms := ModifierSet{Name: rs.Name, Type: rs.Type}
			for _, v := range rs.Values {
				val, key := splitModifierKey(v)
				ms.Values = append(ms.Values, val)
				ms.Keys = append(ms.Keys, key)
			}
			b.Modifiers = append(b.Modifiers, ms)
		}
	} else if len(t) > 0 && t[0] == '"' {
		var s string
		_ = json.Unmarshal(t, &s)
		if s != "" { // pre-7 projects: "a,b,c" is one set
			ms := ModifierSet{Type: ModSingle}
			for _, v := range strings.Split(s, ",") {
				val, key := splitModifierKey(v)
				ms.Values = append(ms.Values, val)
				ms.Keys = append(ms.Keys, key)
			}
			b.Modifiers = append(b.Modifiers, ms)
		}
	}
	return b, nil
}

// splitModifierKey splits BORIS's "value (k)" into the value and its
// shortcut key; "(" and ")" are forbidden in modifier names, so the last
// parenthesis always is the key.
func splitModifierKey(v string) (value, key string) {
	v = strings.TrimSpace(v)
	if strings.HasSuffix(v, ")") {
		if i := strings.LastIndex(v, "("); i >= 0 {
			return strings.TrimSpace(v[:i]), strings.TrimSpace(v[i+1 : len(v)-1])
		}
	}
	return v, ""
}

// categories reads behavioral_categories, a list of names (BORIS 7) or a
// dict (some 8.x), with behavioral_categories_config (9.x) taking
// precedence.
func categories(raw json.RawMessage, conf map[string]rawCategory) []string {
	var out []string
	if len(conf) > 0 {
		for _, k := range numericKeys(conf) {
			out = append(out, conf[k].Name)
		}
		return out
	}
	if err := json.Unmarshal(raw, &out); err == nil {
		return out
	}
	var m map[string]string
	if err := json.Unmarshal(raw, &m); err == nil {
		for _, k := range numericKeys(m) {
			out = append(out, m[k])
		}
	}
	return out
}

func (ro rawObservation) convert(id string) (Observation, error) {
	o := Observation{ID: id, Type: strings.ToUpper(ro.Type), Date: ro.Date, Description: ro.Description, Offset: ro.Offset.String(),
		Events: ro.Events, Length: map[string]string{}, FPS: map[string]string{}, PlayerOffset: map[string]string{}, Variables: map[string]string{}}
	if t := bytes.TrimSpace(ro.File); len(t) > 0 && t[0] == '{' {
		if err := json.Unmarshal(t, &o.Players); err != nil {
			return o, fmt.Errorf(`["file"]: %v`, err)
		}
	}
	for k, v := range ro.MediaInfo.Length {
		o.Length[k] = v.String()
	}
	for k, v := range ro.MediaInfo.FPS {
		o.FPS[k] = v.String()
	}
	for k, v := range ro.MediaInfo.Offset {
		o.PlayerOffset[k] = v.String()
	}
	for k, v := range ro.Variables {
		o.Variables[k] = fmt.Sprint(v)
	}
	return o, nil
}

// numericKeys sorts BORIS's "0", "1", … "10" keys as numbers.
func numericKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, errA := strconv.Atoi(keys[i])
		b, errB := strconv.Atoi(keys[j])
		if errA == nil && errB == nil {
			return a < b
		}
		return keys[i] < keys[j]
	})
	return keys
}
