// Package review holds the supervisor's and the coder's review widgets of
// the coding window: inter-rater agreement of several observations of one
// video (NewAgreement), the metrics of one observation with its event plot
// and HTML report (NewMetrics), and the per-episode rating form
// (NewRatings). They are plain Fyne objects without an app shell; the app
// puts them in its windows and menus and passes in how to seek the video
// and how to record a rating, so the widgets never touch the store.
//
// Every export has a path-taking method (ExportCSV, SavePlot, ...) that
// the file dialogs call and tests can call directly; files are written to
// a temporary file beside the target and renamed, so a failed export never
// leaves a truncated file where a good one was.
package review

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"
)

// ErrFormat is returned when a file name's extension names a format the
// export cannot write.
var ErrFormat = errors.New("unsupported file format")

// writeFileAtomic renders into memory, then writes path through a
// temporary file in the same directory and renames it into place.
func writeFileAtomic(path string, render func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := render(&buf); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	name := tmp.Name()
	_, werr := tmp.Write(buf.Bytes())
	if werr == nil {
		werr = tmp.Sync()
	}
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(name, path)
	}
	if werr != nil {
		os.Remove(name)
		return fmt.Errorf("save %s: %w", path, werr)
	}
	return nil
}

// extOf is the lower-case extension of a file name without the dot.
func extOf(name string) string {
	return strings.TrimPrefix(strings.ToLower(filepath.Ext(name)), ".")
}

// saveDialog asks for a file name and hands the chosen path to save. A
// local file goes through save (atomic, the same code the tests run);
// any other URI (a portal or cloud location) is written through the
// dialog's writer. The outcome is reported in the window.
func saveDialog(win fyne.Window, title, fileName string, exts []string, save func(path string) error, render func(w io.Writer, ext string) error) {
	if win == nil {
		return
	}
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			dialog.ShowError(err, win)
			return
		}
		if w == nil {
			return // cancelled
		}
		u := w.URI()
		if u.Scheme() == "file" {
			// The dialog created the file; replace it atomically.
			w.Close()
			if err := save(u.Path()); err != nil {
				dialog.ShowError(err, win)
			}
			return
		}
		var buf bytes.Buffer
		err = render(&buf, extOf(u.Name()))
		if err == nil {
			_, err = w.Write(buf.Bytes())
		}
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			dialog.ShowError(fmt.Errorf("save %s: %w", u.Name(), err), win)
		}
	}, win)
	d.SetTitleText(title)
	d.SetFileName(fileName)
	if len(exts) > 0 {
		dots := make([]string, len(exts))
		for i, e := range exts {
			dots[i] = "." + e
		}
		d.SetFilter(storage.NewExtensionFileFilter(dots))
	}
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

// setProblem shows msg in a view's problem line ("" hides it) and lays
// the view out again when the line appears or goes, so it pushes the
// content down instead of covering it until the next resize.
func setProblem(l *widget.Label, content fyne.CanvasObject, msg string) {
	was := l.Visible()
	l.SetText(msg)
	if msg == "" {
		l.Hide()
	} else {
		l.Show()
	}
	if was != l.Visible() {
		if c, ok := content.(*fyne.Container); ok && c.Layout != nil {
			c.Layout.Layout(c.Objects, c.Size())
		}
	}
}
