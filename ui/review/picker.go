package review

import (
	"fmt"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// VideoChoice is a video the supervisor may pick, with its observations
// (the app fills it from the project's videos and observations).
type VideoChoice struct {
	ID, Name     string
	Observations []ObservationChoice
}

// ObservationChoice is one coder's observation of a video.
type ObservationChoice struct {
	ID, Coder string
	Events    int
	Modified  time.Time
}

func (o ObservationChoice) label() string {
	s := fmt.Sprintf("%s (observation %s, %d events", o.Coder, o.ID, o.Events)
	if !o.Modified.IsZero() {
		s += ", changed " + o.Modified.Local().Format("2006-01-02 15:04")
	}
	return s + ")"
}

// Picker chooses a video and two or more of its observations to compare,
// and which of them is the reference coder (A).
type Picker struct {
	widget.BaseWidget

	videos    []VideoChoice
	onCompare func(videoID string, obsIDs []string)

	video     *widget.Select
	checks    *fyne.Container
	boxes     []*widget.Check
	reference *widget.Select
	compare   *widget.Button
	hint      *widget.Label
	content   fyne.CanvasObject
	current   int // index into videos, -1 for none
}

// NewPicker builds the chooser. onCompare gets the video's ID and the
// observation IDs with the reference first. Videos with fewer than two
// observations are listed but cannot be compared.
func NewPicker(videos []VideoChoice, onCompare func(videoID string, obsIDs []string)) *Picker {
	p := &Picker{videos: videos, onCompare: onCompare, current: -1}
	p.ExtendBaseWidget(p)
	var names []string
	for _, v := range videos {
		names = append(names, p.videoLabel(v))
	}
	p.checks = container.NewVBox()
	p.reference = widget.NewSelect(nil, func(string) { p.update() })
	p.reference.PlaceHolder = "reference coder (A)"
	p.hint = widget.NewLabel("")
	p.hint.Wrapping = fyne.TextWrapWord
	p.compare = widget.NewButton("Compare", p.submit)
	p.compare.Importance = widget.HighImportance
	p.video = widget.NewSelect(names, func(string) { p.pickVideo(p.video.SelectedIndex()) })
	p.video.PlaceHolder = "video"
	form := widget.NewForm(
		widget.NewFormItem("Video", p.video),
		widget.NewFormItem("Observations", p.checks),
		widget.NewFormItem("Reference (A)", p.reference),
	)
	// The form scrolls as a whole: a project may hold many codings of
	// one video.
	p.content = container.NewBorder(nil, container.NewVBox(p.hint, container.NewHBox(p.compare)), nil, nil, container.NewVScroll(form))
	// Start on the first video that can be compared.
	for i, v := range videos {
		if len(v.Observations) >= 2 {
			p.video.SetSelectedIndex(i)
			break
		}
	}
	p.update()
	return p
}

func (p *Picker) videoLabel(v VideoChoice) string {
	if len(v.Observations) == 1 {
		return v.Name + " — 1 observation"
	}
	return fmt.Sprintf("%s — %d observations", v.Name, len(v.Observations))
}

// CreateRenderer implements fyne.Widget.
func (p *Picker) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(p.content)
}

// pickVideo lists video i's observations, the first two coders checked.
func (p *Picker) pickVideo(i int) {
	p.current = i
	p.checks.RemoveAll()
	p.boxes = nil
	if i < 0 || i >= len(p.videos) {
		p.update()
		return
	}
	for k, o := range p.videos[i].Observations {
		c := widget.NewCheck(o.label(), func(bool) { p.update() })
		c.Checked = k < 2
		p.boxes = append(p.boxes, c)
		p.checks.Add(c)
	}
	p.reference.ClearSelected()
	p.update()
}

// chosen returns the checked observations, the reference first.
func (p *Picker) chosen() []ObservationChoice {
	if p.current < 0 {
		return nil
	}
	var out []ObservationChoice
	for k, c := range p.boxes {
		if c.Checked {
			out = append(out, p.videos[p.current].Observations[k])
		}
	}
	if i := p.reference.SelectedIndex(); i > 0 && i < len(out) {
		ref := out[i]
		out = append([]ObservationChoice{ref}, slices.Delete(out, i, i+1)...)
	}
	return out
}

// update keeps the reference choices and the Compare button in step with
// the checked observations.
func (p *Picker) update() {
	if p.compare == nil || p.reference == nil {
		return
	}
	var opts []string
	if p.current >= 0 {
		for k, c := range p.boxes {
			if c.Checked {
				opts = append(opts, p.videos[p.current].Observations[k].label())
			}
		}
	}
	if !slices.Equal(opts, p.reference.Options) {
		sel := p.reference.Selected
		p.reference.Options = opts
		if !slices.Contains(opts, sel) {
			p.reference.Selected = ""
			if len(opts) > 0 {
				p.reference.Selected = opts[0]
			}
		}
		p.reference.Refresh()
	}
	n := len(opts)
	switch {
	case p.current < 0:
		p.hint.SetText("Pick a video.")
	case n < 2:
		p.hint.SetText(fmt.Sprintf("Check at least two observations (%d checked).", n))
	default:
		p.hint.SetText(fmt.Sprintf("%d observations; omissions, precision and recall are relative to the reference.", n))
	}
	if p.current >= 0 && n >= 2 {
		p.compare.Enable()
	} else {
		p.compare.Disable()
	}
}

func (p *Picker) submit() {
	obs := p.chosen()
	if p.current < 0 || len(obs) < 2 || p.onCompare == nil {
		return
	}
	ids := make([]string, len(obs))
	for i, o := range obs {
		ids[i] = o.ID
	}
	p.onCompare(p.videos[p.current].ID, ids)
}

// ShowPicker shows the chooser in a dialog over win; onCompare runs after
// the dialog closes.
func ShowPicker(win fyne.Window, videos []VideoChoice, onCompare func(videoID string, obsIDs []string)) {
	var d dialog.Dialog
	p := NewPicker(videos, func(v string, ids []string) {
		d.Hide()
		onCompare(v, ids)
	})
	d = dialog.NewCustom("Compare coders", "Cancel", p, win)
	d.Resize(fyne.NewSize(640, 420))
	d.Show()
}
