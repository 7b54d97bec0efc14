package ui

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"dyadcode/annotate"
	"dyadcode/annotate/csvio"
	"dyadcode/internal/atomicfile"
	"dyadcode/store"
)

// exportCSV writes every observation of the project to path in dyadcode's
// CSV format. It reports progress per observation read, and writes through
// a temporary file renamed into place, so a crash never leaves half a file
// under the chosen name.
func exportCSV(p *store.Project, path string, progress func(done, total int)) (int, error) {
	infos, err := p.Observations()
	if err != nil {
		return 0, err
	}
	recs := make([]annotate.Transfer, 0, len(infos))
	for i, in := range infos {
		tr, err := p.Transfer(in.ID)
		if err != nil {
			return 0, err
		}
		recs = append(recs, tr)
		if progress != nil {
			progress(i+1, len(infos)+1)
		}
	}
	if err := atomicfile.Write(path, func(w io.Writer) error { return csvio.Write(w, recs, p.Scheme()) }); err != nil {
		return 0, fmt.Errorf("export %s: %w", path, err)
	}
	if progress != nil {
		progress(len(infos)+1, len(infos)+1)
	}
	return len(recs), nil
}

func (s *shell) exportDialog() {
	if s.proj == nil {
		s.showError("No project open", fmt.Errorf("nothing to export"), "Open a project first.")
		return
	}
	name := strings.TrimSuffix(filepath.Base(s.proj.Path()), ".dyad") + ".csv"
	s.saveFileDialog(name, filepath.Dir(s.proj.Path()), s.export)
}

// export runs exportCSV off the UI goroutine behind a progress bar.
func (s *shell) export(path string) {
	proj := s.proj
	bar := widget.NewProgressBar()
	prog := dialog.NewCustomWithoutButtons("Exporting CSV", container.NewVBox(widget.NewLabel(filepath.Base(path)), bar), s.win)
	prog.Resize(fyne.NewSize(420, 120))
	prog.Show()
	spawn(func() {
		n, err := exportCSV(proj, path, func(done, total int) {
			uiDo(func() { bar.SetValue(float64(done) / float64(total)) })
		})
		uiDo(func() {
			prog.Hide()
			if err != nil {
				s.showError("Export failed", err, "Choose a folder you can write to; the project itself is unchanged.")
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
