package ui

import (
	"errors"
	"fmt"
	"image/color"
	"log"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"dyadcode/annotate"
	"dyadcode/store"
)

// schemeEditor edits a copy of the scheme's behaviours; nothing reaches the
// project until Save, and Save refuses a scheme that Scheme.Validate
// rejects (a key used twice, say), showing its message.
type schemeEditor struct {
	s    *annotate.Scheme
	cur  int // behaviour shown in the form, -1 none
	list *widget.List

	code, name, key, colour, group *widget.Entry
	subject                        *widget.Select
	kind                           *widget.RadioGroup
	swatch                         *canvas.Rectangle
	msg                            *widget.Label
	// lost lists what an adopted scheme could not carry over (schemeadopt.go).
	lost *widget.Label
	win  fyne.Window // for the file dialog; nil in tests
}

func newSchemeEditor(s *annotate.Scheme) *schemeEditor {
	e := &schemeEditor{s: s.Clone(), cur: -1}
	e.list = widget.NewList(func() int { return len(e.s.Behaviors) },
		func() fyne.CanvasObject { return widget.NewLabel("x  behaviour") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			b := e.s.Behaviors[i]
			k := strings.ToUpper(b.Key)
			if k == "" {
				k = "–"
			}
			o.(*widget.Label).SetText(fmt.Sprintf("%-3s %s (%s)", k, b.Code, b.Kind))
		})
	e.list.OnSelected = func(i widget.ListItemID) { e.apply(); e.show(i) }
	e.code, e.name, e.key, e.colour, e.group = widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	e.colour.SetPlaceHolder("#rrggbb")
	e.group.SetPlaceHolder("states that exclude each other share a group")
	e.key.SetPlaceHolder("one character or F1–F12")
	e.subject = widget.NewSelect(append(s.SubjectCodes(), "(none)"), nil)
	e.kind = widget.NewRadioGroup([]string{string(annotate.Point), string(annotate.State)}, nil)
	e.kind.Horizontal = true
	e.swatch = canvas.NewRectangle(color.Transparent)
	e.swatch.SetMinSize(fyne.NewSize(24, 24))
	e.colour.OnChanged = func(c string) { e.swatch.FillColor = parseColor(c); e.swatch.Refresh() }
	e.msg = widget.NewLabel("")
	e.msg.Wrapping = fyne.TextWrapWord
	e.msg.Importance = widget.DangerImportance
	e.lost = widget.NewLabel("")
	e.lost.Wrapping = fyne.TextWrapWord
	return e
}

// show puts behaviour i in the form.
func (e *schemeEditor) show(i int) {
	e.cur = i
	b := e.s.Behaviors[i]
	e.code.SetText(b.Code)
	e.name.SetText(b.Name)
	e.key.SetText(b.Key)
	e.colour.SetText(b.Color)
	e.group.SetText(b.Group)
	if b.Subject == "" {
		e.subject.SetSelected("(none)")
	} else {
		e.subject.SetSelected(b.Subject)
	}
	e.kind.SetSelected(string(b.Kind))
}

// apply copies the form into the behaviour being edited.
func (e *schemeEditor) apply() {
	if e.cur < 0 || e.cur >= len(e.s.Behaviors) {
		return
	}
	b := &e.s.Behaviors[e.cur]
	b.Code = strings.TrimSpace(e.code.Text)
	b.Name = strings.TrimSpace(e.name.Text)
	b.Key = annotate.NormalizeKey(strings.TrimSpace(e.key.Text))
	b.Color = strings.TrimSpace(e.colour.Text)
	b.Group = strings.TrimSpace(e.group.Text)
	b.Subject = e.subject.Selected
	if b.Subject == "(none)" {
		b.Subject = ""
	}
	b.Kind = annotate.Kind(e.kind.Selected)
	e.list.RefreshItem(e.cur)
}

// add appends a new behaviour with a free key suggestion.
func (e *schemeEditor) add() {
	e.apply()
	n := len(e.s.Behaviors) + 1
	code := fmt.Sprintf("behavior_%d", n)
	b := annotate.Behavior{Code: code, Name: "New behaviour", Kind: annotate.Point, Color: "#888888"}
	if len(e.s.Subjects) > 0 {
		b.Subject = e.s.Subjects[0].Code
	}
	e.s.Behaviors = append(e.s.Behaviors, b)
	e.list.Refresh()
	e.list.Select(len(e.s.Behaviors) - 1)
}

// validate applies the form and checks the whole scheme.
func (e *schemeEditor) validate() error {
	e.apply()
	err := e.s.Validate()
	if err != nil {
		e.msg.SetText(err.Error())
	} else {
		e.msg.SetText("")
	}
	return err
}

func (e *schemeEditor) content() fyne.CanvasObject {
	form := widget.NewForm(
		widget.NewFormItem("Code", e.code),
		widget.NewFormItem("Name", e.name),
		widget.NewFormItem("Kind", e.kind),
		widget.NewFormItem("Key", e.key),
		widget.NewFormItem("Colour", container.NewBorder(nil, nil, nil, e.swatch, e.colour)),
		widget.NewFormItem("Subject", e.subject),
		widget.NewFormItem("Exclusive group", e.group),
	)
	addBtn := widget.NewButtonWithIcon("Add behaviour", theme.ContentAddIcon(), e.add)
	left := container.NewBorder(nil, container.NewVBox(addBtn, e.adoptButton()), nil, nil, e.list)
	split := container.NewHSplit(left, container.NewBorder(nil, container.NewVBox(e.msg, e.lostView()), nil, nil, form))
	split.Offset = 0.38
	return split
}

func (s *shell) schemeDialog() {
	if s.proj == nil {
		s.showError("No project open", errors.New("the scheme belongs to a project"), "Open a project first.")
		return
	}
	if s.view != nil {
		s.view.pause()
	}
	e := newSchemeEditor(s.proj.Scheme())
	e.win = s.win
	if len(e.s.Behaviors) > 0 {
		e.list.Select(0)
	}
	var d dialog.Dialog
	d = dialog.NewCustomConfirm("Coding scheme: "+e.s.Name, "Save", "Cancel", e.content(), func(ok bool) {
		if !ok {
			s.win.Canvas().Unfocus()
			return
		}
		if err := s.saveScheme(e); err != nil {
			// Keep the coder's edits: show the dialog again with the message.
			d.Show()
			return
		}
		s.win.Canvas().Unfocus()
	}, s.win)
	d.Resize(fyne.NewSize(820, 520))
	d.Show()
}

// saveScheme validates and stores the edited scheme, then rebuilds the
// coding keys. A scheme under which coded data would break (a point made a
// state while observations hold its points, a used code or modifier
// removed, states of a new exclusive group that overlap) is not saved: the
// editor lists exactly what would break (annotate.SchemeBreaks) and keeps
// the edits. A saved change can be undone (Coding ▸ Undo scheme change).
func (s *shell) saveScheme(e *schemeEditor) error {
	if err := e.validate(); err != nil {
		return err
	}
	breaks, err := s.proj.ChangeScheme(e.s)
	if err != nil {
		if len(breaks) > 0 {
			lines := make([]string, len(breaks))
			for i, b := range breaks {
				lines[i] = "• " + b.String()
			}
			msg := "Not saved: this change would break coded data.\n" + strings.Join(lines, "\n") +
				"\nRecode or delete those events first, or cancel."
			e.msg.SetText(msg)
			log.Print(msg)
		} else {
			e.msg.SetText(err.Error())
		}
		return err
	}
	s.schemeChanged("Scheme saved. Coding ▸ Undo scheme change (Ctrl+Shift+K) puts the previous one back.")
	return nil
}

// undoSchemeChange puts back the scheme the last save replaced, unless
// what was coded since would break under it.
func (s *shell) undoSchemeChange() {
	if s.proj == nil {
		return
	}
	_, breaks, err := s.proj.UndoSchemeChange()
	switch {
	case errors.Is(err, store.ErrNoSchemeHistory):
		s.notify("No scheme change to undo")
		return
	case len(breaks) > 0:
		s.showError("The previous scheme would break what was coded since", err, "Recode or delete those events first.")
		return
	case err != nil:
		s.showError("Could not undo the scheme change", err, "")
		return
	}
	s.schemeChanged("Scheme change undone: the previous scheme is back.")
}

// schemeChanged rebuilds what shows the scheme and says msg.
func (s *shell) schemeChanged(msg string) {
	log.Print(msg)
	if v := s.view; v != nil {
		sc := s.proj.Scheme()
		v.ed.Scheme = sc
		v.panel.rebuild(sc, v.tag, v.markEpisode)
		v.events.setScheme(sc)
		v.refreshEdits()
		v.setStatus(msg)
	}
}

// notify says something in the coding view's status line, or a dialog
// when none is open.
func (s *shell) notify(msg string) {
	log.Print(msg)
	if s.view != nil {
		s.view.setStatus(msg)
		return
	}
	dialog.ShowInformation("dyadcode", msg, s.win)
}
