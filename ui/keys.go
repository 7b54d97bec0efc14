package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// Transport and editing keys. They are all non-printing keys or Ctrl
// combinations on purpose: every printable character and F1–F12 may be a
// behaviour key in a lab's scheme (annotate.Scheme.Validate), so the two
// sets can never collide.
type binding struct {
	key  fyne.KeyName
	mod  fyne.KeyModifier // 0: plain key
	help string
	do   func(v *codingView)
}

var plainKeys = []binding{
	{fyne.KeySpace, 0, "Play / pause", func(v *codingView) { v.togglePlay() }},
	{fyne.KeyLeft, 0, "One frame back", func(v *codingView) { v.step(-1) }},
	{fyne.KeyRight, 0, "One frame forward", func(v *codingView) { v.step(1) }},
	{fyne.KeyPageUp, 0, "5 seconds back", func(v *codingView) { v.jump(-5 * second) }},
	{fyne.KeyPageDown, 0, "5 seconds forward", func(v *codingView) { v.jump(5 * second) }},
	{fyne.KeyHome, 0, "Start of the video", func(v *codingView) { v.seekFrame(0) }},
	{fyne.KeyEnd, 0, "End of the video", func(v *codingView) { v.seek(v.video.Duration) }},
	{fyne.KeyUp, 0, "Faster", func(v *codingView) { v.changeSpeed(1) }},
	{fyne.KeyDown, 0, "Slower", func(v *codingView) { v.changeSpeed(-1) }},
	{fyne.KeyDelete, 0, "Delete the selected event", func(v *codingView) { v.deleteSelected() }},
	{fyne.KeyEscape, 0, "Clear the selection", func(v *codingView) { v.selectEvent(0); v.setStatus("Selection cleared") }},
}

var ctrlKeys = []binding{
	{fyne.KeyLeft, fyne.KeyModifierControl, "1 second back", func(v *codingView) { v.jump(-second) }},
	{fyne.KeyRight, fyne.KeyModifierControl, "1 second forward", func(v *codingView) { v.jump(second) }},
	{fyne.KeyLeft, fyne.KeyModifierControl | fyne.KeyModifierShift, "5 seconds back", func(v *codingView) { v.jump(-5 * second) }},
	{fyne.KeyRight, fyne.KeyModifierControl | fyne.KeyModifierShift, "5 seconds forward", func(v *codingView) { v.jump(5 * second) }},
	{fyne.KeyG, fyne.KeyModifierControl, "Go to a time or frame", func(v *codingView) { v.goToDialog() }},
	{fyne.KeyZ, fyne.KeyModifierControl, "Undo", func(v *codingView) { v.undo() }},
	{fyne.KeyZ, fyne.KeyModifierControl | fyne.KeyModifierShift, "Redo", func(v *codingView) { v.redo() }},
	{fyne.KeyY, fyne.KeyModifierControl, "Redo", func(v *codingView) { v.redo() }},
	{fyne.KeyR, fyne.KeyModifierControl, "Recode the selected event", func(v *codingView) { v.changeBehaviorDialog() }},
	{fyne.KeyM, fyne.KeyModifierControl, "Comment on the selected event", func(v *codingView) { v.commentDialog() }},
	{fyne.KeyEqual, fyne.KeyModifierControl, "Zoom the timeline in", func(v *codingView) { v.zoom(1) }},
	{fyne.KeyMinus, fyne.KeyModifierControl, "Zoom the timeline out", func(v *codingView) { v.zoom(-1) }},
	{fyne.Key0, fyne.KeyModifierControl, "Whole session on the timeline", func(v *codingView) { v.zoom(0) }},
}

const second = 1_000_000 // annotate.Second, untyped for the tables above

func (v *codingView) zoom(dir int) {
	if v.tl == nil {
		return
	}
	switch {
	case dir > 0:
		v.tl.zoomIn()
	case dir < 0:
		v.tl.zoomOut()
	default:
		v.tl.zoomAll()
	}
}

// typedKey handles a non-printing key pressed while no widget has the
// focus. Function keys go to the scheme first (F1–F12 may be codes).
func (v *codingView) typedKey(ev *fyne.KeyEvent) {
	name := string(ev.Name)
	if len(name) >= 2 && name[0] == 'F' && name[1] >= '1' && name[1] <= '9' {
		if v.key(name) {
			return
		}
		if ev.Name == fyne.KeyF1 && v.showHelp != nil {
			v.showHelp()
		}
		return
	}
	for _, b := range plainKeys {
		if b.key == ev.Name {
			b.do(v)
			return
		}
	}
}

// typedRune handles a printable character: a behaviour or episode key.
func (v *codingView) typedRune(r rune) {
	if r == ' ' { // Space arrives as a key too; that is where it is handled
		return
	}
	if !v.key(string(r)) {
		v.setStatus(fmt.Sprintf("Key %q is not in the coding scheme (Coding ▸ Scheme… to add it; F1 lists the keys)", string(r)))
	}
}

// bindKeys routes the window's keys to the view. Ctrl combinations are
// canvas shortcuts, so they work even while a table or button has focus.
func (v *codingView) bindKeys(c fyne.Canvas) {
	c.SetOnTypedKey(v.typedKey)
	c.SetOnTypedRune(v.typedRune)
	for _, b := range ctrlKeys {
		b := b
		var sc fyne.Shortcut = &desktop.CustomShortcut{KeyName: b.key, Modifier: b.mod}
		// Fyne turns plain Ctrl+Z and Ctrl+Y into its standard shortcuts.
		switch {
		case b.key == fyne.KeyZ && b.mod == fyne.KeyModifierControl:
			sc = &fyne.ShortcutUndo{}
		case b.key == fyne.KeyY && b.mod == fyne.KeyModifierControl:
			sc = &fyne.ShortcutRedo{}
		}
		c.AddShortcut(sc, func(fyne.Shortcut) { b.do(v) })
	}
}

// unbindKeys detaches the view (before the start screen replaces it).
func unbindKeys(c fyne.Canvas) {
	c.SetOnTypedKey(nil)
	c.SetOnTypedRune(nil)
	for _, b := range ctrlKeys {
		var sc fyne.Shortcut = &desktop.CustomShortcut{KeyName: b.key, Modifier: b.mod}
		switch {
		case b.key == fyne.KeyZ && b.mod == fyne.KeyModifierControl:
			sc = &fyne.ShortcutUndo{}
		case b.key == fyne.KeyY && b.mod == fyne.KeyModifierControl:
			sc = &fyne.ShortcutRedo{}
		}
		c.RemoveShortcut(sc)
	}
}

func keyLabel(k fyne.KeyName, mod fyne.KeyModifier) string {
	var parts []string
	if mod&fyne.KeyModifierControl != 0 {
		parts = append(parts, "Ctrl")
	}
	if mod&fyne.KeyModifierShift != 0 {
		parts = append(parts, "Shift")
	}
	name := string(k)
	switch k {
	case fyne.KeyEqual:
		name = "+"
	case fyne.KeyMinus:
		name = "−"
	}
	return strings.Join(append(parts, name), "+")
}

// helpContent lists every key: transport, editing, application, and the
// scheme's behaviour and episode keys.
func (v *codingView) helpContent(appKeys [][2]string) fyne.CanvasObject {
	grid := container.NewGridWithColumns(2)
	row := func(k, what string) {
		grid.Add(widget.NewLabelWithStyle(k, fyne.TextAlignTrailing, fyne.TextStyle{Monospace: true, Bold: true}))
		grid.Add(widget.NewLabel(what))
	}
	head := func(s string) {
		grid.Add(widget.NewLabelWithStyle(s, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
		grid.Add(widget.NewLabel(""))
	}
	head("Video")
	for _, b := range plainKeys[:9] {
		row(keyLabel(b.key, b.mod), b.help)
	}
	for _, b := range ctrlKeys[:5] {
		row(keyLabel(b.key, b.mod), b.help)
	}
	head("Editing")
	for _, b := range plainKeys[9:] {
		row(keyLabel(b.key, b.mod), b.help)
	}
	for _, b := range ctrlKeys[5:] {
		row(keyLabel(b.key, b.mod), b.help)
	}
	head("Project")
	for _, k := range appKeys {
		row(k[0], k[1])
	}
	head("Behaviours")
	for _, b := range v.ed.Scheme.Behaviors {
		if b.Key == "" {
			continue
		}
		kind := "point"
		if b.Kind == "state" {
			kind = "state: press again to stop"
			if b.Group != "" {
				kind = "state, exclusive in " + b.Group
			}
		}
		name := b.Name
		if name == "" {
			name = b.Code
		}
		row(strings.ToUpper(b.Key), fmt.Sprintf("%s (%s)", name, kind))
	}
	head("Episodes")
	for _, e := range v.ed.Scheme.Episodes {
		if e.Key != "" {
			row(strings.ToUpper(e.Key), "starts "+e.Name)
		}
	}
	return grid
}

func (v *codingView) helpDialog(appKeys [][2]string) {
	v.pause()
	sc := container.NewVScroll(v.helpContent(appKeys))
	d := dialog.NewCustom("Keyboard", "Close", sc, v.win)
	d.SetOnClosed(func() { v.win.Canvas().Unfocus() })
	d.Resize(fyne.NewSize(560, 620))
	d.Show()
}
