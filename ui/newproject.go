package ui

import (
	"log"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"dyadcode/app"
)

// A new project never replaces one. Fyne's save dialog opens the chosen
// file for writing, truncating it, the moment the coder answers
// "Overwrite? Yes": that is how File ▸ New project over the open project
// (whose name it proposed) destroyed a day's coding. So the new-project
// dialog asks for a name and a folder instead, proposes a name no file
// has and refuses an existing one, naming it (app.NewProjectPath);
// nothing is opened for writing until store.Create makes a new file.

// newProjectDialog asks for the new project's name and folder (the open
// project's folder by default) and creates it there.
func (s *shell) newProjectDialog() {
	s.pauseView()
	dir, base := "", "study"
	if s.proj != nil {
		dir = filepath.Dir(s.proj.Path())
		base = strings.TrimSuffix(filepath.Base(s.proj.Path()), ".dyad")
	} else if home, err := os.UserHomeDir(); err == nil {
		dir = home
	}
	folder := widget.NewLabel(dir)
	folder.Truncation = fyne.TextTruncateEllipsis
	msg := widget.NewLabel("")
	msg.Wrapping = fyne.TextWrapWord
	msg.Importance = widget.DangerImportance
	var d *dialog.CustomDialog
	name := newEscEntry(false, func() { d.Hide() })
	name.SetText(app.FreeProjectName(dir, base))
	create := func() {
		path, err := app.NewProjectPath(dir, name.Text)
		if err != nil {
			msg.SetText(err.Error())
			log.Print("new project: ", err)
			return
		}
		d.Hide()
		s.createProject(path)
	}
	name.OnSubmitted = func(string) { create() }
	pick := widget.NewButton("Folder…", func() {
		fd := dialog.NewFolderOpen(func(l fyne.ListableURI, err error) {
			if err == nil && l != nil {
				dir = l.Path()
				folder.SetText(dir)
				msg.SetText("")
			}
			s.win.Canvas().Focus(name)
		}, s.win)
		if l, err := storage.ListerForURI(storage.NewFileURI(dir)); err == nil {
			fd.SetLocation(l)
		}
		fd.Resize(fyne.NewSize(900, 600))
		fd.Show()
	})
	createBtn := widget.NewButton("Create", create)
	createBtn.Importance = widget.HighImportance
	form := widget.NewForm(
		widget.NewFormItem("Name", name),
		widget.NewFormItem("Folder", container.NewBorder(nil, nil, nil, pick, folder)),
	)
	d = dialog.NewCustomWithoutButtons("New project", container.NewVBox(form, msg), s.win)
	d.SetButtons([]fyne.CanvasObject{widget.NewButton("Cancel", func() { d.Hide() }), createBtn})
	if s.view != nil {
		s.view.track(d)
	} else {
		d.SetOnClosed(func() { s.win.Canvas().Unfocus() })
	}
	d.Resize(fyne.NewSize(620, 220))
	d.Show()
	s.win.Canvas().Focus(name)
}
