package ui

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"log"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"dyadcode/annotate"
	"dyadcode/media/audio"
)

// speeds are the playback rates Up/Down step through.
var speeds = []float64{0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 4}

// codingHooks connect the coding view to the window around it.
type codingHooks struct {
	// fail reports an error in a dialog; the view keeps working.
	fail func(what string, err error)
	// edited runs after every committed edit (title, menus).
	edited func(ch annotate.Change)
	// moved runs when the frame on screen changes, so the shell can save
	// the position now and then.
	moved func(t annotate.Time)
	// uiDo hands the player's frames to the UI goroutine.
	uiDo func(f func())
}

// codingView is the coding window's main area: the video with its
// transport, the coding buttons, the events table and the timeline. Every
// edit goes through ed, whose journal is the project file, so what the
// coder sees has already been committed.
type codingView struct {
	win   fyne.Window
	ed    *annotate.Editor
	video annotate.Video
	hooks codingHooks

	// Transport (transport.go): the player and where the video is.
	player    Player // nil when the video cannot be decoded: coding still works
	why       string // why there is no player
	box       frameBox
	cur       frame // the frame on screen (Image unused): tags are made at its time
	img       *canvas.Image
	noVideo   *canvas.Text
	clock     *canvas.Text
	frameLbl  *textLine
	episode   *textLine
	speedLbl  *widget.Label
	playBtn   *widget.Button
	scrub     *widget.Slider
	scrubbing bool // scrub value set by code, not by the coder
	lastView  fyne.Size
	// endNoted: the states running at the last frame were pointed out.
	endNoted bool

	// Tagging (tagging.go, keys.go): the coding keys and what shows the
	// observation's events.
	panel    *codePanel
	tl       timelineView
	stopWave context.CancelFunc // cancels the waveform being computed
	// repeatGuard: the driver reports physical key presses (keyDown), so
	// auto-repeated coding keys can be told apart and ignored; fresh: a
	// press not yet used by a coding key.
	repeatGuard, fresh bool

	// Selection (selection.go): the event the editing keys act on.
	selected annotate.EventID
	events   *eventsTable
	// tableNav: the selection was picked in the events table, so ↑/↓ walk
	// its rows and Enter jumps, until Escape or a pick elsewhere.
	tableNav bool

	// The frame around them: status line, dialogs, help.
	status   *textLine
	content  fyne.CanvasObject
	showHelp func()
	// dlg is the dialog open over the view, closed by Escape.
	dlg dialog.Dialog

	views *viewsPane // the session's further cameras (views.go)
}

// timelineView is the part of the timeline widget the view drives; nil
// until one is attached.
type timelineView interface {
	// widget is what goes in the layout: the timeline widget itself, so its
	// own Refresh calls reach the renderer on screen.
	widget() fyne.CanvasObject
	setEdits(o *annotate.Observation, s *annotate.Scheme, end annotate.Time)
	setPlayhead(t annotate.Time)
	setWaveform(p []audio.Peak)
	selectEvent(id annotate.EventID)
	zoomIn()
	zoomOut()
	zoomAll()
}

func newCodingView(win fyne.Window, ed *annotate.Editor, video annotate.Video, p Player, why string, hooks codingHooks) *codingView {
	v := &codingView{win: win, ed: ed, video: video, player: p, why: why, hooks: hooks}
	v.box.show = v.display
	v.box.uiDo = hooks.uiDo
	v.build()
	start := ed.Obs.Position
	if p == nil {
		v.cur = frame{Index: v.frameAt(start), Time: v.timeOf(v.frameAt(start))}
		v.updatePosition()
	} else if start > 0 {
		if err := p.Seek(start); err != nil {
			v.fail("Could not return to where you left off", err)
		}
	}
	v.refreshEdits()
	return v
}

// frames pushes a frame from the player's goroutine.
func (v *codingView) frames(f frame) { v.box.put(f) }

func (v *codingView) build() {
	v.img = canvas.NewImageFromImage(nil)
	v.img.FillMode = canvas.ImageFillContain
	v.img.ScaleMode = canvas.ImageScaleFastest
	v.noVideo = canvas.NewText("", color.NRGBA{R: 200, G: 200, B: 200, A: 255})
	v.noVideo.Alignment = fyne.TextAlignCenter
	if v.player == nil {
		msg := "No picture"
		if v.why != "" {
			msg += ": " + v.why
		}
		v.noVideo.Text = msg
	}
	videoArea := container.New(&videoLayout{onResize: v.viewResized},
		canvas.NewRectangle(color.Black), v.img, container.NewCenter(v.noVideo),
		newTapArea(func() { v.win.Canvas().Unfocus(); v.togglePlay() }))

	v.clock = canvas.NewText("00:00:00.000", theme.Color(theme.ColorNameForeground))
	v.clock.TextStyle = fyne.TextStyle{Monospace: true, Bold: true}
	v.clock.TextSize = 18
	v.frameLbl = newTextLine(fyne.TextStyle{Monospace: true})
	v.episode = newTextLine(fyne.TextStyle{Italic: true})
	v.speedLbl = widget.NewLabelWithStyle("1.00×", fyne.TextAlignCenter, fyne.TextStyle{Monospace: true})

	btn := func(icon fyne.Resource, f func()) *widget.Button {
		b := widget.NewButtonWithIcon("", icon, func() { f(); v.win.Canvas().Unfocus() })
		b.Importance = widget.LowImportance
		return b
	}
	v.playBtn = btn(theme.MediaPlayIcon(), v.togglePlay)
	v.playBtn.Importance = widget.HighImportance
	transport := container.NewHBox(
		btn(theme.MediaSkipPreviousIcon(), func() { v.jump(-5 * annotate.Second) }),
		btn(theme.MediaFastRewindIcon(), func() { v.jump(-annotate.Second) }),
		btn(theme.NavigateBackIcon(), func() { v.step(-1) }),
		v.playBtn,
		btn(theme.NavigateNextIcon(), func() { v.step(1) }),
		btn(theme.MediaFastForwardIcon(), func() { v.jump(annotate.Second) }),
		btn(theme.MediaSkipNextIcon(), func() { v.jump(5 * annotate.Second) }),
		widget.NewSeparator(),
		btn(theme.ContentRemoveIcon(), func() { v.changeSpeed(-1) }),
		v.speedLbl,
		btn(theme.ContentAddIcon(), func() { v.changeSpeed(1) }),
		widget.NewSeparator(),
	)
	// Where the video is: clock, frame, episode; the episode name is
	// shortened, never the clock or frame (see playerLayout).
	where := container.New(whereLayout{episode: v.episode}, container.NewCenter(v.clock), v.frameLbl.obj, v.episode.obj)
	gotoBtn := widget.NewButtonWithIcon("Go to…", theme.SearchIcon(), v.goToDialog)
	gotoBtn.Importance = widget.LowImportance
	v.scrub = widget.NewSlider(0, max(1, v.video.Duration.Float()))
	v.scrub.Step = 0.001
	v.scrub.OnChangeEnded = func(x float64) {
		if v.scrubbing {
			return
		}
		v.seek(annotate.Time(x * float64(annotate.Second)))
		v.win.Canvas().Unfocus()
	}
	rightBtns := fyne.CanvasObject(gotoBtn)

	v.panel = newCodePanel(v.ed.Scheme, v.tag, v.markEpisode)
	v.events = newEventsTable(v.ed.Scheme, func(e annotate.Event) {
		v.selectEvent(e.ID)
		v.tableNav = true
		v.seek(e.Start)
		v.win.Canvas().Unfocus()
	})
	v.events.onPick = func(e annotate.Event) {
		v.selectEvent(e.ID)
		v.tableNav = true
		v.win.Canvas().Unfocus()
	}
	v.events.filter.OnChanged = func(s string) {
		v.events.setFilter(s)
		v.win.Canvas().Unfocus()
	}
	del := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { v.deleteSelected(); v.win.Canvas().Unfocus() })
	chg := widget.NewButton("Recode…", v.changeBehaviorDialog)
	cmt := widget.NewButton("Comment…", v.commentDialog)
	mods := widget.NewButton("Mod…", v.modifiersDialog)
	tableBar := container.NewBorder(nil, nil, v.events.count.obj, container.NewHBox(del, chg, mods, cmt), v.events.filter)
	eventsPane := container.NewBorder(tableBar, nil, nil, nil, v.events.table)

	v.status = newTextLine(fyne.TextStyle{})

	codes := container.NewVScroll(v.panel.box)
	right := container.NewVSplit(codes, eventsPane)
	right.Offset = 0.53

	// The timeline seeks itself (click on the ruler or empty space), so the
	// scrub bar is only for a build without it.
	timeArea := fyne.CanvasObject(v.scrub)
	if tl := newTimeline(v); tl != nil {
		v.tl = tl
		timeArea = tl.widget()
		zoom := container.NewHBox(
			btn(theme.ZoomInIcon(), func() { v.zoom(1) }),
			btn(theme.ZoomOutIcon(), func() { v.zoom(-1) }),
			btn(theme.ZoomFitIcon(), func() { v.zoom(0) }),
		)
		rightBtns = container.NewHBox(zoom, gotoBtn)
	}
	player := container.New(playerLayout{}, v.viewsArea(videoArea), transport, where, rightBtns)
	left := container.NewVSplit(player, timeArea)
	// At 1366×768 the timeline gets room for every lane of the bundled
	// scheme's three subjects (13 lanes of 12 px, their headings, ruler,
	// episodes and audio), so no subject is hidden below a scroll.
	left.Offset = 0.58
	main := container.NewHSplit(left, right)
	main.Offset = 0.68
	v.content = container.NewBorder(nil, v.status.obj, nil, nil, main)
}

// videoLayout stacks the video's layers and tells the player the size it
// is shown at, so the decoder scales frames once, off the UI goroutine.
type videoLayout struct {
	onResize func(fyne.Size)
	last     fyne.Size
}

func (l *videoLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
	if size != l.last {
		l.last = size
		if l.onResize != nil {
			l.onResize(size)
		}
	}
}

func (l *videoLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(320, 180) }

func (v *codingView) viewResized(s fyne.Size) {
	v.lastView = s
	if v.player == nil {
		return
	}
	scale := v.win.Canvas().Scale()
	v.player.SetViewSize(int(s.Width*scale), int(s.Height*scale))
}

// display puts a decoded frame on screen; UI goroutine.
func (v *codingView) display(f frame) {
	if f.Image != nil {
		old := v.img.Image
		v.img.Image = f.Image
		v.img.Refresh()
		// The player reuses an image once it is off the screen.
		if r, ok := v.player.(interface{ Recycle(*image.RGBA) }); ok && old != nil && old != image.Image(f.Image) {
			if rgba, ok := old.(*image.RGBA); ok {
				r.Recycle(rgba)
			}
		}
		if v.noVideo.Text != "" {
			v.noVideo.Text = ""
			v.noVideo.Refresh()
		}
	}
	if v.player != nil && !v.player.Playing() {
		// Paused, a picture still queued from before the last step or
		// seek is not where the player stands: keep the player's position.
		v.syncCur()
		v.followViews(v.cur)
		return
	}
	v.cur = frame{Index: f.Index, Time: f.Time}
	v.followViews(f)
	v.updatePosition()
}

// updatePosition shows where the video is: clock, frame, episode, scrub
// bar, playhead.
func (v *codingView) updatePosition() {
	v.clock.Text = v.cur.Time.Clock()
	v.clock.Refresh()
	if v.video.Frames > 0 {
		v.frameLbl.SetText(fmt.Sprintf("#%d/%d", v.cur.Index, v.video.Frames-1))
	} else {
		v.frameLbl.SetText(fmt.Sprintf("#%d", v.cur.Index))
	}
	v.updateEpisode()
	if v.tl != nil {
		v.tl.setPlayhead(v.cur.Time)
	} else {
		v.scrubbing = true
		v.scrub.SetValue(v.cur.Time.Float())
		v.scrubbing = false
	}
	v.syncPlayButton()
	v.noteRunningAtEnd()
	if v.hooks.moved != nil {
		v.hooks.moved(v.cur.Time)
	}
}

// noteRunningAtEnd says, on reaching the last frame, which states are
// still running: metrics and agreement close them at the end of the video
// (the CSV export marks them running, an empty end, so that an import
// restores them), and the coder should know that is what they will be.
func (v *codingView) noteRunningAtEnd() {
	atEnd := v.video.Frames > 0 && v.cur.Index >= v.video.Frames-1
	if !atEnd {
		v.endNoted = false
		return
	}
	open := v.ed.Obs.OpenEvents()
	if v.endNoted || len(open) == 0 {
		return
	}
	v.endNoted = true
	var names []string
	for _, e := range open {
		names = append(names, fmt.Sprintf("%s (from %s)", e.Behavior, e.Start.Clock()))
	}
	v.notice(fmt.Sprintf("Still running at the end of the video: %s. Metrics and agreement count them as ending at %s; press a state's key where it ends.",
		strings.Join(names, ", "), v.video.Duration.Clock()))
}

func (v *codingView) updateEpisode() {
	ep := v.ed.Obs.EpisodeAt(v.cur.Time)
	text := ep
	if text == "" {
		text = "(no episode yet)"
	}
	v.episode.SetText(text)
	v.panel.update(v.ed.Obs.OpenEvents(), ep)
}

func (v *codingView) setStatus(s string) {
	v.status.SetText(time.Now().Format("15:04:05") + "  " + s)
}

func (v *codingView) fail(what string, err error) {
	if v.hooks.fail != nil {
		v.hooks.fail(what, err)
	}
	v.setStatus(what + ": " + err.Error())
}

// notice shows a message in the status line and logs it: a refusal or a
// held-back edit is not an error to acknowledge, but the coder must see it.
func (v *codingView) notice(msg string) {
	v.setStatus(msg)
	log.Print(msg)
}

// close stops the player and returns the position to save.
func (v *codingView) close() annotate.Time {
	if v.stopWave != nil {
		v.stopWave()
	}
	v.closeViews()
	if v.player != nil {
		v.player.Pause()
		if err := v.player.Close(); err != nil {
			fyne.LogError("close player", err)
		}
		v.player = nil
	}
	return v.cur.Time
}

// attach gives the view its player once the video is open.
func (v *codingView) attach(p Player) {
	v.player = p
	v.why = ""
	v.noVideo.Text = ""
	v.noVideo.Refresh()
	if v.lastView.Width > 0 {
		v.viewResized(v.lastView)
	}
	v.syncPlayButton()
	v.setStatus("Video ready. F1 lists the keys.")
}

// noPlayer says why there is no picture; coding by frame still works.
func (v *codingView) noPlayer(err error) {
	v.why = err.Error()
	v.noVideo.Text = "No picture: " + v.why
	v.noVideo.Refresh()
	v.setStatus("No picture (" + v.why + "); you can still step and code by frame")
}

// tapArea is an invisible layer over the video: a click plays or pauses
// and, as important, takes the keyboard focus back from any widget so the
// coding keys work again.
type tapArea struct {
	widget.BaseWidget
	onTap func()
}

func newTapArea(f func()) *tapArea {
	t := &tapArea{onTap: f}
	t.ExtendBaseWidget(t)
	return t
}

func (t *tapArea) Tapped(*fyne.PointEvent) { t.onTap() }

func (t *tapArea) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(canvas.NewRectangle(color.Transparent))
}

// track remembers d as the dialog over the view until it closes, so Escape
// can close it.
func (v *codingView) track(d dialog.Dialog) {
	v.dlg = d
	d.SetOnClosed(func() {
		if v.dlg == d {
			v.dlg = nil
		}
		v.win.Canvas().Unfocus()
	})
}

// closeDialog cancels the open dialog (Escape).
func (v *codingView) closeDialog() {
	if d := v.dlg; d != nil {
		v.dlg = nil
		d.Hide()
	}
}

// escEntry is an Entry that cancels its dialog on Escape, which Fyne's
// dialogs do not do themselves.
type escEntry struct {
	widget.Entry
	onEsc func()
	// onSubmit, when set, runs on Ctrl+Return (a multi-line entry keeps
	// Return for a new line).
	onSubmit func()
}

func newEscEntry(multiLine bool, onEsc func()) *escEntry {
	e := &escEntry{onEsc: onEsc}
	e.MultiLine = multiLine
	if multiLine {
		e.Wrapping = fyne.TextWrapWord
	}
	e.ExtendBaseWidget(e)
	return e
}

// TypedShortcut saves on Ctrl+Return (or Ctrl+Enter) when the entry has
// somewhere to submit to; other shortcuts (copy, paste…) are the Entry's.
func (e *escEntry) TypedShortcut(sc fyne.Shortcut) {
	if cs, ok := sc.(*desktop.CustomShortcut); ok && e.onSubmit != nil && cs.Modifier == fyne.KeyModifierControl &&
		(cs.KeyName == fyne.KeyReturn || cs.KeyName == fyne.KeyEnter) {
		e.onSubmit()
		return
	}
	e.Entry.TypedShortcut(sc)
}

func (e *escEntry) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape && e.onEsc != nil {
		e.onEsc()
		return
	}
	e.Entry.TypedKey(ev)
}
