package sequential

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"dyadcode/annotate"
)

// segment is one stretch of one observation that a sequence may not leave:
// the whole session, or one span of an episode, cut to [From, To).
type segment struct {
	obs     string // observation ID
	episode string // "" unless restricted to an episode
	// from, to bound the segment; closed says to is the end of the
	// session, where a point at exactly to still counts (as in the
	// agreement slices).
	from, to annotate.Time
	closed   bool
	// events are the observation's events (all codes; the window needs
	// given and target codes that may not be in the lag codes).
	events []ev
	// seq are the onsets of the lag codes in the segment, in tie order.
	seq []onset
}

// ev is an event as the analyses see it: a running state closed at the
// session's end, its kind resolved. A compact copy, made once per
// observation, so per-episode runs do not copy whole events again.
type ev struct {
	code       string
	start, end annotate.Time
	id         annotate.EventID
	point      bool
	rank       int // position of code in the code list, −1 when not in it
}

// onset is one event's onset in a lag sequence.
type onset struct {
	t    annotate.Time
	code int // index into the code list
	id   annotate.EventID
}

// in reports whether an onset at t lies in the segment.
func (s *segment) in(t annotate.Time) bool {
	return t >= s.from && (t < s.to || s.closed && t == s.to)
}

// analysis is the working state of one Analyze call.
type analysis struct {
	scheme   *annotate.Scheme
	opt      Options
	codes    []string
	rank     map[string]int
	lag      int
	unit     annotate.Time
	warnings []string
	// ends[i] is D of input i.
	inputs []Input
	ends   []annotate.Time
	// evs[i] are input i's events, compacted.
	evs [][]ev
}

// warnf adds a warning once: the per-episode runs cut the same
// observations again and would repeat it.
func (a *analysis) warnf(format string, args ...any) {
	w := fmt.Sprintf(format, args...)
	if !slices.Contains(a.warnings, w) {
		a.warnings = append(a.warnings, w)
	}
}

// setup checks the options and resolves the code list.
func (a *analysis) setup(in []Input) error {
	if len(in) == 0 {
		return fmt.Errorf("%w: no observations", ErrInput)
	}
	opt := &a.opt
	a.lag = opt.Lag
	if a.lag == 0 {
		a.lag = 1
	}
	if a.lag < 0 {
		return fmt.Errorf("%w: lag %d is negative", ErrInput, opt.Lag)
	}
	if opt.Duration < 0 {
		return fmt.Errorf("%w: duration %s s is negative", ErrInput, opt.Duration.Seconds())
	}
	if opt.From < 0 || opt.To < 0 || opt.To != 0 && opt.To <= opt.From {
		return fmt.Errorf("%w: time range [%s, %s) s is empty or negative", ErrInput, opt.From.Seconds(), opt.To.Seconds())
	}
	if opt.Permutations < 0 || opt.Permutations > MaxPermutations {
		return fmt.Errorf("%w: %d permutations is not in 0…%d", ErrInput, opt.Permutations, MaxPermutations)
	}
	used := map[string]bool{}
	for i, x := range in {
		if x.Obs == nil {
			return fmt.Errorf("%w: observation %d is nil", ErrInput, i+1)
		}
		if x.End < 0 {
			return fmt.Errorf("%w: observation %s: session end %s s is negative", ErrInput, x.Obs.ID, x.End.Seconds())
		}
		end := x.End
		if end == 0 {
			end = opt.Duration
		}
		if end == 0 {
			end = x.Obs.LastTime()
		}
		// 2·(t + window) must not overflow in the midpoint rule.
		if end > math.MaxInt64/8 {
			return fmt.Errorf("%w: observation %s: session end %s s is too large", ErrInput, x.Obs.ID, end.Seconds())
		}
		a.ends = append(a.ends, end)
		for _, e := range x.Obs.Events {
			used[e.Behavior] = true
		}
	}
	a.inputs = in

	a.codes = slices.Clone(opt.Codes)
	if len(a.codes) == 0 {
		if a.scheme != nil {
			for _, b := range a.scheme.Behaviors {
				a.codes = append(a.codes, b.Code)
			}
		} else {
			for c := range used {
				a.codes = append(a.codes, c)
			}
			slices.Sort(a.codes)
		}
	}
	a.rank = make(map[string]int, len(a.codes))
	for i, c := range a.codes {
		if _, dup := a.rank[c]; dup {
			return fmt.Errorf("%w: code %q is listed twice", ErrInput, c)
		}
		if err := a.known(c, used); err != nil {
			return err
		}
		a.rank[c] = i
	}

	if w := opt.Window; w != nil {
		a.unit = w.Unit
		if a.unit == 0 {
			a.unit = DefaultUnit
		}
		if a.unit < 0 {
			return fmt.Errorf("%w: time unit %s s is negative", ErrInput, a.unit.Seconds())
		}
		if w.Given == "" || w.Target == "" {
			return fmt.Errorf("%w: a time window needs a given and a target code", ErrInput)
		}
		if w.Lo >= w.Hi {
			return fmt.Errorf("%w: window [%s, %s) s is empty", ErrInput, w.Lo.Seconds(), w.Hi.Seconds())
		}
		if max(-w.Lo, w.Hi, a.unit) > math.MaxInt64/8 {
			return fmt.Errorf("%w: window [%s, %s) s or unit %s s is too large", ErrInput, w.Lo.Seconds(), w.Hi.Seconds(), a.unit.Seconds())
		}
		for _, c := range []string{w.Given, w.Target} {
			if err := a.known(c, used); err != nil {
				return err
			}
		}
		for i, x := range in {
			if n := (a.ends[i] + a.unit - 1) / a.unit; n > MaxUnits {
				return fmt.Errorf("%w: observation %s: %s s at a unit of %s s is %d units, more than %d; use a wider unit",
					ErrInput, x.Obs.ID, a.ends[i].Seconds(), a.unit.Seconds(), n, MaxUnits)
			}
		}
	}
	return nil
}

// known checks a requested code: with a scheme it must be the scheme's;
// without one a code nobody used is only worth a warning (its row and
// column are empty).
func (a *analysis) known(c string, used map[string]bool) error {
	if a.scheme != nil {
		if _, ok := a.scheme.Behavior(c); !ok {
			return fmt.Errorf("%w: %q is not a behaviour of the coding scheme", ErrInput, c)
		}
		return nil
	}
	if !used[c] {
		a.warnf("code %s occurs in none of the observations", c)
	}
	return nil
}

// segments cuts every observation into the segments of the analysis: the
// session [0, D), or the spans of episode (when not ""), each cut to
// [From, To).
func (a *analysis) segments(episode string) []*segment {
	var out []*segment
	for i, x := range a.inputs {
		o, end := x.Obs, a.ends[i]
		if end == 0 {
			a.warnf("observation %s: nothing is coded and no duration is given; left out", o.ID)
			continue
		}
		if a.evs == nil {
			a.evs = make([][]ev, len(a.inputs))
		}
		if a.evs[i] == nil {
			a.evs[i] = make([]ev, len(o.Events))
			// Rank and scheme kind are looked up once per code, not
			// once per event.
			type info struct {
				rank          int
				point, scheme bool
			}
			known := map[string]info{}
			for j, e := range o.Events {
				in, ok := known[e.Behavior]
				if !ok {
					in.rank = -1
					if r, ok := a.rank[e.Behavior]; ok {
						in.rank = r
					}
					if a.scheme != nil {
						if b, ok := a.scheme.Behavior(e.Behavior); ok {
							in.scheme, in.point = true, b.Kind == annotate.Point
						}
					}
					known[e.Behavior] = in
				}
				point := in.point
				if !in.scheme {
					point = !e.Open && e.End == e.Start
				}
				a.evs[i][j] = ev{code: e.Behavior, start: e.Start, end: e.EndOr(end), id: e.ID, point: point, rank: in.rank}
			}
		}
		events := a.evs[i]
		spans := []annotate.EpisodeSpan{{Start: 0, End: end}}
		if episode != "" {
			spans = spans[:0]
			for _, sp := range o.Spans(end) {
				if sp.Name == episode {
					spans = append(spans, sp)
				}
			}
		}
		for _, sp := range spans {
			from, to := max(sp.Start, a.opt.From), sp.End
			if a.opt.To != 0 {
				to = min(to, a.opt.To)
			}
			if from >= to {
				continue
			}
			s := &segment{obs: o.ID, episode: sp.Name, from: from, to: to, closed: to == end, events: events}
			for _, e := range events {
				if e.rank >= 0 && s.in(e.start) {
					s.seq = append(s.seq, onset{t: e.start, code: e.rank, id: e.id})
				}
			}
			// Onsets at the same instant are ordered by their code's
			// position in the code list, then by event ID (the order
			// they were coded in). Events come sorted by time, so the
			// sort is mostly a check.
			byTie := func(x, y onset) int {
				return cmp.Or(cmp.Compare(x.t, y.t), cmp.Compare(x.code, y.code), cmp.Compare(x.id, y.id))
			}
			if !slices.IsSortedFunc(s.seq, byTie) {
				slices.SortFunc(s.seq, byTie)
			}
			out = append(out, s)
		}
	}
	return out
}

// episodeNames lists the episode names the observations mark: the
// scheme's episodes in scheme order, then the others as first marked.
func (a *analysis) episodeNames() []string {
	seen := map[string]bool{}
	var marked []string
	for _, x := range a.inputs {
		for _, m := range x.Obs.Episodes {
			if !seen[m.Name] {
				seen[m.Name] = true
				marked = append(marked, m.Name)
			}
		}
	}
	var out []string
	if a.scheme != nil {
		for _, ep := range a.scheme.Episodes {
			if seen[ep.Name] {
				out = append(out, ep.Name)
				delete(seen, ep.Name)
			}
		}
	}
	for _, n := range marked {
		if seen[n] {
			out = append(out, n)
		}
	}
	return out
}
