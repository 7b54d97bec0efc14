package ui

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"dyadcode/annotate"
)

// codeKey is one coding button: the behaviour's colour, its key and its
// name. A running state is lit in its colour, so the coder sees at a glance
// which states are open. Tapping it does what the key does.
type codeKey struct {
	widget.BaseWidget
	key, name, tip string
	col            color.Color
	lit            bool
	hovered        bool
	onTap          func()
	// nameMin is the most of the name's width the key asks for; a longer
	// name is shortened with "…" when the panel is narrow.
	nameMin float32
	// keyRoom is the widest key text the key column is sized for (keys
	// are monospace, so only its length matters): "F12" for behaviours.
	keyRoom string
}

func newCodeKey(key, name string, col color.Color, onTap func()) *codeKey {
	k := &codeKey{key: key, name: name, col: col, onTap: onTap, nameMin: 110, keyRoom: "F12"}
	k.ExtendBaseWidget(k)
	return k
}

func (k *codeKey) setLit(on bool) {
	if k.lit != on {
		k.lit = on
		k.Refresh()
	}
}

func (k *codeKey) Tapped(*fyne.PointEvent) {
	if k.onTap != nil {
		k.onTap()
	}
}

func (k *codeKey) MouseIn(*desktop.MouseEvent)    { k.hovered = true; k.Refresh() }
func (k *codeKey) MouseMoved(*desktop.MouseEvent) {}
func (k *codeKey) MouseOut()                      { k.hovered = false; k.Refresh() }

func (k *codeKey) CreateRenderer() fyne.WidgetRenderer {
	r := &codeKeyRenderer{k: k,
		bg:     canvas.NewRectangle(color.Transparent),
		swatch: canvas.NewRectangle(k.col),
		keyTxt: canvas.NewText(strings.ToUpper(k.key), theme.Color(theme.ColorNameForeground)),
		name:   canvas.NewText(k.name, theme.Color(theme.ColorNameForeground)),
	}
	r.bg.CornerRadius = 3
	r.bg.StrokeWidth = 1
	r.keyTxt.TextStyle = fyne.TextStyle{Bold: true, Monospace: true}
	r.refresh()
	return r
}

type codeKeyRenderer struct {
	k            *codeKey
	bg, swatch   *canvas.Rectangle
	keyTxt, name *canvas.Text
}

func (r *codeKeyRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.bg, r.swatch, r.keyTxt, r.name}
}

func (r *codeKeyRenderer) Destroy() {}

func (r *codeKeyRenderer) MinSize() fyne.Size {
	ts := theme.TextSize()
	kw := fyne.MeasureText(r.k.keyRoom, ts, r.keyTxt.TextStyle).Width
	nw := fyne.MeasureText(r.k.name, ts, fyne.TextStyle{}).Width
	return fyne.NewSize(6+4+kw+6+min(nw, r.k.nameMin)+6, ts+8)
}

func (r *codeKeyRenderer) Layout(s fyne.Size) {
	ts := theme.TextSize()
	r.bg.Resize(s)
	r.swatch.Move(fyne.NewPos(0, 0))
	r.swatch.Resize(fyne.NewSize(6, s.Height))
	kw := fyne.MeasureText(r.k.keyRoom, ts, r.keyTxt.TextStyle).Width
	th := fyne.MeasureText("A", ts, fyne.TextStyle{}).Height
	y := (s.Height - th) / 2
	r.keyTxt.Move(fyne.NewPos(10, y))
	avail := max(0, s.Width-(10+kw+12))
	r.name.Move(fyne.NewPos(10+kw+6, y))
	r.name.Resize(fyne.NewSize(avail, th))
	// canvas.Text does not clip: shorten the name to the button.
	r.name.Text = fitText(r.k.name, avail, ts, r.name.TextStyle)
	r.name.Refresh()
}

// fitText shortens s with an ellipsis until it fits width.
func fitText(s string, width, size float32, style fyne.TextStyle) string {
	if fyne.MeasureText(s, size, style).Width <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 0 {
		r = r[:len(r)-1]
		if t := string(r) + "…"; fyne.MeasureText(t, size, style).Width <= width {
			return t
		}
	}
	return ""
}

func (r *codeKeyRenderer) Refresh() { r.refresh() }

func (r *codeKeyRenderer) refresh() {
	fg := theme.Color(theme.ColorNameForeground)
	r.keyTxt.TextSize = theme.TextSize()
	r.name.TextSize = theme.TextSize()
	r.keyTxt.Color, r.name.Color = fg, fg
	r.swatch.FillColor = r.k.col
	switch {
	case r.k.lit:
		c := color.NRGBAModel.Convert(r.k.col).(color.NRGBA)
		c.A = 150
		r.bg.FillColor = c
		r.bg.StrokeColor = r.k.col
		r.name.TextStyle.Bold = true
	case r.k.hovered:
		r.bg.FillColor = theme.Color(theme.ColorNameHover)
		r.bg.StrokeColor = theme.Color(theme.ColorNameInputBorder)
		r.name.TextStyle.Bold = false
	default:
		r.bg.FillColor = theme.Color(theme.ColorNameButton)
		r.bg.StrokeColor = theme.Color(theme.ColorNameInputBorder)
		r.name.TextStyle.Bold = false
	}
	r.bg.Refresh()
	r.swatch.Refresh()
	r.keyTxt.Refresh()
	if sz := r.k.Size(); sz.Width > 0 {
		r.Layout(sz) // the name's fit depends on its weight
	}
	r.name.Refresh()
}

// codePanel shows every behaviour with its key, grouped by subject, and the
// episode keys. States running at the moment are lit.
type codePanel struct {
	box      *fyne.Container
	behavior map[string]*codeKey // by code
	episode  map[string]*codeKey // by name
}

// parseColor reads "#rrggbb"; anything else is grey so a bad colour in a
// hand-edited scheme shows rather than crashing.
func parseColor(s string) color.Color {
	var c color.NRGBA
	c.A = 255
	if len(s) != 7 || s[0] != '#' {
		return color.NRGBA{R: 128, G: 128, B: 128, A: 255}
	}
	hex := func(b byte) (uint8, bool) {
		switch {
		case b >= '0' && b <= '9':
			return b - '0', true
		case b >= 'a' && b <= 'f':
			return b - 'a' + 10, true
		case b >= 'A' && b <= 'F':
			return b - 'A' + 10, true
		}
		return 0, false
	}
	var v [6]uint8
	for i := range 6 {
		x, ok := hex(s[i+1])
		if !ok {
			return color.NRGBA{R: 128, G: 128, B: 128, A: 255}
		}
		v[i] = x
	}
	c.R, c.G, c.B = v[0]<<4|v[1], v[2]<<4|v[3], v[4]<<4|v[5]
	return c
}

func newCodePanel(s *annotate.Scheme, tag func(code string), mark func(episode string)) *codePanel {
	p := &codePanel{box: container.NewVBox(), behavior: map[string]*codeKey{}, episode: map[string]*codeKey{}}
	p.rebuild(s, tag, mark)
	return p
}

func (p *codePanel) rebuild(s *annotate.Scheme, tag func(code string), mark func(episode string)) {
	p.box.Objects = nil
	clear(p.behavior)
	clear(p.episode)
	heading := func(text string) fyne.CanvasObject {
		// Small bold text rather than a Label: every pixel of height counts
		// in this panel on a 768-pixel screen.
		l := canvas.NewText(text, theme.Color(theme.ColorNameForeground))
		l.TextStyle = fyne.TextStyle{Bold: true}
		l.TextSize = theme.CaptionTextSize()
		// Padding above only: the box's own gap separates it from its
		// keys; with the episodes in three columns this lets a 1366×768 screen
		// show every key of the default scheme without scrolling.
		p := theme.Padding()
		return container.New(layout.NewCustomPaddedLayout(p, 0, p, p), l)
	}
	subjects := s.SubjectCodes()
	names := map[string]string{}
	for _, sub := range s.Subjects {
		names[sub.Code] = sub.Name
	}
	var noSubject bool
	for _, b := range s.Behaviors {
		if b.Subject == "" {
			noSubject = true
		}
	}
	if noSubject {
		subjects = append(subjects, "")
	}
	for _, sub := range subjects {
		grid := container.NewGridWithColumns(2)
		for _, b := range s.Behaviors {
			if b.Subject != sub {
				continue
			}
			code := b.Code
			name := b.Name
			if name == "" {
				name = b.Code
			}
			if b.Kind == annotate.State {
				name += " ◧"
			}
			k := newCodeKey(b.Key, name, parseColor(b.Color), func() { tag(code) })
			p.behavior[code] = k
			grid.Add(k)
		}
		if len(grid.Objects) == 0 {
			continue
		}
		title := names[sub]
		if title == "" {
			title = "Other"
		}
		p.box.Add(heading(title))
		p.box.Add(grid)
	}
	if len(s.Episodes) > 0 {
		// Three columns: an episode key needs less room than a behaviour's
		// (its name starts with its number), and the eight episodes of the
		// Strange Situation then take three rows instead of four.
		grid := container.NewGridWithColumns(episodeColumns)
		// Episode keys are digits: a key column as wide as the longest
		// leaves their names the room "F12" would take.
		keyLen := 1
		for _, e := range s.Episodes {
			keyLen = max(keyLen, len([]rune(e.Key)))
		}
		for _, e := range s.Episodes {
			name := e.Name
			// "1 Introduction" under key 1 reads "1 Introduction", not
			// "1 1 Introduction": the key column already shows the number.
			label := name
			if e.Key != "" {
				label = strings.TrimPrefix(name, e.Key+" ")
			}
			k := newCodeKey(e.Key, label, theme.Color(theme.ColorNameDisabled), func() { mark(name) })
			// Three episode keys take no more width than two behaviour
			// keys, so the window's minimum width does not grow.
			k.nameMin = 56
			k.keyRoom = strings.Repeat("0", keyLen)
			p.episode[name] = k
			grid.Add(k)
		}
		p.box.Add(heading("Episode starts"))
		p.box.Add(grid)
	}
	p.box.Refresh()
}

// episodeColumns is how many episode keys share a row.
const episodeColumns = 3

// update lights the running states and the current episode.
func (p *codePanel) update(open []annotate.Event, episode string) {
	running := map[string]bool{}
	for _, e := range open {
		running[e.Behavior] = true
	}
	for code, k := range p.behavior {
		k.setLit(running[code])
	}
	for name, k := range p.episode {
		k.setLit(name == episode)
	}
}
