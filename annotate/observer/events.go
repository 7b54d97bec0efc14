package observer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"dyadcode/annotate"
)

// maxEventBytes bounds an event export read into memory.
const maxEventBytes = 512 << 20

// ReadEvents reads Observer XT's text export of event logs into one
// Transfer per observation, mapping names to s by code or name. Every
// unknown behaviour, subject or modifier is reported at once, with its
// line, and nothing is returned until the file is clean.
func ReadEvents(r io.Reader, name string, s *annotate.Scheme) ([]annotate.Transfer, error) {
	if s == nil {
		return nil, fmt.Errorf("%s: Observer import needs the coding scheme to map behaviours", name)
	}
	data, err := io.ReadAll(io.LimitReader(r, maxEventBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(data) > maxEventBytes {
		return nil, fmt.Errorf("%s: %w: larger than %d MiB", name, ErrMalformed, maxEventBytes>>20)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = sniff(data)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w: no header: %v", name, ErrMalformed, err)
	}
	col := columns(head)
	for _, need := range []string{"time_relative_sf", "behavior", "event_type"} {
		if _, ok := col.idx[need]; !ok {
			return nil, fmt.Errorf("%s:1: %w: no %q column (is this an Observer XT event export?)", name, ErrMalformed, need)
		}
	}
	rd := &eventReader{name: name, s: s, col: col, byObs: map[string]*obsAcc{}}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("%s:%d: %w: %v", name, pe.Line, ErrMalformed, pe.Err)
			}
			return nil, fmt.Errorf("%s: %w: %v", name, ErrMalformed, err)
		}
		line, _ := cr.FieldPos(0)
		rd.row(rec, line)
	}
	return rd.finish()
}

// sniff picks the separator the header uses most: Observer writes tab,
// comma or semicolon depending on the export settings and locale.
func sniff(data []byte) rune {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	best, n := '\t', bytes.Count(first, []byte("\t"))
	for _, c := range []rune{';', ','} {
		if k := bytes.Count(first, []byte(string(c))); k > n {
			best, n = c, k
		}
	}
	return best
}

type cols struct {
	idx  map[string]int
	mods []int
}

func columns(head []string) cols {
	c := cols{idx: map[string]int{}}
	for i, h := range head {
		f := strings.ToLower(strings.TrimSpace(h))
		if strings.HasPrefix(f, "modifier_") || strings.HasPrefix(f, "modifier ") {
			c.mods = append(c.mods, i)
			continue
		}
		if _, dup := c.idx[f]; !dup {
			c.idx[f] = i
		}
	}
	return c
}

func (c cols) get(rec []string, name string) string {
	if i, ok := c.idx[name]; ok && i < len(rec) {
		return strings.TrimSpace(rec[i])
	}
	return ""
}

type obsAcc struct {
	id     string
	events []annotate.Event
	open   map[string]int // subject, behaviour -> index of the running state
}

type eventReader struct {
	name    string
	s       *annotate.Scheme
	col     cols
	errs    []string
	unknown []string
	order   []*obsAcc
	byObs   map[string]*obsAcc
}

func (rd *eventReader) bad(line int, format string, a ...any) {
	if len(rd.errs) < 100 {
		rd.errs = append(rd.errs, fmt.Sprintf("%s:%d: %s", rd.name, line, fmt.Sprintf(format, a...)))
	}
}

func (rd *eventReader) miss(line int, format string, a ...any) {
	if len(rd.unknown) < 100 {
		rd.unknown = append(rd.unknown, fmt.Sprintf("%s:%d: %s", rd.name, line, fmt.Sprintf(format, a...)))
	}
}

// row reads one event row and pairs "State start" with "State stop" per
// observation, subject and behaviour, as Observer pairs them.
func (rd *eventReader) row(rec []string, line int) {
	c := rd.col
	id := c.get(rec, "observation")
	o := rd.byObs[id]
	if o == nil {
		o = &obsAcc{id: id, open: map[string]int{}}
		rd.byObs[id] = o
		rd.order = append(rd.order, o)
	}
	t, err := annotate.ParseSeconds(c.get(rec, "time_relative_sf"))
	if err != nil || t < 0 {
		rd.bad(line, "Time_Relative_sf %q is not a time in seconds", c.get(rec, "time_relative_sf"))
		return
	}
	rawB := c.get(rec, "behavior")
	b, ok := rd.s.FindBehavior(rawB)
	if !ok {
		rd.miss(line, "unknown behaviour %q", rawB)
		return
	}
	subj := ""
	if v := c.get(rec, "subject"); v != "" {
		sub, ok := rd.s.FindSubject(v)
		if !ok {
			rd.miss(line, "unknown subject %q", v)
			return
		}
		subj = sub.Code
	}
	ev := annotate.Event{Behavior: b.Code, Subject: subj, Start: t, End: t, Comment: c.get(rec, "comment")}
	for _, i := range c.mods {
		if i >= len(rec) || strings.TrimSpace(rec[i]) == "" {
			continue
		}
		m, ok := b.FindModifier(rec[i])
		if !ok {
			rd.miss(line, "unknown modifier %q of %q", strings.TrimSpace(rec[i]), b.Code)
			continue
		}
		if !slices.Contains(ev.Modifiers, m) {
			ev.Modifiers = append(ev.Modifiers, m)
		}
	}
	key := subj + "\x00" + b.Code
	switch typ := strings.ToLower(c.get(rec, "event_type")); typ {
	case "state start":
		if b.Kind != annotate.State {
			rd.bad(line, "%q is a point in the scheme but a state in Observer", b.Code)
			return
		}
		if _, running := o.open[key]; running {
			rd.bad(line, "%q started again while running", b.Code)
			return
		}
		ev.Open = true
		o.open[key] = len(o.events)
		o.events = append(o.events, ev)
	case "state stop":
		j, running := o.open[key]
		if !running {
			rd.bad(line, "State stop of %q without a State start", b.Code)
			return
		}
		delete(o.open, key)
		o.events[j].Open = false
		o.events[j].End = t
		if ev.Comment != "" && ev.Comment != o.events[j].Comment {
			o.events[j].Comment = strings.TrimPrefix(o.events[j].Comment+" / "+ev.Comment, " / ")
		}
	case "state point", "point":
		if b.Kind != annotate.Point {
			rd.bad(line, "%q is a state in the scheme but a point in Observer", b.Code)
			return
		}
		o.events = append(o.events, ev)
	default:
		rd.bad(line, "Event_Type %q is not State start, State stop, State point or Point", c.get(rec, "event_type"))
	}
}

func (rd *eventReader) finish() ([]annotate.Transfer, error) {
	errs := append(rd.errs, rd.unknown...)
	if len(errs) > 0 {
		kind := ErrMalformed
		if len(rd.unknown) > 0 {
			kind = ErrUnknown
		}
		return nil, fmt.Errorf("%w:\n  %s", kind, strings.Join(errs, "\n  "))
	}
	var out []annotate.Transfer
	for _, o := range rd.order {
		sort.SliceStable(o.events, func(i, j int) bool { return o.events[i].Start < o.events[j].Start })
		for i := range o.events {
			o.events[i].ID = annotate.EventID(i + 1)
		}
		obs := &annotate.Observation{ID: o.id, Events: o.events, NextID: annotate.EventID(len(o.events) + 1)}
		if err := obs.Validate(rd.s); err != nil {
			return nil, fmt.Errorf("%s: observation %q: %w", rd.name, o.id, err)
		}
		out = append(out, annotate.Transfer{Obs: obs})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: %w: a header but no events", rd.name, ErrMalformed)
	}
	return out, nil
}
