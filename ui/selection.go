package ui

import (
	"errors"
	"fmt"

	"dyadcode/annotate"
)

// Selection and correcting from the keyboard. An assistant fixing a
// session steps from event to event (Ctrl+↑/↓), moves to the true boundary
// with the frame keys and sets the selected event's start or end to the
// frame on screen (Ctrl+[ / Ctrl+]), without touching the mouse. After a
// pick in the events table, ↑/↓ walk its rows (in its sort and filter) and
// Enter takes the video to the row's event; Escape hands ↑/↓ back to the
// speed.

// selectAdjacent selects the event after (dir > 0) or before the selected
// one, in time order, or the first one after or before the frame on screen
// when none is selected, and shows its start.
func (v *codingView) selectAdjacent(dir int) {
	evs := v.ed.Obs.Events // sorted by (Start, ID)
	i := -1
	if v.selected != 0 {
		if j := v.ed.Obs.Index(v.selected); j >= 0 {
			i = j + dir
		}
	}
	if i < 0 && (v.selected == 0 || v.ed.Obs.Index(v.selected) < 0) {
		if dir > 0 {
			i = len(evs)
			for j, e := range evs {
				if e.Start > v.cur.Time {
					i = j
					break
				}
			}
		} else {
			for j, e := range evs {
				if e.Start < v.cur.Time {
					i = j
				}
			}
		}
	}
	if i < 0 || i >= len(evs) {
		v.notice(map[bool]string{true: "No event after this one", false: "No event before this one"}[dir > 0])
		return
	}
	e := evs[i]
	v.tableNav = false
	v.selectEvent(e.ID)
	v.seek(e.Start)
}

// setSelectedEdge sets the selected event's start (or end) to the frame on
// screen; a point moves as a whole.
func (v *codingView) setSelectedEdge(end bool) {
	e, ok := v.selectedEvent()
	if !ok {
		return
	}
	at := v.cur.Time
	var ch annotate.Change
	var err error
	what := "start"
	if end {
		what = "end"
		ch, err = v.ed.MoveEnd(e.ID, at)
	} else {
		ch, err = v.ed.MoveStart(e.ID, at)
	}
	if err != nil {
		v.refuse(fmt.Sprintf("Could not set the %s of %s", what, e.Behavior), err)
		return
	}
	v.afterEdit(ch, fmt.Sprintf("%s of %s set to %s", what, e.Behavior, at.Clock()))
}

// refuse reports an edit the domain refuses (a state overlapping its
// exclusive group, a time outside the video, an end before its start) in
// the status line: the coder corrects and goes on, no dialog to dismiss.
// Anything else is a failure and gets the dialog.
func (v *codingView) refuse(what string, err error) {
	if errors.Is(err, annotate.ErrExclusiveOverlap) || errors.Is(err, annotate.ErrOutsideVideo) ||
		errors.Is(err, annotate.ErrEndBeforeStart) {
		v.notice(what + ": " + err.Error())
		return
	}
	v.fail(what, err)
}

// tableStep moves the selection to the next (dir > 0) or previous row of
// the events table.
func (v *codingView) tableStep(dir int) {
	r := v.events.rowOf(v.selected) + dir
	if r < 0 || r >= len(v.events.rows) {
		return
	}
	v.selectEvent(v.events.rows[r].ID)
}

// jumpToSelected takes the video to the selected event's start.
func (v *codingView) jumpToSelected() {
	if e, ok := v.selectedEvent(); ok {
		v.seek(e.Start)
	}
}

func (v *codingView) selectEvent(id annotate.EventID) {
	v.selected = id
	v.events.selectEvent(id)
	if v.tl != nil {
		v.tl.selectEvent(id)
	}
	if e, ok := v.ed.Obs.Event(id); ok {
		v.setStatus(fmt.Sprintf("Selected %s at %s (Delete removes it)", e.Behavior, e.Start.Clock()))
	}
}

func (v *codingView) selectedEvent() (annotate.Event, bool) {
	if v.selected == 0 {
		v.setStatus("Select an event first (click it in the table or on the timeline)")
		return annotate.Event{}, false
	}
	e, ok := v.ed.Obs.Event(v.selected)
	if !ok {
		v.selected = 0
		v.setStatus("The selected event no longer exists")
	}
	return e, ok
}
