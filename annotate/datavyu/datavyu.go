// Package datavyu reads Datavyu spreadsheets (.opf), so a lab can bring
// years of Datavyu coding into dyadcode.
//
// An .opf file is a zip archive holding "db", the spreadsheet as text, and
// "project", the settings (YAML) with the linked videos. db as Datavyu
// writes it (format #4):
//
//	#4
//	ChildLook (MATRIX,true,)-target|NOMINAL,note|TEXT
//	00:00:01:000,00:00:02:500,(mom,looks up)
//	00:00:04:200,00:00:04:200,(toy,)
//	Crying (MATRIX,false,)-code01|NOMINAL
//	00:01:00:000,00:01:07:050,(fuss)
//
// A line "NAME (TYPE,VISIBLE,…)-ARG|ARGTYPE,…" starts a column; each line
// after it is a cell: onset and offset (hours:minutes:seconds:milliseconds)
// and, in parentheses, one value per argument, "," separated, with "\"
// escaping "," "(" ")" and "\" inside a value. An empty value (or Datavyu's
// "<arg>" placeholder) is no value. Columns of type TEXT or NOMINAL without
// arguments hold one bare value.
//
// Import maps a column to the behaviour named or coded like it; a cell
// becomes an event (a point when the behaviour is one), NOMINAL argument
// values become modifiers (ModifierName), TEXT argument values the
// comment. The video is the project's first viewer, and its offset (a
// track with offset d starts at time d of the spreadsheet) is subtracted,
// so times are media times.
package datavyu

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"

	"dyadcode/annotate"
	"dyadcode/annotate/internal/zipread"
)

// Sentinel errors callers can test with errors.Is.
var (
	// ErrMalformed: not a Datavyu file, or damaged.
	ErrMalformed = errors.New("malformed Datavyu file")
	// ErrUnknown: columns or values the scheme lacks.
	ErrUnknown = errors.New("not in the coding scheme")
)

// File is a Datavyu spreadsheet with its linked video.
type File struct {
	Name    string // as given, for messages
	Version string // "#4"
	Columns []Column
	// Video is the first viewer's feed; Offset its track offset.
	Video  string
	Offset annotate.Time
	// OtherVideos are the other viewers' feeds, which an observation of
	// Video does not include.
	OtherVideos []string
}

// Column is one spreadsheet column.
type Column struct {
	Name, Type string // MATRIX, TEXT, NOMINAL…
	Visible    bool
	Args       []Arg
	Cells      []Cell
	Line       int
}

// Arg is one argument of a matrix column.
type Arg struct {
	Name, Type string // Type: NOMINAL, TEXT, …
}

// Cell is one coded cell.
type Cell struct {
	Onset, Offset annotate.Time
	Values        []string // one per argument ("" when not coded)
	Line          int
}

// maxProblems caps how many problems one error lists.
const maxProblems = 100

// ParseOPF reads an .opf archive: its db spreadsheet and project settings.
func ParseOPF(name string, data []byte) (*File, error) {
	entries, err := zipread.Read(name, data, func(e string) bool {
		b := path.Base(e)
		return b == "db" || b == "project"
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	var db, project []byte
	for e, b := range entries {
		switch path.Base(e) {
		case "db":
			db = b
		case "project":
			project = b
		}
	}
	if db == nil {
		return nil, fmt.Errorf("%s: %w: the archive holds no \"db\" spreadsheet (is this a Datavyu .opf?)", name, ErrMalformed)
	}
	f, err := ParseDB(name+"/db", db)
	if err != nil {
		return nil, err
	}
	f.Name = name
	if project != nil {
		f.Video, f.Offset, f.OtherVideos = viewer(project)
	}
	return f, nil
}

var (
	headerRe = regexp.MustCompile(`^(.+?) \(([A-Z]+),(true|false),[^)]*\)(?:-(.*))?$`)
	timeRe   = regexp.MustCompile(`^(\d{1,7}):(\d{2}):(\d{2}):(\d{3})$`)
)

// ParseDB reads the db spreadsheet text.
func ParseDB(name string, data []byte) (*File, error) {
	f := &File{Name: name}
	var errs []string
	bad := func(line int, format string, a ...any) {
		if len(errs) < maxProblems {
			errs = append(errs, fmt.Sprintf("%s:%d: %s", name, line, fmt.Sprintf(format, a...)))
		}
	}
	var col *Column
	for i, raw := range strings.Split(string(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))), "\n") {
		line := strings.TrimRight(raw, "\r")
		n := i + 1
		switch {
		case strings.TrimSpace(line) == "":
		case strings.HasPrefix(line, "#") && f.Version == "" && len(f.Columns) == 0:
			f.Version = line
		case headerRe.MatchString(line):
			m := headerRe.FindStringSubmatch(line)
			c := Column{Name: m[1], Type: m[2], Visible: m[3] == "true", Line: n, Args: parseArgs(m[4])}
			if len(c.Args) == 0 && c.Type != "MATRIX" {
				c.Args = []Arg{{Name: "value", Type: c.Type}} // a bare TEXT or NOMINAL column
			}
			f.Columns = append(f.Columns, c)
			col = &f.Columns[len(f.Columns)-1]
		case col == nil:
			bad(n, "%q is neither a column header nor a cell", clip(line))
		default:
			c, err := parseCell(line, n, col)
			if err != nil {
				bad(n, "column %q: %v", col.Name, err)
				continue
			}
			col.Cells = append(col.Cells, c)
		}
	}
	if f.Version == "" && len(f.Columns) == 0 {
		errs = append(errs, fmt.Sprintf("%s: not a Datavyu spreadsheet (no \"#4\" line and no column)", name))
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%w:\n  %s", ErrMalformed, strings.Join(errs, "\n  "))
	}
	return f, nil
}

func parseArgs(s string) []Arg {
	var out []Arg
	for _, a := range splitEscaped(s, ',') {
		n, t, _ := strings.Cut(a, "|")
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, Arg{Name: n, Type: strings.ToUpper(strings.TrimSpace(t))})
		}
	}
	return out
}

func parseCell(line string, n int, col *Column) (Cell, error) {
	parts := strings.SplitN(line, ",", 3)
	if len(parts) < 2 {
		return Cell{}, fmt.Errorf("%q is not onset,offset,(values)", clip(line))
	}
	on, err := parseTime(parts[0])
	if err != nil {
		return Cell{}, fmt.Errorf("onset: %v", err)
	}
	off, err := parseTime(parts[1])
	if err != nil {
		return Cell{}, fmt.Errorf("offset: %v", err)
	}
	if off < on {
		return Cell{}, fmt.Errorf("offset %s is before onset %s", parts[1], parts[0])
	}
	c := Cell{Onset: on, Offset: off, Line: n}
	rest := ""
	if len(parts) == 3 {
		rest = parts[2]
	}
	if strings.HasPrefix(rest, "(") && strings.HasSuffix(rest, ")") && col.Type == "MATRIX" {
		c.Values = splitEscaped(rest[1:len(rest)-1], ',')
	} else if rest != "" {
		c.Values = []string{unescape(rest)}
	}
	for i, v := range c.Values {
		v = strings.TrimSpace(v)
		if strings.HasPrefix(v, "<") && strings.HasSuffix(v, ">") { // Datavyu's empty-argument placeholder
			v = ""
		}
		c.Values[i] = v
	}
	if len(col.Args) > 0 && len(c.Values) > len(col.Args) {
		return Cell{}, fmt.Errorf("%d values for %d arguments", len(c.Values), len(col.Args))
	}
	return c, nil
}

// parseTime reads HH:MM:SS:mmm exactly; hours are bounded so the result
// cannot overflow.
func parseTime(s string) (annotate.Time, error) {
	m := timeRe.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, fmt.Errorf("%q is not hours:minutes:seconds:milliseconds", clip(s))
	}
	h, _ := strconv.ParseInt(m[1], 10, 64)
	mi, _ := strconv.ParseInt(m[2], 10, 64)
	se, _ := strconv.ParseInt(m[3], 10, 64)
	ms, _ := strconv.ParseInt(m[4], 10, 64)
	if mi > 59 || se > 59 {
		return 0, fmt.Errorf("%q has minutes or seconds above 59", s)
	}
	return annotate.Time(((h*60+mi)*60+se)*1000+ms) * annotate.Millisecond, nil
}

// splitEscaped splits on sep outside "\" escapes and unescapes the parts.
func splitEscaped(s string, sep byte) []string {
	var out []string
	var cur strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
		case s[i] == sep:
			out = append(out, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(s[i])
		}
	}
	return append(out, cur.String())
}

func unescape(s string) string { return strings.Join(splitEscaped(s, 0), "") }

func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

// viewer reads the first viewer's feed and offset from the project
// settings: lines "feed: PATH" and "offset: MS" of its first "!vs" entry.
func viewer(project []byte) (video string, offset annotate.Time, others []string) {
	seenFeed, seenOffset := false, false
	for _, l := range strings.Split(string(project), "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "- ")), ":")
		if !ok {
			continue
		}
		v = strings.Trim(strings.TrimSpace(v), `"'`)
		switch k {
		case "feed":
			if !seenFeed {
				video, seenFeed = v, true
			} else {
				others = append(others, v)
			}
		case "offset":
			if n, err := strconv.ParseInt(v, 10, 64); err == nil && !seenOffset && n > -1<<40 && n < 1<<40 {
				offset, seenOffset = annotate.Time(n)*annotate.Millisecond, true
			}
		}
	}
	return video, offset, others
}

// ModifierName is the modifier a NOMINAL argument value becomes: the value
// itself in a column with one such argument, else "arg=value" so equal
// values of different arguments stay apart.
func ModifierName(col Column, arg int, value string) string {
	if nominalArgs(col) > 1 {
		return col.Args[arg].Name + "=" + value
	}
	return value
}

func nominalArgs(col Column) int {
	n := 0
	for _, a := range col.Args {
		if IsNominal(a) {
			n++
		}
	}
	return n
}

// IsNominal says whether an argument holds codes (modifiers) rather than
// free text (comments).
func IsNominal(a Arg) bool { return a.Type != "TEXT" && a.Type != "QUOTE_STRING" }

// Read converts the spreadsheet into one observation, mapping columns to
// behaviours of s; every unknown column or value is reported at once.
func (f *File) Read(s *annotate.Scheme) ([]annotate.Transfer, error) {
	if s == nil {
		return nil, fmt.Errorf("%s: Datavyu import needs the coding scheme to map columns", f.Name)
	}
	var errs []string
	var evs []annotate.Event
	for _, col := range f.Columns {
		b, ok := s.FindBehavior(col.Name)
		if !ok {
			if len(col.Cells) > 0 {
				errs = append(errs, fmt.Sprintf("%s:%d: column %q is not a behaviour of the scheme", f.Name, col.Line, col.Name))
			}
			continue
		}
		for _, c := range col.Cells {
			ev, problems := f.cellEvent(col, c, b)
			errs = append(errs, problems...)
			if problems == nil {
				evs = append(evs, ev)
			}
		}
	}
	if len(errs) > 0 {
		if len(errs) > maxProblems {
			errs = append(errs[:maxProblems], fmt.Sprintf("and %d more", len(errs)-maxProblems))
		}
		return nil, fmt.Errorf("%w:\n  %s", ErrUnknown, strings.Join(errs, "\n  "))
	}
	if len(evs) == 0 {
		return nil, fmt.Errorf("%s: %w: no coded cells", f.Name, ErrUnknown)
	}
	annotate.SortEvents(evs)
	for i := range evs {
		evs[i].ID = annotate.EventID(i + 1)
	}
	obs := &annotate.Observation{ID: strings.TrimSuffix(path.Base(f.Name), path.Ext(f.Name)), Events: evs, NextID: annotate.EventID(len(evs) + 1)}
	if err := obs.Validate(s); err != nil {
		return nil, fmt.Errorf("%s: %w", f.Name, err)
	}
	return []annotate.Transfer{{Video: f.Video, Obs: obs}}, nil
}

func (f *File) cellEvent(col Column, c Cell, b annotate.Behavior) (annotate.Event, []string) {
	var problems []string
	ev := annotate.Event{Behavior: b.Code, Subject: b.Subject, Start: c.Onset - f.Offset, End: c.Offset - f.Offset}
	if ev.Start < 0 {
		return ev, []string{fmt.Sprintf("%s:%d: column %q: onset %s is before the video's start (track offset %s s)", f.Name, c.Line, col.Name, c.Onset.Seconds(), f.Offset.Seconds())}
	}
	if b.Kind == annotate.Point {
		ev.End = ev.Start
	}
	var notes []string
	for i, v := range c.Values {
		if v == "" {
			continue
		}
		if i >= len(col.Args) || !IsNominal(col.Args[i]) {
			notes = append(notes, v)
			continue
		}
		m, ok := b.FindModifier(ModifierName(col, i, v))
		if !ok {
			problems = append(problems, fmt.Sprintf("%s:%d: column %q: %q is not a modifier of %q", f.Name, c.Line, col.Name, ModifierName(col, i, v), b.Code))
			continue
		}
		ev.Modifiers = append(ev.Modifiers, m)
	}
	ev.Comment = strings.Join(notes, "; ")
	return ev, problems
}
