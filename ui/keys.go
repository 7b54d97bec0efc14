package ui

import (
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"

	"dyadcode/annotate"
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
	{fyne.KeyEscape, 0, "Clear the selection; close a dialog", func(v *codingView) {
		v.tableNav = false
		v.selectEvent(0)
		v.setStatus("Selection cleared")
	}},
	{fyne.KeyReturn, 0, "Go to the selected event", func(v *codingView) { v.jumpToSelected() }},
}

// tableKeys replace plainKeys while the selection was picked in the events
// table: ↑/↓ walk its rows instead of changing the speed.
var tableKeys = []binding{
	{fyne.KeyUp, 0, "After a pick in the events table: the row above", func(v *codingView) { v.tableStep(-1) }},
	{fyne.KeyDown, 0, "After a pick in the events table: the row below", func(v *codingView) { v.tableStep(1) }},
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
	{fyne.KeyD, fyne.KeyModifierControl, "Modifiers of the selected event", func(v *codingView) { v.modifiersDialog() }},
	{fyne.KeyUp, fyne.KeyModifierControl, "Select the previous event and show its start", func(v *codingView) { v.selectAdjacent(-1) }},
	{fyne.KeyDown, fyne.KeyModifierControl, "Select the next event and show its start", func(v *codingView) { v.selectAdjacent(1) }},
	{fyne.KeyLeftBracket, fyne.KeyModifierControl, "Set the selected event's start to the frame on screen", func(v *codingView) { v.setSelectedEdge(false) }},
	{fyne.KeyRightBracket, fyne.KeyModifierControl, "Set the selected event's end to the frame on screen", func(v *codingView) { v.setSelectedEdge(true) }},
	{fyne.KeyEqual, fyne.KeyModifierControl, "Zoom the timeline in", func(v *codingView) { v.zoom(1) }},
	{fyne.KeyMinus, fyne.KeyModifierControl, "Zoom the timeline out", func(v *codingView) { v.zoom(-1) }},
	{fyne.Key0, fyne.KeyModifierControl, "Whole session on the timeline", func(v *codingView) { v.zoom(0) }},
}

// episodeKeys adjust episode boundaries; Ctrl combinations, like the
// editing keys, so they never collide with a scheme's episode keys.
var episodeKeys = []binding{
	{fyne.KeyB, fyne.KeyModifierControl, "Move the nearest episode start here", func(v *codingView) { v.moveNearestEpisodeHere() }},
	{fyne.KeyDelete, fyne.KeyModifierControl, "Remove the episode mark at or before here", func(v *codingView) { v.removeEpisodeHere() }},
}

// shortcutKeys are the bindings installed as canvas shortcuts.
func shortcutKeys() []binding { return slices.Concat(ctrlKeys, episodeKeys, viewKeys) }

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
	if v.dialogOpen() {
		// A dialog is up: keys do not code behind it. Escape cancels it;
		// Return acknowledges a message.
		switch ev.Name {
		case fyne.KeyEscape, fyne.KeyReturn, fyne.KeyEnter:
			v.closeDialog()
		}
		return
	}
	name := string(ev.Name)
	if len(name) >= 2 && name[0] == 'F' && name[1] >= '1' && name[1] <= '9' {
		if _, bound := v.ed.Scheme.ForKey(name); bound {
			if !v.repeated() {
				v.key(name)
			}
			return
		}
		if ev.Name == fyne.KeyF1 && v.showHelp != nil {
			v.showHelp()
		}
		return
	}
	if v.tableNav && v.selected != 0 {
		for _, b := range tableKeys {
			if b.key == ev.Name {
				b.do(v)
				return
			}
		}
	}
	if ev.Name == fyne.KeyEnter {
		ev = &fyne.KeyEvent{Name: fyne.KeyReturn} // the keypad's Enter is Return
	}
	for _, b := range plainKeys {
		if b.key == ev.Name {
			b.do(v)
			return
		}
	}
}

// keyDown notes a physical key press (not an auto-repeat): the desktop
// driver reports it before the character the key types.
func (v *codingView) keyDown(*fyne.KeyEvent) { v.fresh = true }

// repeated reports whether a coding key is the keyboard's auto-repeat of a
// held key: holding a state's key must not toggle it on and off, nor
// holding a point's key add dozens of points. Transport keys repeat on
// purpose (hold Right to step through frames).
func (v *codingView) repeated() bool {
	if !v.repeatGuard {
		return false // no key-down events from this driver: trust each key
	}
	if !v.fresh {
		return true
	}
	v.fresh = false
	return false
}

// typedRune handles a printable character: a behaviour or episode key.
func (v *codingView) typedRune(r rune) {
	if r == ' ' { // Space arrives as a key too; that is where it is handled
		return
	}
	if v.dialogOpen() {
		return
	}
	if v.repeated() {
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
	if dc, ok := c.(desktop.Canvas); ok {
		dc.SetOnKeyDown(v.keyDown)
		v.repeatGuard = true
	}
	for _, b := range shortcutKeys() {
		c.AddShortcut(b.shortcut(), func(fyne.Shortcut) { b.do(v) })
	}
}

// unbindKeys detaches the view (before the start screen replaces it).
func unbindKeys(c fyne.Canvas) {
	c.SetOnTypedKey(nil)
	c.SetOnTypedRune(nil)
	if dc, ok := c.(desktop.Canvas); ok {
		dc.SetOnKeyDown(nil)
	}
	for _, b := range shortcutKeys() {
		c.RemoveShortcut(b.shortcut())
	}
}

// shortcut is the canvas shortcut that fires b. Fyne turns plain Ctrl+Z
// and Ctrl+Y into its standard undo and redo shortcuts, so those are
// registered as such.
func (b binding) shortcut() fyne.Shortcut {
	switch {
	case b.key == fyne.KeyZ && b.mod == fyne.KeyModifierControl:
		return &fyne.ShortcutUndo{}
	case b.key == fyne.KeyY && b.mod == fyne.KeyModifierControl:
		return &fyne.ShortcutRedo{}
	}
	return &desktop.CustomShortcut{KeyName: b.key, Modifier: b.mod}
}

func keyLabel(k fyne.KeyName, mod fyne.KeyModifier) string {
	var parts []string
	if mod&fyne.KeyModifierControl != 0 {
		parts = append(parts, "Ctrl")
	}
	if mod&fyne.KeyModifierAlt != 0 {
		parts = append(parts, "Alt")
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
	case fyne.KeyPageUp:
		name = "PageUp"
	case fyne.KeyPageDown:
		name = "PageDown"
	case fyne.KeyEscape:
		name = "Esc"
	case fyne.KeyLeftBracket:
		name = "["
	case fyne.KeyRightBracket:
		name = "]"
	case fyne.KeyUp:
		name = "↑"
	case fyne.KeyDown:
		name = "↓"
	}
	return strings.Join(append(parts, name), "+")
}

// helpContent lists every key in two columns: transport and project keys
// on the left, editing and the scheme's behaviour and episode keys on the
// right. Rows are bare text so the whole list fits a laptop screen.
func (v *codingView) helpContent(appKeys [][2]string) fyne.CanvasObject {
	fg := theme.Color(theme.ColorNameForeground)
	pairs := func(rows [][2]string) *fyne.Container {
		table := container.New(pairRows{})
		for _, r := range rows {
			k := canvas.NewText(r[0], fg)
			k.TextStyle = fyne.TextStyle{Monospace: true, Bold: true}
			k.Alignment = fyne.TextAlignTrailing
			table.Add(k)
			table.Add(canvas.NewText(r[1], fg))
		}
		return table
	}
	// section lays rows out under title in cols side-by-side columns, so a
	// long list of short rows (the episode keys) takes fewer lines.
	section := func(title string, rows [][2]string, cols int) fyne.CanvasObject {
		head := canvas.NewText(title, theme.Color(theme.ColorNamePrimary))
		head.TextStyle = fyne.TextStyle{Bold: true}
		if cols <= 1 || len(rows) < 2*cols {
			return container.NewVBox(head, pairs(rows))
		}
		per := (len(rows) + cols - 1) / cols
		grid := container.NewGridWithColumns(cols)
		for i := 0; i < len(rows); i += per {
			grid.Add(pairs(rows[i:min(i+per, len(rows))]))
		}
		return container.NewVBox(head, grid)
	}
	rows := func(bs []binding) [][2]string {
		var out [][2]string
		for _, b := range bs {
			out = append(out, [2]string{keyLabel(b.key, b.mod), b.help})
		}
		return out
	}
	var behaviours, episodes [][2]string
	for _, b := range v.ed.Scheme.Behaviors {
		if b.Key == "" {
			continue
		}
		kind := "point"
		if b.Kind == annotate.State {
			kind = "state: again to stop"
			if b.Group != "" {
				kind = "state, stops others in " + b.Group
			}
		}
		name := b.Name
		if name == "" {
			name = b.Code
		}
		behaviours = append(behaviours, [2]string{strings.ToUpper(b.Key), fmt.Sprintf("%s (%s)", name, kind)})
	}
	for _, e := range v.ed.Scheme.Episodes {
		if e.Key != "" {
			episodes = append(episodes, [2]string{strings.ToUpper(e.Key), e.Name})
		}
	}
	left := container.NewVBox(
		section("Video", append(rows(plainKeys[:9]), rows(ctrlKeys[:5])...), 1),
		section("Project", appKeys, 1),
		section("Episodes (the key marks where one starts)", episodes, 2),
	)
	right := container.NewVBox(
		section("Editing", slices.Concat(rows(plainKeys[9:]), rows(tableKeys), rows(ctrlKeys[5:]),
			[][2]string{{"Ctrl+Return", "In the comment dialog: save the comment"}}), 1),
		section("Behaviours (tag the frame on screen)", behaviours, 1),
		section("Episode boundaries", append(rows(episodeKeys),
			[2]string{"Drag", "an episode's start on the timeline"}), 1),
		section("Views (other cameras: Views menu)", rows(viewKeys), 1),
	)
	return container.NewGridWithColumns(2, left, right)
}

// dialogOpen reports whether a dialog or pop-up covers the view.
func (v *codingView) dialogOpen() bool { return v.win.Canvas().Overlays().Top() != nil }

func (v *codingView) helpDialog(appKeys [][2]string) {
	v.pause()
	sc := container.NewVScroll(v.helpContent(appKeys))
	d := dialog.NewCustom("Keyboard", "Close", sc, v.win)
	v.track(d)
	// As tall as the window allows (up to what the list needs), so the
	// whole list shows without scrolling on a 768-pixel laptop screen.
	d.Resize(fyne.NewSize(900, max(660, min(780, v.win.Canvas().Size().Height-16))))
	d.Show()
}

// pairRows lays out objects in pairs, one pair per row: the first right
// aligned in a column as wide as the widest first, the second after it.
type pairRows struct{}

const pairGap = 10

func (pairRows) sizes(objs []fyne.CanvasObject) (keyW, rowH, whatW float32) {
	for i := 0; i+1 < len(objs); i += 2 {
		k, w := objs[i].MinSize(), objs[i+1].MinSize()
		keyW = max(keyW, k.Width)
		whatW = max(whatW, w.Width)
		rowH = max(rowH, k.Height, w.Height)
	}
	return keyW, rowH + 2, whatW
}

func (p pairRows) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	keyW, rowH, _ := p.sizes(objs)
	for i := 0; i+1 < len(objs); i += 2 {
		y := float32(i/2) * rowH
		objs[i].Move(fyne.NewPos(0, y))
		objs[i].Resize(fyne.NewSize(keyW, rowH))
		objs[i+1].Move(fyne.NewPos(keyW+pairGap, y))
		objs[i+1].Resize(fyne.NewSize(max(0, size.Width-keyW-pairGap), rowH))
	}
}

func (p pairRows) MinSize(objs []fyne.CanvasObject) fyne.Size {
	keyW, rowH, whatW := p.sizes(objs)
	return fyne.NewSize(keyW+pairGap+whatW, rowH*float32(len(objs)/2))
}
