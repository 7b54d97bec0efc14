package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// denseTheme is Fyne's default theme with tighter padding and slightly
// smaller text: a coding window on a 1366×768 laptop needs the video, the
// timeline, the coding buttons and the events table on one screen, and the
// default spacing is sized for touch.
type denseTheme struct{ fyne.Theme }

func newDenseTheme() fyne.Theme { return denseTheme{theme.DefaultTheme()} }

func (t denseTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNamePadding:
		return 3
	case theme.SizeNameInnerPadding:
		return 6
	case theme.SizeNameText:
		return 13
	case theme.SizeNameCaptionText:
		return 11
	case theme.SizeNameSeparatorThickness:
		return 1
	case theme.SizeNameScrollBar:
		return 10
	case theme.SizeNameScrollBarSmall:
		return 4
	case theme.SizeNameLineSpacing:
		return 3
	}
	return t.Theme.Size(n)
}

func (t denseTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, v)
}
