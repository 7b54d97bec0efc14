package annotate

import (
	"errors"
	"fmt"
	"slices"
)

// A coded session is one primary video (Observation.Video: the time base,
// every event time is session time) and up to MaxViews-1 more views of the
// same room. Each further view has an offset: where its own time 0 lies on
// the session timeline, so at session time t it shows its frame at
// t - Offset. An offset may be negative (a camera started before the
// primary one). Offsets are exact whole microseconds, like every Time.

// MaxViews is how many videos a session shows at most, the primary
// included (ELAN's limit; more does not fit a laptop screen usefully).
const MaxViews = 4

// View is one further camera of a session.
type View struct {
	Video  string `json:"video"` // Video.ID of a project video
	Offset Time   `json:"offset_s"`
}

// Sentinel errors of session edits.
var (
	ErrTooManyViews = errors.New("too many views")
	ErrNoView       = errors.New("no such view")
	ErrViewTwice    = errors.New("video already in the session")
)

// ViewOf returns the session's view of a video: the primary video is a
// view with offset 0.
func (o *Observation) ViewOf(video string) (View, bool) {
	if video == o.Video {
		return View{Video: video}, true
	}
	for _, v := range o.Views {
		if v.Video == video {
			return v, true
		}
	}
	return View{}, false
}

// Session lists every view, the primary first (offset 0).
func (o *Observation) Session() []View {
	return append([]View{{Video: o.Video}}, o.Views...)
}

// ToView converts a session time into the view's own media time.
func (v View) ToView(t Time) Time { return t - v.Offset }

// ToSession converts a time of the view into session time.
func (v View) ToSession(t Time) Time { return t + v.Offset }

// checkViews: every view the change removes is there as described.
func (c Change) checkViews(o *Observation) error {
	for _, v := range c.ViewsBefore {
		if !slices.Contains(o.Views, v) {
			return fmt.Errorf("%s: view of %s at offset %s: %w", c.Label, v.Video, v.Offset.Seconds(), ErrNoView)
		}
	}
	return nil
}

// applyViews performs a checked change's view part; a video in both
// Before and After keeps its place in the list (a nudge does not reorder
// the layout).
func (c Change) applyViews(o *Observation) {
	for _, v := range c.ViewsBefore {
		if slices.ContainsFunc(c.ViewsAfter, func(a View) bool { return a.Video == v.Video }) {
			continue
		}
		o.Views = slices.DeleteFunc(o.Views, func(x View) bool { return x == v })
	}
	for _, v := range c.ViewsAfter {
		if i := slices.IndexFunc(o.Views, func(x View) bool { return x.Video == v.Video }); i >= 0 {
			o.Views[i] = v
			continue
		}
		o.Views = append(o.Views, v)
	}
	if len(o.Views) == 0 {
		o.Views = nil
	}
}

// validateViews checks the session the change leaves: no view of the
// primary video, no video twice, at most MaxViews in all.
func (c Change) validateViews(o *Observation) error {
	if len(c.ViewsBefore)+len(c.ViewsAfter) == 0 {
		return nil
	}
	n := &Observation{Video: o.Video, Views: slices.Clone(o.Views)}
	c.applyViews(n)
	if err := n.validateViews(); err != nil {
		return fmt.Errorf("%s: %w", c.Label, err)
	}
	return nil
}

// ValidateSession checks the session alone (no view of the primary video,
// no video twice, at most MaxViews): for the store, which keeps sessions
// apart from events.
func (o *Observation) ValidateSession() error { return o.validateViews() }

// validateViews is the session's invariant (see invariants.go).
func (o *Observation) validateViews() error {
	if len(o.Views)+1 > MaxViews {
		return fmt.Errorf("%w: %d videos, a session shows at most %d", ErrTooManyViews, len(o.Views)+1, MaxViews)
	}
	seen := map[string]bool{o.Video: true}
	for _, v := range o.Views {
		if v.Video == "" {
			return fmt.Errorf("a view without a video")
		}
		if seen[v.Video] {
			return fmt.Errorf("%w: %s", ErrViewTwice, v.Video)
		}
		seen[v.Video] = true
	}
	return nil
}

// AddView adds a video to the session at an offset, as an undoable edit.
func (ed *Editor) AddView(video string, offset Time) (Change, error) {
	ch := Change{Label: "add view " + video, ViewsAfter: []View{{Video: video, Offset: offset}}}
	if _, ok := ed.Obs.ViewOf(video); ok {
		return Change{}, fmt.Errorf("add view %s: %w", video, ErrViewTwice)
	}
	return ch, ed.Do(ch)
}

// RemoveView takes a view out of the session (the primary cannot be).
func (ed *Editor) RemoveView(video string) (Change, error) {
	v, ok := ed.view(video)
	if !ok {
		return Change{}, fmt.Errorf("remove view %s: %w", video, ErrNoView)
	}
	ch := Change{Label: "remove view " + video, ViewsBefore: []View{v}}
	return ch, ed.Do(ch)
}

// SetViewOffset sets a view's offset.
func (ed *Editor) SetViewOffset(video string, offset Time) (Change, error) {
	v, ok := ed.view(video)
	if !ok {
		return Change{}, fmt.Errorf("set offset of %s: %w", video, ErrNoView)
	}
	if v.Offset == offset {
		return Change{}, nil
	}
	nw := v
	nw.Offset = offset
	ch := Change{Label: "offset of " + video, ViewsBefore: []View{v}, ViewsAfter: []View{nw}}
	return ch, ed.Do(ch)
}

// NudgeView moves a view's offset by delta (the front ends offer one frame
// of that view and 10 ms either way): the view then shows what it recorded
// delta earlier at every session time.
func (ed *Editor) NudgeView(video string, delta Time) (Change, error) {
	v, ok := ed.view(video)
	if !ok {
		return Change{}, fmt.Errorf("nudge %s: %w", video, ErrNoView)
	}
	nw := v
	nw.Offset += delta
	ch := Change{Label: "nudge view " + video, ViewsBefore: []View{v}, ViewsAfter: []View{nw}}
	return ch, ed.Do(ch)
}

// view finds a further (non-primary) view.
func (ed *Editor) view(video string) (View, bool) {
	for _, v := range ed.Obs.Views {
		if v.Video == video {
			return v, true
		}
	}
	return View{}, false
}
