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
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"dyadcode/app"
	"dyadcode/ui/saveas"
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
// there. It renders once before the chooser opens, so what could fail (no
// scheme, nothing computed) is reported before the user picks a file. The
// chosen name must pass app.CheckOutput (never over a project or a video:
// refused naming the file, which keeps every byte); a name without one of
// exts gets the first; the file is written whole or not at all. The
// chooser (package saveas) never opens the file itself, unlike Fyne's save
// dialog, which truncates it on confirmation.
func saveDialog(win fyne.Window, title, fileName string, exts []string, render func(w io.Writer, ext string) error) *saveas.Chooser {
	if win == nil {
		return nil
	}
	var pre bytes.Buffer
	preExt := extOf(fileName)
	if err := render(&pre, preExt); err != nil {
		dialog.ShowError(err, win)
		return nil
	}
	return saveas.Show(win, saveas.Options{Title: title, Name: fileName, Exts: exts, Check: app.CheckOutput}, func(path string) {
		if err := saveTo(path, render, pre.Bytes(), preExt); err != nil {
			dialog.ShowError(err, win)
			return
		}
		// Say where it went: the supervisor's next step is to open it.
		log.Print("saved ", path)
		dialog.ShowInformation("Saved", "Saved to\n"+path, win)
	})
}

// saveTo writes the export to path: pre when the path's extension is
// preExt, else a fresh rendering.
func saveTo(path string, render func(io.Writer, string) error, pre []byte, preExt string) error {
	ext := extOf(path)
	if ext == preExt {
		return writeFileAtomic(path, func(w io.Writer) error { _, err := w.Write(pre); return err })
	}
	return writeFileAtomic(path, func(w io.Writer) error { return render(w, ext) })
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
