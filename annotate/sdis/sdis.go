// Package sdis writes observations as SDIS timed-event data, the input
// language of GSEQ (Bakeman & Quera's Generalized Sequential Querier), so
// labs can run lag and time-window sequential analyses on dyadcode coding.
//
// # What the file contains
//
//	% comments (start with %) name the project, scheme and time unit
//	Timed approach explore … ep_1_introduction … ;
//	<alice obs 7> ,0
//	explore,1000-5250
//	smile,2040
//	…
//	,320500/
//
// One "Timed" declaration lists every code, then one session per
// observation: an optional label in angle brackets, the session start
// ",0", one event per line as code,onset-offset, and the session end
// ",end/" (the video's duration, or the last time coded when unknown).
//
// Time unit: integer milliseconds from the start of the video. dyadcode's
// microsecond times are rounded to the nearest millisecond (half up), the
// same rule as the ELAN export. Offsets are exclusive, as in SDIS: a state
// from 1.000 s to 5.250 s is "explore,1000-5250". A point is written with
// its onset only ("smile,2040"), which SDIS reads as lasting one time unit
// (1 ms); so is a state that rounds to zero length. Durations and rates
// GSEQ reports are therefore in milliseconds.
//
// A state still running at the end of the video is closed at the session
// end. GSEQ counts a code as either on or off in each time unit, so
// overlapping occurrences of the same code in one session (two overlapping
// "explore" states, two points in the same millisecond) are merged into one
// and the merge is noted in a comment above the session.
//
// Episodes are written as codes, not conditions: SDIS conditions and
// factors are fixed per session, while a Strange Situation session changes
// episode every three minutes. Each episode mark becomes a timed event of the
// code "ep_" + the episode name folded to letters, digits and underscores
// ("5 First reunion" → "ep_5_first_reunion"), running until the next mark or
// the session end, so the episode codes are mutually exclusive by
// construction and GSEQ can combine them with behaviours (e.g. with AND, or
// as a window) to restrict an analysis to the reunions.
//
// Modifiers have no SDIS equivalent either; each declared modifier becomes a
// code "<behaviour>_<modifier>" ("distress_cry") that co-occurs with its
// behaviour, so they remain analysable. Comments are not exported.
package sdis

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"dyadcode/annotate"
)

// Write writes the observations as one SDIS timed-event file, one session
// each. Events are validated against s first; nothing is written on error.
func Write(out io.Writer, recs []annotate.Transfer, s *annotate.Scheme) error {
	if err := annotate.CheckExport("SDIS export", recs, s); err != nil {
		return err
	}
	cs := newCodes(s)

	b := bufio.NewWriter(out)
	fmt.Fprintf(b, "%% SDIS timed-event data written by dyadcode for GSEQ\n")
	if recs[0].Project != "" {
		fmt.Fprintf(b, "%% project: %s\n", comment(recs[0].Project))
	}
	fmt.Fprintf(b, "%% coding scheme: %s\n", comment(s.Name))
	fmt.Fprintf(b, "%% time unit: integer milliseconds from the start of the video; offsets exclusive;\n")
	fmt.Fprintf(b, "%% an event without offset (a point) lasts one unit. Episodes are the ep_ codes;\n")
	fmt.Fprintf(b, "%% <behaviour>_<modifier> codes mark modifiers and co-occur with their behaviour.\n")
	for _, c := range cs.list {
		fmt.Fprintf(b, "%% %s = %s\n", c.code, comment(c.desc))
	}
	b.WriteString("Timed")
	col := len("Timed")
	for _, c := range cs.list {
		if col+1+len(c.code) > 76 {
			b.WriteString("\n")
			col = 0
		}
		b.WriteString(" " + c.code)
		col += 1 + len(c.code)
	}
	b.WriteString(" ;\n")

	for _, r := range recs {
		writeSession(b, r, s, cs)
	}
	return b.Flush()
}

type code struct{ code, desc string }

// codes is the declared code list and how behaviours, modifiers and
// episodes map onto it.
type codes struct {
	list     []code
	modifier map[[2]string]string // behaviour, modifier -> code
	episode  map[string]string    // episode name -> code
}

func newCodes(s *annotate.Scheme) *codes {
	cs := &codes{modifier: map[[2]string]string{}, episode: map[string]string{}}
	used := map[string]bool{}
	unique := func(c string) string {
		base := c
		for n := 2; used[c]; n++ {
			c = fmt.Sprintf("%s_%d", base, n)
		}
		used[c] = true
		return c
	}
	for _, b := range s.Behaviors {
		used[b.Code] = true // scheme codes are already valid SDIS codes
		desc := b.Name + " (" + string(b.Kind)
		if b.Subject != "" {
			desc += ", " + b.Subject
		}
		cs.list = append(cs.list, code{b.Code, desc + ")"})
	}
	for _, b := range s.Behaviors {
		for _, m := range b.Modifiers {
			c := unique(b.Code + "_" + sanitize(m))
			cs.modifier[[2]string{b.Code, m}] = c
			cs.list = append(cs.list, code{c, "modifier " + m + " of " + b.Code})
		}
	}
	for _, e := range s.Episodes {
		c := unique("ep_" + sanitize(e.Name))
		cs.episode[e.Name] = c
		cs.list = append(cs.list, code{c, "episode " + e.Name})
	}
	return cs
}

// sanitize folds a name to lower-case letters, digits and single
// underscores, the characters every SDIS version accepts in codes.
func sanitize(name string) string {
	var b strings.Builder
	under := false
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			under = false
			continue
		}
		if !under && b.Len() > 0 {
			b.WriteByte('_')
			under = true
		}
	}
	out := strings.TrimRight(b.String(), "_")
	if out == "" {
		out = "x"
	}
	return out
}

// comment keeps text on one comment line.
func comment(s string) string {
	return strings.NewReplacer("\n", " ", "\r", " ").Replace(s)
}

// label is the session label: SDIS ends it at '>', so that and line breaks
// are replaced.
func label(r annotate.Transfer) string {
	parts := []string{}
	if r.Obs.Coder != "" {
		parts = append(parts, r.Obs.Coder)
	}
	if r.Obs.ID != "" {
		parts = append(parts, "obs "+r.Obs.ID)
	}
	if r.Video != "" {
		parts = append(parts, r.Video)
	}
	return strings.NewReplacer("<", "(", ">", ")", "\n", " ", "\r", " ", "/", "_", ";", ",").Replace(strings.Join(parts, " "))
}

// ms rounds to the nearest millisecond, half up.
func ms(t annotate.Time) int64 {
	if t < 0 {
		return 0
	}
	return int64(t)/1000 + (int64(t)%1000+500)/1000
}

type span struct {
	code    string
	on, off int64 // off == on+1 for a point
	point   bool
	order   int // declaration order, to break ties
}

func writeSession(b *bufio.Writer, r annotate.Transfer, s *annotate.Scheme, cs *codes) {
	o := r.Obs
	end := r.EndOrLast()
	sessionEnd := ms(end)
	rank := map[string]int{}
	for i, c := range cs.list {
		rank[c.code] = i
	}
	var spans []span
	add := func(c string, on, off int64, point bool) {
		if off <= on { // zero length after rounding: one unit, like a point
			off, point = on+1, true
		}
		spans = append(spans, span{code: c, on: on, off: off, point: point, order: rank[c]})
	}
	for _, e := range o.Events {
		bh, _ := s.Behavior(e.Behavior)
		on := ms(e.Start)
		var off int64
		switch {
		case bh.Kind == annotate.Point:
			off = on + 1
		case e.Open:
			off = ms(max(end, e.Start))
		default:
			off = ms(e.End)
		}
		point := bh.Kind == annotate.Point
		add(e.Behavior, on, off, point)
		for _, m := range e.Modifiers {
			add(cs.modifier[[2]string{e.Behavior, m}], on, off, point)
		}
	}
	for _, sp := range o.Spans(max(end, o.LastTime()+1)) {
		add(cs.episode[sp.Name], ms(sp.Start), ms(sp.End), false)
	}
	// Merge overlapping occurrences of one code (see the package comment).
	slices.SortFunc(spans, func(a, b span) int {
		return cmp.Or(cmp.Compare(a.code, b.code), cmp.Compare(a.on, b.on), cmp.Compare(a.off, b.off))
	})
	merged := 0
	var out []span
	for _, sp := range spans {
		if n := len(out); n > 0 && out[n-1].code == sp.code && sp.on < out[n-1].off {
			out[n-1].off = max(out[n-1].off, sp.off)
			out[n-1].point = out[n-1].point && out[n-1].off == out[n-1].on+1
			merged++
			continue
		}
		out = append(out, sp)
	}
	slices.SortFunc(out, func(a, b span) int {
		return cmp.Or(cmp.Compare(a.on, b.on), cmp.Compare(a.order, b.order), cmp.Compare(a.off, b.off))
	})
	for _, sp := range out {
		sessionEnd = max(sessionEnd, sp.off)
	}

	head := "observation " + o.ID
	if o.Coder != "" {
		head += ", coder " + o.Coder
	}
	if r.Video != "" {
		head += ", video " + r.Video
	}
	fmt.Fprintf(b, "\n%% %s\n", comment(head))
	if merged > 0 {
		fmt.Fprintf(b, "%% %d overlapping occurrence(s) of the same code merged\n", merged)
	}
	if l := label(r); l != "" {
		fmt.Fprintf(b, "<%s> ", l)
	}
	b.WriteString(",0\n")
	for _, sp := range out {
		if sp.point {
			fmt.Fprintf(b, "%s,%d\n", sp.code, sp.on)
		} else {
			fmt.Fprintf(b, "%s,%d-%d\n", sp.code, sp.on, sp.off)
		}
	}
	fmt.Fprintf(b, ",%d/\n", sessionEnd)
}
