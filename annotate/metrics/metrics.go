// Package metrics computes the numbers attachment labs report from an
// observation's codes: per episode and behaviour counts, rates, durations,
// percentages and latencies, the derived measures a scheme declares
// (proximity seeking, secure base, comfort seeking, ease of soothing,
// positive interaction), and the coder's ratings. It works in exact integer
// media time and is pure Go, so the GUI, the CLI and the report share it.
//
// The definitions are written up in docs/metrics.md; keep the two in step.
package metrics

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"dyadcode/annotate"
)

// SessionEpisode is the Episode of the row that covers the whole video.
const SessionEpisode = "session"

// ErrAfterEnd is returned when an event starts after the end given to
// Compute: its time would fall outside every row.
var ErrAfterEnd = errors.New("event starts after the end of the video")

// ValueKind says how a Value is stored and written.
type ValueKind int

// The kinds of values.
const (
	Count   ValueKind = iota // Int: a number of occurrences
	Seconds                  // Time: an exact duration or latency
	Ratio                    // Float: a rate, a percentage or a mean
	Flag                     // Int 0/1: e.g. a latency's censored flag
	Score                    // Int: a rating
)

// Value is one cell of a metrics row.
type Value struct {
	Column string
	Kind   ValueKind
	Int    int64
	Time   annotate.Time
	Float  float64
	// Missing means there is no value (an empty CSV cell, NA in R): a mean
	// of nothing, a rate over no time, a latency that did not happen.
	Missing bool
	// Censored means the value is missing because what it waits for did
	// not happen before the episode (or the video) ended: the true value is
	// at least the time that was left, not 0.
	Censored bool
}

// String formats the value for CSV: "" when missing, plain decimals
// otherwise ("12.3", "0.5", "3"), never exponents.
func (v Value) String() string {
	if v.Missing {
		return ""
	}
	switch v.Kind {
	case Seconds:
		return trimZeros(v.Time.Seconds())
	case Ratio:
		return trimZeros(strconv.FormatFloat(v.Float, 'f', 6, 64))
	default:
		return strconv.FormatInt(v.Int, 10)
	}
}

// Number returns the value as a float64 (seconds for durations) and
// whether there is one.
func (v Value) Number() (float64, bool) {
	if v.Missing {
		return 0, false
	}
	switch v.Kind {
	case Seconds:
		return v.Time.Float(), true
	case Ratio:
		return v.Float, true
	}
	return float64(v.Int), true
}

// trimZeros drops trailing decimal zeros: "12.300000" -> "12.3", "3.000000" -> "3".
func trimZeros(s string) string {
	if !strings.Contains(s, ".") {
		return s
	}
	s = strings.TrimRight(s, "0")
	s = strings.TrimSuffix(s, ".")
	if s == "-0" {
		return "0"
	}
	return s
}

// Row is the metrics of one observation in one episode (or the session).
type Row struct {
	Video, Observation, Coder string
	Episode                   string
	Session                   bool
	Start, End                annotate.Time
	Values                    []Value // in Columns(scheme) order
}

// Get returns the value of a column.
func (r Row) Get(column string) (Value, bool) {
	for _, v := range r.Values {
		if v.Column == column {
			return v, true
		}
	}
	return Value{}, false
}

// span is a row's time range.
type span struct {
	name       string
	start, end annotate.Time
}

// ev is an event reduced to what metrics need, its end closed at the video end.
type ev struct {
	id         annotate.EventID
	start, end annotate.Time
	open       bool
}

// computer holds an observation's events grouped by code and its episode spans.
type computer struct {
	end    annotate.Time
	spans  []span // episodes, contiguous, in time order
	byCode map[string][]ev
}

// Compute returns the metrics of an observation: one row per marked episode
// in time order, then the session row covering [0, end). end is the video's
// duration; states still running end there.
func Compute(o *annotate.Observation, s *annotate.Scheme, end annotate.Time) ([]Row, error) {
	ms, err := ParseMeasures(s)
	if err != nil {
		return nil, err
	}
	if end < 0 {
		return nil, fmt.Errorf("observation %s: negative video end %s", o.ID, end.Seconds())
	}
	c := &computer{end: end, byCode: map[string][]ev{}}
	for _, sp := range o.Spans(end) {
		c.spans = append(c.spans, span{sp.Name, sp.Start, sp.End})
	}
	for _, e := range o.Events {
		if e.Start > end {
			return nil, fmt.Errorf("observation %s: event %d (%s at %s s): %w (%s s)", o.ID, e.ID, e.Behavior, e.Start.Seconds(), ErrAfterEnd, end.Seconds())
		}
		x := ev{id: e.ID, start: e.Start, end: min(e.EndOr(end), end), open: e.Open}
		c.byCode[e.Behavior] = append(c.byCode[e.Behavior], x)
	}
	for _, list := range c.byCode {
		slices.SortFunc(list, func(a, b ev) int {
			if a.start != b.start {
				return cmpTime(a.start, b.start)
			}
			return cmpTime(annotate.Time(a.id), annotate.Time(b.id))
		})
	}

	rows := make([]Row, 0, len(c.spans)+1)
	for _, sp := range c.spans {
		rows = append(rows, Row{Episode: sp.name, Start: sp.start, End: sp.end})
	}
	rows = append(rows, Row{Episode: SessionEpisode, Session: true, Start: 0, End: end})
	for i := range rows {
		rows[i].Video, rows[i].Observation, rows[i].Coder = o.Video, o.ID, o.Coder
	}
	for _, b := range s.Behaviors {
		c.behavior(b, rows)
	}
	for _, m := range ms {
		c.derived(m, rows)
	}
	for _, r := range s.Ratings {
		for i := range rows {
			v := Value{Column: ratingColumn(r.Code), Kind: Score, Missing: true}
			if !rows[i].Session {
				if x, ok := o.Rating(rows[i].Episode, r.Code); ok {
					v.Int, v.Missing = int64(x), false
				}
			}
			rows[i].Values = append(rows[i].Values, v)
		}
	}
	return rows, nil
}

func cmpTime(a, b annotate.Time) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// spanOf returns the index of the episode an onset at t belongs to, or -1
// before the first mark. Episodes are half-open [start, end), except that
// an onset exactly at the video end belongs to the last episode, so nothing
// coded inside the video is lost.
func (c *computer) spanOf(t annotate.Time) int {
	k := sort.Search(len(c.spans), func(i int) bool { return c.spans[i].start > t }) - 1
	if k < 0 {
		return -1
	}
	if t < c.spans[k].end || (k == len(c.spans)-1 && t == c.end) {
		return k
	}
	return -1
}

// session is the index of the session row.
func (c *computer) session() int { return len(c.spans) }

// rowsOf calls f with each row an onset at t belongs to: its episode (if
// any) and the session.
func (c *computer) rowsOf(t annotate.Time, f func(row int)) {
	if k := c.spanOf(t); k >= 0 {
		f(k)
	}
	f(c.session())
}

// spread calls f(row, overlap) for every row whose range [start, end)
// overlaps the interval [s, e) by a positive amount.
func (c *computer) spread(s, e annotate.Time, f func(row int, d annotate.Time)) {
	if e <= s {
		return
	}
	j := sort.Search(len(c.spans), func(i int) bool { return c.spans[i].end > s })
	for ; j < len(c.spans) && c.spans[j].start < e; j++ {
		if d := min(e, c.spans[j].end) - max(s, c.spans[j].start); d > 0 {
			f(j, d)
		}
	}
	if d := min(e, c.end) - max(s, 0); d > 0 {
		f(c.session(), d)
	}
}

// rowDur is the length of a row's range.
func rowDur(r *Row) annotate.Time { return r.End - r.Start }

// perMinute is n per minute of d, missing when d is 0.
func perMinute(col string, n int64, d annotate.Time) Value {
	if d <= 0 {
		return Value{Column: col, Kind: Ratio, Missing: true}
	}
	return Value{Column: col, Kind: Ratio, Float: float64(n) * float64(annotate.Minute) / float64(d)}
}

// behavior appends one behaviour's columns to every row.
func (c *computer) behavior(b annotate.Behavior, rows []Row) {
	n := len(rows)
	count := make([]int64, n)
	total := make([]annotate.Time, n) // time inside the row (split at boundaries)
	full := make([]annotate.Time, n)  // whole durations of the states starting in the row
	first := make([]annotate.Time, n)
	for i := range first {
		first[i] = -1
	}
	for _, e := range c.byCode[b.Code] {
		c.rowsOf(e.start, func(r int) {
			count[r]++
			full[r] += e.end - e.start
			if first[r] < 0 {
				first[r] = e.start
			}
		})
		if b.Kind == annotate.State {
			c.spread(e.start, e.end, func(r int, d annotate.Time) { total[r] += d })
		}
	}
	for i := range rows {
		r := &rows[i]
		d := rowDur(r)
		vs := []Value{
			{Column: b.Code + "_count", Kind: Count, Int: count[i]},
			perMinute(b.Code+"_rate_per_min", count[i], d),
		}
		if b.Kind == annotate.State {
			mean := Value{Column: b.Code + "_mean_s", Kind: Ratio, Missing: true}
			if count[i] > 0 {
				mean.Float, mean.Missing = full[i].Float()/float64(count[i]), false
			}
			pct := Value{Column: b.Code + "_pct", Kind: Ratio, Missing: true}
			if d > 0 {
				pct.Float, pct.Missing = float64(total[i])*100/float64(d), false
			}
			vs = append(vs, Value{Column: b.Code + "_total_s", Kind: Seconds, Time: total[i]}, mean, pct)
		}
		lat := Value{Column: b.Code + "_latency_s", Kind: Seconds}
		cens := Value{Column: b.Code + "_latency_censored", Kind: Flag}
		if first[i] >= 0 {
			lat.Time = first[i] - r.Start
		} else {
			lat.Missing, lat.Censored, cens.Int = true, true, 1
		}
		r.Values = append(r.Values, append(vs, lat, cens)...)
	}
}

// events returns the events of several codes merged in start order.
func (c *computer) events(codes []string) []ev {
	var out []ev
	for _, code := range codes {
		out = append(out, c.byCode[code]...)
	}
	if len(codes) > 1 {
		slices.SortStableFunc(out, func(a, b ev) int { return cmpTime(a.start, b.start) })
	}
	return out
}

// union returns the time covered by the states of codes as sorted,
// disjoint intervals, so overlapping events are counted once.
func (c *computer) union(codes []string) [][2]annotate.Time {
	var out [][2]annotate.Time
	for _, e := range c.events(codes) {
		if e.end <= e.start {
			continue
		}
		if k := len(out) - 1; k >= 0 && e.start <= out[k][1] {
			out[k][1] = max(out[k][1], e.end)
			continue
		}
		out = append(out, [2]annotate.Time{e.start, e.end})
	}
	return out
}

// within reports whether t lies in one of the sorted intervals [s, e).
func within(iv [][2]annotate.Time, t annotate.Time) bool {
	k := sort.Search(len(iv), func(i int) bool { return iv[i][0] > t }) - 1
	return k >= 0 && t < iv[k][1]
}

// derived appends one derived measure's columns to every row.
func (c *computer) derived(m Measure, rows []Row) {
	switch m.Type {
	case TypeCount:
		counts := c.filteredCounts(m, rows)
		for i := range rows {
			rows[i].Values = append(rows[i].Values, Value{Column: m.Name + "_count", Kind: Count, Int: counts[i]})
		}
	case TypeDuration:
		total := c.unionTime(m.Behaviors, len(rows))
		for i := range rows {
			rows[i].Values = append(rows[i].Values, Value{Column: m.Name + "_total_s", Kind: Seconds, Time: total[i]})
		}
	case TypeRate:
		counts := c.filteredCounts(m, rows)
		per := c.unionTime(m.Per, len(rows))
		for i := range rows {
			rows[i].Values = append(rows[i].Values, perMinute(m.Name+"_per_min", counts[i], per[i]))
		}
	case TypeLatency:
		c.latencies(m, rows)
	case TypeSoothing:
		c.soothing(m, rows)
	}
}

// filteredCounts counts onsets of m.Behaviors per row, keeping those in
// m.Episodes or while an m.During state runs (all when neither is given).
func (c *computer) filteredCounts(m Measure, rows []Row) []int64 {
	counts := make([]int64, len(rows))
	during := c.union(m.During)
	filter := len(m.Episodes) > 0 || len(m.During) > 0
	for _, e := range c.events(m.Behaviors) {
		if filter {
			k := c.spanOf(e.start)
			inEpisode := k >= 0 && hasAny(m.Episodes, c.spans[k].name)
			if !inEpisode && !within(during, e.start) {
				continue
			}
		}
		c.rowsOf(e.start, func(r int) { counts[r]++ })
	}
	return counts
}

// unionTime is the time covered by the states of codes in each row.
func (c *computer) unionTime(codes []string, n int) []annotate.Time {
	total := make([]annotate.Time, n)
	for _, iv := range c.union(codes) {
		c.spread(iv[0], iv[1], func(r int, d annotate.Time) { total[r] += d })
	}
	return total
}

// segmentEnd is where the episode holding an onset at t ends: onsets
// before the first mark form their own segment up to it.
func (c *computer) segmentEnd(t annotate.Time) annotate.Time {
	if k := c.spanOf(t); k >= 0 {
		return c.spans[k].end
	}
	if len(c.spans) > 0 && t < c.spans[0].start {
		return c.spans[0].start
	}
	return c.end
}

// waits collects, per row, latencies of the onsets that found what they
// waited for and how many did not.
type waits struct {
	firstAt  []annotate.Time // onset of the row's first waiting event, -1 none
	first    []annotate.Time
	firstCen []bool
	sum      []annotate.Time
	n, cens  []int64
}

func newWaits(n int) *waits {
	w := &waits{firstAt: make([]annotate.Time, n), first: make([]annotate.Time, n), firstCen: make([]bool, n),
		sum: make([]annotate.Time, n), n: make([]int64, n), cens: make([]int64, n)}
	for i := range w.firstAt {
		w.firstAt[i] = -1
	}
	return w
}

// add records an onset at t that waited d (censored: never found).
func (w *waits) add(r int, t, d annotate.Time, censored bool) {
	w.n[r]++
	if w.firstAt[r] < 0 {
		w.firstAt[r], w.first[r], w.firstCen[r] = t, d, censored
	}
	if censored {
		w.cens[r]++
	} else {
		w.sum[r] += d
	}
}

// values appends the five columns of a latency-like measure.
func (w *waits) values(name string, rows []Row) {
	for i := range rows {
		first := Value{Column: name + "_first_s", Kind: Seconds}
		flag := Value{Column: name + "_first_censored", Kind: Flag}
		mean := Value{Column: name + "_mean_s", Kind: Ratio}
		switch {
		case w.n[i] == 0: // nothing waited: not applicable, not censored
			first.Missing, flag.Missing, mean.Missing = true, true, true
		case w.firstCen[i]:
			first.Missing, first.Censored, flag.Int = true, true, 1
		default:
			first.Time = w.first[i]
		}
		if ok := w.n[i] - w.cens[i]; ok > 0 {
			mean.Float = w.sum[i].Float() / float64(ok)
		} else if w.n[i] > 0 {
			mean.Missing, mean.Censored = true, true
		}
		rows[i].Values = append(rows[i].Values, first, flag, mean,
			Value{Column: name + "_n", Kind: Count, Int: w.n[i]},
			Value{Column: name + "_n_censored", Kind: Count, Int: w.cens[i]})
	}
}

// latencies: for each onset of m.From, the time to the next onset of m.To
// at or after it (another event) in the same episode.
func (c *computer) latencies(m Measure, rows []Row) {
	to := c.events(m.To)
	w := newWaits(len(rows))
	for _, e := range c.events(m.From) {
		segEnd := c.segmentEnd(e.start)
		k := sort.Search(len(to), func(i int) bool { return to[i].start >= e.start })
		for k < len(to) && to[k].id == e.id {
			k++
		}
		found := k < len(to) && (to[k].start < segEnd || (segEnd == c.end && to[k].start == c.end))
		var d annotate.Time
		if found {
			d = to[k].start - e.start
		}
		c.rowsOf(e.start, func(r int) { w.add(r, e.start, d, !found) })
	}
	w.values(m.Name, rows)
}

// soothing: for each onset of m.From (a caregiver soothing), the time until
// the m.To state (distress) it overlaps ends. The distress is the one
// running at the soothing's onset (the latest-ending if several), else the
// first that starts while the soothing runs. A distress still open at the
// end of the video never ended: censored. Soothings that overlap no
// distress are not counted.
func (c *computer) soothing(m Measure, rows []Row) {
	to := c.events(m.To)
	// prefix maximum of ends, with the event that reaches it
	best := make([]int, len(to))
	for i := range to {
		best[i] = i
		if i > 0 && to[best[i-1]].end >= to[i].end {
			best[i] = best[i-1]
		}
	}
	w := newWaits(len(rows))
	for _, e := range c.events(m.From) {
		k := sort.Search(len(to), func(i int) bool { return to[i].start > e.start })
		target := -1
		if k > 0 && to[best[k-1]].end > e.start {
			target = best[k-1]
		} else if k < len(to) && to[k].start < e.end {
			target = k
		}
		if target < 0 {
			continue
		}
		d := to[target].end - e.start
		cen := to[target].open
		c.rowsOf(e.start, func(r int) { w.add(r, e.start, d, cen) })
	}
	w.values(m.Name, rows)
}
