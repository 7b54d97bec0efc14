package ui

import (
	"strings"

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
	maxW float32 // shown shortened with "…" past this width (0: never)
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
	if l.maxW > 0 {
		l.show()
		return
	}
	l.text.Text = s
	l.text.Color = theme.Color(theme.ColorNameForeground)
	l.text.Refresh()
}

// setMaxWidth makes the line end in "…" when its text would be wider than
// w (0: never shortened). Text keeps the full string.
func (l *textLine) setMaxWidth(w float32) {
	if w == l.maxW {
		return
	}
	l.maxW = w
	l.show()
}

func (l *textLine) show() {
	l.text.Text = ellipsize(l.Text, l.maxW-2*theme.Padding(), l.text.TextSize, l.text.TextStyle)
	l.text.Color = theme.Color(theme.ColorNameForeground)
	l.text.Refresh()
}

// ellipsize shortens s to its longest prefix that fits in w followed by
// "…" (just "…" when nothing fits). It measures only when s is too wide,
// and by bisection, so a long name costs a few measurements.
func ellipsize(s string, w, size float32, style fyne.TextStyle) string {
	if w <= 0 || fyne.MeasureText(s, size, style).Width <= w {
		return s
	}
	r := []rune(s)
	lo, hi := 0, len(r) // the longest fitting prefix has lo runes, < hi
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if fyne.MeasureText(strings.TrimRight(string(r[:mid]), " ")+"…", size, style).Width <= w {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return strings.TrimRight(string(r[:lo]), " ") + "…"
}
