// Package csvio reads and writes dyadcode's CSV interchange format: a tidy
// long table with one row per coded event, which R's read.csv and pandas'
// read_csv load with no options.
//
// # Full form (what Write produces)
//
// The header is exactly
//
//	project,video,observation,coder,subject,behavior,kind,start_s,end_s,duration_s,episode,modifiers,comment
//
// and every row belongs to the observation named by its first four cells
// (project, video, observation ID, coder); one file may hold several
// observations. The kind cell says what the row is:
//
//   - point, state: one event. subject and behavior are codes of the
//     scheme; start_s and end_s are seconds with exactly six decimals
//     (annotate.Time.Seconds, exact both ways, never a float); a point has
//     end_s == start_s; a state still running (open) has empty end_s and
//     duration_s. modifiers are joined with "|". episode is the episode the
//     event starts in.
//   - episode: an episode boundary. behavior and episode hold the episode's
//     name, start_s is where it starts, end_s where the next one starts or,
//     for the last one, the video's end (empty when unknown).
//   - rating: a coder's rating of one episode. behavior is the rating
//     scale's code, episode the episode, comment the integer value; the
//     time cells are empty.
//
// Rows are written in time order, an episode row before the events that
// start at its instant, events by (start, ID), and the ratings last, so a
// file exported twice is byte-identical.
//
// duration_s and the episode cell of an event are derived; Read checks that
// they are well formed but otherwise ignores them, so editing end_s in a
// spreadsheet is enough. The end_s of the last episode row becomes the
// Transfer's End (the video's duration).
//
// # Minimal form (hand-made or from other tools)
//
// A header made only of behavior, start_s and end_s, optionally with
// subject, modifiers and comment, in any order, is the minimal form: one
// observation of events, no episodes. Whether an event is a point or a
// state comes from the scheme (without a scheme: a point iff end_s equals
// start_s); an empty end_s on a state means it is still running. The form is
// chosen by the header alone; any other header is refused, naming the
// unknown or missing columns.
//
// # Text cells and spreadsheets
//
// Files are UTF-8 with RFC 4180 quoting (encoding/csv). A UTF-8 byte order
// mark and CRLF line ends are accepted on import. Because spreadsheets run a
// cell that starts with = + - @ (or tab or CR) as a formula, Write puts an
// apostrophe before any text cell that starts with one of those, optionally
// after apostrophes already there; Read removes exactly one apostrophe from
// a cell of that shape, so an export read back gives the same text. A CR LF
// inside a quoted cell reads back as LF (encoding/csv's rule).
//
// # Errors
//
// Read checks the whole file before returning anything: every problem is
// reported as FILE:LINE: problem (up to MaxProblems of them) in an *Error
// that wraps ErrMalformed, and no observation is returned.
package csvio

import (
	"errors"
	"fmt"
	"strings"
)

// Header is the first line of the full form, exactly.
const Header = "project,video,observation,coder,subject,behavior,kind,start_s,end_s,duration_s,episode,modifiers,comment"

// Column indexes of the full form.
const (
	colProject = iota
	colVideo
	colObservation
	colCoder
	colSubject
	colBehavior
	colKind
	colStart
	colEnd
	colDuration
	colEpisode
	colModifiers
	colComment
	nCols
)

var columns = strings.Split(Header, ",")

// The row kinds besides annotate.Point and annotate.State.
const (
	KindEpisode = "episode"
	KindRating  = "rating"
)

// ErrMalformed is wrapped by every error about the content of a file.
var ErrMalformed = errors.New("malformed CSV")

// MaxProblems caps how many problems one Error lists: past that, a file is
// probably not what the user meant to import, and a thousand lines of
// messages help nobody.
const MaxProblems = 50

// Problem is one thing wrong at one line of a file.
type Problem struct {
	Line int // 1-based; the header is line 1
	Msg  string
}

// Error lists the problems found in a file. It wraps ErrMalformed.
type Error struct {
	File     string
	Problems []Problem
	// More counts problems found beyond MaxProblems.
	More int
}

func (e *Error) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "%s:%d: %s", e.File, p.Line, p.Msg)
	}
	if e.More > 0 {
		fmt.Fprintf(&b, "\n%s: ... and %d more problems", e.File, e.More)
	}
	return b.String()
}

// Unwrap makes errors.Is(err, ErrMalformed) true.
func (e *Error) Unwrap() error { return ErrMalformed }

func (e *Error) add(line int, format string, a ...any) {
	if len(e.Problems) >= MaxProblems {
		e.More++
		return
	}
	e.Problems = append(e.Problems, Problem{Line: line, Msg: fmt.Sprintf(format, a...)})
}

func (e *Error) full() bool { return len(e.Problems) >= MaxProblems }

// triggers a spreadsheet formula when a cell starts with it.
func isTrigger(c byte) bool {
	switch c {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}

// formulaShaped reports whether s is apostrophes (maybe none) followed by a
// formula trigger.
func formulaShaped(s string) bool {
	i := 0
	for i < len(s) && s[i] == '\'' {
		i++
	}
	return i < len(s) && isTrigger(s[i])
}

// neutralise prefixes an apostrophe to a text cell a spreadsheet would take
// for a formula. Cells that already start with apostrophes before a trigger
// get one more, so unneutralise can undo exactly one.
func neutralise(s string) string {
	if formulaShaped(s) {
		return "'" + s
	}
	return s
}

// unneutralise undoes neutralise.
func unneutralise(s string) string {
	if len(s) > 1 && s[0] == '\'' && formulaShaped(s[1:]) {
		return s[1:]
	}
	return s
}
