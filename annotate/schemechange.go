package annotate

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrSchemeBreaks wraps the refusal of a scheme change that would break
// coded data; SchemeBreaks says what exactly.
var ErrSchemeBreaks = errors.New("the scheme change would break coded data")

// SchemeBreak is one way a new scheme would break what observations hold:
// a code they use removed, a point that would become a state of no
// duration, a used modifier dropped, states of a new exclusive group that
// overlap... Count is how many events (marks, ratings, overlaps) are hit,
// Coders who coded them.
type SchemeBreak struct {
	Code    string // the behaviour, group, episode or rating scale
	Problem string // what the change does to it, in a coder's words
	Count   int
	Coders  []string
}

// String is the line shown to the user: "smile: point → state, but 12
// smile points (alice, ben) would become states of no duration".
func (b SchemeBreak) String() string {
	who := ""
	if len(b.Coders) > 0 {
		who = " (" + strings.Join(b.Coders, ", ") + ")"
	}
	return fmt.Sprintf("%s: %s%s", b.Code, fmt.Sprintf(b.Problem, b.Count), who)
}

// SchemeBreaks lists exactly what replacing old by nw would break in obs,
// in scheme order; nil when the change is safe. A scheme editor shows the
// list and refuses (or converts explicitly) rather than saying "saved"
// over data the new scheme no longer describes.
func SchemeBreaks(old, nw *Scheme, obs []*Observation) []SchemeBreak {
	type key struct{ code, problem string }
	var order []key
	found := map[key]*SchemeBreak{}
	hit := func(code, problem, coder string) {
		k := key{code, problem}
		b := found[k]
		if b == nil {
			b = &SchemeBreak{Code: code, Problem: problem}
			found[k] = b
			order = append(order, k)
		}
		b.Count++
		if coder != "" && !slices.Contains(b.Coders, coder) {
			b.Coders = append(b.Coders, coder)
		}
	}
	for _, o := range obs {
		for _, e := range o.Events {
			for _, p := range eventBreaks(old, nw, e) {
				hit(e.Behavior, p, o.Coder)
			}
		}
		for _, m := range o.Episodes {
			if _, ok := nw.Episode(m.Name); !ok {
				hit(m.Name, "episode removed, but it is marked %d times", o.Coder)
			}
		}
		for _, r := range o.Ratings {
			sc, ok := nw.Rating(r.Scale)
			switch {
			case !ok:
				hit(r.Scale, "rating scale removed, but it holds %d ratings", o.Coder)
			case r.Value < sc.Min || r.Value > sc.Max:
				hit(r.Scale, fmt.Sprintf("range now %d–%d, but %%d ratings lie outside it", sc.Min, sc.Max), o.Coder)
			}
		}
		// States that a new group (or a code moved into one) makes overlap.
		byGroup := map[string][]Event{}
		for _, e := range o.Events {
			if g := group(nw, e); g != "" {
				byGroup[g] = append(byGroup[g], e)
			}
		}
		for _, g := range sortedKeys(byGroup) {
			for range groupOverlaps(g, byGroup[g]) {
				hit(g, "exclusive group, but %d pairs of its states overlap in time", o.Coder)
			}
		}
	}
	out := make([]SchemeBreak, 0, len(order))
	for _, k := range order {
		b := *found[k]
		slices.Sort(b.Coders)
		out = append(out, b)
	}
	return out
}

// eventBreaks says what nw does to one event coded under old: the
// problems as format strings with one %d (the count).
func eventBreaks(old, nw *Scheme, e Event) []string {
	b, ok := nw.Behavior(e.Behavior)
	if !ok {
		return []string{"behaviour removed, but %d events code it"}
	}
	var out []string
	was, known := old.Behavior(e.Behavior)
	switch {
	case b.Kind == State && (e.Start == e.End && !e.Open) && (!known || was.Kind == Point):
		out = append(out, "point → state, but its %d points would become states of no duration")
	case b.Kind == Point && (e.Open || e.End != e.Start):
		out = append(out, "state → point, but %d of its states have a duration or are still running")
	case b.Kind == Point && known && was.Kind == State:
		out = append(out, "state → point, but its %d states would become points")
	}
	if e.Subject != "" && b.Subject != "" && e.Subject != b.Subject {
		out = append(out, fmt.Sprintf("moved to subject %q, but %%d events code it for %q", b.Subject, e.Subject))
	}
	for _, m := range e.Modifiers {
		if !slices.Contains(b.Modifiers, m) {
			out = append(out, fmt.Sprintf("modifier %q removed, but %%d events carry it", m))
		}
	}
	return out
}

// BreaksError is the refusal of a scheme change: every break, one a line,
// wrapping ErrSchemeBreaks.
func BreaksError(breaks []SchemeBreak) error {
	if len(breaks) == 0 {
		return nil
	}
	lines := make([]string, len(breaks))
	for i, b := range breaks {
		lines[i] = b.String()
	}
	return fmt.Errorf("%w:\n%s", ErrSchemeBreaks, strings.Join(lines, "\n"))
}
