package ui

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"dyadcode/app"
	"dyadcode/store"
)

// File ▸ Merge projects…: the supervisor picks the project files the
// coders brought (one at a time, or every project in a folder, since
// Fyne's file dialog chooses a single file), and app.Merge brings them
// into the open project; a summary names what was merged.

// mergePicker is the dialog's state: the files chosen so far.
type mergePicker struct {
	s      *shell
	files  []string
	list   *widget.List
	merge  *widget.Button
	dialog dialog.Dialog
}

// mergeDialog opens the picker (and returns it, for tests).
func (s *shell) mergeDialog() *mergePicker {
	if s.proj == nil {
		s.showError("No project open", errors.New("nothing to merge into"), "Open the project to merge the others into first.")
		return nil
	}
	s.pauseView()
	m := &mergePicker{s: s}
	m.list = widget.NewList(func() int { return len(m.files) },
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, nil, widget.NewButton("Remove", nil), widget.NewLabel(""))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			c := o.(*fyne.Container)
			c.Objects[0].(*widget.Label).SetText(m.files[i])
			c.Objects[1].(*widget.Button).OnTapped = func() { m.remove(i) }
		})
	addFile := widget.NewButton("Add a project file…", func() {
		s.openFileDialog([]string{".dyad"}, m.add)
	})
	addFolder := widget.NewButton("Add every project in a folder…", func() {
		d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
			if err != nil {
				s.showError("Could not choose the folder", err, "")
				return
			}
			if u != nil {
				m.addFolder(u.Path())
			}
		}, s.win)
		d.Resize(fyne.NewSize(900, 600))
		d.Show()
	})
	m.merge = widget.NewButton("Merge", m.run)
	m.merge.Importance = widget.HighImportance
	m.merge.Disable()
	cancel := widget.NewButton("Cancel", func() { m.dialog.Hide() })
	into := widget.NewLabel("Into " + filepath.Base(s.proj.Path()) + ": the observations, coders and videos of these projects (they are only read).")
	into.Wrapping = fyne.TextWrapWord
	content := container.NewBorder(
		container.NewVBox(into, container.NewHBox(addFile, addFolder)),
		container.NewHBox(cancel, m.merge), nil, nil, m.list)
	m.dialog = dialog.NewCustomWithoutButtons("Merge projects", content, s.win)
	m.dialog.Resize(fyne.NewSize(720, 420))
	m.dialog.Show()
	return m
}

// add puts a project file on the list once; the open project itself is
// refused at once rather than by the merge.
func (m *mergePicker) add(path string) {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	if abs == m.s.proj.Path() {
		m.s.showError("That is the open project", errors.New(filepath.Base(abs)+" cannot be merged into itself"), "Pick the projects to bring into it.")
		return
	}
	if !slices.Contains(m.files, abs) {
		m.files = append(m.files, abs)
	}
	m.refresh()
}

// addFolder adds every .dyad file directly in dir but the open project.
func (m *mergePicker) addFolder(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		m.s.showError("Could not read the folder", err, "")
		return
	}
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		if e.Type().IsRegular() && strings.EqualFold(filepath.Ext(e.Name()), ".dyad") && path != m.s.proj.Path() {
			if !slices.Contains(m.files, path) {
				m.files = append(m.files, path)
			}
		}
	}
	m.refresh()
}

func (m *mergePicker) remove(i int) {
	if i >= 0 && i < len(m.files) {
		m.files = slices.Delete(m.files, i, i+1)
	}
	m.refresh()
}

func (m *mergePicker) refresh() {
	m.list.Refresh()
	if len(m.files) > 0 {
		m.merge.Enable()
	} else {
		m.merge.Disable()
	}
}

// run merges off the UI goroutine behind a progress bar, then shows the
// summary (or why nothing was merged) and reloads what the window shows.
func (m *mergePicker) run() {
	s, files, proj := m.s, slices.Clone(m.files), m.s.proj
	m.dialog.Hide()
	bar := widget.NewProgressBarInfinite()
	prog := dialog.NewCustomWithoutButtons("Merging projects", container.NewVBox(widget.NewLabel(strings.Join(baseNames(files), ", ")), bar), s.win)
	prog.Resize(fyne.NewSize(420, 120))
	prog.Show()
	s.sched.spawn(func() {
		res, err := app.Merge(proj, files)
		s.sched.uiDo(func() {
			prog.Hide()
			bar.Stop()
			if err != nil {
				s.showError("Nothing was merged", err, app.MergeAdvice(err))
				return
			}
			// The open observation may have been replaced by a newer
			// state: the editor's copy is stale, so open it again.
			if s.view != nil && slices.ContainsFunc(res.Report.Replaced, func(mo store.MergedObservation) bool { return mo.ID == s.obsID }) {
				s.openObservation(s.obsID)
			} else if s.view == nil && s.proj == proj {
				s.showStart()
			}
			summary := widget.NewLabel(strings.Join(res.Summary(), "\n"))
			summary.Wrapping = fyne.TextWrapWord
			scroll := container.NewVScroll(summary)
			d := dialog.NewCustom("Merged into "+filepath.Base(proj.Path()), "OK", scroll, s.win)
			d.Resize(fyne.NewSize(720, 420))
			if s.view != nil {
				s.view.track(d)
			}
			d.Show()
		})
	})
}

func baseNames(paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = filepath.Base(p)
	}
	return out
}
