package metrics

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"

	"dyadcode/annotate"
)

// ErrBadMeasure wraps every problem found in a scheme's measure declarations.
var ErrBadMeasure = errors.New("invalid measure declaration")

// Measure types. Each names how a derived measure is computed; see
// docs/metrics.md for the exact definitions.
const (
	// TypeCount counts onsets of Behaviors in the row's span, keeping only
	// those that start in one of Episodes or while a state of During runs
	// (either condition suffices; with neither given every onset counts).
	TypeCount = "count"
	// TypeDuration is the time covered by any of the Behaviors (states),
	// overlapping events counted once, clipped to the row's span.
	TypeDuration = "duration"
	// TypeRate counts onsets of Behaviors (filtered by During as for count)
	// per minute of time covered by the Per states in the row's span.
	TypeRate = "rate"
	// TypeLatency measures, for every onset of From, the time to the next
	// onset of any of To in the same episode.
	TypeLatency = "latency"
	// TypeSoothing measures, for every onset of From (caregiver soothes), the
	// time until the end of the To state (distress) it overlaps.
	TypeSoothing = "soothing"
)

// Measure is one derived measure as declared in a scheme's "measures" array.
// Which fields a type reads is listed on the Type constants.
type Measure struct {
	Name      string   `json:"name"`
	Type      string   `json:"type"`
	Behaviors []string `json:"behaviors,omitempty"`
	Episodes  []string `json:"episodes,omitempty"`
	During    []string `json:"during,omitempty"`
	Per       []string `json:"per,omitempty"`
	From      []string `json:"from,omitempty"`
	To        []string `json:"to,omitempty"`
}

// Columns returns the CSV columns the measure produces, in order.
func (m Measure) Columns() []string {
	switch m.Type {
	case TypeCount:
		return []string{m.Name + "_count"}
	case TypeDuration:
		return []string{m.Name + "_total_s"}
	case TypeRate:
		return []string{m.Name + "_per_min"}
	case TypeLatency, TypeSoothing:
		return []string{m.Name + "_first_s", m.Name + "_first_censored", m.Name + "_mean_s", m.Name + "_n", m.Name + "_n_censored"}
	}
	return nil
}

var nameRe = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// DefaultMeasures are the derived measures of the bundled Strange Situation
// scheme, used when a scheme declares none. Measures naming a behaviour the
// scheme lacks are dropped, so a scheme without "measures" that shares only
// some codes still gets the ones that apply; "stress episodes" are the
// scheme's 4th to 8th episodes when it has eight.
func DefaultMeasures(s *annotate.Scheme) []Measure {
	var stress []string
	if len(s.Episodes) >= 8 {
		for _, e := range s.Episodes[3:8] {
			stress = append(stress, e.Name)
		}
	}
	all := []Measure{
		{Name: "proximity_approach", Type: TypeCount, Behaviors: []string{"approach"}, Episodes: stress, During: []string{"distress"}},
		{Name: "secure_base_explore", Type: TypeDuration, Behaviors: []string{"explore"}},
		{Name: "secure_base_check_back", Type: TypeRate, Behaviors: []string{"check_back"}, During: []string{"explore"}, Per: []string{"explore"}},
		{Name: "comfort_seek_latency", Type: TypeLatency, From: []string{"distress"}, To: []string{"seek_comfort", "approach"}},
		{Name: "soothing", Type: TypeSoothing, From: []string{"cg_soothe"}, To: []string{"distress"}},
		{Name: "positive", Type: TypeCount, Behaviors: []string{"smile", "vocalize", "eye_contact"}},
		{Name: "positive_eye_contact", Type: TypeDuration, Behaviors: []string{"eye_contact"}},
	}
	var out []Measure
	for _, m := range all {
		if checkMeasure(s, m, nil) == nil {
			out = append(out, m)
		}
	}
	return out
}

// ParseMeasures returns the scheme's derived measures: its "measures" array
// when present (an empty array means none), else DefaultMeasures. Every
// declaration is checked against the scheme; all problems are reported,
// each wrapping ErrBadMeasure.
func ParseMeasures(s *annotate.Scheme) ([]Measure, error) {
	raw := bytes.TrimSpace(s.Measures)
	if len(raw) == 0 || string(raw) == "null" {
		return DefaultMeasures(s), nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var ms []Measure
	if err := dec.Decode(&ms); err != nil {
		return nil, fmt.Errorf("%w: measures must be an array of {name, type, ...}: %v", ErrBadMeasure, err)
	}
	taken := map[string]string{}
	for _, c := range basicColumns(s) {
		taken[c] = "a behaviour column"
	}
	var errs []error
	for i, m := range ms {
		if err := checkMeasure(s, m, taken); err != nil {
			errs = append(errs, fmt.Errorf("measure %d (%q): %w", i+1, m.Name, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return ms, nil
}

// checkMeasure validates one declaration; taken (may be nil) holds column
// names already in use and receives this measure's columns.
func checkMeasure(s *annotate.Scheme, m Measure, taken map[string]string) error {
	var errs []error
	bad := func(format string, a ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrBadMeasure}, a...)...))
	}
	if !nameRe.MatchString(m.Name) {
		bad("name %q must be lower-case letters, digits and _ starting with a letter", m.Name)
	}
	codes := func(field string, list []string, required bool, kind annotate.Kind) {
		if required && len(list) == 0 {
			bad("%s needs %q", m.Type, field)
		}
		for _, c := range list {
			b, ok := s.Behavior(c)
			switch {
			case !ok:
				bad("%s: unknown behavior %q", field, c)
			case kind != "" && b.Kind != kind:
				bad("%s: behavior %q is a %s, not a %s", field, c, b.Kind, kind)
			}
		}
	}
	unused := func(fields ...string) {
		vals := map[string][]string{"behaviors": m.Behaviors, "episodes": m.Episodes, "during": m.During, "per": m.Per, "from": m.From, "to": m.To}
		for _, f := range fields {
			if len(vals[f]) > 0 {
				bad("%s does not use %q", m.Type, f)
			}
		}
	}
	switch m.Type {
	case TypeCount:
		codes("behaviors", m.Behaviors, true, "")
		codes("during", m.During, false, annotate.State)
		for _, e := range m.Episodes {
			if _, ok := s.Episode(e); !ok {
				bad("episodes: unknown episode %q", e)
			}
		}
		unused("per", "from", "to")
	case TypeDuration:
		codes("behaviors", m.Behaviors, true, annotate.State)
		unused("episodes", "during", "per", "from", "to")
	case TypeRate:
		codes("behaviors", m.Behaviors, true, "")
		codes("during", m.During, false, annotate.State)
		codes("per", m.Per, true, annotate.State)
		unused("episodes", "from", "to")
	case TypeLatency:
		codes("from", m.From, true, "")
		codes("to", m.To, true, "")
		unused("behaviors", "episodes", "during", "per")
	case TypeSoothing:
		codes("from", m.From, true, "")
		codes("to", m.To, true, annotate.State)
		unused("behaviors", "episodes", "during", "per")
	default:
		bad("type %q is not one of count, duration, rate, latency, soothing", m.Type)
	}
	if taken != nil {
		for _, c := range m.Columns() {
			if prev, ok := taken[c]; ok {
				bad("column %q is already produced by %s", c, prev)
			}
			taken[c] = fmt.Sprintf("measure %q", m.Name)
		}
	}
	return errors.Join(errs...)
}

// basicColumns lists the per-behaviour columns for a scheme, in scheme order.
func basicColumns(s *annotate.Scheme) []string {
	var out []string
	for _, b := range s.Behaviors {
		out = append(out, behaviorColumns(b)...)
	}
	return out
}

// behaviorColumns are the columns of one behaviour: points have no
// duration, so they get only count, rate and latency.
func behaviorColumns(b annotate.Behavior) []string {
	c := b.Code
	if b.Kind == annotate.Point {
		return []string{c + "_count", c + "_rate_per_min", c + "_latency_s", c + "_latency_censored"}
	}
	return []string{c + "_count", c + "_rate_per_min", c + "_total_s", c + "_mean_s", c + "_pct", c + "_latency_s", c + "_latency_censored"}
}

// ratingColumn is the column of a rating scale.
func ratingColumn(code string) string { return "rating_" + code }

// Columns returns every measure column Compute produces for a scheme, in
// order: behaviours (scheme order), derived measures, ratings.
func Columns(s *annotate.Scheme) ([]string, error) {
	ms, err := ParseMeasures(s)
	if err != nil {
		return nil, err
	}
	out := basicColumns(s)
	for _, m := range ms {
		out = append(out, m.Columns()...)
	}
	for _, r := range s.Ratings {
		out = append(out, ratingColumn(r.Code))
	}
	return out, nil
}

// MarshalMeasures writes declarations as the JSON a scheme's "measures"
// field holds, e.g. to start a custom list from the defaults.
func MarshalMeasures(ms []Measure) (json.RawMessage, error) {
	data, err := json.MarshalIndent(ms, "", "  ")
	if err != nil {
		return nil, err
	}
	return data, nil
}

// hasAny reports whether code is in list.
func hasAny(list []string, code string) bool { return slices.Contains(list, code) }
