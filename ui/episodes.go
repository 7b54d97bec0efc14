package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"dyadcode/annotate"
	"dyadcode/annotate/metrics"
)

// Episode boundaries. A Strange Situation session filmed to protocol has
// its 8 episodes at known nominal lengths, so the quickest way to mark them
// is to lay the template out from where episode 1 starts and then move each
// boundary to what really happened: by dragging it on the timeline's
// episode band, or frame-exactly by stepping to the frame and pressing
// Ctrl+B. Each of these is one undoable change written to the project file.

// The template dialog's two choices of where episode 1 starts.
const (
	fromPlayhead = "At the playhead"
	fromZero     = "At the start of the video (00:00:00.000)"
)

// templateMarks lays the scheme's episodes from start with their nominal
// lengths, each start moved to the nearest frame of the video's rate (30 s
// is not a whole number of frames at 29.97 fps). Frame n starts at
// round(n·Den·10⁶/Num) µs, as the media engine and the timeline have it, so
// a laid-out start is a frame the coder can step to. Each mark is snapped
// on its own, so rounding never accumulates.
func (v *codingView) templateMarks(start annotate.Time) ([]annotate.EpisodeMark, error) {
	marks, err := metrics.Template(v.ed.Scheme, start)
	if err != nil {
		return nil, err
	}
	if r := v.video.Rate; r.Valid() {
		for i := range marks {
			marks[i].Start = nearestFrameStart(r, marks[i].Start)
		}
	}
	return marks, nil
}

// nearestFrameStart is the start of the frame of constant rate r nearest t.
func nearestFrameStart(r annotate.Rate, t annotate.Time) annotate.Time {
	unit := r.Den * int64(annotate.Second) // n frames last n·unit/Num µs
	n := (int64(t)*r.Num + unit/2) / unit
	return annotate.Time((n*unit + r.Num/2) / r.Num)
}

// layOutTemplate replaces the observation's episode marks by the template
// laid out from start, as one undoable change.
func (v *codingView) layOutTemplate(start annotate.Time) {
	marks, err := v.templateMarks(start)
	if err != nil {
		v.fail("Could not lay out the episodes", err)
		return
	}
	ch, err := v.ed.SetEpisodes("lay out episodes", marks)
	if err != nil {
		v.fail("Could not lay out the episodes", err)
		return
	}
	if ch.Empty() {
		v.setStatus("The episodes are already laid out like that")
		return
	}
	msg := fmt.Sprintf("laid out %d episodes from %s; drag their starts on the timeline or use Ctrl+B to adjust", len(marks), start.Clock())
	if n := v.pastEnd(marks); n > 0 {
		msg += fmt.Sprintf(" (%d start after the end of the video)", n)
	}
	v.afterEdit(ch, msg)
}

// pastEnd counts the marks at or after the end of the video: they give no
// episode until moved back.
func (v *codingView) pastEnd(marks []annotate.EpisodeMark) int {
	if v.video.Duration <= 0 {
		return 0
	}
	n := 0
	for _, m := range marks {
		if m.Start >= v.video.Duration {
			n++
		}
	}
	return n
}

// templateDialog asks where episode 1 starts and, when the observation has
// marks already, confirms that they will be replaced.
func (v *codingView) templateDialog() {
	if len(v.ed.Scheme.Episodes) == 0 {
		v.setStatus("The coding scheme has no episodes (Coding ▸ Scheme… to add them)")
		return
	}
	v.pause()
	at := v.cur.Time
	var lengths []string
	for _, e := range v.ed.Scheme.Episodes {
		if e.Nominal > 0 {
			lengths = append(lengths, e.Name+": "+nominalLength(e.Nominal))
		} else {
			lengths = append(lengths, e.Name+": until the end")
		}
	}
	intro := widget.NewLabel(fmt.Sprintf("Mark the scheme's %d episodes one after another with their nominal lengths,\nthen drag each start on the timeline (or step to it and press Ctrl+B).\n\n%s",
		len(v.ed.Scheme.Episodes), strings.Join(lengths, "\n")))
	where := widget.NewRadioGroup([]string{fromPlayhead + " (" + at.Clock() + ")", fromZero}, nil)
	where.Required = true
	where.SetSelected(where.Options[0])
	content := container.NewVBox(intro, widget.NewLabel("Episode 1 starts:"), where)
	if n := len(v.ed.Obs.Episodes); n > 0 {
		what, back := "the episode mark", "it"
		if n > 1 {
			what, back = fmt.Sprintf("the %d episode marks", n), "them"
		}
		warn := widget.NewLabel("This replaces " + what + " already set (Undo brings " + back + " back).")
		warn.Importance = widget.WarningImportance
		content.Add(warn)
	}
	d := dialog.NewCustomConfirm("Lay out episodes from the template", "Lay out", "Cancel", content, func(ok bool) {
		if ok {
			start := at
			if where.Selected == fromZero {
				start = 0
			}
			v.layOutTemplate(start)
		}
		v.win.Canvas().Unfocus()
	}, v.win)
	v.track(d)
	d.Show()
}

// moveEpisode moves the episode mark at from to t: the end of a drag on
// the timeline's episode band (already snapped to a frame there).
func (v *codingView) moveEpisode(from, t annotate.Time) {
	ch, err := v.ed.MoveEpisode(from, t)
	if err != nil {
		v.fail("Could not move the episode start", err)
		v.refreshEdits() // put the dragged band back
		return
	}
	v.afterEdit(ch, fmt.Sprintf("%s now starts at %s", strings.TrimPrefix(ch.Label, "move "), t.Clock()))
}

// moveNearestEpisodeHere moves the episode mark nearest the playhead to the
// frame on screen: how a coder sets a boundary frame-exactly from the
// keyboard. No other mark lies between the nearest one and the playhead, so
// the episodes keep their order.
func (v *codingView) moveNearestEpisodeHere() {
	at := v.cur.Time
	marks := v.ed.Obs.Episodes
	if len(marks) == 0 {
		v.setStatus("No episode marks yet: press an episode key, or Coding ▸ Lay out episodes from the template…")
		return
	}
	best := marks[0]
	for _, m := range marks[1:] {
		if absTime(m.Start-at) < absTime(best.Start-at) {
			best = m
		}
	}
	if best.Start == at {
		v.setStatus(fmt.Sprintf("%s already starts here (%s)", best.Name, at.Clock()))
		return
	}
	v.moveEpisode(best.Start, at)
}

// removeEpisodeHere removes the mark of the episode the playhead is in
// (the last mark at or before it).
func (v *codingView) removeEpisodeHere() {
	at := v.cur.Time
	var found *annotate.EpisodeMark
	for i, m := range v.ed.Obs.Episodes {
		if m.Start <= at {
			found = &v.ed.Obs.Episodes[i]
		}
	}
	if found == nil {
		v.setStatus("No episode mark at or before " + at.Clock())
		return
	}
	m := *found
	ch, err := v.ed.RemoveEpisode(m.Start)
	if err != nil {
		v.fail("Could not remove the episode mark", err)
		return
	}
	v.afterEdit(ch, fmt.Sprintf("removed the start of %s at %s", m.Name, m.Start.Clock()))
}

// nominalLength reads a nominal episode length the way protocols state it:
// "30 s", "3 min", "3 min 30 s".
func nominalLength(d annotate.Time) string {
	if d%annotate.Second != 0 {
		return strings.TrimRight(strings.TrimRight(d.Seconds(), "0"), ".") + " s"
	}
	m, sec := d/annotate.Minute, (d%annotate.Minute)/annotate.Second
	switch {
	case m == 0:
		return fmt.Sprintf("%d s", sec)
	case sec == 0:
		return fmt.Sprintf("%d min", m)
	}
	return fmt.Sprintf("%d min %d s", m, sec)
}

func absTime(t annotate.Time) annotate.Time {
	if t < 0 {
		return -t
	}
	return t
}
