package review

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dyadcode/annotate"
)

// Ratings is the coder's per-episode rating form: for every episode of
// the scheme that has rating scales (RatingScale.Episodes; none listed
// means every episode), one choice of min..max per scale, showing the
// values the observation holds. A choice calls rate; if rate fails the
// error is shown and the choice goes back to the stored value, so the
// form never shows a rating that is not saved.
type Ratings struct {
	widget.BaseWidget

	scheme *annotate.Scheme
	obs    *annotate.Observation
	rate   func(episode, scale string, v int) error

	problem *widget.Label
	fields  []*ratingField
	content fyne.CanvasObject
	// updating is set while the form itself sets a choice, so the change
	// callback does not rate again.
	updating bool
}

type ratingField struct {
	episode string
	scale   annotate.RatingScale
	sel     *widget.Select
	note    *widget.Label
}

// NewRatings is the contract's constructor: the form as a canvas object.
func NewRatings(s *annotate.Scheme, o *annotate.Observation, rate func(episode, scale string, v int) error) fyne.CanvasObject {
	return NewRatingsView(s, o, rate)
}

// NewRatingsView builds the rating form for o. rate records a value (the
// app passes the editor's Rate, which saves it and updates o); call
// Reload after o changes otherwise (undo, another observation).
func NewRatingsView(s *annotate.Scheme, o *annotate.Observation, rate func(episode, scale string, v int) error) *Ratings {
	r := &Ratings{scheme: s, obs: o, rate: rate}
	r.ExtendBaseWidget(r)
	r.problem = widget.NewLabel("")
	r.problem.Importance = widget.DangerImportance
	r.problem.Wrapping = fyne.TextWrapWord
	r.problem.Hide()

	box := container.NewVBox()
	if s != nil {
		for _, ep := range s.Episodes {
			var scales []annotate.RatingScale
			for _, sc := range s.Ratings {
				if len(sc.Episodes) == 0 || slices.Contains(sc.Episodes, ep.Name) {
					scales = append(scales, sc)
				}
			}
			if len(scales) == 0 {
				continue
			}
			title := widget.NewLabelWithStyle(ep.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			grid := container.New(&formColumns{})
			for _, sc := range scales {
				f := r.newField(ep.Name, sc)
				r.fields = append(r.fields, f)
				name := sc.Name
				if name == "" {
					name = sc.Code
				}
				grid.Add(widget.NewLabel(fmt.Sprintf("%s (%d–%d)", name, sc.Min, sc.Max)))
				grid.Add(container.NewHBox(sized(f.sel, 110), f.note))
			}
			box.Add(title)
			box.Add(grid)
		}
	}
	if len(r.fields) == 0 {
		box.Add(widget.NewLabel("The coding scheme declares no rating scales."))
	}
	r.content = container.NewBorder(r.problem, nil, nil, nil, container.NewVScroll(box))
	r.Reload()
	return r
}

func (r *Ratings) newField(episode string, sc annotate.RatingScale) *ratingField {
	var opts []string
	for v := sc.Min; v <= sc.Max; v++ {
		opts = append(opts, choiceText(sc, v))
	}
	f := &ratingField{episode: episode, scale: sc, note: widget.NewLabel("")}
	f.note.Importance = widget.LowImportance
	f.sel = widget.NewSelect(opts, func(s string) { r.changed(f, s) })
	f.sel.PlaceHolder = "not rated"
	return f
}

// choiceText is how value v is offered: "7 — very strong effort…" where
// the scale's manual describes the value (RatingScale.Anchors), else "4".
// A coder choosing sees what the number means.
func choiceText(sc annotate.RatingScale, v int) string {
	if a := sc.Anchor(v); a != "" {
		return strconv.Itoa(v) + " — " + a
	}
	return strconv.Itoa(v)
}

// choiceValue reads the value back from a choice's text.
func choiceValue(s string) (int, error) {
	num, _, _ := strings.Cut(s, " ")
	return strconv.Atoi(num)
}

// changed records a choice, or undoes it on the screen when rate fails.
func (r *Ratings) changed(f *ratingField, s string) {
	if r.updating || s == "" {
		return
	}
	v, err := choiceValue(s)
	if err == nil && (v < f.scale.Min || v > f.scale.Max) {
		err = fmt.Errorf("%w: %d is outside %d–%d", annotate.ErrBadRating, v, f.scale.Min, f.scale.Max)
	}
	if err == nil && r.obs != nil {
		if cur, ok := r.obs.Rating(f.episode, f.scale.Code); ok && cur == v {
			return // picking the stored value again is no edit for the undo stack
		}
	}
	if err == nil {
		if r.rate == nil {
			err = fmt.Errorf("ratings cannot be changed here")
		} else {
			err = r.rate(f.episode, f.scale.Code, v)
		}
	}
	msg := ""
	if err != nil {
		name := f.scale.Name
		if name == "" {
			name = f.scale.Code
		}
		msg = fmt.Sprintf("%s rating for %s was not saved: %v", name, f.episode, err)
	}
	setProblem(r.problem, r.content, msg)
	r.Reload()
}

// Reload shows the values the observation holds now.
func (r *Ratings) Reload() {
	r.updating = true
	defer func() { r.updating = false }()
	marked := map[string]bool{}
	if r.obs != nil {
		for _, m := range r.obs.Episodes {
			marked[m.Name] = true
		}
	}
	for _, f := range r.fields {
		v, ok := 0, false
		if r.obs != nil {
			v, ok = r.obs.Rating(f.episode, f.scale.Code)
		}
		switch {
		case ok:
			f.sel.SetSelected(choiceText(f.scale, v))
		default:
			f.sel.ClearSelected()
		}
		note := ""
		if ok && (v < f.scale.Min || v > f.scale.Max) {
			note = fmt.Sprintf("stored %d is outside the scale", v)
		} else if !marked[f.episode] {
			note = "episode not marked yet"
		}
		f.note.SetText(note)
	}
}

// SetObservation shows another observation's ratings.
func (r *Ratings) SetObservation(o *annotate.Observation) {
	r.obs = o
	setProblem(r.problem, r.content, "")
	r.Reload()
}

// Choose picks value v for scale in episode as a click on the choice
// does; it returns false when the form has no such field.
func (r *Ratings) Choose(episode, scale string, v int) bool {
	for _, f := range r.fields {
		if f.episode == episode && f.scale.Code == scale {
			f.sel.SetSelected(choiceText(f.scale, v))
			return true
		}
	}
	return false
}

// Shown returns the value the form shows for scale in episode ("" when
// not rated) and whether there is such a field.
func (r *Ratings) Shown(episode, scale string) (string, bool) {
	for _, f := range r.fields {
		if f.episode == episode && f.scale.Code == scale {
			num, _, _ := strings.Cut(f.sel.Selected, " ")
			return num, true
		}
	}
	return "", false
}

// Problem is the error shown, "" when none.
func (r *Ratings) Problem() string {
	if !r.problem.Visible() {
		return ""
	}
	return r.problem.Text
}

// CreateRenderer implements fyne.Widget.
func (r *Ratings) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(r.content)
}

// formColumns lays out label/field pairs in two columns, the labels as
// wide as the widest, like widget.Form but without its entry styling.
type formColumns struct{}

func (formColumns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var lw, fw, h float32
	for i := 0; i+1 < len(objs); i += 2 {
		l, f := objs[i].MinSize(), objs[i+1].MinSize()
		lw, fw = max(lw, l.Width), max(fw, f.Width)
		h += max(l.Height, f.Height)
	}
	return fyne.NewSize(lw+fw+8, h)
}

func (formColumns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	var lw float32
	for i := 0; i+1 < len(objs); i += 2 {
		lw = max(lw, objs[i].MinSize().Width)
	}
	var y float32
	for i := 0; i+1 < len(objs); i += 2 {
		l, f := objs[i], objs[i+1]
		h := max(l.MinSize().Height, f.MinSize().Height)
		l.Move(fyne.NewPos(0, y))
		l.Resize(fyne.NewSize(lw, h))
		f.Move(fyne.NewPos(lw+8, y))
		f.Resize(fyne.NewSize(max(size.Width-lw-8, f.MinSize().Width), h))
		y += h
	}
}
