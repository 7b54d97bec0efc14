// Package saveas is the window's "save as" chooser: a file name and a
// folder, and nothing written until the caller writes.
//
// Fyne's own save dialog opens the chosen file for writing (truncating it)
// the moment the user confirms, before the program can look at the name:
// choosing the project itself, or a video, as an export's target would
// destroy it whatever the program checked afterwards. This chooser hands
// back a path instead. The caller's check (app.CheckOutput for exports)
// runs first and a refusal is shown naming the file; a file that exists is
// replaced only after the user says so; the write itself goes through
// app.WriteFile, whole or not at all.
package saveas

import (
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"
)

// Options say what the chooser proposes and allows.
type Options struct {
	Title string // the dialog's title, e.g. "Export CSV"
	Name  string // the proposed file name
	// Dir is the proposed folder; "" is the folder last saved into (kept
	// in the app's preferences), else the home folder.
	Dir string
	// Exts are the extensions the output may have, lower case without the
	// dot; a name without one of them gets the first. Empty: any name.
	Exts []string
	// Check refuses a path before anything happens to it (the refusal is
	// shown, naming the file). nil accepts every path.
	Check func(path string) error
}

// Chooser is an open chooser; tests reach its widgets through it.
type Chooser struct {
	Name   *widget.Entry
	Folder *widget.Label
	dlg    *dialog.ConfirmDialog
	win    fyne.Window
	opt    Options
	use    func(path string)
}

// Show opens the chooser; use gets the chosen path once it has passed the
// check and, for a file that exists, the user's confirmation.
func Show(win fyne.Window, opt Options, use func(path string)) *Chooser {
	c := &Chooser{win: win, opt: opt, use: use}
	dir := opt.Dir
	if dir == "" {
		dir = lastFolder()
	}
	c.Name = widget.NewEntry()
	c.Name.SetText(opt.Name)
	c.Folder = widget.NewLabel(dir)
	c.Folder.Truncation = fyne.TextTruncateEllipsis
	change := widget.NewButton("Change folder…", c.pickFolder)
	form := container.NewBorder(nil, nil,
		container.NewVBox(widget.NewLabel("File name"), widget.NewLabel("Folder")),
		nil,
		container.NewVBox(c.Name, container.NewBorder(nil, nil, nil, change, c.Folder)))
	c.dlg = dialog.NewCustomConfirm(opt.Title, "Save", "Cancel", form, func(ok bool) {
		if ok {
			c.Submit()
		}
	}, win)
	c.Name.OnSubmitted = func(string) { c.dlg.Hide(); c.Submit() }
	c.dlg.Resize(fyne.NewSize(560, 180))
	c.dlg.Show()
	win.Canvas().Focus(c.Name)
	return c
}

// pickFolder lets the user choose the folder with Fyne's folder dialog,
// which only lists folders and never opens a file.
func (c *Chooser) pickFolder() {
	d := dialog.NewFolderOpen(func(l fyne.ListableURI, err error) {
		if err != nil {
			dialog.ShowError(err, c.win)
			return
		}
		if l != nil {
			c.Folder.SetText(l.Path())
		}
	}, c.win)
	if l, err := storage.ListerForURI(storage.NewFileURI(c.Folder.Text)); err == nil {
		d.SetLocation(l)
	}
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// ErrNoName: the chooser was confirmed with an empty file name.
var ErrNoName = errors.New("no file name given")

// Path is the file the chooser names now: the folder joined with the name,
// the first allowed extension added when the name has none of them.
func (c *Chooser) Path() (string, error) {
	name := strings.TrimSpace(c.Name.Text)
	if name == "" {
		return "", ErrNoName
	}
	path := name
	if !filepath.IsAbs(name) {
		path = filepath.Join(c.Folder.Text, name)
	}
	ext := strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
	if len(c.opt.Exts) > 0 && !slices.Contains(c.opt.Exts, ext) {
		path += "." + c.opt.Exts[0]
	}
	return path, nil
}

// Submit is the Save button: check the path, ask before replacing a file,
// then hand the path over.
func (c *Chooser) Submit() {
	path, err := c.Path()
	if err == nil && c.opt.Check != nil {
		err = c.opt.Check(path)
	}
	if err != nil {
		log.Print(c.opt.Title, ": ", err) // in the log too, for support and the GUI tests
		dialog.ShowError(err, c.win)
		return
	}
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		c.chosen(path)
	case err != nil:
		dialog.ShowError(fmt.Errorf("save %s: %w", path, err), c.win)
	case fi.IsDir():
		dialog.ShowError(fmt.Errorf("save %s: it is a folder", path), c.win)
	default:
		dialog.ShowConfirm("Replace "+filepath.Base(path)+"?",
			fmt.Sprintf("%s already exists in %s.\nReplace it?", filepath.Base(path), filepath.Dir(path)),
			func(ok bool) {
				if ok {
					c.chosen(path)
				}
			}, c.win)
	}
}

// prefLastFolder keeps the folder last saved into, for the next chooser.
const prefLastFolder = "saveAsFolder"

// chosen hands the path over and remembers its folder.
func (c *Chooser) chosen(path string) {
	if a := fyne.CurrentApp(); a != nil {
		a.Preferences().SetString(prefLastFolder, filepath.Dir(path))
	}
	c.use(path)
}

// lastFolder is the folder last saved into when it is still there, else
// the home folder.
func lastFolder() string {
	if a := fyne.CurrentApp(); a != nil {
		if d := a.Preferences().String(prefLastFolder); d != "" {
			if fi, err := os.Stat(d); err == nil && fi.IsDir() {
				return d
			}
		}
	}
	home, _ := os.UserHomeDir()
	return home
}
