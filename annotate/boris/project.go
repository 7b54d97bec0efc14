package boris

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"slices"
	"sort"
	"strings"

	"dyadcode/annotate"
)

// isProject tells a .boris project (JSON) from a table export.
func isProject(data []byte) bool {
	t := bytes.TrimLeft(data, " \t\r\n")
	return len(t) > 0 && t[0] == '{'
}

// exactSeconds converts a JSON number of seconds to µs exactly, rounding
// half up at the microsecond: BORIS writes Python floats, so "32.825" may
// come as "32.825000000000003", which must still mean 32.825 s.
func exactSeconds(num string) (annotate.Time, error) {
	r, ok := new(big.Rat).SetString(strings.TrimSpace(num))
	if !ok {
		return 0, fmt.Errorf("%q is not a number of seconds", num)
	}
	r.Mul(r, big.NewRat(int64(annotate.Second), 1))
	neg := r.Sign() < 0
	r.Abs(r)
	r.Add(r, big.NewRat(1, 2))
	q := new(big.Int).Quo(r.Num(), r.Denom())
	if !q.IsInt64() || q.Int64() > math.MaxInt64/2 {
		return 0, fmt.Errorf("%q seconds is out of range", num)
	}
	t := annotate.Time(q.Int64())
	if neg {
		t = -t
	}
	return t, nil
}

// readProject converts every observation of a BORIS project: decode,
// then per observation its time offset, player 1's media files, what
// cannot be carried over, the raw events paired into states, and one
// Transfer per media file. Problems are located by JSON path
// (observations["id"].events[i]), the file having no useful lines.
func readProject(data []byte, name string, s *annotate.Scheme) (*Report, error) {
	pj, err := parseProject(data, name)
	if err != nil {
		return nil, err
	}
	if len(pj.Observations) == 0 {
		return nil, fmt.Errorf("%s: %w: the project has no observations", name, ErrMalformed)
	}
	c := &projectReader{name: name, s: s, m: mapper{s}, kinds: map[string]annotate.Kind{}, rep: &Report{}}
	for _, b := range pj.Behaviors {
		c.kinds[b.Code] = annotate.Point
		if b.State() {
			c.kinds[b.Code] = annotate.State
		}
	}
	for _, o := range pj.Observations {
		c.observation(o)
	}
	return c.finish()
}

// projectReader holds the state of one readProject.
type projectReader struct {
	name    string
	s       *annotate.Scheme
	m       mapper
	kinds   map[string]annotate.Kind // the ethogram's point/state per code
	errs    []string
	unknown pathSet
	rep     *Report
}

func (c *projectReader) bad(where, format string, a ...any) {
	if len(c.errs) < maxProblems {
		c.errs = append(c.errs, fmt.Sprintf("%s: %s: %s", c.name, where, fmt.Sprintf(format, a...)))
	}
}

func (c *projectReader) note(where, format string, a ...any) {
	c.rep.NotCarried = append(c.rep.NotCarried, fmt.Sprintf("%s: %s: %s", c.name, where, fmt.Sprintf(format, a...)))
}

func (c *projectReader) observation(o Observation) {
	path := fmt.Sprintf("observations[%q]", o.ID)
	if o.Type == "IMAGES" {
		c.note(path, "an observation of image directories has no media time; it is not imported")
		return
	}
	var offset annotate.Time
	if o.Offset != "" {
		t, err := exactSeconds(o.Offset)
		if err != nil {
			c.bad(path+`["time offset"]`, "%v", err)
		}
		offset = t
	}
	files := c.playerFiles(o, path)
	c.noteExtras(o, path)
	evs := c.events(o, path, offset)
	for _, tr := range splitByMedia(o.ID, evs, files) {
		if len(c.errs) == 0 {
			if err := tr.Obs.Validate(c.s); err != nil {
				c.errs = append(c.errs, fmt.Sprintf("%s: %s: %v", c.name, path, err))
			}
		}
		c.rep.Transfers = append(c.rep.Transfers, tr)
	}
}

// playerFiles lists player 1's media files with their lengths and rates.
// Several files can only be placed on their own time lines when every
// length is known.
func (c *projectReader) playerFiles(o Observation, path string) []mediaFile {
	var files []mediaFile
	for _, f := range o.Players["1"] {
		mf := mediaFile{name: f, rate: parseFPS(o.FPS[f])}
		if l, ok := o.Length[f]; ok {
			if t, err := exactSeconds(l); err == nil && t > 0 {
				mf.length = t
			}
		}
		if mf.length == 0 && len(o.Players["1"]) > 1 {
			c.bad(path+`["media_info"]`, "the length of %q is unknown, so events cannot be placed in player 1's several media files", f)
		}
		files = append(files, mf)
	}
	return files
}

// noteExtras lists what a dyadcode observation has no place for: other
// players' media (and their offsets) and independent variables.
func (c *projectReader) noteExtras(o Observation, path string) {
	for _, p := range numericKeys(o.Players) {
		if p == "1" || len(o.Players[p]) == 0 {
			continue
		}
		off := o.PlayerOffset[p]
		if off == "" {
			off = "0"
		}
		c.note(path, "player %s's media %s (offset %s s) are not imported: a dyadcode observation codes player 1's video", p, strings.Join(o.Players[p], ", "), off)
	}
	var vars []string
	for _, k := range sortedKeys(o.Variables) {
		if v := o.Variables[k]; v != "" {
			vars = append(vars, k+"="+v)
		}
	}
	if len(vars) > 0 {
		c.note(path, "independent variables %s are not imported: dyadcode observations have none", strings.Join(vars, ", "))
	}
}

// rawEvent is one decoded [time, subject, code, modifiers, comment, …].
type rawEvent struct {
	time                              annotate.Time
	subject, code, modifiers, comment string
}

func (c *projectReader) decodeEvent(raw []json.RawMessage, where string, offset annotate.Time) (rawEvent, bool) {
	var f [5]string
	var tnum json.Number
	if len(raw) < 3 {
		c.bad(where, "an event needs at least time, subject and code")
		return rawEvent{}, false
	}
	if err := json.Unmarshal(raw[0], &tnum); err != nil {
		c.bad(where, "time %s is not a number", raw[0])
		return rawEvent{}, false
	}
	for k := 1; k < 5 && k < len(raw); k++ {
		if err := json.Unmarshal(raw[k], &f[k]); err != nil {
			c.bad(where, "field %d (%s) is not text", k, raw[k])
		}
	}
	t, err := exactSeconds(tnum.String())
	if err == nil {
		t -= offset
		if t < 0 {
			err = fmt.Errorf("%s s minus the time offset is before the start of the video", tnum)
		}
	}
	if err != nil {
		c.bad(where, "%v", err)
		return rawEvent{}, false
	}
	return rawEvent{time: t, subject: f[1], code: f[2], modifiers: f[3], comment: f[4]}, true
}

// resolve maps a raw event to the scheme, collecting unknown names.
func (c *projectReader) resolve(re rawEvent, where string) (annotate.Event, annotate.Behavior, bool) {
	b, okB := c.m.behavior(re.code)
	if !okB {
		c.unknown.add(fmt.Sprintf("unknown behaviour %q", re.code), where)
	}
	subj, okS := c.m.subject(re.subject)
	if !okS {
		c.unknown.add(fmt.Sprintf("unknown subject %q", re.subject), where)
	}
	var mods []string
	for _, raw := range splitModifiers(re.modifiers) {
		if !okB {
			break
		}
		found, ok := b.FindModifier(raw)
		if !ok {
			c.unknown.add(fmt.Sprintf("unknown modifier %q of %q", raw, b.Code), where)
		} else if !slices.Contains(mods, found) {
			mods = append(mods, found)
		}
	}
	if !okB || !okS {
		return annotate.Event{}, b, false
	}
	if subj != "" && b.Subject != "" && subj != b.Subject {
		c.bad(where, "behaviour %q belongs to subject %q, not %q", b.Code, b.Subject, subj)
		return annotate.Event{}, b, false
	}
	if k, ok := c.kinds[re.code]; ok && k != b.Kind {
		c.bad(where, "%q is a %s in the scheme but a %s event in the BORIS ethogram", b.Code, b.Kind, k)
		return annotate.Event{}, b, false
	}
	return annotate.Event{Behavior: b.Code, Subject: subj, Start: re.time, End: re.time, Modifiers: mods, Comment: re.comment}, b, true
}

// splitModifiers splits BORIS's modifier field: sets separated by '|',
// several values of a multiple-selection set by ','; "None" is no value.
func splitModifiers(v string) []string {
	var out []string
	for _, set := range strings.Split(v, "|") {
		for _, x := range strings.Split(set, ",") {
			x = strings.TrimSpace(x)
			if x == "" || strings.EqualFold(x, "None") {
				continue
			}
			out = append(out, x)
		}
	}
	return out
}

// events decodes an observation's raw events and pairs states: BORIS
// records a state as two identical events, start then stop, paired per
// subject, code and modifiers. A state never stopped is still running.
func (c *projectReader) events(o Observation, path string, offset annotate.Time) []annotate.Event {
	open := map[string]int{} // pairing key -> index in evs
	var evs []annotate.Event
	for i, raw := range o.Events {
		where := fmt.Sprintf("%s.events[%d]", path, i)
		re, ok := c.decodeEvent(raw, where, offset)
		if !ok {
			continue
		}
		ev, b, ok := c.resolve(re, where)
		if !ok {
			continue
		}
		if b.Kind == annotate.Point {
			evs = append(evs, ev)
			continue
		}
		key := ev.Subject + "\x00" + b.Code + "\x00" + re.modifiers
		if j, running := open[key]; running {
			delete(open, key)
			if ev.Start < evs[j].Start {
				c.bad(where, "%q stops before it started", b.Code)
				continue
			}
			evs[j].End = ev.Start
			evs[j].Open = false
			evs[j].Comment = joinNotes(evs[j].Comment, ev.Comment)
			continue
		}
		ev.Open = true // until its stop is found
		open[key] = len(evs)
		evs = append(evs, ev)
	}
	return evs
}

func (c *projectReader) finish() (*Report, error) {
	for _, what := range c.unknown.order {
		ws := c.unknown.where[what]
		msg := fmt.Sprintf("%s: %s: %s", c.name, ws[0], what)
		if len(ws) > 1 {
			msg += fmt.Sprintf(" (and %d more events)", len(ws)-1)
		}
		c.errs = append(c.errs, msg)
	}
	if len(c.errs) > 0 {
		kind := ErrMalformed
		if len(c.unknown.order) > 0 {
			kind = ErrUnknown
		}
		return nil, fmt.Errorf("%w:\n  %s", kind, strings.Join(c.errs, "\n  "))
	}
	if len(c.rep.Transfers) == 0 {
		return nil, fmt.Errorf("%s: %w: no observation of the project can be imported:\n  %s", c.name, ErrMalformed, strings.Join(c.rep.NotCarried, "\n  "))
	}
	return c.rep, nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// pathSet gathers unknown names with where they occur, for one report line
// per name.
type pathSet struct {
	order []string
	where map[string][]string
}

func (p *pathSet) add(what, where string) {
	if p.where == nil {
		p.where = map[string][]string{}
	}
	if _, ok := p.where[what]; !ok {
		p.order = append(p.order, what)
	}
	p.where[what] = append(p.where[what], where)
}
