package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
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
