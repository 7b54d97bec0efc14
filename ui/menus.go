package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
)

// appKeys are the window's own shortcuts, listed in the keyboard help.
var appKeys = [][2]string{
	{"Ctrl+N", "New project"},
	{"Ctrl+O", "Open project"},
	{"Ctrl+L", "Start screen: projects, videos, observations"},
	{"Ctrl+E", "Export the project to CSV"},
	{"Ctrl+K", "Edit the coding scheme"},
	{"Ctrl+Shift+K", "Undo the last scheme change"},
	{"Ctrl+S", "Everything is saved as you code; this confirms it"},
	{"Ctrl+Shift+A", "Compare coders (agreement)"},
	{"Ctrl+Shift+M", "Metrics of this observation"},
	{"Ctrl+Shift+R", "Ratings of this observation"},
	{"F1 / Ctrl+H", "This list"},
	{"Ctrl+Q", "Quit (nothing is lost)"},
}

func ctrl(k fyne.KeyName) fyne.Shortcut {
	return &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierControl}
}

// onView runs f on the coding view when one is open.
func (s *shell) onView(f func(v *codingView)) func() {
	return func() {
		if s.view != nil {
			f(s.view)
		}
	}
}

func (s *shell) setMenus() {
	item := func(label string, sc fyne.Shortcut, f func()) *fyne.MenuItem {
		it := fyne.NewMenuItem(label, f)
		it.Shortcut = sc
		return it
	}
	quit := item("Quit", ctrl(fyne.KeyQ), s.quit)
	quit.IsQuit = true
	file := fyne.NewMenu("File",
		item("Start screen", ctrl(fyne.KeyL), s.showStart),
		item("New project…", ctrl(fyne.KeyN), func() { s.newProjectDialog() }),
		item("Open project…", ctrl(fyne.KeyO), s.openProjectDialog),
		item("Open demo project", nil, s.openDemo),
		fyne.NewMenuItemSeparator(),
		item("Add video…", nil, s.addVideoDialog),
		item("Import coding…", nil, s.importCodingDialog),
		item("Merge projects…", nil, func() { s.mergeDialog() }),
		item("Export CSV…", ctrl(fyne.KeyE), func() { s.exportDialog() }),
		item("Export CSV for Excel…", nil, func() { s.exportExcelDialog() }),
		fyne.NewMenuItemSeparator(),
		quit,
	)
	undo := item("Undo", &fyne.ShortcutUndo{}, s.onView((*codingView).undo))
	redo := item("Redo", &desktop.CustomShortcut{KeyName: fyne.KeyZ, Modifier: fyne.KeyModifierControl | fyne.KeyModifierShift}, s.onView((*codingView).redo))
	s.undoItem, s.redoItem = undo, redo
	edit := fyne.NewMenu("Edit", undo, redo,
		fyne.NewMenuItemSeparator(),
		item("Delete selected event", &desktop.CustomShortcut{KeyName: fyne.KeyDelete}, s.onView((*codingView).deleteSelected)),
		item("Recode selected event…", ctrl(fyne.KeyR), s.onView((*codingView).changeBehaviorDialog)),
		item("Comment on selected event…", ctrl(fyne.KeyM), s.onView((*codingView).commentDialog)),
		item("Modifiers of selected event…", ctrl(fyne.KeyD), s.onView((*codingView).modifiersDialog)),
	)
	plain := func(k fyne.KeyName) fyne.Shortcut { return &desktop.CustomShortcut{KeyName: k} }
	video := fyne.NewMenu("Video",
		item("Play / pause", plain(fyne.KeySpace), s.onView((*codingView).togglePlay)),
		item("One frame back", plain(fyne.KeyLeft), s.onView(func(v *codingView) { v.step(-1) })),
		item("One frame forward", plain(fyne.KeyRight), s.onView(func(v *codingView) { v.step(1) })),
		item("1 second back", ctrl(fyne.KeyLeft), s.onView(func(v *codingView) { v.jump(-second) })),
		item("1 second forward", ctrl(fyne.KeyRight), s.onView(func(v *codingView) { v.jump(second) })),
		item("5 seconds back", plain(fyne.KeyPageUp), s.onView(func(v *codingView) { v.jump(-5 * second) })),
		item("5 seconds forward", plain(fyne.KeyPageDown), s.onView(func(v *codingView) { v.jump(5 * second) })),
		item("Faster", plain(fyne.KeyUp), s.onView(func(v *codingView) { v.changeSpeed(1) })),
		item("Slower", plain(fyne.KeyDown), s.onView(func(v *codingView) { v.changeSpeed(-1) })),
		item("Go to time or frame…", ctrl(fyne.KeyG), s.onView((*codingView).goToDialog)),
	)
	s.editMenu = edit
	s.undoItem, s.redoItem = undo, redo
	s.labelUndo()
	coding := fyne.NewMenu("Coding",
		item("Scheme…", ctrl(fyne.KeyK), s.schemeDialog),
		item("Undo scheme change", &desktop.CustomShortcut{KeyName: fyne.KeyK, Modifier: fyne.KeyModifierControl | fyne.KeyModifierShift}, s.undoSchemeChange),
		fyne.NewMenuItemSeparator(),
		item("Lay out episodes from the template…", nil, s.onView((*codingView).templateDialog)),
		item("Move the nearest episode start to here", ctrl(fyne.KeyB), s.onView((*codingView).moveNearestEpisodeHere)),
		item("Remove the episode mark at or before here", ctrl(fyne.KeyDelete), s.onView((*codingView).removeEpisodeHere)),
	)
	menus := []*fyne.Menu{file, edit, video, coding}
	if s.view != nil {
		menus = append(menus, s.viewsMenu())
	}
	if r := s.reviewMenu(); r != nil {
		menus = append(menus, r)
	}
	help := fyne.NewMenu("Help",
		item("Keyboard", plain(fyne.KeyF1), s.showHelp),
		item("About dyadcode", nil, func() {
			dialog.ShowInformation("About dyadcode", "dyadcode codes video of caregiver–child interaction\nframe by frame, from the keyboard.\n\nEvery key press is saved to the project file at once.", s.win)
		}),
	)
	menus = append(menus, help)
	s.win.SetMainMenu(fyne.NewMainMenu(menus...))
	// The same shortcuts on the canvas, so they also work where the main
	// menu is not consulted (tests, some drivers).
	c := s.win.Canvas()
	for _, m := range []struct {
		sc fyne.Shortcut
		f  func()
	}{
		{ctrl(fyne.KeyQ), s.quit}, {ctrl(fyne.KeyL), s.showStart}, {ctrl(fyne.KeyN), func() { s.newProjectDialog() }},
		{ctrl(fyne.KeyO), s.openProjectDialog}, {ctrl(fyne.KeyE), func() { s.exportDialog() }}, {ctrl(fyne.KeyK), s.schemeDialog},
		{ctrl(fyne.KeyH), s.showHelp}, {ctrl(fyne.KeyS), s.confirmSaved},
		{&desktop.CustomShortcut{KeyName: fyne.KeyK, Modifier: fyne.KeyModifierControl | fyne.KeyModifierShift}, s.undoSchemeChange},
	} {
		f := m.f
		c.AddShortcut(m.sc, func(fyne.Shortcut) { f() })
	}
}

func (s *shell) showHelp() {
	if s.view == nil {
		dialog.ShowInformation("Keyboard", "Open an observation to see its coding keys.\n\nCtrl+N new project, Ctrl+O open, Ctrl+Q quit.", s.win)
		return
	}
	s.view.helpDialog(appKeys)
}

func (s *shell) confirmSaved() {
	if s.view != nil {
		s.view.setStatus("Everything is saved: each key press was written to the project file when you made it.")
	}
}

// labelUndo names the edits Undo and Redo would revert or repeat.
func (s *shell) labelUndo() {
	s.undoItem.Label, s.redoItem.Label = "Undo", "Redo"
	s.undoItem.Disabled, s.redoItem.Disabled = true, true
	if s.view != nil {
		if l := s.view.ed.UndoLabel(); l != "" {
			s.undoItem.Label, s.undoItem.Disabled = "Undo "+l, false
		}
		if l := s.view.ed.RedoLabel(); l != "" {
			s.redoItem.Label, s.redoItem.Disabled = "Redo "+l, false
		}
	}
}

// updateUndoMenu relabels Undo and Redo after an edit without rebuilding
// the menu bar.
func (s *shell) updateUndoMenu() {
	if s.editMenu == nil {
		return
	}
	s.labelUndo()
	s.editMenu.Refresh()
}
