package annotate

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"
)

// EventID identifies an event within its observation. IDs are never reused,
// so undo, redo and the store can refer to an event across edits.
type EventID uint64

// Event is one coded occurrence of a behaviour. A point has End == Start. A
// state that is still running (its key pressed once, not yet again) is Open,
// with End == Start until it is closed.
type Event struct {
	ID        EventID  `json:"id"`
	Behavior  string   `json:"behavior"`
	Subject   string   `json:"subject,omitempty"`
	Start     Time     `json:"start_s"`
	End       Time     `json:"end_s"`
	Open      bool     `json:"open,omitempty"`
	Modifiers []string `json:"modifiers,omitempty"`
	Comment   string   `json:"comment,omitempty"`
}

// Duration is End-Start; zero for points and open states.
func (e Event) Duration() Time {
	if e.Open {
		return 0
	}
	return e.End - e.Start
}

// EndOr returns the event's end, or limit for a state still running: the
// metrics and agreement code close open states at the end of the video.
func (e Event) EndOr(limit Time) Time {
	if e.Open {
		return max(limit, e.Start)
	}
	return e.End
}

// clone copies the event with its own modifier slice.
func (e Event) clone() Event {
	e.Modifiers = slices.Clone(e.Modifiers)
	return e
}

// EpisodeMark says that an episode starts at a time. An episode runs until the
// next mark or the end of the video. At most one mark stands at any instant.
type EpisodeMark struct {
	Name  string `json:"name"`
	Start Time   `json:"start_s"`
}

// Rating is a coder's value on a rating scale for one episode.
type Rating struct {
	Episode string `json:"episode"`
	Scale   string `json:"scale"`
	Value   int    `json:"value"`
}

// Video is a media file the project knows.
type Video struct {
	ID          string `json:"id"`
	Path        string `json:"path"`
	Size        int64  `json:"size"`
	Fingerprint string `json:"fingerprint"`
	Duration    Time   `json:"duration_s"`
	Rate        Rate   `json:"rate"`
	Frames      int64  `json:"frames"`
	// Proxy is a coding-friendly transcode with the same timestamps; when
	// set, the player opens it instead of Path.
	Proxy string `json:"proxy,omitempty"`
}

// Observation is one coder's coding of one video.
type Observation struct {
	ID       string        `json:"id"`
	Video    string        `json:"video"` // Video.ID
	Coder    string        `json:"coder"`
	Created  time.Time     `json:"created"`
	Modified time.Time     `json:"modified"`
	Events   []Event       `json:"events"`   // sorted by (Start, ID)
	Episodes []EpisodeMark `json:"episodes"` // sorted by Start
	Ratings  []Rating      `json:"ratings,omitempty"`
	// NextID is the ID the next new event gets.
	NextID EventID `json:"next_id"`
	// Position is where the coder left the video, so reopening returns there.
	Position Time `json:"position_s"`
	// Views are the session's further cameras (views.go); Video is the
	// primary one, the time base.
	Views []View `json:"views,omitempty"`
}

// Sentinel errors for edits callers may test for.
var (
	ErrNoEvent        = errors.New("no such event")
	ErrUnknownCode    = errors.New("unknown behavior")
	ErrEndBeforeStart = errors.New("end before start")
	ErrNothingToUndo  = errors.New("nothing to undo")
	ErrNothingToRedo  = errors.New("nothing to redo")
	ErrBadRating      = errors.New("rating out of range")
)

// eventLess orders events by start, then ID, the order of the store's keys.
func eventLess(a, b Event) int {
	if a.Start != b.Start {
		if a.Start < b.Start {
			return -1
		}
		return 1
	}
	switch {
	case a.ID < b.ID:
		return -1
	case a.ID > b.ID:
		return 1
	}
	return 0
}

// SortEvents puts events in (Start, ID) order.
func SortEvents(evs []Event) { slices.SortFunc(evs, eventLess) }

// Index returns the position of the event with the given ID, or -1.
func (o *Observation) Index(id EventID) int {
	for i := range o.Events {
		if o.Events[i].ID == id {
			return i
		}
	}
	return -1
}

// Event returns a copy of the event with the given ID.
func (o *Observation) Event(id EventID) (Event, bool) {
	if i := o.Index(id); i >= 0 {
		return o.Events[i].clone(), true
	}
	return Event{}, false
}

// insert adds an event keeping the order.
func (o *Observation) insert(e Event) {
	i := sort.Search(len(o.Events), func(i int) bool { return eventLess(o.Events[i], e) >= 0 })
	o.Events = slices.Insert(o.Events, i, e.clone())
	if e.ID >= o.NextID {
		o.NextID = e.ID + 1
	}
}

// remove deletes the event with the given ID.
func (o *Observation) remove(id EventID) bool {
	if i := o.Index(id); i >= 0 {
		o.Events = slices.Delete(o.Events, i, i+1)
		return true
	}
	return false
}

// OpenEvents returns the states still running, in start order.
func (o *Observation) OpenEvents() []Event {
	var out []Event
	for _, e := range o.Events {
		if e.Open {
			out = append(out, e.clone())
		}
	}
	return out
}

// EpisodeSpan is one episode as marked in an observation.
type EpisodeSpan struct {
	Name       string
	Start, End Time
}

// Duration of the episode.
func (s EpisodeSpan) Duration() Time { return s.End - s.Start }

// Spans returns the marked episodes with their ends: each runs until the next
// mark, the last until end (the video's duration). Marks at or after end
// give empty spans and are dropped.
func (o *Observation) Spans(end Time) []EpisodeSpan {
	var out []EpisodeSpan
	for i, m := range o.Episodes {
		if m.Start >= end {
			break
		}
		e := end
		if i+1 < len(o.Episodes) && o.Episodes[i+1].Start < end {
			e = o.Episodes[i+1].Start
		}
		out = append(out, EpisodeSpan{Name: m.Name, Start: m.Start, End: e})
	}
	return out
}

// EpisodeAt returns the name of the episode running at t, or "" before the
// first mark.
func (o *Observation) EpisodeAt(t Time) string {
	name := ""
	for _, m := range o.Episodes {
		if m.Start > t {
			break
		}
		name = m.Name
	}
	return name
}

// LastTime is the latest time any event or mark of the observation reaches.
func (o *Observation) LastTime() Time {
	var t Time
	for _, e := range o.Events {
		t = max(t, e.Start, e.End)
	}
	for _, m := range o.Episodes {
		t = max(t, m.Start)
	}
	return t
}

// Rating returns the value a coder gave scale in episode.
func (o *Observation) Rating(episode, scale string) (int, bool) {
	for _, r := range o.Ratings {
		if r.Episode == episode && r.Scale == scale {
			return r.Value, true
		}
	}
	return 0, false
}

// Validate checks an observation against a scheme: known codes, subjects
// matching the behaviour's, ends not before starts, points with End ==
// Start, modifiers the behaviour declares, unique IDs, no overlap within an
// exclusive group, one episode mark per instant, ratings in range. It does
// not know the video; ValidateWithin also bounds everything by its duration.
func (o *Observation) Validate(s *Scheme) error { return o.ValidateWithin(s, 0) }

// CheckEvent validates one event against a scheme.
func CheckEvent(s *Scheme, e Event) error {
	b, ok := s.Behavior(e.Behavior)
	if !ok {
		return fmt.Errorf("%w %q", ErrUnknownCode, e.Behavior)
	}
	if e.Subject != "" && b.Subject != "" && e.Subject != b.Subject {
		return fmt.Errorf("behavior %q belongs to subject %q, not %q", b.Code, b.Subject, e.Subject)
	}
	if e.Start < 0 {
		return fmt.Errorf("behavior %q: %w: negative start %s", b.Code, ErrOutsideVideo, e.Start.Seconds())
	}
	switch b.Kind {
	case Point:
		if e.Open || e.End != e.Start {
			return fmt.Errorf("behavior %q is a point event but has an end (%s) different from its start (%s)", b.Code, e.End.Seconds(), e.Start.Seconds())
		}
	case State:
		if !e.Open && e.End < e.Start {
			return fmt.Errorf("behavior %q: %w (%s < %s)", b.Code, ErrEndBeforeStart, e.End.Seconds(), e.Start.Seconds())
		}
	}
	for _, m := range e.Modifiers {
		if !slices.Contains(b.Modifiers, m) {
			return fmt.Errorf("behavior %q has no modifier %q", b.Code, m)
		}
	}
	return nil
}
