package csvio

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"dyadcode/annotate"
)

// minimalColumns are the columns the minimal form may have; the first three
// are required.
var minimalColumns = []string{"behavior", "start_s", "end_s", "subject", "modifiers", "comment"}

// Read parses a file in the full or the minimal form (see the package
// comment). name is used in messages only. s may be nil: kinds then come
// from the file (full form) or from whether end_s equals start_s (minimal
// form), and codes are not checked. On any problem Read returns no
// observation and an *Error listing every problem as FILE:LINE: problem;
// an error reading r is returned as is, wrapped with name.
func Read(r io.Reader, name string, s *annotate.Scheme) ([]annotate.Transfer, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if bom, err := br.Peek(3); err == nil && bytes.Equal(bom, []byte("\xEF\xBB\xBF")) {
		br.Discard(3)
	}
	if bom, err := br.Peek(2); err == nil && (bytes.Equal(bom, []byte("\xFF\xFE")) || bytes.Equal(bom, []byte("\xFE\xFF"))) {
		e := &Error{File: name}
		e.add(1, "the file is UTF-16 text; save it as \"CSV UTF-8\"")
		return nil, e
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1 // counted here, so every bad line is reported
	cr.ReuseRecord = true
	p := &parser{file: &Error{File: name}, scheme: s, groups: map[groupKey]*group{}}

	head, err := cr.Read()
	switch {
	case errors.Is(err, io.EOF):
		p.file.add(1, "empty file: no header (want %s, or at least behavior,start_s,end_s)", Header)
		return nil, p.file
	case err != nil:
		var pe *csv.ParseError
		if !errors.As(err, &pe) {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		p.file.add(pe.Line, "header: %v", pe.Err)
		return nil, p.file
	}
	if !p.header(head) {
		return nil, p.file
	}
	for !p.file.full() {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return nil, fmt.Errorf("read %s: %w", name, err)
			}
			p.file.add(pe.Line, "%v", pe.Err)
			continue
		}
		line, _ := cr.FieldPos(0)
		p.row(line, rec)
	}
	out := p.finish()
	if len(p.file.Problems) > 0 {
		return nil, p.file
	}
	return out, nil
}

type groupKey struct{ project, video, obs, coder string }

// group collects the rows of one observation.
type group struct {
	key     groupKey
	events  []lined[annotate.Event]
	marks   []lined[mark]
	ratings []lined[annotate.Rating]
}

type lined[T any] struct {
	line int
	v    T
}

type mark struct {
	annotate.EpisodeMark
	end    annotate.Time
	hasEnd bool
}

type parser struct {
	file    *Error
	scheme  *annotate.Scheme
	minimal bool
	idx     map[string]int // column name -> position in the file
	pos     [nCols]int     // full-form column -> position in the file, -1 if absent
	ncols   int
	groups  map[groupKey]*group
	order   []*group
}

// header decides the form and maps the columns; false if it is neither.
func (p *parser) header(head []string) bool {
	p.ncols = len(head)
	p.idx = map[string]int{}
	var unknown, dup []string
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(h))
		if _, ok := p.idx[h]; ok {
			dup = append(dup, h)
		}
		p.idx[h] = i
		if !slices.Contains(columns, h) {
			unknown = append(unknown, strconv.Quote(h))
		}
	}
	for c, name := range columns {
		p.pos[c] = -1
		if i, ok := p.idx[name]; ok {
			p.pos[c] = i
		}
	}
	if len(dup) > 0 {
		p.file.add(1, "header: column %s appears twice", strings.Join(dup, ", "))
		return false
	}
	if len(unknown) > 0 {
		msg := fmt.Sprintf("header: unknown column %s (want %s, or behavior,start_s,end_s with optional subject,modifiers,comment)",
			strings.Join(unknown, ", "), Header)
		if _, ok := p.idx[""]; ok {
			msg += "; an unnamed first column is usually a row index: write with row.names = FALSE (R) or index=False (pandas)"
		}
		if _, ok := p.idx["unnamed: 0"]; ok {
			msg += "; \"Unnamed: 0\" is pandas' row index: write with index=False"
		}
		if len(head) == 1 && strings.Contains(head[0], ";") {
			msg = "header: the columns are separated by ';' (a spreadsheet in a locale with decimal commas); save the file with ',' between columns and '.' in numbers"
		}
		p.file.add(1, "%s", msg)
		return false
	}
	if len(head) == nCols {
		return true
	}
	var missing []string
	for _, c := range minimalColumns[:3] {
		if _, ok := p.idx[c]; !ok {
			missing = append(missing, c)
		}
	}
	var extra []string
	for h := range p.idx {
		if !slices.Contains(minimalColumns, h) {
			extra = append(extra, h)
		}
	}
	slices.Sort(extra)
	switch {
	case len(extra) > 0:
		var miss []string
		for _, c := range columns {
			if _, ok := p.idx[c]; !ok {
				miss = append(miss, c)
			}
		}
		p.file.add(1, "header: has %s of the full form but lacks %s (want %s)", strings.Join(extra, ", "), strings.Join(miss, ", "), Header)
		return false
	case len(missing) > 0:
		p.file.add(1, "header: missing column %s (the minimal form is behavior,start_s,end_s with optional subject,modifiers,comment)", strings.Join(missing, ", "))
		return false
	}
	p.minimal = true
	return true
}

// cell returns the named column's text with formula neutralisation undone;
// "" if the form has no such column.
func (p *parser) cell(rec []string, col int) string {
	i := p.pos[col]
	if i < 0 {
		return ""
	}
	return unneutralise(rec[i])
}

func (p *parser) row(line int, rec []string) {
	if len(rec) != p.ncols {
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			return // a blank line of spaces
		}
		p.file.add(line, "%d cells, but the header has %d", len(rec), p.ncols)
		return
	}
	empty := true
	for _, c := range rec {
		if !utf8.ValidString(c) {
			p.file.add(line, "not UTF-8 text (save the file as UTF-8 CSV)")
			return
		}
		if c != "" {
			empty = false
		}
	}
	if empty {
		return // spreadsheets leave rows of empty cells at the end
	}
	key := groupKey{}
	if !p.minimal {
		key = groupKey{p.cell(rec, colProject), p.cell(rec, colVideo), p.cell(rec, colObservation), p.cell(rec, colCoder)}
	}
	g := p.groups[key]
	if g == nil {
		g = &group{key: key}
		p.groups[key] = g
		p.order = append(p.order, g)
	}
	kind := ""
	if !p.minimal {
		kind = strings.TrimSpace(p.cell(rec, colKind))
		if d := p.cell(rec, colDuration); strings.TrimSpace(d) != "" {
			if _, err := annotate.ParseSeconds(d); err != nil {
				p.file.add(line, "duration_s: %v", err)
			}
		}
	}
	switch kind {
	case "", string(annotate.Point), string(annotate.State):
		if kind == "" && !p.minimal {
			p.file.add(line, "kind is empty (want point, state, episode or rating)")
			return
		}
		p.event(line, rec, g, annotate.Kind(kind))
	case KindEpisode:
		p.episode(line, rec, g)
	case KindRating:
		p.rating(line, rec, g)
	default:
		p.file.add(line, "kind %q is not point, state, episode or rating", kind)
	}
}

// times parses start_s and end_s; ok false after reporting a problem.
func (p *parser) times(line int, rec []string) (start, end annotate.Time, hasEnd, ok bool) {
	ok = true
	var err error
	if start, err = annotate.ParseSeconds(p.cell(rec, colStart)); err != nil {
		p.file.add(line, "start_s: %v", err)
		ok = false
	} else if start < 0 {
		p.file.add(line, "start_s %s is negative", start.Seconds())
		ok = false
	}
	if e := p.cell(rec, colEnd); strings.TrimSpace(e) != "" {
		hasEnd = true
		if end, err = annotate.ParseSeconds(e); err != nil {
			p.file.add(line, "end_s: %v", err)
			ok = false
		}
	}
	return start, end, hasEnd, ok
}

func (p *parser) event(line int, rec []string, g *group, kind annotate.Kind) {
	code := strings.TrimSpace(p.cell(rec, colBehavior))
	ev := annotate.Event{Behavior: code, Subject: strings.TrimSpace(p.cell(rec, colSubject)), Comment: p.cell(rec, colComment)}
	if mods := p.cell(rec, colModifiers); mods != "" {
		for _, m := range strings.Split(mods, "|") {
			if m = strings.TrimSpace(m); m != "" {
				ev.Modifiers = append(ev.Modifiers, m)
			}
		}
	}
	if code == "" {
		p.file.add(line, "behavior is empty")
		return
	}
	if p.scheme != nil {
		b, ok := p.scheme.Behavior(code)
		if !ok {
			p.file.add(line, "%s", p.unknownBehavior(code))
			return
		}
		if kind != "" && kind != b.Kind {
			p.file.add(line, "behavior %q is a %s in the coding scheme, but the file says %s", code, b.Kind, kind)
			return
		}
		kind = b.Kind
		if ev.Subject == "" {
			ev.Subject = b.Subject
		}
	}
	start, end, hasEnd, ok := p.times(line, rec)
	if !ok {
		return
	}
	ev.Start = start
	switch {
	case !hasEnd && kind == annotate.Point:
		ev.End = start
	case !hasEnd: // a state, or unknown kind in the minimal form: still running
		ev.End, ev.Open = start, true
	default:
		ev.End = end
		if kind == "" && end == start {
			kind = annotate.Point
		}
		switch {
		case kind == annotate.Point && end != start:
			p.file.add(line, "behavior %q is a point event, but end_s %s differs from start_s %s", code, end.Seconds(), start.Seconds())
			return
		case end < start:
			p.file.add(line, "end_s %s is before start_s %s", end.Seconds(), start.Seconds())
			return
		}
	}
	if p.scheme != nil {
		if err := annotate.CheckEvent(p.scheme, ev); err != nil {
			p.file.add(line, "%v", err)
			return
		}
	}
	g.events = append(g.events, lined[annotate.Event]{line, ev})
}

// unknownBehavior names the code and, when the user typed a display name
// or the wrong case, the code they probably meant.
func (p *parser) unknownBehavior(code string) string {
	for _, b := range p.scheme.Behaviors {
		if strings.EqualFold(b.Code, code) || strings.EqualFold(b.Name, code) {
			return fmt.Sprintf("unknown behavior %q (did you mean %q?)", code, b.Code)
		}
	}
	return fmt.Sprintf("unknown behavior %q (not in the coding scheme %q)", code, p.scheme.Name)
}

func (p *parser) episode(line int, rec []string, g *group) {
	name := p.cell(rec, colBehavior)
	if strings.TrimSpace(name) == "" {
		p.file.add(line, "episode row without a name in behavior")
		return
	}
	if ep := p.cell(rec, colEpisode); ep != "" && ep != name {
		p.file.add(line, "episode row names %q in behavior but %q in episode", name, ep)
		return
	}
	if p.scheme != nil {
		if _, ok := p.scheme.Episode(name); !ok {
			p.file.add(line, "unknown episode %q (not in the coding scheme %q)", name, p.scheme.Name)
			return
		}
	}
	start, end, hasEnd, ok := p.times(line, rec)
	if !ok {
		return
	}
	if hasEnd && end <= start {
		p.file.add(line, "episode %q: end_s %s is not after start_s %s", name, end.Seconds(), start.Seconds())
		return
	}
	g.marks = append(g.marks, lined[mark]{line, mark{annotate.EpisodeMark{Name: name, Start: start}, end, hasEnd}})
}

func (p *parser) rating(line int, rec []string, g *group) {
	scale := strings.TrimSpace(p.cell(rec, colBehavior))
	ep := p.cell(rec, colEpisode)
	v, err := strconv.Atoi(strings.TrimSpace(rec[p.pos[colComment]]))
	switch {
	case scale == "":
		p.file.add(line, "rating row without a scale code in behavior")
		return
	case ep == "":
		p.file.add(line, "rating %q without an episode", scale)
		return
	case err != nil:
		p.file.add(line, "rating %q: value %q in comment is not a whole number", scale, rec[p.pos[colComment]])
		return
	}
	if p.scheme != nil {
		sc, ok := p.scheme.Rating(scale)
		switch {
		case !ok:
			p.file.add(line, "unknown rating scale %q (not in the coding scheme %q)", scale, p.scheme.Name)
			return
		case v < sc.Min || v > sc.Max:
			p.file.add(line, "rating %q: %d is outside %d–%d", scale, v, sc.Min, sc.Max)
			return
		}
		if _, ok := p.scheme.Episode(ep); !ok {
			p.file.add(line, "rating %q: unknown episode %q", scale, ep)
			return
		}
		if len(sc.Episodes) > 0 && !slices.Contains(sc.Episodes, ep) {
			p.file.add(line, "rating %q is not given in episode %q (only in %s)", scale, ep, strings.Join(sc.Episodes, ", "))
			return
		}
	}
	for _, r := range g.ratings {
		if r.v.Episode == ep && r.v.Scale == scale {
			p.file.add(line, "rating %q of episode %q is given twice (also line %d)", scale, ep, r.line)
			return
		}
	}
	g.ratings = append(g.ratings, lined[annotate.Rating]{line, annotate.Rating{Episode: ep, Scale: scale, Value: v}})
}

// finish checks each observation's episode marks as a whole and builds the
// transfers.
func (p *parser) finish() []annotate.Transfer {
	out := make([]annotate.Transfer, 0, len(p.order))
	for _, g := range p.order {
		t := annotate.Transfer{Project: g.key.project, Video: g.key.video,
			Obs: &annotate.Observation{ID: g.key.obs, Coder: g.key.coder}}
		slices.SortStableFunc(g.marks, func(a, b lined[mark]) int { return cmp.Compare(a.v.Start, b.v.Start) })
		for i, m := range g.marks {
			if i > 0 && g.marks[i-1].v.Start == m.v.Start {
				p.file.add(m.line, "episodes %q and %q both start at %s (line %d)", g.marks[i-1].v.Name, m.v.Name, m.v.Start.Seconds(), g.marks[i-1].line)
				continue
			}
			if i+1 < len(g.marks) {
				next := g.marks[i+1].v
				if m.v.hasEnd && m.v.end != next.Start {
					p.file.add(m.line, "episode %q ends at %s, but the next episode %q starts at %s", m.v.Name, m.v.end.Seconds(), next.Name, next.Start.Seconds())
				}
			} else if m.v.hasEnd {
				t.End = m.v.end
			}
			t.Obs.Episodes = append(t.Obs.Episodes, m.v.EpisodeMark)
		}
		slices.SortStableFunc(g.events, func(a, b lined[annotate.Event]) int { return cmp.Compare(a.v.Start, b.v.Start) })
		t.Obs.Events = make([]annotate.Event, len(g.events))
		for i, e := range g.events {
			e.v.ID = annotate.EventID(i + 1)
			t.Obs.Events[i] = e.v
		}
		t.Obs.NextID = annotate.EventID(len(g.events) + 1)
		for _, r := range g.ratings {
			t.Obs.Ratings = append(t.Obs.Ratings, r.v)
		}
		// Write's order, so an observation read back equals the one read.
		slices.SortStableFunc(t.Obs.Ratings, ratingOrder(p.scheme))
		out = append(out, t)
	}
	return out
}
