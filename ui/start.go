package ui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"dyadcode/annotate"
	"dyadcode/app"
	"dyadcode/store"
	"dyadcode/ui/saveas"
)

// videoExts are the files the add-video dialog offers.
var videoExts = []string{".mp4", ".m4v", ".mov", ".avi", ".mkv", ".webm", ".mts", ".m2ts", ".ts", ".mpg", ".mpeg", ".wmv", ".MP4", ".MOV", ".AVI", ".MKV"}

// startScreen is what the window shows with no observation open: projects
// on the left; the open project's videos, coder and observations on the
// right.
type startScreen struct {
	coder     *widget.SelectEntry
	videos    []annotate.Video
	obs       []store.ObservationInfo
	videoSel  int
	videoList *widget.List
	obsList   *widget.List
	codeBtn   *widget.Button
}

// showStart replaces the window's content with the start screen (closing
// the coding view, whose work is already saved).
func (s *shell) showStart() {
	s.closeView()
	s.setMenus()
	s.updateTitle()
	s.win.SetContent(s.startContent())
}

func (s *shell) startContent() fyne.CanvasObject {
	title := widget.NewRichTextFromMarkdown("# dyadcode\nFrame-exact coding of caregiver–child interaction.")
	newBtn := widget.NewButtonWithIcon("New project…", theme.DocumentCreateIcon(), func() { s.newProjectDialog() })
	openBtn := widget.NewButtonWithIcon("Open project…", theme.FolderOpenIcon(), s.openProjectDialog)
	demoBtn := widget.NewButtonWithIcon("Open demo", theme.MediaVideoIcon(), s.openDemo)
	recent := s.recentProjects()
	recentList := widget.NewList(func() int { return len(recent) },
		func() fyne.CanvasObject {
			name := canvas.NewText("name", theme.Color(theme.ColorNameForeground))
			name.TextStyle = fyne.TextStyle{Bold: true}
			dir := canvas.NewText("dir", theme.Color(theme.ColorNamePlaceHolder))
			dir.TextSize = theme.CaptionTextSize()
			return container.NewPadded(container.NewVBox(name, dir))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			b := o.(*fyne.Container).Objects[0].(*fyne.Container)
			name := b.Objects[0].(*canvas.Text)
			name.Text = strings.TrimSuffix(filepath.Base(recent[i]), ".dyad")
			name.Refresh()
			dir := b.Objects[1].(*canvas.Text)
			dir.Text = filepath.Dir(recent[i])
			dir.Refresh()
		})
	recentList.OnSelected = func(i widget.ListItemID) {
		recentList.UnselectAll()
		if i >= 0 && i < len(recent) {
			s.openProject(recent[i], false)
		}
	}
	tips := widget.NewRichTextFromMarkdown("**How coding works**\n\n" +
		"- Pick a video and type your name, then *Code selected video*.\n" +
		"- Each behaviour key tags the frame on screen, playing or paused; a state's key starts it, pressing it again stops it.\n" +
		"- Every key press is saved to the project file at once: closing never loses work.\n" +
		"- Space plays, ←/→ step one frame, F1 lists every key.")
	tips.Wrapping = fyne.TextWrapWord
	left := container.NewBorder(
		container.NewVBox(title, newBtn, openBtn, demoBtn, widget.NewSeparator(),
			widget.NewLabelWithStyle("Recent projects", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})),
		container.NewVBox(widget.NewSeparator(), tips), nil, nil, recentList)
	var right fyne.CanvasObject
	if s.proj == nil {
		right = container.NewCenter(widget.NewLabel("Open a project, make a new one, or try the demo.\nYou can also drop a .dyad file on this window."))
	} else {
		right = s.projectPane()
	}
	split := container.NewHSplit(container.NewPadded(left), container.NewPadded(right))
	split.Offset = 0.3
	return split
}

func (s *shell) projectPane() fyne.CanvasObject {
	st := &startScreen{videoSel: -1}
	var err error
	if st.videos, err = s.proj.Videos(); err != nil {
		s.showError("Could not list the project's videos", err, "")
	}
	if st.obs, err = s.proj.Observations(); err != nil {
		s.showError("Could not list the project's observations", err, "")
	}
	sort.SliceStable(st.obs, func(i, j int) bool { return st.obs[i].Modified.After(st.obs[j].Modified) })
	coders, _ := s.proj.Coders()
	st.coder = widget.NewSelectEntry(coders)
	st.coder.SetPlaceHolder("your name")
	st.coder.SetText(s.coder)
	st.coder.OnChanged = func(c string) { s.setCoder(strings.TrimSpace(c)) }
	// Enter in the coder box starts coding the selected video: the start
	// screen works from the keyboard too (Tab to the box, type, Enter).
	st.coder.OnSubmitted = func(string) {
		if st.codeBtn != nil && !st.codeBtn.Disabled() {
			st.codeBtn.OnTapped()
		}
	}

	head := widget.NewRichTextFromMarkdown(fmt.Sprintf("## %s\n%s", strings.TrimSuffix(filepath.Base(s.proj.Path()), ".dyad"), s.proj.Path()))
	addBtn := widget.NewButtonWithIcon("Add video…", theme.ContentAddIcon(), s.addVideoDialog)
	st.codeBtn = widget.NewButtonWithIcon("Code selected video", theme.MediaPlayIcon(), func() {
		if st.videoSel < 0 || st.videoSel >= len(st.videos) {
			s.showError("Which video?", errors.New("no video selected"), "Click a video in the list first.")
			return
		}
		s.setCoder(strings.TrimSpace(st.coder.Text))
		s.codeVideo(st.videos[st.videoSel].ID, s.coder)
	})
	st.codeBtn.Importance = widget.HighImportance
	st.codeBtn.Disable()
	st.videoList = widget.NewList(func() int { return len(st.videos) },
		func() fyne.CanvasObject {
			return container.NewGridWithColumns(2, widget.NewLabel("video"), widget.NewLabel("info"))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			v := st.videos[i]
			g := o.(*fyne.Container)
			name := g.Objects[0].(*widget.Label)
			name.Truncation = fyne.TextTruncateEllipsis
			name.SetText(filepath.Base(v.Path))
			info := fmt.Sprintf("%s · %d frames · %.3g fps", v.Duration.Clock(), v.Frames, v.Rate.Float())
			if _, err := os.Stat(v.Path); err != nil {
				info = "missing: " + v.Path
			}
			g.Objects[1].(*widget.Label).SetText(info)
		})
	st.videoList.OnSelected = func(i widget.ListItemID) {
		st.videoSel = i
		st.codeBtn.Enable()
	}
	if len(st.videos) > 0 {
		st.videoList.Select(0)
	}
	obsHeader := container.NewGridWithColumns(4,
		bold("Video"), bold("Coder"), bold("Events"), bold("Last edit"))
	st.obsList = widget.NewList(func() int { return len(st.obs) },
		func() fyne.CanvasObject {
			return container.NewGridWithColumns(4, widget.NewLabel("v"), widget.NewLabel("c"), widget.NewLabel("n"), widget.NewLabel("t"))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			in := st.obs[i]
			g := o.(*fyne.Container)
			vname := filepath.Base(in.VideoPath)
			if vname == "." || vname == "" {
				vname = in.Video
			}
			g.Objects[0].(*widget.Label).SetText(vname)
			g.Objects[1].(*widget.Label).SetText(in.Coder)
			g.Objects[2].(*widget.Label).SetText(fmt.Sprint(in.Events))
			g.Objects[3].(*widget.Label).SetText(in.Modified.Local().Format("2006-01-02 15:04"))
			for _, l := range g.Objects {
				l.(*widget.Label).Truncation = fyne.TextTruncateEllipsis
			}
		})
	st.obsList.OnSelected = func(i widget.ListItemID) {
		if i >= 0 && i < len(st.obs) {
			s.openObservation(st.obs[i].ID)
		}
	}
	videos := container.NewBorder(
		container.NewBorder(nil, nil, bold("Videos"), container.NewHBox(addBtn),
			widget.NewLabelWithStyle("or drop video files on this window", fyne.TextAlignCenter, fyne.TextStyle{Italic: true})),
		container.NewBorder(nil, nil, widget.NewLabel("Coder"), st.codeBtn, st.coder),
		nil, nil, st.videoList)
	observations := container.NewBorder(
		container.NewVBox(bold("Observations (click one to open it)"), obsHeader), nil, nil, nil, st.obsList)
	split := container.NewVSplit(videos, observations)
	split.Offset = 0.36
	return container.NewBorder(head, nil, nil, nil, split)
}

func bold(s string) *widget.Label {
	return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// newProjectDialog asks where the new project goes: beside the open
// project, under a name no file has ("study 2" beside study.dyad), and
// app.CheckNewProject refuses a name that is taken, naming it. The chooser
// never opens a file (package saveas), so no project is ever replaced.
func (s *shell) newProjectDialog() *saveas.Chooser {
	dir, base := "", "study"
	if s.proj != nil {
		dir = filepath.Dir(s.proj.Path())
		base = strings.TrimSuffix(filepath.Base(s.proj.Path()), ".dyad")
	} else if home, err := os.UserHomeDir(); err == nil {
		dir = home
	}
	return s.saveFileDialog("New project", app.FreeProjectName(dir, base)+".dyad", dir, []string{"dyad"}, app.CheckNewProject, s.createProject)
}

// createProject makes a project with the default Strange Situation scheme
// and opens it.
func (s *shell) createProject(path string) {
	if err := app.CreateProject(path, nil); err != nil {
		s.showError("Could not create "+filepath.Base(path), err, app.ProjectAdvice(err))
		return
	}
	s.openProject(path, false)
}

func (s *shell) openProjectDialog() {
	s.openFileDialog([]string{".dyad"}, func(path string) { s.openProject(path, true) })
}

func (s *shell) openDemo() {
	p, err := app.EnsureDemo(s.opt.DataDir, s.engine)
	if err != nil {
		s.showError("Could not set up the demo project", err, "Check that "+s.opt.DataDir+" is writable.")
		return
	}
	s.openProject(p, true)
}

func (s *shell) addVideoDialog() {
	if s.proj == nil {
		s.showError("No project open", errors.New("videos belong to a project"), "Open or create a project first.")
		return
	}
	s.openFileDialog(videoExts, func(path string) { s.addVideos([]string{path}) })
}

// addVideos adds files to the project under app.AddVideo's rules (the
// command line's: no project files or folders, nothing that is no video;
// a damaged video recorded with a warning; a known one re-probed), off
// the UI goroutine (an exact frame count reads the whole file), then
// reports what was refused and what was added with a warning.
func (s *shell) addVideos(paths []string) {
	proj := s.proj
	bar := widget.NewProgressBar()
	label := widget.NewLabel("")
	prog := dialog.NewCustomWithoutButtons("Adding videos", container.NewVBox(label, bar), s.win)
	prog.Resize(fyne.NewSize(420, 120))
	prog.Show()
	s.sched.spawn(func() {
		var refused, warned []error
		for i, path := range paths {
			s.sched.uiDo(func() {
				label.SetText(filepath.Base(path))
				bar.SetValue(float64(i) / float64(len(paths)))
			})
			a, err := app.AddVideo(proj, s.engine, path)
			switch {
			case err != nil:
				refused = append(refused, err)
			case a.Warning != nil:
				warned = append(warned, a.Warning)
			}
		}
		s.sched.uiDo(func() {
			prog.Hide()
			if len(refused) > 0 {
				s.showError("Some files were not added", errors.Join(refused...), app.VideoAdvice(refused[0]))
			}
			if len(warned) > 0 {
				s.showError("Added, but damaged", errors.Join(warned...), "The video can be coded up to the damage; a repaired copy (dyadcode proxy) plays better.")
			}
			if s.proj == proj && s.view == nil {
				s.showStart()
			}
		})
	})
}
