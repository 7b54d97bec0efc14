package ui

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"dyadcode/annotate"
	"dyadcode/app"
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
	win    fyne.Window
	ed     *annotate.Editor
	video  annotate.Video
	player Player // nil when the video cannot be decoded: coding still works
	why    string // why there is no player
	hooks  codingHooks

	box frameBox
	cur frame // the frame on screen (Image unused): tags are made at its time

	selected annotate.EventID

	img       *canvas.Image
	noVideo   *canvas.Text
	clock     *canvas.Text
	frameLbl  *textLine
	episode   *textLine
	speedLbl  *widget.Label
	playBtn   *widget.Button
	scrub     *widget.Slider
	scrubbing bool // scrub value set by code, not by the coder
	status    *textLine
	panel     *codePanel
	events    *eventsTable
	tl        timelineView
	stopWave  context.CancelFunc // cancels the waveform being computed
	content   fyne.CanvasObject
	showHelp  func()

	// repeatGuard: the driver reports physical key presses (keyDown), so
	// auto-repeated coding keys can be told apart and ignored; fresh: a
	// press not yet used by a coding key.
	repeatGuard, fresh bool

	// dlg is the dialog open over the view, closed by Escape.
	dlg      dialog.Dialog
	lastView fyne.Size
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
		v.seek(e.Start)
		v.win.Canvas().Unfocus()
	})
	v.events.onPick = func(e annotate.Event) {
		v.selectEvent(e.ID)
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
	player := container.New(playerLayout{}, videoArea, transport, where, rightBtns)
	left := container.NewVSplit(player, timeArea)
	left.Offset = 0.70
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
		return
	}
	v.cur = frame{Index: f.Index, Time: f.Time}
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
	if v.hooks.moved != nil {
		v.hooks.moved(v.cur.Time)
	}
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

func (v *codingView) syncPlayButton() {
	icon := theme.MediaPlayIcon()
	if v.player != nil && v.player.Playing() {
		icon = theme.MediaPauseIcon()
	}
	if v.playBtn.Icon != icon {
		v.playBtn.SetIcon(icon)
	}
}

// frameAt and timeOf convert with the nominal rate; used only when there is
// no player (which knows each frame's real timestamp).
func (v *codingView) frameAt(t annotate.Time) int64 {
	r := v.video.Rate
	if !r.Valid() || t <= 0 {
		return 0
	}
	n := int64(t) * r.Num / (r.Den * int64(annotate.Second))
	if v.video.Frames > 0 {
		n = min(n, v.video.Frames-1)
	}
	return n
}

func (v *codingView) timeOf(n int64) annotate.Time {
	r := v.video.Rate
	if !r.Valid() {
		return 0
	}
	return annotate.Time(n * r.Den * int64(annotate.Second) / r.Num)
}

// ---- transport ----

func (v *codingView) togglePlay() {
	if v.player == nil {
		v.setStatus("Cannot play: " + v.why)
		return
	}
	if v.player.Playing() {
		v.player.Pause()
	} else {
		v.player.Play()
	}
	v.syncPlayButton()
}

// pause stops playback (before a dialog, or when closing).
func (v *codingView) pause() {
	if v.player != nil && v.player.Playing() {
		v.player.Pause()
		v.syncPlayButton()
	}
}

func (v *codingView) step(d int) {
	if v.player == nil {
		v.seekFrame(v.cur.Index + int64(d))
		return
	}
	if v.player.Playing() {
		v.player.Pause()
	}
	if err := v.player.Step(d); err != nil && !isEndOfVideo(err) {
		v.fail("Could not step", err)
	}
	v.syncCur()
	v.syncPlayButton()
}

func (v *codingView) jump(d annotate.Time) { v.seek(v.cur.Time + d) }

func (v *codingView) seek(t annotate.Time) {
	t = max(0, t)
	if v.video.Duration > 0 {
		t = min(t, v.video.Duration)
	}
	if v.player == nil {
		v.seekFrame(v.frameAt(t))
		return
	}
	if err := v.player.Seek(t); err != nil && !isEndOfVideo(err) {
		v.fail("Could not seek to "+t.Clock(), err)
	}
	v.syncCur()
}

func (v *codingView) seekFrame(n int64) {
	n = max(0, n)
	if v.video.Frames > 0 {
		n = min(n, v.video.Frames-1)
	}
	if v.player == nil {
		v.cur = frame{Index: n, Time: v.timeOf(n)}
		v.updatePosition()
		return
	}
	if err := v.player.SeekFrame(n); err != nil && !isEndOfVideo(err) {
		v.fail(fmt.Sprintf("Could not go to frame %d", n), err)
	}
	v.syncCur()
}

// syncCur takes the position from the player. Step and seek return once the
// player stands on its new frame, but the picture reaches the screen through
// the UI queue a moment later; a key pressed in between (Right, then a tag
// key, on a loaded machine) must tag the frame the coder stepped to, not the
// one before, so keys apply in the order they were pressed.
func (v *codingView) syncCur() {
	n, t := v.player.Position()
	v.cur = frame{Index: n, Time: t}
	v.updatePosition()
}

// isEndOfVideo: stepping past the last frame keeps the last frame on
// screen; it is not an error to show.
func isEndOfVideo(err error) bool { return app.IsEndOfVideo(err) }

func (v *codingView) changeSpeed(dir int) {
	if v.player == nil {
		return
	}
	cur := v.player.Speed()
	i := 0
	for j, s := range speeds {
		if s <= cur+1e-9 {
			i = j
		}
	}
	i = min(max(i+dir, 0), len(speeds)-1)
	v.player.SetSpeed(speeds[i])
	v.speedLbl.SetText(fmt.Sprintf("%.2f×", speeds[i]))
}

func (v *codingView) goToDialog() {
	v.pause()
	e := newEscEntry(false, v.closeDialog)
	e.SetPlaceHolder(v.cur.Time.Clock() + "   (or 62.5, or #1563)")
	help := widget.NewLabel("A time (hh:mm:ss.mmm, mm:ss or seconds) or a frame number after #.")
	var d dialog.Dialog
	submit := func() {
		frameNo, t, isFrame, err := parseGoTo(e.Text)
		if err != nil {
			v.fail("Cannot go there", err)
			return
		}
		d.Hide()
		if isFrame {
			v.seekFrame(frameNo)
		} else {
			v.seek(t)
		}
		v.win.Canvas().Unfocus()
	}
	e.OnSubmitted = func(string) { submit() }
	d = dialog.NewCustomConfirm("Go to time or frame", "Go", "Cancel", container.NewVBox(help, e), func(ok bool) {
		if ok {
			submit()
		}
		v.win.Canvas().Unfocus()
	}, v.win)
	v.track(d)
	d.Show()
	v.win.Canvas().Focus(e)
}

// parseGoTo reads "hh:mm:ss.mmm", "mm:ss.mmm", "ss.mmm" or "#frame".
func parseGoTo(s string) (frameNo int64, t annotate.Time, isFrame bool, err error) {
	s = strings.TrimSpace(s)
	if rest, ok := strings.CutPrefix(s, "#"); ok {
		var n int64
		if _, err := fmt.Sscan(strings.TrimSpace(rest), &n); err != nil || n < 0 {
			return 0, 0, false, fmt.Errorf("%q is not a frame number", rest)
		}
		return n, 0, true, nil
	}
	parts := strings.Split(s, ":")
	if len(parts) > 3 {
		return 0, 0, false, fmt.Errorf("%q: use hh:mm:ss.mmm", s)
	}
	sec, err := annotate.ParseSeconds(parts[len(parts)-1])
	if err != nil || sec < 0 {
		return 0, 0, false, fmt.Errorf("%q is not a time: use hh:mm:ss.mmm, seconds, or #frame", s)
	}
	t = sec
	unit := annotate.Minute
	for i := len(parts) - 2; i >= 0; i-- {
		var n int64
		if _, err := fmt.Sscan(parts[i], &n); err != nil || n < 0 || strings.ContainsAny(parts[i], ".+-") {
			return 0, 0, false, fmt.Errorf("%q is not a time: use hh:mm:ss.mmm", s)
		}
		t += annotate.Time(n) * unit
		unit = annotate.Hour
	}
	return 0, t, false, nil
}

// ---- coding ----

// key handles a behaviour or episode key; it reports whether the scheme
// binds it.
func (v *codingView) key(k string) bool {
	tgt, ok := v.ed.Scheme.ForKey(k)
	if !ok {
		return false
	}
	if tgt.Behavior != nil {
		v.tag(tgt.Behavior.Code)
	} else {
		v.markEpisode(tgt.Episode.Name)
	}
	return true
}

// tag records a behaviour at the frame on screen. The editor commits to the
// project file before it changes what is shown.
func (v *codingView) tag(code string) {
	at, n := v.cur.Time, v.cur.Index
	ch, err := v.ed.Tag(code, at)
	if err != nil {
		v.fail("Could not record "+code, err)
		return
	}
	v.afterEdit(ch, fmt.Sprintf("%s at %s (frame %d)", ch.Label, at.Clock(), n))
}

func (v *codingView) markEpisode(name string) {
	at, n := v.cur.Time, v.cur.Index
	ch, err := v.ed.MarkEpisode(name, at)
	if err != nil {
		v.fail("Could not mark the episode", err)
		return
	}
	v.afterEdit(ch, fmt.Sprintf("%s at %s (frame %d)", ch.Label, at.Clock(), n))
}

func (v *codingView) undo() {
	ch, err := v.ed.Undo()
	if errors.Is(err, annotate.ErrNothingToUndo) {
		v.setStatus("Nothing to undo")
		return
	}
	if err != nil {
		v.fail("Could not undo", err)
		return
	}
	v.afterEdit(ch, "undid "+ch.Label)
}

func (v *codingView) redo() {
	ch, err := v.ed.Redo()
	if errors.Is(err, annotate.ErrNothingToRedo) {
		v.setStatus("Nothing to redo")
		return
	}
	if err != nil {
		v.fail("Could not redo", err)
		return
	}
	v.afterEdit(ch, "redid "+ch.Label)
}

func (v *codingView) afterEdit(ch annotate.Change, msg string) {
	if v.selected != 0 && v.ed.Obs.Index(v.selected) < 0 {
		v.selected = 0
	}
	v.refreshEdits()
	v.setStatus("Saved: " + msg)
	if v.hooks.edited != nil {
		v.hooks.edited(ch)
	}
}

// refreshEdits redraws everything that shows the observation's events.
func (v *codingView) refreshEdits() {
	v.events.setEvents(v.ed.Obs.Events, v.selected)
	v.updateEpisode()
	if v.tl != nil {
		v.tl.setEdits(v.ed.Obs, v.ed.Scheme, v.video.Duration)
		v.tl.selectEvent(v.selected)
	}
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

func (v *codingView) selectEvent(id annotate.EventID) {
	v.selected = id
	v.events.selectEvent(id)
	if v.tl != nil {
		v.tl.selectEvent(id)
	}
	if e, ok := v.ed.Obs.Event(id); ok {
		v.setStatus(fmt.Sprintf("Selected %s at %s (Delete removes it)", e.Behavior, e.Start.Clock()))
	}
}

func (v *codingView) selectedEvent() (annotate.Event, bool) {
	if v.selected == 0 {
		v.setStatus("Select an event first (click it in the table or on the timeline)")
		return annotate.Event{}, false
	}
	e, ok := v.ed.Obs.Event(v.selected)
	if !ok {
		v.selected = 0
		v.setStatus("The selected event no longer exists")
	}
	return e, ok
}

func (v *codingView) deleteSelected() {
	e, ok := v.selectedEvent()
	if !ok {
		return
	}
	ch, err := v.ed.Delete(e.ID)
	if err != nil {
		v.fail("Could not delete", err)
		return
	}
	v.selected = 0
	v.afterEdit(ch, fmt.Sprintf("deleted %s at %s", e.Behavior, e.Start.Clock()))
}

func (v *codingView) changeBehavior(id annotate.EventID, code string) {
	ch, err := v.ed.ChangeBehavior(id, code)
	if err != nil {
		v.fail("Could not change the behaviour", err)
		return
	}
	v.afterEdit(ch, ch.Label)
}

func (v *codingView) changeComment(id annotate.EventID, text string) {
	ch, err := v.ed.ChangeComment(id, text)
	if err != nil {
		v.fail("Could not change the comment", err)
		return
	}
	v.afterEdit(ch, "comment on event at "+v.eventClock(id))
}

func (v *codingView) eventClock(id annotate.EventID) string {
	if e, ok := v.ed.Obs.Event(id); ok {
		return e.Start.Clock()
	}
	return "?"
}

func (v *codingView) moveStart(id annotate.EventID, t annotate.Time) {
	ch, err := v.ed.MoveStart(id, t)
	if err != nil {
		v.fail("Could not move the start", err)
		v.refreshEdits() // put the dragged item back
		return
	}
	v.afterEdit(ch, "moved start to "+t.Clock())
}

func (v *codingView) moveEnd(id annotate.EventID, t annotate.Time) {
	ch, err := v.ed.MoveEnd(id, t)
	if err != nil {
		v.fail("Could not move the end", err)
		v.refreshEdits()
		return
	}
	v.afterEdit(ch, "moved end to "+t.Clock())
}

func (v *codingView) changeBehaviorDialog() {
	e, ok := v.selectedEvent()
	if !ok {
		return
	}
	v.pause()
	var opts []string
	for _, b := range v.ed.Scheme.Behaviors {
		opts = append(opts, b.Code)
	}
	sel := widget.NewSelect(opts, nil)
	sel.SetSelected(e.Behavior)
	d := dialog.NewForm(fmt.Sprintf("Recode the event at %s", e.Start.Clock()), "Change", "Cancel",
		[]*widget.FormItem{widget.NewFormItem("Behaviour", sel)}, func(ok bool) {
			if ok && sel.Selected != "" && sel.Selected != e.Behavior {
				v.changeBehavior(e.ID, sel.Selected)
			}
			v.win.Canvas().Unfocus()
		}, v.win)
	v.track(d)
	d.Show()
}

// modifiersDialog sets the selected event's modifiers (such as fuss, cry
// or scream for distress) from the ones its behaviour declares.
func (v *codingView) modifiersDialog() {
	e, ok := v.selectedEvent()
	if !ok {
		return
	}
	b, _ := v.ed.Scheme.Behavior(e.Behavior)
	if len(b.Modifiers) == 0 {
		v.setStatus(fmt.Sprintf("%s has no modifiers in the scheme", e.Behavior))
		return
	}
	v.pause()
	group := widget.NewCheckGroup(b.Modifiers, nil)
	group.SetSelected(e.Modifiers)
	d := dialog.NewForm(fmt.Sprintf("Modifiers of %s at %s", e.Behavior, e.Start.Clock()), "Save", "Cancel",
		[]*widget.FormItem{widget.NewFormItem("Modifiers", group)}, func(ok bool) {
			if ok {
				v.setModifiers(e.ID, group.Selected)
			}
			v.win.Canvas().Unfocus()
		}, v.win)
	v.track(d)
	d.Show()
}

func (v *codingView) setModifiers(id annotate.EventID, mods []string) {
	// Keep the scheme's order so the same choice always reads the same.
	b, _ := v.ed.Scheme.Behavior(v.eventCode(id))
	var ordered []string
	for _, m := range b.Modifiers {
		if slices.Contains(mods, m) {
			ordered = append(ordered, m)
		}
	}
	ch, err := v.ed.SetModifiers(id, ordered)
	if err != nil {
		v.fail("Could not set the modifiers", err)
		return
	}
	v.afterEdit(ch, "modifiers of event at "+v.eventClock(id))
}

func (v *codingView) eventCode(id annotate.EventID) string {
	e, _ := v.ed.Obs.Event(id)
	return e.Behavior
}

func (v *codingView) commentDialog() {
	e, ok := v.selectedEvent()
	if !ok {
		return
	}
	v.pause()
	en := newEscEntry(true, v.closeDialog)
	en.SetText(e.Comment)
	en.SetMinRowsVisible(3)
	d := dialog.NewForm(fmt.Sprintf("Comment on %s at %s", e.Behavior, e.Start.Clock()), "Save", "Cancel",
		[]*widget.FormItem{widget.NewFormItem("Comment", en)}, func(ok bool) {
			if ok && en.Text != e.Comment {
				v.changeComment(e.ID, en.Text)
			}
			v.win.Canvas().Unfocus()
		}, v.win)
	d.Resize(fyne.NewSize(460, 200))
	v.track(d)
	d.Show()
	v.win.Canvas().Focus(en)
}

// close stops the player and returns the position to save.
func (v *codingView) close() annotate.Time {
	if v.stopWave != nil {
		v.stopWave()
	}
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

func (e *escEntry) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape && e.onEsc != nil {
		e.onEsc()
		return
	}
	e.Entry.TypedKey(ev)
}
