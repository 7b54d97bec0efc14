// Package boris imports event exports of BORIS (Behavioral Observation
// Research Interactive Software, www.boris.unito.it), so a lab can bring
// coding done in BORIS into a dyadcode project.
//
// Both of BORIS's table exports are read, as TSV or CSV, by their header
// names rather than column positions (BORIS adds a column per independent
// variable and per modifier set, and its layout changed across versions):
//
//   - "Export events" (tabular): one row per START, STOP or POINT, with the
//     time in "Time" and the type in "Behavior type" (BORIS 7 and later) or
//     "Status" (older versions, which also put the observation id, media
//     file and time offset in key/value rows above the header). START and
//     STOP rows are paired per observation, subject, behaviour and
//     modifiers, as BORIS pairs them; a START never stopped is a state still
//     running (Open).
//   - "Export aggregated events": one row per STATE (with "Start (s)" and
//     "Stop (s)") or POINT.
//
// Modifiers come from a "Modifiers" column (BORIS separates modifier sets
// with '|') or from "Modifier #1", "Modifier #2"… columns; "None" and empty
// values mean no modifier. Comments come from "Comment", or "Comment start"
// and "Comment stop" (joined with " / " when both are set).
//
// A BORIS project file (.boris) is read too: every observation's raw
// events, states paired as BORIS pairs them, problems located by JSON path
// (observations["id"].events[i]) since the JSON has no meaningful lines.
// Its times are Python floats; they are converted exactly from the decimal
// text and rounded to the microsecond, so "32.825000000000003" is 32.825 s.
//
// Behaviours map to the scheme by code, then by name, case-insensitively;
// subjects likewise, and BORIS's "No focal subject" becomes no subject.
// Every unknown behaviour, subject or modifier is reported at once with the
// FILE:LINEs it occurs on, and nothing is imported until the file is clean.
//
// Times are BORIS's decimal seconds read exactly (no float rounding) minus
// the observation's "Time offset (s)", so they are media times. BORIS
// plays player 1's media files one after the other on one observation
// time line; a dyadcode observation codes one video, so each of those
// files becomes its own Transfer ("id", "id [2/3]", …) on its own time
// line, with that file's duration as End and FPS as Rate (a state running
// across a file's end is cut there and continues in the next). The
// project file and BORIS 8/9 exports ("Source", "Media duration (s)")
// give every file's duration; a BORIS 7 export of an observation over
// several files does not, and is refused, pointing to the project file.
//
// Column layouts read (by name): BORIS 7 (key/value rows, "Media file
// path", "Total length", "Status"; aggregated "Media file", "Modifiers"),
// BORIS 8 and 9 (tabular "Observation type", "Source", "Media duration
// (s)", "FPS", "Modifier #N", "Behavior type", "Time", "Media file name",
// "Image index"; aggregated the same with "Start (s)", "Stop (s)",
// "FPS (frame/s)", "Comment start", "Comment stop"). Columns with no place
// in dyadcode (independent variables, other players' media, image
// observations) are listed in Report.NotCarried, never silently dropped.
package boris

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"dyadcode/annotate"
)

// Sentinel errors callers can test with errors.Is.
var (
	// ErrMalformed: not a BORIS export, or a row that cannot be read.
	ErrMalformed = errors.New("malformed BORIS export")
	// ErrUnknown: behaviours, subjects or modifiers the scheme lacks.
	ErrUnknown = errors.New("not in the coding scheme")
)

// NoFocalSubject is how BORIS writes an event without a subject.
const NoFocalSubject = "No focal subject"

// maxProblems caps how many row problems are listed: after that many the
// file is clearly of the wrong kind.
const maxProblems = 100

type column int

const (
	colObs column = iota
	colSubject
	colBehavior
	colType
	colTime  // "Time" or "Start (s)"
	colStop  // "Stop (s)"
	colMods  // "Modifiers"
	colNote  // "Comment" or "Comment start"
	colNote2 // "Comment stop"
	colMedia
	colLength
	colFPS
	colOffset
	colSource // "Source" (BORIS 8/9): every player's media files
	numCols
)

// headers maps a folded header name to its column; the first listed name
// wins when a file has several.
var headers = []struct {
	name string
	col  column
}{
	{"observation id", colObs},
	{"subject", colSubject},
	{"behavior", colBehavior},
	{"behaviour", colBehavior},
	{"behavior type", colType},
	{"status", colType},
	{"time", colTime},
	{"start (s)", colTime},
	{"stop (s)", colStop},
	{"modifiers", colMods},
	{"comment", colNote},
	{"comment start", colNote},
	{"comment stop", colNote2},
	{"media file name", colMedia},
	{"media file path", colMedia},
	{"media file", colMedia},
	{"media duration (s)", colLength},
	{"total length", colLength},
	{"fps", colFPS},
	{"fps (frame/s)", colFPS},
	{"source", colSource},
	{"time offset (s)", colOffset},
}

// derived are columns BORIS computes from what is imported (or that
// describe the observation, not its coding), so leaving them out loses
// nothing.
var derived = map[string]bool{
	"observation date": true, "description": true, "observation duration": true, "observation type": true,
	"coding duration": true, "behavioral category": true, "duration (s)": true,
	"observation duration by subject by observation": true, "image index": true, "image file path": true,
	"image index start": true, "image index stop": true, "image file path start": true, "image file path stop": true,
}

func fold(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

type row struct {
	line   int
	fields []string
}

type layout struct {
	col   [numCols]int // -1 when absent
	mods  []int        // "Modifier #N" columns
	other []int        // columns dyadcode has no place for (independent variables…)
	names []string     // the header
}

func (l *layout) get(r row, c column) string {
	i := l.col[c]
	if i < 0 || i >= len(r.fields) {
		return ""
	}
	return strings.TrimSpace(r.fields[i])
}

// Report is what an import brought in, and what it could not.
type Report struct {
	Transfers []annotate.Transfer
	// NotCarried names everything in the file dyadcode has no place for
	// (independent variables, other players' media, image observations),
	// each with where it is, so nothing is dropped silently.
	NotCarried []string
}

// Read parses a BORIS project (.boris) or a tabular or aggregated event
// export (TSV or CSV, told apart by the file name's extension or else by
// the header row) into one Transfer per observation and media file. name
// is used in messages and to pick the separator. See ReadReport for what
// is not carried over.
func Read(r io.Reader, name string, s *annotate.Scheme) ([]annotate.Transfer, error) {
	rep, err := ReadReport(r, name, s)
	if err != nil {
		return nil, err
	}
	return rep.Transfers, nil
}

// maxExportBytes bounds an export read into memory.
const maxExportBytes = 512 << 20

// ReadReport is Read with the list of what could not be carried over.
func ReadReport(r io.Reader, name string, s *annotate.Scheme) (*Report, error) {
	if s == nil {
		return nil, fmt.Errorf("%s: BORIS import needs the coding scheme to map behaviours", name)
	}
	data, err := io.ReadAll(io.LimitReader(r, maxExportBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(data) > maxExportBytes {
		return nil, fmt.Errorf("%s: %w: larger than %d MiB", name, ErrMalformed, maxExportBytes>>20)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // BOM from spreadsheet re-saves
	if isProject(data) {
		return readProject(data, name, s)
	}
	rows, err := records(data, name)
	if err != nil {
		return nil, err
	}
	// Key/value rows before the header (old tabular exports).
	meta := map[string]string{}
	h := -1
	var lay layout
	for i, r := range rows {
		if l, ok := header(r.fields); ok {
			h, lay = i, l
			break
		}
		if len(r.fields) >= 2 {
			meta[fold(r.fields[0])] = strings.TrimSpace(r.fields[1])
		}
	}
	if h < 0 {
		return nil, fmt.Errorf("%s: %w: no header row with Subject and Behavior columns (is this a BORIS event export?)", name, ErrMalformed)
	}
	if lay.col[colType] < 0 {
		return nil, fmt.Errorf("%s:%d: %w: no \"Behavior type\" or \"Status\" column, so states cannot be told from points", name, rows[h].line, ErrMalformed)
	}
	if lay.col[colTime] < 0 {
		return nil, fmt.Errorf("%s:%d: %w: no \"Time\" or \"Start (s)\" column", name, rows[h].line, ErrMalformed)
	}
	return convert(rows[h+1:], lay, meta, name, s)
}

// records splits the file into rows with their line numbers.
func records(data []byte, name string) ([]row, error) {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = separator(data, name)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = false
	var rows []row
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
		empty := true
		for _, f := range rec {
			if strings.TrimSpace(f) != "" {
				empty = false
				break
			}
		}
		if !empty {
			rows = append(rows, row{line: line, fields: rec})
		}
	}
	return rows, nil
}

// separator is tab for .tsv, comma for .csv, and otherwise whichever the
// first line holds more of.
func separator(data []byte, name string) rune {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".tsv", ".tab":
		return '\t'
	case ".csv":
		return ','
	}
	first, _, _ := bytes.Cut(data, []byte("\n"))
	if bytes.Count(first, []byte("\t")) >= bytes.Count(first, []byte(",")) {
		return '\t'
	}
	return ','
}

func header(fields []string) (layout, bool) {
	var l layout
	for i := range l.col {
		l.col[i] = -1
	}
	l.names = fields
	for i, f := range fields {
		name := fold(f)
		if strings.HasPrefix(name, "modifier #") {
			l.mods = append(l.mods, i)
			continue
		}
		known := derived[name]
		for _, h := range headers {
			if h.name == name {
				known = true
				if l.col[h.col] < 0 {
					l.col[h.col] = i
				}
			}
		}
		if !known {
			l.other = append(l.other, i)
		}
	}
	return l, l.col[colSubject] >= 0 && l.col[colBehavior] >= 0
}

// mapper resolves BORIS names to the scheme, by code and then by name,
// case-insensitively (annotate's FindBehavior and FindSubject).
type mapper struct{ s *annotate.Scheme }

func (m mapper) behavior(v string) (annotate.Behavior, bool) { return m.s.FindBehavior(v) }

// subject also takes an empty subject or BORIS's "No focal subject" as
// the behaviour's own (no subject).
func (m mapper) subject(v string) (string, bool) {
	if f := fold(v); f == "" || f == fold(NoFocalSubject) {
		return "", true
	}
	sub, ok := m.s.FindSubject(v)
	return sub.Code, ok
}

// unknownSet gathers unknown names with every line they occur on, so the
// report lists each name once.
type unknownSet struct {
	order []string
	lines map[string][]int
}

func (u *unknownSet) add(what string, line int) {
	if u.lines == nil {
		u.lines = map[string][]int{}
	}
	if _, ok := u.lines[what]; !ok {
		u.order = append(u.order, what)
	}
	u.lines[what] = append(u.lines[what], line)
}

func (u *unknownSet) report(name string) []string {
	var out []string
	for n, what := range u.order {
		if n == 50 {
			out = append(out, fmt.Sprintf("%s: and %d more unknown names", name, len(u.order)-50))
			break
		}
		ls := u.lines[what]
		var b strings.Builder
		fmt.Fprintf(&b, "%s:%d: %s", name, ls[0], what)
		if len(ls) > 1 {
			b.WriteString(" (also on line")
			if len(ls) > 2 {
				b.WriteString("s")
			}
			for i, l := range ls[1:] {
				if i == 10 {
					fmt.Fprintf(&b, " and %d more", len(ls)-11)
					break
				}
				if i > 0 {
					b.WriteString(",")
				}
				fmt.Fprintf(&b, " %d", l)
			}
			b.WriteString(")")
		}
		out = append(out, b.String())
	}
	return out
}

type obsAcc struct {
	id        string
	video     string
	end       annotate.Time
	rate      annotate.Rate
	offset    annotate.Time
	files     []mediaFile     // from "Source" and "Media duration (s)", when they say
	media     map[string]bool // media files the rows name
	firstLine int
	events    []annotate.Event
	// open START rows by pairing key
	open map[string]startRow
}

type startRow struct {
	line int
	ev   annotate.Event
}

// exportReader holds the state of one convert.
type exportReader struct {
	name    string
	s       *annotate.Scheme
	m       mapper
	lay     layout
	meta    map[string]string
	errs    []string
	unknown unknownSet
	order   []*obsAcc
	byID    map[string]*obsAcc
	rep     *Report
	noted   map[string]bool
}

func (c *exportReader) bad(line int, format string, a ...any) {
	if len(c.errs) < maxProblems {
		c.errs = append(c.errs, fmt.Sprintf("%s:%d: %s", c.name, line, fmt.Sprintf(format, a...)))
	}
}

// convert turns the rows after the header into observations: each row
// finds its observation, becomes an event, and is paired with its START
// or STOP; then observations are closed, split by media file and checked.
func convert(rows []row, lay layout, meta map[string]string, name string, s *annotate.Scheme) (*Report, error) {
	c := &exportReader{name: name, s: s, m: mapper{s}, lay: lay, meta: meta, byID: map[string]*obsAcc{}, rep: &Report{}, noted: map[string]bool{}}
	c.noteMeta()
	for _, r := range rows {
		o := c.observationOf(r)
		ev, typ, key, ok := c.rowEvent(r, o)
		if ok {
			c.place(o, r, ev, typ, key)
		}
	}
	c.errs = append(c.errs, c.unknown.report(name)...)
	for _, o := range c.order {
		c.close(o)
	}
	if len(c.errs) > 0 {
		kind := ErrMalformed
		if len(c.unknown.order) > 0 {
			kind = ErrUnknown
		}
		return nil, fmt.Errorf("%w:\n  %s", kind, strings.Join(c.errs, "\n  "))
	}
	if len(c.rep.Transfers) == 0 {
		return nil, fmt.Errorf("%s: %w: the export has a header but no events", name, ErrMalformed)
	}
	return c.rep, nil
}

// noteMeta lists the independent variables an old tabular export gives
// in key/value rows above the header.
func (c *exportReader) noteMeta() {
	known := map[string]bool{"observation id": true, "media file(s)": true, "observation date": true, "description": true,
		"time offset (s)": true, "independent variables": true, "variable": true, "media file": true}
	for _, k := range sortedKeys(c.meta) {
		if known[k] || strings.HasPrefix(k, "player #") || c.meta[k] == "" {
			continue
		}
		c.rep.NotCarried = append(c.rep.NotCarried, fmt.Sprintf("%s: %q = %q (an independent variable) is not imported: dyadcode observations have none", c.name, k, c.meta[k]))
	}
}

// observationOf finds or starts the observation a row belongs to, reading
// the observation's media, duration, rate and time offset from its first
// row.
func (c *exportReader) observationOf(r row) *obsAcc {
	lay := c.lay
	id := cmp.Or(lay.get(r, colObs), c.meta["observation id"])
	o := c.byID[id]
	if o == nil {
		o = &obsAcc{id: id, open: map[string]startRow{}, media: map[string]bool{}, firstLine: r.line}
		c.byID[id] = o
		c.order = append(c.order, o)
		o.video = mediaName(cmp.Or(lay.get(r, colSource), lay.get(r, colMedia), c.meta["player #1"], c.meta["media file"]))
		// Several media files are listed as "a;b" (or per player
		// "a|b"): the first one's values stand for the observation
		// unless the files can be told apart (sourceFiles).
		if t, err := annotate.ParseSeconds(firstValue(lay.get(r, colLength))); err == nil && t > 0 {
			o.end = t
		}
		o.rate = parseFPS(firstValue(lay.get(r, colFPS)))
		if files, ok := sourceFiles(lay.get(r, colSource), lay.get(r, colLength), lay.get(r, colFPS)); ok {
			o.files = files
		}
		off := cmp.Or(lay.get(r, colOffset), c.meta["time offset (s)"])
		if off != "" {
			t, err := annotate.ParseSeconds(off)
			if err != nil {
				c.bad(r.line, "time offset %q is not a number of seconds", off)
			}
			o.offset = t
		}
		c.noteOther(o, r)
		if _, others, ok := strings.Cut(lay.get(r, colSource), "|"); ok {
			c.rep.NotCarried = append(c.rep.NotCarried, fmt.Sprintf("%s:%d: observation %q: %s are not imported: a dyadcode observation codes player 1's video",
				c.name, r.line, o.id, strings.ReplaceAll(others, "|", ", ")))
		}
	}
	o.video = cmp.Or(o.video, mediaName(lay.get(r, colMedia)))
	if m := mediaName(lay.get(r, colMedia)); m != "" {
		o.media[m] = true
	}
	return o
}

// noteOther lists the values of columns dyadcode has no place for
// (independent variables), once per observation.
func (c *exportReader) noteOther(o *obsAcc, r row) {
	for _, i := range c.lay.other {
		if i >= len(r.fields) || strings.TrimSpace(r.fields[i]) == "" {
			continue
		}
		c.rep.NotCarried = append(c.rep.NotCarried, fmt.Sprintf("%s:%d: observation %q: column %q = %q (an independent variable?) is not imported: dyadcode observations have none",
			c.name, r.line, o.id, c.lay.names[i], strings.TrimSpace(r.fields[i])))
	}
}

// rowEvent reads a row as an event: behaviour, subject, modifiers, times;
// typ is START, STOP, POINT or STATE and key pairs STARTs with STOPs.
func (c *exportReader) rowEvent(r row, o *obsAcc) (ev annotate.Event, typ, key string, ok bool) {
	lay := c.lay
	rawBeh := lay.get(r, colBehavior)
	b, okB := c.m.behavior(rawBeh)
	if !okB {
		c.unknown.add(fmt.Sprintf("unknown behaviour %q", rawBeh), r.line)
	}
	rawSubj := lay.get(r, colSubject)
	subj, okS := c.m.subject(rawSubj)
	if !okS {
		c.unknown.add(fmt.Sprintf("unknown subject %q", rawSubj), r.line)
	}
	typ = strings.ToUpper(lay.get(r, colType))
	start, err := parseTime(lay.get(r, colTime), o.offset)
	if err != nil {
		c.bad(r.line, "time: %v", err)
		return ev, typ, "", false
	}
	var mods []string
	for _, raw := range modifierValues(r, lay) {
		if !okB {
			break
		}
		found, ok := b.FindModifier(raw)
		if !ok {
			c.unknown.add(fmt.Sprintf("unknown modifier %q of %q", raw, b.Code), r.line)
			continue
		}
		if !slices.Contains(mods, found) {
			mods = append(mods, found)
		}
	}
	if !okB || !okS {
		return ev, typ, "", false
	}
	if subj != "" && b.Subject != "" && subj != b.Subject {
		c.bad(r.line, "behaviour %q belongs to subject %q, not %q", b.Code, b.Subject, subj)
		return ev, typ, "", false
	}
	ev = annotate.Event{Behavior: b.Code, Subject: subj, Start: start, End: start, Modifiers: mods,
		Comment: joinNotes(lay.get(r, colNote), lay.get(r, colNote2))}
	wantKind := annotate.State
	switch typ {
	case "POINT":
		wantKind = annotate.Point
	case "STATE":
		stop, err := parseTime(lay.get(r, colStop), o.offset)
		if err != nil {
			c.bad(r.line, "stop time: %v", err)
			return ev, typ, "", false
		}
		if stop < start {
			c.bad(r.line, "state %q stops (%s) before it starts (%s)", b.Code, stop.Seconds(), start.Seconds())
			return ev, typ, "", false
		}
		ev.End = stop
	case "START", "STOP":
	default:
		c.bad(r.line, "behavior type %q is not START, STOP, POINT or STATE", lay.get(r, colType))
		return ev, typ, "", false
	}
	if b.Kind != wantKind {
		c.bad(r.line, "%q is a %s in the scheme but a %s in BORIS", b.Code, b.Kind, strings.ToLower(typ))
		return ev, typ, "", false
	}
	return ev, typ, subj + "\x00" + b.Code + "\x00" + strings.Join(mods, "|"), true
}

// place adds the event to its observation, pairing STARTs with STOPs as
// BORIS pairs them.
func (c *exportReader) place(o *obsAcc, r row, ev annotate.Event, typ, key string) {
	switch typ {
	case "START":
		if prev, ok := o.open[key]; ok {
			c.bad(r.line, "%q started again while running since line %d", ev.Behavior, prev.line)
			return
		}
		o.open[key] = startRow{line: r.line, ev: ev}
	case "STOP":
		st, ok := o.open[key]
		if !ok {
			c.bad(r.line, "STOP of %q without a START", ev.Behavior)
			return
		}
		delete(o.open, key)
		if ev.Start < st.ev.Start {
			c.bad(r.line, "%q stops (%s) before it started (%s, line %d)", ev.Behavior, ev.Start.Seconds(), st.ev.Start.Seconds(), st.line)
			return
		}
		st.ev.End = ev.Start
		st.ev.Comment = joinNotes(st.ev.Comment, ev.Comment)
		o.events = append(o.events, st.ev)
	default:
		o.events = append(o.events, ev)
	}
}

// close finishes an observation: STARTs never stopped are states still
// running, the events are placed in their media files, and each result
// is checked against the scheme.
func (c *exportReader) close(o *obsAcc) {
	keys := make([]string, 0, len(o.open))
	for k := range o.open {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		st := o.open[k]
		st.ev.Open = true
		o.events = append(o.events, st.ev)
	}
	files := o.files
	if len(files) == 0 {
		if len(o.media) > 1 {
			c.bad(o.firstLine, "observation %q spans the media files %s, and this export (BORIS 7 layout) does not give each file's duration, so its times cannot be placed in each file: import the .boris project instead",
				o.id, strings.Join(sortedSet(o.media), ", "))
			return
		}
		files = []mediaFile{{name: o.video, length: o.end, rate: o.rate}}
		if o.video == "" && o.end == 0 && !o.rate.Valid() {
			files = nil // a live observation
		}
	}
	for _, tr := range splitByMedia(o.id, o.events, files) {
		if len(c.errs) == 0 {
			if err := tr.Obs.Validate(c.s); err != nil {
				c.errs = append(c.errs, fmt.Sprintf("%s: observation %q: %v", c.name, tr.Obs.ID, err))
			}
		}
		c.rep.Transfers = append(c.rep.Transfers, tr)
	}
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// firstValue is the first of BORIS's ';'- or '|'-separated per-media values.
func firstValue(v string) string {
	if i := strings.IndexAny(v, ";|"); i >= 0 {
		v = v[:i]
	}
	return strings.TrimSpace(v)
}

// mediaName cleans BORIS's media column: "player #1:" prefixes go, and
// "Not found"/"NA" (an event outside every media file) name no video.
func mediaName(v string) string {
	v = firstValue(v)
	if strings.HasPrefix(fold(v), "player #") {
		if _, rest, ok := strings.Cut(v, ":"); ok {
			v = strings.TrimSpace(rest)
		}
	}
	switch fold(v) {
	case "not found", "na":
		return ""
	}
	return v
}

func modifierValues(r row, lay layout) []string {
	var raw []string
	if v := lay.get(r, colMods); v != "" {
		raw = append(raw, strings.Split(v, "|")...)
	}
	for _, i := range lay.mods {
		if i < len(r.fields) {
			raw = append(raw, strings.Split(r.fields[i], "|")...)
		}
	}
	var out []string
	for _, v := range raw {
		v = strings.TrimSpace(v)
		switch fold(v) {
		case "", "none", "na":
			continue
		}
		out = append(out, v)
	}
	return out
}

func joinNotes(a, b string) string {
	switch {
	case a == "" || a == b:
		return b
	case b == "":
		return a
	}
	return a + " / " + b
}

// parseTime reads BORIS's decimal seconds exactly and subtracts the
// observation's time offset.
func parseTime(v string, offset annotate.Time) (annotate.Time, error) {
	if v == "" || strings.EqualFold(v, "NA") {
		return 0, errors.New("missing")
	}
	t, err := annotate.ParseSeconds(v)
	if err != nil {
		return 0, err
	}
	t -= offset
	if t < 0 {
		return 0, fmt.Errorf("%s s minus the time offset %s s is before the start of the video", v, offset.Seconds())
	}
	return t, nil
}

// parseFPS turns BORIS's rounded FPS ("25.0", "29.970") into an exact rate,
// recognising the NTSC rates BORIS can only print rounded.
func parseFPS(v string) annotate.Rate {
	t, err := exactSeconds(v) // exact decimal, float noise rounded at 1 µs
	if err != nil || t <= 0 {
		return annotate.Rate{}
	}
	for _, ntsc := range []struct {
		approx annotate.Time
		r      annotate.Rate
	}{
		{23976000, annotate.Rate{Num: 24000, Den: 1001}},
		{29970000, annotate.Rate{Num: 30000, Den: 1001}},
		{59940000, annotate.Rate{Num: 60000, Den: 1001}},
	} {
		if d := t - ntsc.approx; d > -1000 && d < 1000 { // within 0.001
			return ntsc.r
		}
	}
	num, den := int64(t), int64(annotate.Second)
	g := gcd(num, den)
	return annotate.Rate{Num: num / g, Den: den / g}
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
