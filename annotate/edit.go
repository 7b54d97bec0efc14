package annotate

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
)

// Change is one undoable edit of an observation, expressed as what it
// removes and what it adds. Every command (add, delete, move, change code or
// comment, tag a key, mark an episode, rate) builds a Change, so undo is just
// the Change with Before and After swapped, the store can persist any edit
// with one generic transaction, and the undo history can be saved as data.
type Change struct {
	Label          string        `json:"label"`
	Before         []Event       `json:"before,omitempty"` // events removed, as they were
	After          []Event       `json:"after,omitempty"`  // events added, as they are now
	EpisodesBefore []EpisodeMark `json:"episodes_before,omitempty"`
	EpisodesAfter  []EpisodeMark `json:"episodes_after,omitempty"`
	RatingsBefore  []Rating      `json:"ratings_before,omitempty"`
	RatingsAfter   []Rating      `json:"ratings_after,omitempty"`
	// Session edits (views.go): a view added, removed or re-offset.
	ViewsBefore []View `json:"views_before,omitempty"`
	ViewsAfter  []View `json:"views_after,omitempty"`
}

// Inverse returns the change that undoes c.
func (c Change) Inverse() Change {
	return Change{
		Label:          c.Label,
		Before:         c.After,
		After:          c.Before,
		EpisodesBefore: c.EpisodesAfter,
		EpisodesAfter:  c.EpisodesBefore,
		RatingsBefore:  c.RatingsAfter,
		RatingsAfter:   c.RatingsBefore,
		ViewsBefore:    c.ViewsAfter,
		ViewsAfter:     c.ViewsBefore,
	}
}

// Empty reports whether the change does nothing.
func (c Change) Empty() bool {
	return len(c.Before)+len(c.After)+len(c.EpisodesBefore)+len(c.EpisodesAfter)+
		len(c.RatingsBefore)+len(c.RatingsAfter)+len(c.ViewsBefore)+len(c.ViewsAfter) == 0
}

// Apply performs the change on o. It checks first that everything Before
// names is there as described, so a change built against another state is
// refused rather than half-applied.
func (c Change) Apply(o *Observation) error {
	if err := c.check(o); err != nil {
		return err
	}
	c.apply(o)
	return nil
}

// check reports whether c fits o: every event and episode mark it removes
// is there. Once it passes, apply cannot fail, which lets the editor commit
// between the two without copying the observation for a dry run (a copy of
// 100,000 events per key press cost 70 ms).
func (c Change) check(o *Observation) error {
	for _, e := range c.Before {
		if o.Index(e.ID) < 0 {
			return fmt.Errorf("%s: event %d: %w", c.Label, e.ID, ErrNoEvent)
		}
	}
	for _, m := range c.EpisodesBefore {
		if !slices.Contains(o.Episodes, m) {
			return fmt.Errorf("%s: no episode mark %q at %s", c.Label, m.Name, m.Start.Seconds())
		}
	}
	return c.checkViews(o)
}

// apply performs a checked change.
func (c Change) apply(o *Observation) {
	for _, e := range c.Before {
		o.remove(e.ID)
	}
	for _, e := range c.After {
		o.remove(e.ID) // an ID present in both is a replacement
		o.insert(e)
	}
	for _, m := range c.EpisodesBefore {
		o.Episodes = slices.DeleteFunc(o.Episodes, func(x EpisodeMark) bool { return x == m })
	}
	for _, m := range c.EpisodesAfter {
		o.Episodes = slices.DeleteFunc(o.Episodes, func(x EpisodeMark) bool { return x.Start == m.Start })
		o.Episodes = append(o.Episodes, m)
	}
	slices.SortFunc(o.Episodes, func(a, b EpisodeMark) int { return cmp.Compare(a.Start, b.Start) })
	for _, r := range c.RatingsBefore {
		o.Ratings = slices.DeleteFunc(o.Ratings, func(x Rating) bool { return x.Episode == r.Episode && x.Scale == r.Scale })
	}
	for _, r := range c.RatingsAfter {
		o.Ratings = slices.DeleteFunc(o.Ratings, func(x Rating) bool { return x.Episode == r.Episode && x.Scale == r.Scale })
		o.Ratings = append(o.Ratings, r)
	}
	c.applyViews(o)
}

// Op says how a change reaches the journal.
type Op int

// The three ways a change is committed.
const (
	OpDo   Op = iota // a new edit: push on the undo stack, clear redo
	OpUndo           // the inverse of the undo top: move it to redo
	OpRedo           // the redo top again: move it back to undo
)

func (op Op) String() string {
	switch op {
	case OpDo:
		return "do"
	case OpUndo:
		return "undo"
	case OpRedo:
		return "redo"
	}
	return fmt.Sprintf("Op(%d)", int(op))
}

// Journal persists edits. The store implements it: Commit writes the
// change's events, marks and ratings and moves the undo/redo stacks as op
// says, in one durable transaction, and returns only once it is on disk.
// For OpDo and OpRedo ch is the change as done; for OpUndo it is the
// original change (the store applies its inverse).
type Journal interface {
	Commit(observation string, op Op, ch Change) error
}

// Editor applies edits to one observation under a scheme, keeping undo and
// redo stacks, and commits every edit to its journal before changing the
// in-memory observation: what the coder sees is always what is on disk.
type Editor struct {
	Obs    *Observation
	Scheme *Scheme
	// Duration is the video's length: no edit may put an event or an
	// episode mark after it. 0 when unknown (no video probed yet).
	Duration Time
	j        Journal
	undo     []Change
	redo     []Change
}

// NewEditor starts an editor. undo and redo are the persisted stacks (oldest
// first); j may be nil for in-memory editing (tests, scratch work).
func NewEditor(obs *Observation, s *Scheme, j Journal, undo, redo []Change) *Editor {
	return &Editor{Obs: obs, Scheme: s, j: j, undo: undo, redo: redo}
}

// CanUndo and CanRedo tell the UI whether to enable the menu items.
func (ed *Editor) CanUndo() bool { return len(ed.undo) > 0 }

// CanRedo reports whether there is an undone change to redo.
func (ed *Editor) CanRedo() bool { return len(ed.redo) > 0 }

// UndoLabel names the edit Undo would revert, for the menu.
func (ed *Editor) UndoLabel() string {
	if len(ed.undo) == 0 {
		return ""
	}
	return ed.undo[len(ed.undo)-1].Label
}

// RedoLabel names the edit Redo would repeat.
func (ed *Editor) RedoLabel() string {
	if len(ed.redo) == 0 {
		return ""
	}
	return ed.redo[len(ed.redo)-1].Label
}

func (ed *Editor) commit(op Op, ch Change) error {
	if ed.j == nil {
		return nil
	}
	if err := ed.j.Commit(ed.Obs.ID, op, ch); err != nil {
		return fmt.Errorf("save %s: %w", ch.Label, err)
	}
	return nil
}

// fits is the one gate every change passes before it is written: it names
// only what is there (check) and leaves the observation in a state the
// domain allows (validate, see invariants.go). Do, Undo and Redo all call
// it, so keys, drags, the table, dialogs and the command line are held to
// the same rules.
func (ed *Editor) fits(ch Change) error {
	if err := ch.check(ed.Obs); err != nil {
		return err
	}
	return ch.validate(ed.Obs, ed.Scheme, ed.Duration)
}

// Do validates a change, commits it and applies it. An empty change is a
// no-op.
func (ed *Editor) Do(ch Change) error {
	if ch.Empty() {
		return nil
	}
	// Check before anything is written, so a change that does not fit is
	// refused with the file untouched; after the commit it cannot fail.
	if err := ed.fits(ch); err != nil {
		return err
	}
	if err := ed.commit(OpDo, ch); err != nil {
		return err
	}
	ch.apply(ed.Obs)
	ed.undo = append(ed.undo, ch)
	ed.redo = nil
	return nil
}

// Undo reverts the last change and returns it.
func (ed *Editor) Undo() (Change, error) {
	if len(ed.undo) == 0 {
		return Change{}, ErrNothingToUndo
	}
	ch := ed.undo[len(ed.undo)-1]
	inv := ch.Inverse()
	if err := ed.fits(inv); err != nil {
		return Change{}, err
	}
	if err := ed.commit(OpUndo, ch); err != nil {
		return Change{}, err
	}
	inv.apply(ed.Obs)
	ed.undo = ed.undo[:len(ed.undo)-1]
	ed.redo = append(ed.redo, ch)
	return ch, nil
}

// Redo repeats the last undone change and returns it.
func (ed *Editor) Redo() (Change, error) {
	if len(ed.redo) == 0 {
		return Change{}, ErrNothingToRedo
	}
	ch := ed.redo[len(ed.redo)-1]
	if err := ed.fits(ch); err != nil {
		return Change{}, err
	}
	if err := ed.commit(OpRedo, ch); err != nil {
		return Change{}, err
	}
	ch.apply(ed.Obs)
	ed.redo = ed.redo[:len(ed.redo)-1]
	ed.undo = append(ed.undo, ch)
	return ch, nil
}

func (ed *Editor) newID() EventID {
	id := ed.Obs.NextID
	if id == 0 {
		id = 1
	}
	for _, e := range ed.Obs.Events { // NextID may lag behind after an import
		if e.ID >= id {
			id = e.ID + 1
		}
	}
	return id
}

// Tag is what pressing a behaviour's key at time at does: a point is added;
// a state starts, or stops when the same state is running; starting a state
// of an exclusive group stops the running one of that group at the same
// instant. It commits the change and returns it.
func (ed *Editor) Tag(code string, at Time) (Change, error) {
	b, ok := ed.Scheme.Behavior(code)
	if !ok {
		return Change{}, fmt.Errorf("%w %q", ErrUnknownCode, code)
	}
	var ch Change
	switch b.Kind {
	case Point:
		ch.Label = "add " + code
		ch.After = []Event{{ID: ed.newID(), Behavior: code, Subject: b.Subject, Start: at, End: at}}
	case State:
		for _, e := range ed.Obs.Events {
			if e.Open && e.Behavior == code {
				if at < e.Start {
					return Change{}, fmt.Errorf("stop %s at %s: %w (started %s)", code, at.Clock(), ErrEndBeforeStart, e.Start.Clock())
				}
				closed := e.clone()
				closed.Open, closed.End = false, at
				ch.Label = "stop " + code
				ch.Before, ch.After = []Event{e.clone()}, []Event{closed}
				return ch, ed.Do(ch)
			}
		}
		ch.Label = "start " + code
		if b.Group != "" {
			for _, e := range ed.Obs.Events {
				if !e.Open { // most events: skip the scheme lookup
					continue
				}
				other, ok := ed.Scheme.Behavior(e.Behavior)
				if !ok || other.Group != b.Group {
					continue
				}
				closed := e.clone()
				closed.Open, closed.End = false, max(at, e.Start)
				ch.Before = append(ch.Before, e.clone())
				ch.After = append(ch.After, closed)
			}
		}
		ch.After = append(ch.After, Event{ID: ed.newID(), Behavior: code, Subject: b.Subject, Start: at, End: at, Open: true})
	}
	return ch, ed.Do(ch)
}

// Add adds a complete event (from a dialog or the command line), assigning
// its ID.
func (ed *Editor) Add(e Event) (Change, error) {
	e.ID = ed.newID()
	if b, ok := ed.Scheme.Behavior(e.Behavior); ok && e.Subject == "" {
		e.Subject = b.Subject
	}
	ch := Change{Label: "add " + e.Behavior, After: []Event{e}}
	return ch, ed.Do(ch)
}

// modify builds and commits a change that replaces one event by f(event).
func (ed *Editor) modify(id EventID, label string, f func(*Event) error) (Change, error) {
	old, ok := ed.Obs.Event(id)
	if !ok {
		return Change{}, fmt.Errorf("%s: event %d: %w", label, id, ErrNoEvent)
	}
	nw := old.clone()
	if err := f(&nw); err != nil {
		return Change{}, fmt.Errorf("%s: %w", label, err)
	}
	ch := Change{Label: label, Before: []Event{old}, After: []Event{nw}}
	return ch, ed.Do(ch)
}

// Delete removes an event.
func (ed *Editor) Delete(id EventID) (Change, error) {
	old, ok := ed.Obs.Event(id)
	if !ok {
		return Change{}, fmt.Errorf("delete: event %d: %w", id, ErrNoEvent)
	}
	ch := Change{Label: "delete " + old.Behavior, Before: []Event{old}}
	return ch, ed.Do(ch)
}

// MoveStart moves an event's start; a point moves as a whole.
func (ed *Editor) MoveStart(id EventID, t Time) (Change, error) {
	return ed.modify(id, "move start", func(e *Event) error {
		if e.End == e.Start && !e.Open && ed.isPoint(e.Behavior) {
			e.Start, e.End = t, t
			return nil
		}
		if !e.Open && t > e.End {
			return fmt.Errorf("%w: start %s after end %s", ErrEndBeforeStart, t.Clock(), e.End.Clock())
		}
		e.Start = t
		if e.Open {
			e.End = t
		}
		return nil
	})
}

// MoveEnd moves a state's end; moving the end of an open state closes it.
func (ed *Editor) MoveEnd(id EventID, t Time) (Change, error) {
	return ed.modify(id, "move end", func(e *Event) error {
		if ed.isPoint(e.Behavior) {
			e.Start, e.End = t, t
			return nil
		}
		if t < e.Start {
			return fmt.Errorf("%w: end %s before start %s", ErrEndBeforeStart, t.Clock(), e.Start.Clock())
		}
		e.End, e.Open = t, false
		return nil
	})
}

// ChangeBehavior recodes an event. Changing between a point and a state
// code keeps the start; a new state gets the old end (or stays at zero
// length).
func (ed *Editor) ChangeBehavior(id EventID, code string) (Change, error) {
	b, ok := ed.Scheme.Behavior(code)
	if !ok {
		return Change{}, fmt.Errorf("%w %q", ErrUnknownCode, code)
	}
	return ed.modify(id, "change to "+code, func(e *Event) error {
		e.Behavior, e.Subject, e.Modifiers = code, b.Subject, nil
		if b.Kind == Point {
			e.End, e.Open = e.Start, false
		}
		return nil
	})
}

// ChangeComment sets an event's comment.
func (ed *Editor) ChangeComment(id EventID, text string) (Change, error) {
	return ed.modify(id, "comment", func(e *Event) error { e.Comment = text; return nil })
}

// SetModifiers sets an event's modifiers.
func (ed *Editor) SetModifiers(id EventID, mods []string) (Change, error) {
	return ed.modify(id, "modifiers", func(e *Event) error { e.Modifiers = slices.Clone(mods); return nil })
}

// MarkEpisode says episode name starts at t, replacing a mark at the same
// instant.
func (ed *Editor) MarkEpisode(name string, t Time) (Change, error) {
	if _, ok := ed.Scheme.Episode(name); !ok {
		return Change{}, fmt.Errorf("mark episode: unknown episode %q", name)
	}
	ch := Change{Label: "mark " + name, EpisodesAfter: []EpisodeMark{{Name: name, Start: t}}}
	for _, m := range ed.Obs.Episodes {
		if m.Start == t {
			ch.EpisodesBefore = []EpisodeMark{m}
		}
	}
	return ch, ed.Do(ch)
}

// MoveEpisode moves the mark at from to t.
func (ed *Editor) MoveEpisode(from, t Time) (Change, error) {
	for _, m := range ed.Obs.Episodes {
		if m.Start == from {
			ch := Change{Label: "move " + m.Name, EpisodesBefore: []EpisodeMark{m}, EpisodesAfter: []EpisodeMark{{Name: m.Name, Start: t}}}
			for _, o := range ed.Obs.Episodes {
				if o.Start == t && o != m {
					ch.EpisodesBefore = append(ch.EpisodesBefore, o)
				}
			}
			return ch, ed.Do(ch)
		}
	}
	return Change{}, fmt.Errorf("move episode: no mark at %s", from.Seconds())
}

// RemoveEpisode deletes the mark at t.
func (ed *Editor) RemoveEpisode(t Time) (Change, error) {
	for _, m := range ed.Obs.Episodes {
		if m.Start == t {
			ch := Change{Label: "remove " + m.Name, EpisodesBefore: []EpisodeMark{m}}
			return ch, ed.Do(ch)
		}
	}
	return Change{}, fmt.Errorf("remove episode: no mark at %s", t.Seconds())
}

// Rate records a rating for an episode.
func (ed *Editor) Rate(episode, scale string, value int) (Change, error) {
	ch := Change{Label: "rate " + scale, RatingsAfter: []Rating{{Episode: episode, Scale: scale, Value: value}}}
	if v, ok := ed.Obs.Rating(episode, scale); ok {
		ch.RatingsBefore = []Rating{{Episode: episode, Scale: scale, Value: v}}
	}
	return ch, ed.Do(ch)
}

func (ed *Editor) isPoint(code string) bool {
	b, ok := ed.Scheme.Behavior(code)
	return ok && b.Kind == Point
}

// Sentinel errors of SetEpisodes, so the GUI can say what is wrong with a
// template rather than a generic failure.
var (
	ErrUnknownEpisode = errors.New("unknown episode")
	ErrEpisodeClash   = errors.New("two episode marks at one instant")
)

// SetEpisodes replaces every episode mark of the observation by marks, as
// one undoable change labelled label: laying out the Strange Situation
// template is one step the coder can take back, not eight. Every name must
// be an episode of the scheme, no time may be negative and no two marks may
// share an instant (an episode runs until the next mark, so a second mark at
// the same instant would silently hide one). Setting the marks already there
// is a no-op.
func (ed *Editor) SetEpisodes(label string, marks []EpisodeMark) (Change, error) {
	after := slices.Clone(marks)
	slices.SortStableFunc(after, func(a, b EpisodeMark) int { return cmp.Compare(a.Start, b.Start) })
	for i, m := range after {
		if _, ok := ed.Scheme.Episode(m.Name); !ok {
			return Change{}, fmt.Errorf("%s: %w %q", label, ErrUnknownEpisode, m.Name)
		}
		if m.Start < 0 {
			return Change{}, fmt.Errorf("%s: %q at negative time %s", label, m.Name, m.Start.Seconds())
		}
		if i > 0 && after[i-1].Start == m.Start {
			return Change{}, fmt.Errorf("%s: %w: %q and %q at %s", label, ErrEpisodeClash, after[i-1].Name, m.Name, m.Start.Seconds())
		}
	}
	if slices.Equal(after, ed.Obs.Episodes) {
		return Change{}, nil
	}
	ch := Change{Label: label, EpisodesBefore: slices.Clone(ed.Obs.Episodes), EpisodesAfter: after}
	return ch, ed.Do(ch)
}
