// Package ui is dyadcode's coding window (Fyne): the start screen, the
// coding view (video, transport, coding keys, events table, timeline) and
// the dialogs around them. The backends (store, media) never import Fyne;
// their callbacks reach the UI goroutine through fyne.Do, wrapped here.
package ui

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/dialog"

	"dyadcode/annotate"
	"dyadcode/app"
	"dyadcode/store"
)

// AppID names the app for Fyne's preferences and the desktop file.
const AppID = "org.dyadcode.dyadcode"

// Options say what the window opens with.
type Options struct {
	// Project is the project file to open; "" opens the last project, or
	// the demo on first start.
	Project string
	// DataDir is where the demo project and other per-user data live; ""
	// is $XDG_DATA_HOME/dyadcode or ~/.local/share/dyadcode.
	DataDir string
	// Coder and Video, when both set, go straight to coding: the coder's
	// observation of the video (found by path, name or ID) is opened, or
	// made. Observation opens one by ID.
	Coder, Video, Observation string
	// Engine is the media engine (required): it probes added videos,
	// opens the player and reads the waveform. cmd/dyadcode passes
	// app.Media{Audio: true}; tests a silent one.
	Engine app.Engine

	// sched is fyneScheduler() unless a test sets it.
	sched *scheduler
}

// ErrNoEngine: Options.Engine was not set.
var ErrNoEngine = errors.New("ui: no media engine in the options")

// Preference keys.
const (
	prefLastProject = "lastProject"
	prefRecent      = "recentProjects" // paths joined by "\n", newest first
	prefCoder       = "coder"
	prefWinW        = "windowWidth"
	prefWinH        = "windowHeight"
	prefLastObs     = "lastObservation:" // + project path
	maxRecent       = 10
)

// Run creates the application, opens the window and blocks until it is
// closed.
func Run(opt Options) error {
	if opt.Engine == nil {
		return ErrNoEngine
	}
	a := fyneapp.NewWithID(AppID)
	w, err := LoadUI(a, opt)
	if err != nil {
		return err
	}
	w.ShowAndRun()
	return nil
}

// LoadUI builds the window on a (the real app, or test.NewApp() in tests)
// and opens what opt says. Problems opening the project are shown in the
// window (a dialog over the start screen), not returned: the coder can
// still pick another project. The error is for a window that cannot be
// made at all.
func LoadUI(a fyne.App, opt Options) (fyne.Window, error) {
	s, err := load(a, opt)
	if err != nil {
		return nil, err
	}
	return s.win, nil
}

// shell is the window: it owns the open project and the view inside.
type shell struct {
	app    fyne.App
	win    fyne.Window
	opt    Options
	prefs  fyne.Preferences
	engine app.Engine // the media engine, from Options
	sched  scheduler  // how work crosses goroutines

	proj  *store.Project
	view  *codingView
	obsID string
	coder string

	review   reviewWindows
	undoItem *fyne.MenuItem
	redoItem *fyne.MenuItem
	editMenu *fyne.Menu

	pos      annotate.Time // last position seen, saved now and then
	posSaved annotate.Time
	// posPending: a position save is scheduled.
	posPending bool
	closed     bool

	lab *labSync // background sync of a project linked to a lab (lab.go)
}

func load(a fyne.App, opt Options) (*shell, error) {
	if opt.Engine == nil {
		return nil, ErrNoEngine
	}
	a.Settings().SetTheme(newDenseTheme())
	s := &shell{app: a, opt: opt, prefs: a.Preferences(), engine: opt.Engine, sched: fyneScheduler()}
	if opt.sched != nil {
		s.sched = *opt.sched
	}
	if s.opt.DataDir == "" {
		d, err := app.DataDir()
		if err != nil {
			return nil, err
		}
		s.opt.DataDir = d
	}
	s.coder = s.prefs.String(prefCoder)
	if opt.Coder != "" {
		s.coder = opt.Coder
	}
	s.win = a.NewWindow("dyadcode")
	s.win.SetMaster()
	w, h := s.prefs.FloatWithFallback(prefWinW, 1366), s.prefs.FloatWithFallback(prefWinH, 740)
	s.win.Resize(fyne.NewSize(float32(max(640, w)), float32(max(480, h))))
	s.win.SetCloseIntercept(func() { s.quit() })
	s.win.SetOnDropped(s.dropped)
	s.setMenus()

	path := opt.Project
	if path == "" {
		path = s.prefs.String(prefLastProject)
		if path != "" {
			if _, err := os.Stat(path); err != nil {
				path = "" // moved or deleted since: fall back to the demo
			}
		}
	}
	if path == "" && opt.Project == "" {
		if p, err := app.EnsureDemo(s.opt.DataDir, s.engine); err == nil {
			path = p
		} else {
			s.showError("Could not set up the demo project", err, "You can still create or open a project from the start screen.")
		}
	}
	s.showStart()
	if path != "" {
		s.openProject(path, true)
	}
	return s, nil
}

// openProject opens a project file and shows its observations, or goes
// straight to coding when the options or the last session say which
// observation.
func (s *shell) openProject(path string, resume bool) {
	s.closeProject()
	p, err := app.OpenProject(path, false)
	if err != nil {
		s.showError("Could not open "+filepath.Base(path), err, app.ProjectAdvice(err))
		s.showStart()
		return
	}
	s.proj = p
	s.rememberProject(path)
	s.startLabSync()
	s.showStart()
	switch {
	case s.opt.Observation != "":
		id := s.opt.Observation
		s.opt.Observation = ""
		s.openObservation(id)
	case s.opt.Video != "" && s.coder != "":
		vid := s.opt.Video
		s.opt.Video = ""
		s.codeVideo(vid, s.coder)
	case resume:
		if id := s.prefs.String(prefLastObs + path); id != "" {
			if _, err := p.Observation(id); err == nil {
				s.openObservation(id)
			}
		}
	}
}

func (s *shell) rememberProject(path string) {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	s.prefs.SetString(prefLastProject, path)
	recent := []string{path}
	for _, r := range s.recentProjects() {
		if r != path && len(recent) < maxRecent {
			recent = append(recent, r)
		}
	}
	s.prefs.SetString(prefRecent, strings.Join(recent, "\n"))
}

func (s *shell) recentProjects() []string {
	var out []string
	for _, r := range strings.Split(s.prefs.String(prefRecent), "\n") {
		if r != "" {
			out = append(out, r)
		}
	}
	return out
}

// codeVideo opens coder's observation of a video (by path, name or ID),
// making a new one when the coder has none (app.ObservationFor).
func (s *shell) codeVideo(video, coder string) {
	id, _, err := app.ObservationFor(s.proj, video, coder)
	if err != nil {
		s.observationError(err)
		return
	}
	s.setCoder(strings.TrimSpace(coder))
	s.openObservation(id)
}

// observationError says why an observation could not be opened or made.
func (s *shell) observationError(err error) {
	switch {
	case errors.Is(err, app.ErrNoCoder):
		s.showError("Who is coding?", err, "Type your name in the Coder box first: every observation records who coded it.")
	case errors.Is(err, store.ErrNotFound):
		s.showError("No such video in the project", err, "Add it with File ▸ Add video, or pick one on the start screen.")
	default:
		s.showError("Could not start coding", err, "")
	}
}

func (s *shell) setCoder(c string) {
	s.coder = c
	s.prefs.SetString(prefCoder, c)
}

// openObservation shows the coding view on one observation.
func (s *shell) openObservation(id string) {
	if s.proj == nil {
		return
	}
	s.closeView()
	o, err := s.proj.Observation(id)
	if err != nil {
		s.showError("Could not open observation "+id, err, "Pick another observation on the start screen.")
		return
	}
	undo, redo, err := s.proj.History(id)
	if err != nil {
		s.showError("Could not read the undo history of observation "+id, err, "Coding works; only undo of earlier sessions is lost.")
		undo, redo = nil, nil
	}
	video, err := s.proj.Video(o.Video)
	if err != nil {
		s.showError("The observation's video is missing from the project", err, "")
		return
	}
	ed := annotate.NewEditor(o, s.proj.Scheme(), s.proj, undo, redo)
	// Every key, drag and table edit stays inside the video.
	ed.Duration = video.Duration
	s.obsID = id
	s.prefs.SetString(prefLastObs+s.proj.Path(), id)
	s.pos, s.posSaved = o.Position, o.Position
	v := newCodingView(s.win, ed, video, nil, "opening the video…", codingHooks{
		uiDo:   s.sched.uiDo,
		fail:   func(what string, err error) { s.showError(what, err, app.EditAdvice(err)) },
		edited: func(annotate.Change) { s.updateUndoMenu(); s.reviewEdited() },
		moved:  s.moved,
	})
	v.showHelp = s.showHelp
	s.view = v
	s.win.SetContent(v.content)
	v.bindKeys(s.win.Canvas())
	s.win.Canvas().Unfocus()
	s.updateTitle()
	s.setMenus()
	s.attachMedia(v, video)
	s.attachViews(v)
}

// moved remembers the position on screen. It is saved (a durable write)
// at most every two seconds, and when the observation closes: a write per
// frame or per arrow key would put an fsync on the UI goroutine each time.
func (s *shell) moved(t annotate.Time) {
	s.pos = t
	if s.posPending || s.pos == s.posSaved {
		return
	}
	s.posPending = true
	time.AfterFunc(2*time.Second, func() {
		s.sched.uiDo(func() {
			s.posPending = false
			s.savePosition()
		})
	})
}

func (s *shell) savePosition() {
	if s.proj == nil || s.obsID == "" || s.pos == s.posSaved {
		return
	}
	if err := s.proj.SetPosition(s.obsID, s.pos); err != nil {
		fyne.LogError("save position", err) // not worth a dialog: the coding is safe
		return
	}
	s.posSaved = s.pos
}

func (s *shell) updateTitle() {
	parts := []string{"dyadcode"}
	if s.proj != nil {
		parts = append(parts, strings.TrimSuffix(filepath.Base(s.proj.Path()), ".dyad"))
	}
	if s.view != nil {
		parts = append(parts, filepath.Base(s.view.video.Path), s.view.ed.Obs.Coder)
	}
	if l := s.labLabel(); l != "" {
		parts = append(parts, l)
	}
	s.win.SetTitle(strings.Join(parts, " — "))
}

// closeView leaves the coding view, saving where the coder was.
func (s *shell) closeView() {
	if s.view == nil {
		return
	}
	s.closeReview()
	s.pos = s.view.close()
	s.savePosition()
	unbindKeys(s.win.Canvas())
	s.view = nil
	s.obsID = ""
}

func (s *shell) closeProject() {
	s.closeView()
	if w := s.review.agreementWin; w != nil {
		w.Close() // the comparison belongs to the project
	}
	s.stopLabSync()
	if s.proj != nil {
		if err := s.proj.Close(); err != nil {
			fyne.LogError("close project", err)
		}
		s.proj = nil
	}
}

// quit closes everything in order. Every edit is already on disk; this
// saves the position and window size and releases the project's lock.
func (s *shell) quit() {
	if s.closed {
		return
	}
	s.closed = true
	if sz := s.win.Canvas().Size(); sz.Width > 0 {
		s.prefs.SetFloat(prefWinW, float64(sz.Width))
		s.prefs.SetFloat(prefWinH, float64(sz.Height))
	}
	s.closeProject()
	s.win.Close()
	s.app.Quit()
}

func (s *shell) dropped(_ fyne.Position, uris []fyne.URI) {
	var videos []string
	for _, u := range uris {
		if u.Scheme() != "file" {
			continue
		}
		if strings.EqualFold(filepath.Ext(u.Path()), ".dyad") {
			s.openProject(u.Path(), true)
			return
		}
		videos = append(videos, u.Path())
	}
	if len(videos) == 0 {
		return
	}
	if s.proj == nil {
		s.showError("No project open", errors.New("videos need a project"), "Open or create a project first, then drop the videos on the window.")
		return
	}
	s.addVideos(videos)
}

// showError shows what went wrong and what to do; the window keeps
// working.
func (s *shell) showError(what string, err error, advice string) {
	fyne.LogError(what, err)
	msg := what + "\n\n" + err.Error()
	if advice != "" {
		msg += "\n\n" + advice
	}
	d := dialog.NewInformation("Problem", wrapText(msg, 70), s.win)
	if s.view != nil {
		s.view.track(d) // Escape or Return dismisses it
	} else {
		d.SetOnClosed(func() { s.win.Canvas().Unfocus() })
	}
	d.Show()
}

// wrapText breaks long lines at spaces so dialogs stay narrow.
func wrapText(s string, width int) string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		for len([]rune(line)) > width {
			r := []rune(line)
			cut := strings.LastIndex(string(r[:width]), " ")
			if cut <= 0 {
				cut = len(string(r[:width]))
			}
			out = append(out, line[:cut])
			line = strings.TrimLeft(line[cut:], " ")
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}
