package annotate

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// The domain's invariants, checked here once for every way an observation
// changes: a key, a drag, the table, a dialog, undo and redo (Editor.Do,
// Undo, Redo through Change.validate), an import or a merge (through
// Observation.Validate / ValidateWithin). A state the domain forbids is
// refused with a message naming what clashes, and nothing is written.
//
//   - every event's behaviour, subject, kind and modifiers fit the scheme
//     (CheckEvent);
//   - every event lies inside the video, [0, duration], when the duration
//     is known (0 means unknown: no upper bound); an episode mark is never
//     before 0 (after the end it marks nothing, see markInsideVideo);
//   - two states of one exclusive group never overlap: one may start at
//     the instant the other ends (that is what a key of the group does), a
//     state still running counts as running to the end of the video;
//   - at most one episode mark stands at any instant, each names an
//     episode of the scheme;
//   - ratings are on a scale of the scheme, within its range.

// Sentinel errors of the invariants, for callers that react to them (the
// timeline clamps a drag instead of showing ErrExclusiveOverlap).
var (
	ErrExclusiveOverlap = errors.New("states of one exclusive group overlap")
	ErrOutsideVideo     = errors.New("outside the video")
)

// forever is the end of a state still running, for overlap tests.
const forever = Time(math.MaxInt64)

// spanEnd is where an event stops occupying time: its end, or forever for
// a state still running.
func spanEnd(e Event) Time {
	if e.Open {
		return forever
	}
	return e.End
}

// overlaps reports whether two events share an instant of time, touching
// ends excluded. A zero-length state overlaps a state that runs across it.
func overlaps(a, b Event) bool {
	return a.Start < spanEnd(b) && b.Start < spanEnd(a)
}

// describe names an event for a message: "distress 17.360–20.920 s",
// "calm from 19.520 s (still running)", "smile at 3.000 s".
func describe(e Event) string {
	switch {
	case e.Open:
		return fmt.Sprintf("%s from %s (still running)", e.Behavior, e.Start.Clock())
	case e.Start == e.End:
		return fmt.Sprintf("%s at %s", e.Behavior, e.Start.Clock())
	}
	return fmt.Sprintf("%s %s–%s", e.Behavior, e.Start.Clock(), e.End.Clock())
}

// overlapError is the message for two states of a group that overlap.
func overlapError(group string, a, b Event) error {
	return fmt.Errorf("%w: %s overlaps %s (group %q: only one of them can run at a time)", ErrExclusiveOverlap, describe(a), describe(b), group)
}

// insideVideo checks that an event lies in [0, duration]; duration 0 is
// unknown and bounds nothing.
func insideVideo(e Event, duration Time) error {
	if e.Start < 0 {
		return fmt.Errorf("%w: %s starts before the video", ErrOutsideVideo, describe(e))
	}
	if duration <= 0 {
		return nil
	}
	if e.Start > duration || (!e.Open && e.End > duration) {
		return fmt.Errorf("%w: %s ends after the video (%s)", ErrOutsideVideo, describe(e), duration.Clock())
	}
	return nil
}

// markInsideVideo checks an episode mark against the video: never before
// its start. A mark may lie after the end: the Strange Situation template
// laid out on a recording shorter than the protocol puts its last starts
// there until the coder moves them back, and such a mark gives no episode
// (Observation.Spans).
func markInsideVideo(m EpisodeMark, _ Time) error {
	if m.Start < 0 {
		return fmt.Errorf("%w: episode %q marked at %s", ErrOutsideVideo, m.Name, m.Start.Clock())
	}
	return nil
}

// groups maps each state code of an exclusive group to its group.
func groups(s *Scheme) map[string]string {
	m := map[string]string{}
	for _, b := range s.Behaviors {
		if b.Kind == State && b.Group != "" {
			m[b.Code] = b.Group
		}
	}
	return m
}

// group returns the exclusive group of an event's behaviour, "" if none.
func group(s *Scheme, e Event) string {
	b, ok := s.Behavior(e.Behavior)
	if !ok || b.Kind != State {
		return ""
	}
	return b.Group
}

// validate checks that the observation c leaves behind obeys the
// invariants, looking only at what c adds: the rest was checked when it
// came in. It never copies the observation, so a key press on 100,000
// events costs one scan.
func (c Change) validate(o *Observation, s *Scheme, duration Time) error {
	gone := map[EventID]bool{}
	for _, e := range c.Before {
		gone[e.ID] = true
	}
	for _, e := range c.After {
		gone[e.ID] = true
	}
	// The codes of each exclusive group, looked up once: the scan below
	// runs over every event of the observation on each key of a group.
	var groupOf map[string]string
	for i, e := range c.After {
		if err := CheckEvent(s, e); err != nil {
			return fmt.Errorf("%s: %w", c.Label, err)
		}
		if err := insideVideo(e, duration); err != nil {
			return fmt.Errorf("%s: %w", c.Label, err)
		}
		g := group(s, e)
		if g == "" {
			continue
		}
		if groupOf == nil {
			groupOf = groups(s)
		}
		for _, x := range c.After[:i] {
			if groupOf[x.Behavior] == g && overlaps(e, x) {
				return fmt.Errorf("%s: %w", c.Label, overlapError(g, e, x))
			}
		}
		for _, x := range o.Events {
			if groupOf[x.Behavior] == g && !gone[x.ID] && overlaps(e, x) {
				return fmt.Errorf("%s: %w", c.Label, overlapError(g, e, x))
			}
		}
	}
	for _, m := range c.EpisodesAfter {
		if _, ok := s.Episode(m.Name); !ok {
			return fmt.Errorf("%s: %w %q", c.Label, ErrUnknownEpisode, m.Name)
		}
		if err := markInsideVideo(m, duration); err != nil {
			return fmt.Errorf("%s: %w", c.Label, err)
		}
	}
	for i, m := range c.EpisodesAfter {
		for _, x := range c.EpisodesAfter[:i] {
			if x.Start == m.Start {
				return fmt.Errorf("%s: %w: %q and %q at %s", c.Label, ErrEpisodeClash, x.Name, m.Name, m.Start.Clock())
			}
		}
	}
	for _, r := range c.RatingsAfter {
		if err := checkRating(s, r); err != nil {
			return fmt.Errorf("%s: %w", c.Label, err)
		}
	}
	return c.validateViews(o)
}

func checkRating(s *Scheme, r Rating) error {
	sc, ok := s.Rating(r.Scale)
	if !ok || r.Value < sc.Min || r.Value > sc.Max {
		return fmt.Errorf("%w: %s=%d", ErrBadRating, r.Scale, r.Value)
	}
	return nil
}

// ValidateWithin is Validate plus the bound of the video: every event and
// episode mark inside [0, duration] (duration 0: unknown, not checked).
// Imports and merges call it, so a file another tool wrote cannot bring in
// what the coding window would refuse.
func (o *Observation) ValidateWithin(s *Scheme, duration Time) error {
	var errs []error
	ids := map[EventID]bool{}
	byGroup := map[string][]Event{}
	for _, e := range o.Events {
		if err := CheckEvent(s, e); err != nil {
			errs = append(errs, fmt.Errorf("event %d: %w", e.ID, err))
		} else if err := insideVideo(e, duration); err != nil {
			errs = append(errs, fmt.Errorf("event %d: %w", e.ID, err))
		}
		if ids[e.ID] {
			errs = append(errs, fmt.Errorf("event %d: duplicate ID", e.ID))
		}
		ids[e.ID] = true
		if g := group(s, e); g != "" {
			byGroup[g] = append(byGroup[g], e)
		}
	}
	for _, g := range sortedKeys(byGroup) {
		errs = append(errs, groupOverlaps(g, byGroup[g])...)
	}
	for i, m := range o.Episodes {
		if _, ok := s.Episode(m.Name); !ok {
			errs = append(errs, fmt.Errorf("episode mark at %s: unknown episode %q", m.Start.Seconds(), m.Name))
		}
		if err := markInsideVideo(m, duration); err != nil {
			errs = append(errs, err)
		}
		for _, x := range o.Episodes[:i] {
			if x.Start == m.Start {
				errs = append(errs, fmt.Errorf("%w: %q and %q at %s", ErrEpisodeClash, x.Name, m.Name, m.Start.Clock()))
			}
		}
	}
	for _, r := range o.Ratings {
		if err := checkRating(s, r); err != nil {
			errs = append(errs, fmt.Errorf("rating of %q: %w", r.Episode, err))
		}
	}
	if err := o.validateViews(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// groupOverlaps lists every overlap among the states of one group: sorted
// by start, each state is compared with the one reaching furthest so far,
// so n states cost n log n.
func groupOverlaps(g string, evs []Event) []error {
	evs = slices.Clone(evs)
	slices.SortFunc(evs, eventLess)
	var errs []error
	var reach Event
	for i, e := range evs {
		if i > 0 && overlaps(e, reach) {
			errs = append(errs, fmt.Errorf("event %d: %w", e.ID, overlapError(g, reach, e)))
		}
		if i == 0 || spanEnd(e) > spanEnd(reach) {
			reach = e
		}
	}
	return errs
}

// Room is how far an event's start may go back (lo) and its end forward
// (hi) without leaving the video or running into a state of its exclusive
// group. A drag on the timeline clamps to it, as ELAN stops a boundary at
// its neighbour on the same tier: a coder pulling distress's end over calm
// means "up to calm", and a refusal mid-drag would lose the gesture. Typed
// times (table, dialogs, keys) are refused instead, with the clash named.
func (ed *Editor) Room(id EventID) (lo, hi Time) {
	lo, hi = 0, forever
	if ed.Duration > 0 {
		hi = ed.Duration
	}
	e, ok := ed.Obs.Event(id)
	if !ok {
		return lo, hi
	}
	g := group(ed.Scheme, e)
	if g == "" {
		return lo, hi
	}
	for _, x := range ed.Obs.Events {
		if x.ID == id || group(ed.Scheme, x) != g {
			continue
		}
		switch {
		case spanEnd(x) <= e.Start:
			lo = max(lo, spanEnd(x))
		case x.Start >= spanEnd(e) || (x.Start >= e.Start && !e.Open):
			hi = min(hi, x.Start)
		}
	}
	return lo, hi
}

// Blocker names what holds event id's edge at t (a Room limit): the
// state of its exclusive group that starts or ends there. ok is false when
// nothing of the group does (the limit is the video's bound).
func (ed *Editor) Blocker(id EventID, t Time) (Event, bool) {
	e, ok := ed.Obs.Event(id)
	if !ok {
		return Event{}, false
	}
	g := group(ed.Scheme, e)
	if g == "" {
		return Event{}, false
	}
	for _, x := range ed.Obs.Events {
		if x.ID != id && group(ed.Scheme, x) == g && (x.Start == t || (!x.Open && x.End == t)) {
			return x.clone(), true
		}
	}
	return Event{}, false
}
