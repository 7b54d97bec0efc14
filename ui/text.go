package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// textLine is a one-line label drawn as a bare canvas.Text. Labels that
// change on every frame or key press (frame number, status, counts) would
// otherwise re-shape their text for truncation each time, which costs
// milliseconds on the UI goroutine.
type textLine struct {
	text *canvas.Text
	obj  fyne.CanvasObject // what goes in layouts: the text with padding
	Text string
}

func newTextLine(style fyne.TextStyle) *textLine {
	t := canvas.NewText("", theme.Color(theme.ColorNameForeground))
	t.TextStyle = style
	t.TextSize = theme.TextSize()
	return &textLine{text: t, obj: container.NewPadded(t)}
}

// SetText changes the text, redrawing only when it differs.
func (l *textLine) SetText(s string) {
	if s == l.Text {
		return
	}
	l.Text = s
	l.text.Text = s
	l.text.Color = theme.Color(theme.ColorNameForeground)
	l.text.Refresh()
}
