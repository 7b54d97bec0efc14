package ui

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"dyadcode/annotate/csvio"
	"dyadcode/app"
	"dyadcode/ui/saveas"
)

// exportDialog asks where to export the project's CSV; the output checks
// (never over a project or a video) run on the chosen name before anything
// is written, and again when writing.
func (s *shell) exportDialog() *saveas.Chooser { return s.exportCSVDialog(false) }

// exportExcelDialog is Export CSV for Excel…: the same file with a UTF-8
// byte-order mark, without which Excel on Windows reads "Zoë" as "ZoÃ«".
func (s *shell) exportExcelDialog() *saveas.Chooser { return s.exportCSVDialog(true) }

func (s *shell) exportCSVDialog(excel bool) *saveas.Chooser {
	if s.proj == nil {
		s.showError("No project open", fmt.Errorf("nothing to export"), "Open a project first.")
		return nil
	}
	name := strings.TrimSuffix(filepath.Base(s.proj.Path()), ".dyad") + ".csv"
	title := "Export CSV"
	if excel {
		title = "Export CSV for Excel"
	}
	return s.saveFileDialog(title, name, filepath.Dir(s.proj.Path()), []string{"csv"}, app.CheckOutput,
		func(path string) { s.exportCSV(path, csvio.Options{BOM: excel}) })
}

// export writes the plain CSV (R, SPSS, pandas) to path.
func (s *shell) export(path string) { s.exportCSV(path, csvio.Options{}) }

// exportCSV runs the export off the UI goroutine behind a progress bar.
func (s *shell) exportCSV(path string, opt csvio.Options) {
	proj := s.proj
	bar := widget.NewProgressBar()
	prog := dialog.NewCustomWithoutButtons("Exporting CSV", container.NewVBox(widget.NewLabel(filepath.Base(path)), bar), s.win)
	prog.Resize(fyne.NewSize(420, 120))
	prog.Show()
	s.sched.spawn(func() {
		n, err := app.ExportCSVWith(proj, path, opt, func(done, total int) {
			s.sched.uiDo(func() { bar.SetValue(float64(done) / float64(total)) })
		})
		s.sched.uiDo(func() {
			prog.Hide()
			if err != nil {
				s.showError("Export failed", err, exportAdvice(err))
				return
			}
			msg := fmt.Sprintf("Exported %d observations to %s", n, path)
			if s.view != nil {
				s.view.setStatus(msg)
			} else {
				dialog.ShowInformation("Export", msg, s.win)
			}
		})
	})
}

// exportAdvice says what to do when an export is refused or fails.
func exportAdvice(err error) string {
	if errors.Is(err, app.ErrOutputIsProject) || errors.Is(err, app.ErrOutputIsVideo) {
		return "Nothing was written; the file is unchanged. Choose another file name."
	}
	return "Choose a folder you can write to; the project itself is unchanged."
}
