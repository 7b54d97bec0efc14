package ui

import (
	"fmt"
	"log"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"dyadcode/annotate"
	"dyadcode/app"
)

// playerLayout stacks the video over the transport bar. The bar is one row
// (buttons, then where the video is, then the zoom and go-to buttons) when
// the pane is wide enough to show the clock and frame number in full, and
// two rows otherwise: the clock line on its own above the buttons. So the
// time and frame stay readable down to the window's minimum width, and a
// wide window does not give up video height for a second row.
//
// Objects: video, transport buttons, where (a whereLayout container),
// right-hand buttons.
type playerLayout struct{}

// playerTwoRows reports whether a pane width w needs the two-row bar.
func playerTwoRows(objs []fyne.CanvasObject, w float32) bool {
	pad := theme.Padding()
	return objs[1].MinSize().Width+objs[2].MinSize().Width+objs[3].MinSize().Width+2*pad > w
}

func (playerLayout) rowHeight(objs []fyne.CanvasObject) float32 {
	return max(objs[1].MinSize().Height, objs[2].MinSize().Height, objs[3].MinSize().Height)
}

func (l playerLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	video, transport, where, right := objs[0], objs[1], objs[2], objs[3]
	pad := theme.Padding()
	rowH := l.rowHeight(objs)
	tw, rw := transport.MinSize().Width, right.MinSize().Width
	place := func(o fyne.CanvasObject, x, y, w float32) {
		o.Move(fyne.NewPos(x, y))
		o.Resize(fyne.NewSize(max(w, 0), rowH))
	}
	barH := rowH
	switch {
	case !playerTwoRows(objs, size.Width):
		y := size.Height - barH
		place(transport, 0, y, tw)
		place(where, tw+pad, y, size.Width-tw-rw-2*pad)
		place(right, size.Width-rw, y, rw)
	case tw+pad+rw <= size.Width:
		barH = 2*rowH + pad
		y := size.Height - barH
		place(where, 0, y, size.Width)
		place(transport, 0, y+rowH+pad, tw)
		place(right, size.Width-rw, y+rowH+pad, rw)
	default:
		// Too narrow for the buttons and the zoom and go-to group side by
		// side (a 900-pixel window): a row each, rather than the speed
		// label drawn over the zoom buttons.
		barH = 3*rowH + 2*pad
		y := size.Height - barH
		place(where, 0, y, size.Width)
		place(transport, 0, y+rowH+pad, tw)
		place(right, max(size.Width-rw, 0), y+2*(rowH+pad), rw)
	}
	video.Move(fyne.NewPos(0, 0))
	video.Resize(fyne.NewSize(size.Width, max(size.Height-barH-pad, 0)))
}

// MinSize is as narrow as the widest of the video's minimum, the buttons
// and the clock line (each then takes its own row) and as tall as the
// video's minimum and a three-row bar, so it does not depend on the width
// it will get.
func (l playerLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	pad := theme.Padding()
	v := objs[0].MinSize()
	w := max(v.Width, objs[1].MinSize().Width, objs[3].MinSize().Width, objs[2].MinSize().Width)
	return fyne.NewSize(w, v.Height+pad+3*l.rowHeight(objs)+2*pad)
}

// whereLayout lays out the clock, the frame number and the episode name in
// a row: clock and frame always at their full width, the episode in what is
// left, ending in "…" when it does not fit.
type whereLayout struct {
	episode *textLine
}

// whereEpisodeMin is the episode name's share of the minimum width: enough
// for "3 Stranger…": below that the clock line takes its own row.
const whereEpisodeMin = 100

func (l whereLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	x := float32(0)
	for i, o := range objs {
		w := o.MinSize().Width
		if i == len(objs)-1 {
			w = max(size.Width-x, 0)
			l.episode.setMaxWidth(max(w, 1))
		}
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w
	}
}

func (l whereLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for i, o := range objs {
		m := o.MinSize()
		if i == len(objs)-1 {
			m.Width = min(m.Width, whereEpisodeMin)
		}
		s.Width += m.Width
		s.Height = max(s.Height, m.Height)
	}
	return s
}

// The coding view's transport: play, pause, steps, jumps, speed and
// go to. Every move ends in the player's frame (display) or, without a
// player, in the nominal frame the rate gives (frameAt, timeOf).

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
	n := v.video.Rate.FrameAt(t)
	if v.video.Frames > 0 {
		n = min(n, v.video.Frames-1)
	}
	return n
}

// timeOf rounds up (annotate.Rate.TimeOf), so the time never falls before
// the frame's own timestamp: truncated, a coder who left at #239 of 30 fps
// video came back at #238.
func (v *codingView) timeOf(n int64) annotate.Time { return v.video.Rate.TimeOf(n) }

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
	if v.stepView(d) {
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
	const usage = "A time (hh:mm:ss.mmm, mm:ss or seconds) or a frame number after #."
	help := widget.NewLabel(usage)
	help.Wrapping = fyne.TextWrapWord
	var d dialog.Dialog
	// submit goes there, or says in the dialog what is wrong with the
	// entry and leaves the cursor in it: a typo is the coder's to fix,
	// not a failure to report.
	submit := func() bool {
		frameNo, t, isFrame, err := parseGoTo(e.Text)
		if err == nil {
			err = v.inVideo(frameNo, t, isFrame)
		}
		if err != nil {
			help.SetText(err.Error() + "\n" + usage)
			help.Importance = widget.DangerImportance
			help.Refresh()
			log.Print("go to: ", err)
			v.win.Canvas().Focus(e)
			return false
		}
		d.Hide()
		if isFrame {
			v.seekFrame(frameNo)
		} else {
			v.seek(t)
		}
		v.win.Canvas().Unfocus()
		return true
	}
	e.OnSubmitted = func(string) { submit() }
	d = dialog.NewCustomConfirm("Go to time or frame", "Go", "Cancel", container.NewVBox(help, e), func(ok bool) {
		if ok && !submit() {
			d.Show() // the Go button closed it; keep the entry for correcting
			v.win.Canvas().Focus(e)
			return
		}
		v.win.Canvas().Unfocus()
	}, v.win)
	d.Resize(fyne.NewSize(520, 200))
	v.track(d)
	d.Show()
	v.win.Canvas().Focus(e)
}

// inVideo refuses a place the video does not have, naming its length.
func (v *codingView) inVideo(frameNo int64, t annotate.Time, isFrame bool) error {
	switch {
	case isFrame && v.video.Frames > 0 && frameNo >= v.video.Frames:
		return fmt.Errorf("#%d is past the last frame, #%d", frameNo, v.video.Frames-1)
	case !isFrame && v.video.Duration > 0 && t > v.video.Duration:
		return fmt.Errorf("%s is past the end of the video, %s", t.Clock(), v.video.Duration.Clock())
	}
	return nil
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
	if len(parts) > 1 && sec >= annotate.Minute {
		return 0, 0, false, fmt.Errorf("%q: seconds after a colon run from 0 to 59", s)
	}
	unit := annotate.Minute
	for i := len(parts) - 2; i >= 0; i-- {
		var n int64
		if _, err := fmt.Sscan(parts[i], &n); err != nil || n < 0 || strings.ContainsAny(parts[i], ".+-") {
			return 0, 0, false, fmt.Errorf("%q is not a time: use hh:mm:ss.mmm", s)
		}
		if unit == annotate.Minute && len(parts) == 3 && n >= 60 {
			return 0, 0, false, fmt.Errorf("%q: minutes after a colon run from 0 to 59", s)
		}
		t += annotate.Time(n) * unit
		unit = annotate.Hour
	}
	return 0, t, false, nil
}
