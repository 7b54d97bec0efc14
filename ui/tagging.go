package ui

import (
	"errors"
	"fmt"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"dyadcode/annotate"
)

// Tagging and editing: what a coding key, a dialog, a drag or the table
// does to the observation. Every edit goes through the annotate.Editor,
// which checks the domain's rules and commits before the view shows it.

// key handles a behaviour or episode key; it reports whether the scheme
// binds it.
func (v *codingView) key(k string) bool {
	tgt, ok := v.ed.Scheme.ForKey(k)
	if !ok {
		return false
	}
	if tgt.Behavior != nil {
		v.tag(tgt.Behavior.Code)
	} else {
		v.markEpisode(tgt.Episode.Name)
	}
	return true
}

// tag records a behaviour at the frame on screen. The editor commits to the
// project file before it changes what is shown.
func (v *codingView) tag(code string) {
	at, n := v.cur.Time, v.cur.Index
	ch, err := v.ed.Tag(code, at)
	if err != nil {
		v.fail("Could not record "+code, err)
		return
	}
	v.afterEdit(ch, fmt.Sprintf("%s at %s (frame %d)", ch.Label, at.Clock(), n))
}

func (v *codingView) markEpisode(name string) {
	at, n := v.cur.Time, v.cur.Index
	ch, err := v.ed.MarkEpisode(name, at)
	if err != nil {
		v.fail("Could not mark the episode", err)
		return
	}
	v.afterEdit(ch, fmt.Sprintf("%s at %s (frame %d)", ch.Label, at.Clock(), n))
}

func (v *codingView) undo() {
	ch, err := v.ed.Undo()
	if errors.Is(err, annotate.ErrNothingToUndo) {
		v.setStatus("Nothing to undo")
		return
	}
	if err != nil {
		v.fail("Could not undo", err)
		return
	}
	v.afterEdit(ch, "undid "+ch.Label)
}

func (v *codingView) redo() {
	ch, err := v.ed.Redo()
	if errors.Is(err, annotate.ErrNothingToRedo) {
		v.setStatus("Nothing to redo")
		return
	}
	if err != nil {
		v.fail("Could not redo", err)
		return
	}
	v.afterEdit(ch, "redid "+ch.Label)
}

func (v *codingView) afterEdit(ch annotate.Change, msg string) {
	if v.selected != 0 && v.ed.Obs.Index(v.selected) < 0 {
		v.selected = 0
	}
	v.refreshEdits()
	v.viewsEdited(ch)
	v.setStatus("Saved: " + msg)
	if v.hooks.edited != nil {
		v.hooks.edited(ch)
	}
}

// refreshEdits redraws everything that shows the observation's events.
func (v *codingView) refreshEdits() {
	v.events.setEvents(v.ed.Obs.Events, v.selected)
	v.updateEpisode()
	if v.tl != nil {
		v.tl.setEdits(v.ed.Obs, v.ed.Scheme, v.video.Duration)
		v.tl.selectEvent(v.selected)
	}
}

func (v *codingView) deleteSelected() {
	e, ok := v.selectedEvent()
	if !ok {
		return
	}
	ch, err := v.ed.Delete(e.ID)
	if err != nil {
		v.fail("Could not delete", err)
		return
	}
	v.selected = 0
	v.afterEdit(ch, fmt.Sprintf("deleted %s at %s", e.Behavior, e.Start.Clock()))
}

func (v *codingView) changeBehavior(id annotate.EventID, code string) {
	ch, err := v.ed.ChangeBehavior(id, code)
	if err != nil {
		v.fail("Could not change the behaviour", err)
		return
	}
	v.afterEdit(ch, ch.Label)
}

func (v *codingView) changeComment(id annotate.EventID, text string) {
	ch, err := v.ed.ChangeComment(id, text)
	if err != nil {
		v.fail("Could not change the comment", err)
		return
	}
	v.afterEdit(ch, "comment on event at "+v.eventClock(id))
}

func (v *codingView) eventClock(id annotate.EventID) string {
	if e, ok := v.ed.Obs.Event(id); ok {
		return e.Start.Clock()
	}
	return "?"
}

func (v *codingView) moveStart(id annotate.EventID, t annotate.Time) {
	ch, err := v.ed.MoveStart(id, t)
	if err != nil {
		v.fail("Could not move the start", err)
		v.refreshEdits() // put the dragged item back
		return
	}
	v.afterEdit(ch, "moved start to "+t.Clock())
}

func (v *codingView) moveEnd(id annotate.EventID, t annotate.Time) {
	ch, err := v.ed.MoveEnd(id, t)
	if err != nil {
		v.fail("Could not move the end", err)
		v.refreshEdits()
		return
	}
	v.afterEdit(ch, "moved end to "+t.Clock())
}

// dragStopped says why a drag on the timeline stopped short of where the
// pointer went: a state of the same exclusive group, or the video's end.
func (v *codingView) dragStopped(id annotate.EventID, wanted, at annotate.Time) {
	e, ok := v.ed.Obs.Event(id)
	if !ok {
		return
	}
	edge := "end"
	if wanted < at || (e.Start == e.End && !e.Open) {
		edge = "start"
	}
	msg := fmt.Sprintf("%s's %s stops at %s, the end of the video", e.Behavior, edge, at.Clock())
	if b, ok := v.ed.Blocker(id, at); ok {
		g, _ := v.ed.Scheme.Behavior(e.Behavior)
		msg = fmt.Sprintf("%s's %s stops at %s, where %s %s: %s and %s exclude each other (group %q)",
			e.Behavior, edge, at.Clock(), b.Behavior, map[bool]string{true: "starts", false: "ends"}[b.Start == at], e.Behavior, b.Behavior, g.Group)
	} else if at == 0 {
		msg = fmt.Sprintf("%s's %s stops at the start of the video", e.Behavior, edge)
	}
	v.notice(msg)
}

func (v *codingView) changeBehaviorDialog() {
	e, ok := v.selectedEvent()
	if !ok {
		return
	}
	v.pause()
	var opts []string
	for _, b := range v.ed.Scheme.Behaviors {
		opts = append(opts, b.Code)
	}
	sel := widget.NewSelect(opts, nil)
	sel.SetSelected(e.Behavior)
	d := dialog.NewForm(fmt.Sprintf("Recode the event at %s", e.Start.Clock()), "Change", "Cancel",
		[]*widget.FormItem{widget.NewFormItem("Behaviour", sel)}, func(ok bool) {
			if ok && sel.Selected != "" && sel.Selected != e.Behavior {
				v.changeBehavior(e.ID, sel.Selected)
			}
			v.win.Canvas().Unfocus()
		}, v.win)
	v.track(d)
	d.Show()
}

// modifiersDialog sets the selected event's modifiers (such as fuss, cry
// or scream for distress) from the ones its behaviour declares.
func (v *codingView) modifiersDialog() {
	e, ok := v.selectedEvent()
	if !ok {
		return
	}
	b, _ := v.ed.Scheme.Behavior(e.Behavior)
	if len(b.Modifiers) == 0 {
		v.setStatus(fmt.Sprintf("%s has no modifiers in the scheme", e.Behavior))
		return
	}
	v.pause()
	group := widget.NewCheckGroup(b.Modifiers, nil)
	group.SetSelected(e.Modifiers)
	d := dialog.NewForm(fmt.Sprintf("Modifiers of %s at %s", e.Behavior, e.Start.Clock()), "Save", "Cancel",
		[]*widget.FormItem{widget.NewFormItem("Modifiers", group)}, func(ok bool) {
			if ok {
				v.setModifiers(e.ID, group.Selected)
			}
			v.win.Canvas().Unfocus()
		}, v.win)
	v.track(d)
	d.Show()
}

func (v *codingView) setModifiers(id annotate.EventID, mods []string) {
	// Keep the scheme's order so the same choice always reads the same.
	b, _ := v.ed.Scheme.Behavior(v.eventCode(id))
	var ordered []string
	for _, m := range b.Modifiers {
		if slices.Contains(mods, m) {
			ordered = append(ordered, m)
		}
	}
	ch, err := v.ed.SetModifiers(id, ordered)
	if err != nil {
		v.fail("Could not set the modifiers", err)
		return
	}
	v.afterEdit(ch, "modifiers of event at "+v.eventClock(id))
}

func (v *codingView) eventCode(id annotate.EventID) string {
	e, _ := v.ed.Obs.Event(id)
	return e.Behavior
}

func (v *codingView) commentDialog() {
	e, ok := v.selectedEvent()
	if !ok {
		return
	}
	v.pause()
	en := newEscEntry(true, v.closeDialog)
	en.SetText(e.Comment)
	en.SetMinRowsVisible(3)
	var d *dialog.FormDialog
	// Return adds a line to a comment; Ctrl+Return saves it.
	en.onSubmit = func() { d.Submit() }
	d = dialog.NewForm(fmt.Sprintf("Comment on %s at %s (Ctrl+Return saves)", e.Behavior, e.Start.Clock()), "Save", "Cancel",
		[]*widget.FormItem{widget.NewFormItem("Comment", en)}, func(ok bool) {
			if ok && en.Text != e.Comment {
				v.changeComment(e.ID, en.Text)
			}
			v.win.Canvas().Unfocus()
		}, v.win)
	d.Resize(fyne.NewSize(460, 200))
	v.track(d)
	d.Show()
	v.win.Canvas().Focus(en)
}
