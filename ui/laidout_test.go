package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// testLaidOut lists every object under o, through widget renderers.
func testLaidOut(o fyne.CanvasObject) []fyne.CanvasObject { return test.LaidOutObjects(o) }
