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
	"log"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"dyadcode/app"
)

// ErrFormat is returned when a file name's extension names a format the
// export cannot write.
var ErrFormat = errors.New("unsupported file format")

// writeFileAtomic renders into memory, then writes path under the output
// checks every export passes (never over a project or a video), through a
// temporary file in the same directory renamed into place.
func writeFileAtomic(path string, render func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := render(&buf); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := app.WriteFile(path, func(w io.Writer) error { _, err := w.Write(buf.Bytes()); return err }); err != nil {
		return fmt.Errorf("save: %w", err)
	}
	return nil
}

// extOf is the lower-case extension of a file name without the dot.
func extOf(name string) string {
	return strings.TrimPrefix(strings.ToLower(filepath.Ext(name)), ".")
}

// saveDialog asks for a file name and writes what render produces
// there. It renders once before the dialog opens, because the dialog
// truncates the chosen file as soon as the user confirms: what could fail
// (no scheme, nothing computed) is reported while the old file is still
// intact. A name without one of exts gets the first; a local file is
// written atomically like the path-taking exports, any other location
// (a portal or cloud URI) through the dialog's writer.
func saveDialog(win fyne.Window, title, fileName string, exts []string, render func(w io.Writer, ext string) error) {
	if win == nil {
		return
	}
	var pre bytes.Buffer
	preExt := extOf(fileName)
	if err := render(&pre, preExt); err != nil {
		dialog.ShowError(err, win)
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
		where, err := savedTo(w, exts, render, pre.Bytes(), preExt)
		if err != nil {
			dialog.ShowError(err, win)
			return
		}
		// Say where it went: the supervisor's next step is to open it.
		log.Print("saved ", where)
		dialog.ShowInformation("Saved", "Saved to\n"+where, win)
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

// saveTo writes the export to the location a save dialog opened: pre
// when the chosen extension is preExt, else a fresh rendering.
func saveTo(w fyne.URIWriteCloser, exts []string, render func(io.Writer, string) error, pre []byte, preExt string) error {
	_, err := savedTo(w, exts, render, pre, preExt)
	return err
}

// savedTo is saveTo, returning where the export went (a path, or the
// URI of a location that is no local file).
func savedTo(w fyne.URIWriteCloser, exts []string, render func(io.Writer, string) error, pre []byte, preExt string) (string, error) {
	u := w.URI()
	ext := extOf(u.Name())
	data := func(ext string) ([]byte, error) {
		if ext == preExt {
			return pre, nil
		}
		var buf bytes.Buffer
		err := render(&buf, ext)
		return buf.Bytes(), err
	}
	if u.Scheme() != "file" {
		var b []byte
		err := ErrFormat
		if slices.Contains(exts, ext) {
			b, err = data(ext)
		}
		if err == nil {
			_, err = w.Write(b)
		}
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return "", fmt.Errorf("save %s: %w", u.Name(), err)
		}
		return u.String(), nil
	}
	w.Close()
	path := u.Path()
	if !slices.Contains(exts, ext) && len(exts) > 0 {
		// "report" typed without ".html": the dialog made an empty
		// "report"; write "report.html" instead.
		if st, err := os.Stat(path); err == nil && st.Size() == 0 {
			os.Remove(path)
		}
		ext = exts[0]
		path += "." + ext
	}
	b, err := data(ext)
	if err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return path, writeFileAtomic(path, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
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

// tsv lays a table out as tab-separated lines, the form spreadsheets
// paste into cells; tabs and line breaks inside cells become spaces.
func tsv(head []string, rows [][]string) string {
	var b strings.Builder
	clean := strings.NewReplacer("\t", " ", "\n", " ", "\r", " ")
	line := func(cells []string) {
		for i, c := range cells {
			if i > 0 {
				b.WriteByte('\t')
			}
			b.WriteString(clean.Replace(c))
		}
		b.WriteByte('\n')
	}
	line(head)
	for _, r := range rows {
		line(r)
	}
	return b.String()
}

// copyText puts text on the system clipboard.
func copyText(text string) {
	if app := fyne.CurrentApp(); app != nil {
		app.Clipboard().SetContent(text)
	}
}
