package ui

import (
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"dyadcode/annotate/adopt"
	"dyadcode/app"
)

// adoptButton opens another tool's file (BORIS, ELAN, Observer XT,
// Datavyu) and puts its scheme in the editor; nothing is saved until Save.
func (e *schemeEditor) adoptButton() *widget.Button {
	return widget.NewButtonWithIcon("Import from another tool…", theme.FolderOpenIcon(), func() {
		if e.win == nil {
			return
		}
		d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err != nil || r == nil {
				return
			}
			path := r.URI().Path()
			r.Close()
			e.adoptFile(path)
		}, e.win)
		d.SetFilter(storage.NewExtensionFileFilter(adopt.Extensions()))
		d.Show()
	})
}

// adoptFile replaces the edited scheme with the one adopted from path
// (keeping the project's episodes and ratings when the tool has none) and
// lists what was not carried over; a file that cannot be adopted leaves
// the edits as they were and says why.
func (e *schemeEditor) adoptFile(path string) {
	e.apply()
	s, lost, err := app.AdoptScheme(path, e.s)
	if err != nil {
		e.msg.SetText(err.Error())
		return
	}
	e.s = s
	e.cur = -1
	e.subject.Options = append(e.s.SubjectCodes(), "(none)")
	e.list.UnselectAll()
	e.list.Refresh()
	if len(e.s.Behaviors) > 0 {
		e.list.Select(0)
	}
	e.msg.SetText("")
	if len(lost) == 0 {
		e.lost.SetText(fmt.Sprintf("Adopted from %s; everything was carried over.", filepath.Base(path)))
		return
	}
	e.lost.SetText(fmt.Sprintf("Adopted from %s. Not carried over:\n• %s", filepath.Base(path), strings.Join(lost, "\n• ")))
}

func (e *schemeEditor) lostView() fyne.CanvasObject {
	sc := container.NewVScroll(e.lost)
	sc.SetMinSize(fyne.NewSize(0, 90))
	return sc
}
