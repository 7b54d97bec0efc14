package ui

import (
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"

	"dyadcode/ui/saveas"
)

// The file choosers (new project, open project, add video, export) behave
// alike: the video pauses while the coder chooses, a failure to choose is
// reported, a cancel does nothing, and the command gets a plain path, since
// the project store, the media engine and the CSV writer all work on paths
// rather than Fyne's URIs.

// openFileDialog asks for an existing file with one of exts (all files
// when exts is empty) and hands its path to use.
func (s *shell) openFileDialog(exts []string, use func(path string)) {
	s.openFileDialogIn("", exts, use)
}

// openFileDialogIn is openFileDialog starting in folder dir (the dialog's
// last folder when dir is empty or cannot be listed).
func (s *shell) openFileDialogIn(dir string, exts []string, use func(path string)) {
	s.pauseView()
	d := dialog.NewFileOpen(chosenPath[fyne.URIReadCloser](s, use), s.win)
	if len(exts) > 0 {
		d.SetFilter(storage.NewExtensionFileFilter(exts))
	}
	if dir != "" {
		if l, err := storage.ListerForURI(storage.NewFileURI(filepath.Clean(dir))); err == nil {
			d.SetLocation(l)
		}
	}
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// saveFileDialog asks where to write a file, proposing name in folder dir
// (the home folder when dir is empty), and hands the chosen path to use
// once check (may be nil) has passed it and, for a file that exists, the
// user has agreed to replace it. Nothing is opened or truncated on the way
// (see package saveas).
func (s *shell) saveFileDialog(title, name, dir string, exts []string, check func(string) error, use func(path string)) *saveas.Chooser {
	s.pauseView()
	return saveas.Show(s.win, saveas.Options{Title: title, Name: name, Dir: dir, Exts: exts, Check: check}, use)
}

// pauseView stops playback so the video does not run on behind a dialog.
func (s *shell) pauseView() {
	if s.view != nil {
		s.view.pause()
	}
}

// uriFile is what a file dialog hands back: the chosen file, opened.
type uriFile interface {
	URI() fyne.URI
	Close() error
}

// chosenPath adapts use to a file dialog's callback: an error is shown, a
// cancel (no file) ignored, and the file the dialog opened is closed before
// use gets its path.
func chosenPath[F uriFile](s *shell, use func(path string)) func(F, error) {
	return func(f F, err error) {
		if err != nil {
			s.showError("Could not choose the file", err, "")
			return
		}
		if any(f) == nil {
			return
		}
		path := f.URI().Path()
		if err := f.Close(); err != nil {
			fyne.LogError("close "+path, err)
		}
		use(path)
	}
}
