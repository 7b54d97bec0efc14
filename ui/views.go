package ui

import (
	"encoding/json"
	"errors"
	"fmt"
	"image/color"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"dyadcode/annotate"
	"dyadcode/app"
	"dyadcode/media"
	"dyadcode/store"
)

// The coding view's further cameras (issue 16). The primary video keeps
// its Player (sound, clock, frame steps); the other views follow every
// frame it shows through a media.Session (each view decodes on its own
// goroutine and takes the latest time, so a slow view skips frames and
// never holds the primary back). Layout, the hidden views and the large
// one are remembered per project and observation in the preferences.

// Layouts of the views.
const (
	layoutSide    = "side"    // side by side
	layoutStacked = "stacked" // one above the other
	layoutLarge   = "large"   // one large, the others small on the right
)

// viewKeys nudge and pick views; Alt combinations, so they never collide
// with a scheme's keys (printable characters and F-keys) or the Ctrl
// editing keys.
var viewKeys = []binding{
	{fyne.KeyRight, fyne.KeyModifierAlt, "Nudge the chosen view one of its frames later", func(v *codingView) { v.nudgeView(1, 0) }},
	{fyne.KeyLeft, fyne.KeyModifierAlt, "Nudge the chosen view one of its frames earlier", func(v *codingView) { v.nudgeView(-1, 0) }},
	{fyne.KeyRight, fyne.KeyModifierAlt | fyne.KeyModifierShift, "Nudge the chosen view 10 ms later", func(v *codingView) { v.nudgeView(0, 1) }},
	{fyne.KeyLeft, fyne.KeyModifierAlt | fyne.KeyModifierShift, "Nudge the chosen view 10 ms earlier", func(v *codingView) { v.nudgeView(0, -1) }},
	{fyne.KeyA, fyne.KeyModifierAlt, "Add a view (another camera)…", func(v *codingView) {
		if v.views != nil && v.views.addView != nil {
			v.views.addView()
		}
	}},
	{fyne.KeyV, fyne.KeyModifierAlt, "Choose the next view (nudges, steps)", func(v *codingView) { v.cycleView() }},
	{fyne.KeyS, fyne.KeyModifierAlt, "Steps move the chosen view's frames / the primary's", func(v *codingView) { v.toggleViewSteps() }},
	{fyne.KeyL, fyne.KeyModifierAlt, "Views side by side / stacked / one large", func(v *codingView) { v.cycleLayout() }},
	{fyne.KeyH, fyne.KeyModifierAlt, "Hide the chosen view (again: show all)", func(v *codingView) { v.toggleHide() }},
}

// viewsPane is the views around the primary picture.
type viewsPane struct {
	v       *codingView
	proj    *store.Project
	prefs   fyne.Preferences
	prefKey string

	sess  *media.Session // every view, the primary first (its decoder idle)
	list  []app.SessionView
	tiles []*viewTile // tiles[0] is nil: the primary is the player's area

	primary fyne.CanvasObject
	box     *fyne.Container // holds the laid-out views
	addView func()          // the shell's Add view dialog
	state   viewsState
	active  int // the chosen view (1..): nudges and, with steps, frame steps
	steps   bool
	// pinned is the session time a step of another view asked for: the
	// primary shows its frame at or before it, the other views follow it.
	pinned  annotate.Time
	pinning bool
}

// viewsState is what is remembered.
type viewsState struct {
	Layout string   `json:"layout"`
	Large  string   `json:"large,omitempty"` // video ID
	Hidden []string `json:"hidden,omitempty"`
}

// viewsArea wraps the primary picture so views can join it later.
func (v *codingView) viewsArea(primary fyne.CanvasObject) fyne.CanvasObject {
	v.views = &viewsPane{v: v, primary: primary, state: viewsState{Layout: layoutSide}}
	v.views.box = container.NewStack(primary)
	return v.views.box
}

// attachViews opens the observation's further views (a hook of
// openObservation).
func (s *shell) attachViews(v *codingView) {
	if v.views == nil || s.proj == nil {
		return
	}
	p := v.views
	p.proj, p.prefs = s.proj, s.prefs
	p.addView = s.addViewDialog
	p.prefKey = "views:" + s.proj.Path() + "#" + v.ed.Obs.ID
	if data := s.prefs.String(p.prefKey); data != "" {
		json.Unmarshal([]byte(data), &p.state) // a bad preference only loses the layout
	}
	if p.state.Layout == "" {
		p.state.Layout = layoutSide
	}
	if len(v.ed.Obs.Views) > 0 {
		p.reopen()
	}
}

// reopen (re)builds the session from the observation's views.
func (p *viewsPane) reopen() {
	if p.sess != nil {
		p.sess.Close()
		p.sess = nil
	}
	list, err := app.Session(p.proj, p.v.ed.Obs)
	if err != nil {
		p.v.fail("Could not open the views", err)
		return
	}
	p.list = list
	p.tiles = make([]*viewTile, len(list))
	if len(list) > 1 {
		sess, err := app.OpenSession(p.proj, list)
		if err != nil {
			p.v.fail("Could not open the views' videos", err)
			p.list = list[:1]
			p.tiles = p.tiles[:1]
		} else {
			p.sess = sess
			for i := 1; i < len(list); i++ {
				p.tiles[i] = newViewTile(p, i)
			}
			sess.OnFrame(p.frame)
		}
	}
	if p.active >= len(p.list) || p.active == 0 {
		p.active = min(1, len(p.list)-1)
	}
	p.relayout()
	p.follow(p.v.cur.Time)
}

// frame receives a view's frame on its goroutine: the image is copied
// (the decoder reuses its buffer) and handed to the UI goroutine, the
// newest winning.
func (p *viewsPane) frame(f media.ViewFrame) {
	if f.View <= 0 || f.View >= len(p.tiles) || p.tiles[f.View] == nil {
		return
	}
	fr := frame{Index: f.Frame.Index, Time: f.At}
	if f.Frame.Image != nil {
		img := *f.Frame.Image
		img.Pix = append([]byte(nil), img.Pix...)
		fr.Image = &img
	} else if f.State == media.ViewEnded {
		fr.Index = -2
	}
	p.tiles[f.View].box.put(fr)
}

// follow makes the other views show their frames for session time t.
func (p *viewsPane) follow(t annotate.Time) {
	if p.sess != nil {
		p.sess.Follow(t, 1)
	}
}

// followViews is the display hook: the views follow the primary's frame
// (or the time a step of another view pinned).
func (v *codingView) followViews(f frame) {
	p := v.views
	if p == nil || p.sess == nil {
		return
	}
	t := f.Time
	if p.pinning {
		if n, _ := media.RuleFrame(p.sess.Index(0), 0, p.pinned); n == f.Index {
			t = p.pinned
		}
		p.pinning = false
	}
	p.follow(t)
}

// viewsEdited is the edit hook: an undone or redone nudge, an added or
// removed view shows at once.
func (v *codingView) viewsEdited(ch annotate.Change) {
	p := v.views
	if p == nil || p.proj == nil || len(ch.ViewsBefore)+len(ch.ViewsAfter) == 0 {
		return
	}
	same := len(p.list) == len(v.ed.Obs.Views)+1
	for i, view := range v.ed.Obs.Views {
		if !same || p.list[i+1].Video.ID != view.Video {
			same = false
			break
		}
	}
	if !same || p.sess == nil {
		p.reopen()
		return
	}
	for i, view := range v.ed.Obs.Views {
		p.list[i+1].Offset = view.Offset
		if err := p.sess.SetOffset(i+1, view.Offset); err != nil {
			v.fail("Could not show the view at its new offset", err)
		}
		p.tiles[i+1].label()
	}
	p.follow(v.cur.Time)
}

// closeViews is the close hook.
func (v *codingView) closeViews() {
	if v.views != nil && v.views.sess != nil {
		v.views.sess.Close()
		v.views.sess = nil
	}
}

// nudgeView moves the chosen view's offset as an undoable edit.
func (v *codingView) nudgeView(frames, tens int) {
	p := v.views
	if p == nil || len(p.list) < 2 {
		v.setStatus("No other view to nudge (Views ▸ Add view…)")
		return
	}
	sv := p.list[p.active]
	ch, err := v.ed.NudgeView(sv.Video.ID, app.NudgeStep(sv.Video, frames, tens))
	if err != nil {
		v.fail("Could not nudge the view", err)
		return
	}
	nv, _ := v.ed.Obs.ViewOf(sv.Video.ID)
	v.afterEdit(ch, fmt.Sprintf("%s now at %+.3f s", filepath.Base(sv.Video.Path), nv.Offset.Float()))
}

// cycleView chooses the next further view.
func (v *codingView) cycleView() {
	p := v.views
	if p == nil || len(p.list) < 2 {
		return
	}
	p.active = p.active%(len(p.list)-1) + 1
	for _, t := range p.tiles[1:] {
		t.label()
	}
	v.setStatus("Chosen view: " + filepath.Base(p.list[p.active].Video.Path))
}

// toggleViewSteps makes frame steps move the chosen view's frames.
func (v *codingView) toggleViewSteps() {
	p := v.views
	if p == nil || len(p.list) < 2 {
		return
	}
	p.steps = !p.steps
	if p.steps {
		v.setStatus("Steps move " + filepath.Base(p.list[p.active].Video.Path) + " one of its frames")
	} else {
		v.setStatus("Steps move the primary video one frame")
	}
}

// stepView steps the chosen view when steps are its (a hook of step):
// the new session time is its next frame's, the primary shows its frame
// at or before it. It reports whether it handled the step.
func (v *codingView) stepView(d int) bool {
	p := v.views
	if p == nil || !p.steps || p.sess == nil || v.player == nil {
		return false
	}
	sv := p.list[p.active]
	ix := p.sess.Index(p.active)
	t := p.pinned
	if !p.pinning {
		t = v.cur.Time
	}
	n, st := media.RuleFrame(ix, sv.Offset, t)
	switch {
	case st == media.ViewShowing:
		n += int64(d)
	case st == media.ViewNotYet && d > 0:
		n = 0
	case st == media.ViewEnded && d < 0:
		n = ix.Len() - 1
	default:
		return true
	}
	n = max(0, min(n, ix.Len()-1))
	target := ix.PTS[n] + sv.Offset
	if target < 0 || (v.video.Duration > 0 && target > v.video.Duration) {
		v.setStatus("The chosen view's frame lies outside the primary video")
		return true
	}
	v.pause()
	p.pinned, p.pinning = target, true
	v.seek(target)
	return true
}

// cycleLayout switches side by side → stacked → one large.
func (v *codingView) cycleLayout() {
	p := v.views
	if p == nil {
		return
	}
	switch p.state.Layout {
	case layoutSide:
		p.state.Layout = layoutStacked
	case layoutStacked:
		p.state.Layout = layoutLarge
	default:
		p.state.Layout = layoutSide
	}
	p.save()
	p.relayout()
	v.setStatus("Views: " + p.state.Layout)
}

// toggleHide hides the chosen view, or shows every hidden one.
func (v *codingView) toggleHide() {
	p := v.views
	if p == nil || len(p.list) < 2 {
		return
	}
	if len(p.state.Hidden) > 0 {
		p.state.Hidden = nil
	} else {
		p.state.Hidden = []string{p.list[p.active].Video.ID}
	}
	p.save()
	p.relayout()
}

// enlarge shows view i large (double-click), or back to side by side.
func (p *viewsPane) enlarge(i int) {
	id := p.list[i].Video.ID
	if p.state.Layout == layoutLarge && p.state.Large == id {
		p.state.Layout, p.state.Large = layoutSide, ""
	} else {
		p.state.Layout, p.state.Large = layoutLarge, id
	}
	p.save()
	p.relayout()
}

func (p *viewsPane) save() {
	if p.prefs == nil {
		return
	}
	data, _ := json.Marshal(p.state)
	p.prefs.SetString(p.prefKey, string(data))
}

func (p *viewsPane) hidden(id string) bool {
	for _, h := range p.state.Hidden {
		if h == id {
			return true
		}
	}
	return false
}

// relayout puts the visible views in the box.
func (p *viewsPane) relayout() {
	objs := []fyne.CanvasObject{p.primary}
	large := 0
	for i := 1; i < len(p.list); i++ {
		if p.tiles[i] == nil || p.hidden(p.list[i].Video.ID) {
			continue
		}
		if p.list[i].Video.ID == p.state.Large {
			large = len(objs)
		}
		objs = append(objs, p.tiles[i])
	}
	if len(objs) == 1 {
		p.box.Layout = nil
		p.box.Objects = objs
		p.box.Layout = layoutStack{}
	} else {
		p.box.Layout = &viewsLayout{mode: p.state.Layout, large: large}
		p.box.Objects = objs
	}
	p.box.Refresh()
	for _, t := range p.tiles {
		if t != nil {
			t.label()
		}
	}
}

// layoutStack is container.NewStack's layout (every object fills the box).
type layoutStack struct{}

func (layoutStack) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (layoutStack) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}

// viewsLayout arranges the primary and the views.
type viewsLayout struct {
	mode  string
	large int
}

func (l *viewsLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	n := len(objs)
	place := func(o fyne.CanvasObject, x, y, w, h float32) {
		o.Move(fyne.NewPos(x, y))
		o.Resize(fyne.NewSize(w, h))
	}
	switch l.mode {
	case layoutStacked:
		h := size.Height / float32(n)
		for i, o := range objs {
			place(o, 0, float32(i)*h, size.Width, h)
		}
	case layoutLarge:
		big := size.Width * 0.75
		h := size.Height / float32(n-1)
		k := 0
		for i, o := range objs {
			if i == l.large {
				place(o, 0, 0, big, size.Height)
				continue
			}
			place(o, big, float32(k)*h, size.Width-big, h)
			k++
		}
	default:
		w := size.Width / float32(n)
		for i, o := range objs {
			place(o, float32(i)*w, 0, w, size.Height)
		}
	}
}

func (l *viewsLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(160*float32(len(objs)), 180)
}

// viewTile is one further view on screen: its picture, or black with
// "not yet recording"; its name and offset. A double-click enlarges it, a
// click chooses it.
type viewTile struct {
	widget.BaseWidget
	p     *viewsPane
	i     int
	img   *canvas.Image
	state *canvas.Text
	name  *canvas.Text
	box   frameBox
	last  fyne.Size
}

func newViewTile(p *viewsPane, i int) *viewTile {
	t := &viewTile{p: p, i: i}
	t.img = canvas.NewImageFromImage(nil)
	t.img.FillMode = canvas.ImageFillContain
	t.img.ScaleMode = canvas.ImageScaleFastest
	t.state = canvas.NewText("", color.NRGBA{R: 220, G: 220, B: 220, A: 255})
	t.state.Alignment = fyne.TextAlignCenter
	t.name = canvas.NewText("", color.NRGBA{R: 255, G: 230, B: 120, A: 255})
	t.name.TextSize = 11
	t.box.show = t.show
	t.box.uiDo = p.v.hooks.uiDo
	t.label()
	t.ExtendBaseWidget(t)
	return t
}

// label names the view with its offset; the chosen one is marked.
func (t *viewTile) label() {
	sv := t.p.list[t.i]
	mark := ""
	if t.i == t.p.active {
		mark = "▶ "
	}
	t.name.Text = fmt.Sprintf("%s%s %+.3f s", mark, filepath.Base(sv.Video.Path), sv.Offset.Float())
	t.name.Refresh()
}

// show puts a frame on screen; UI goroutine.
func (t *viewTile) show(f frame) {
	switch {
	case f.Image != nil:
		t.img.Image = f.Image
		t.state.Text = ""
	case f.Index == -2:
		t.img.Image = nil
		t.state.Text = "no longer recording"
	default:
		t.img.Image = nil
		t.state.Text = "not yet recording"
	}
	t.img.Refresh()
	t.state.Refresh()
}

// Shown is what the tile shows, for tests: its state text and whether it
// has a picture.
func (t *viewTile) Shown() (string, bool) { return t.state.Text, t.img.Image != nil }

func (t *viewTile) Tapped(*fyne.PointEvent) {
	t.p.active = t.i
	for _, x := range t.p.tiles[1:] {
		x.label()
	}
	t.p.v.win.Canvas().Unfocus()
}

func (t *viewTile) DoubleTapped(*fyne.PointEvent) { t.p.enlarge(t.i) }

func (t *viewTile) CreateRenderer() fyne.WidgetRenderer {
	bg := canvas.NewRectangle(color.Black)
	objs := []fyne.CanvasObject{bg, t.img, container.NewCenter(t.state), t.name}
	return &tileRenderer{t: t, bg: bg, objs: objs}
}

type tileRenderer struct {
	t    *viewTile
	bg   *canvas.Rectangle
	objs []fyne.CanvasObject
}

func (r *tileRenderer) Layout(size fyne.Size) {
	for _, o := range r.objs[:3] {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
	r.t.name.Move(fyne.NewPos(4, 2))
	r.t.name.Resize(r.t.name.MinSize())
	if size != r.t.last && r.t.p.sess != nil {
		r.t.last = size
		scale := r.t.p.v.win.Canvas().Scale()
		w, h := fitView(r.t.p.sess.Info(r.t.i), int(size.Width*scale), int(size.Height*scale))
		sess, i := r.t.p.sess, r.t.i
		go sess.SetViewSize(i, w, h) // waits for the view's goroutine
	}
}

func (r *tileRenderer) MinSize() fyne.Size           { return fyne.NewSize(120, 90) }
func (r *tileRenderer) Refresh()                     { canvas.Refresh(r.t) }
func (r *tileRenderer) Objects() []fyne.CanvasObject { return r.objs }
func (r *tileRenderer) Destroy()                     {}

// fitView is the largest size with the view's display aspect inside w×h.
func fitView(in media.Info, w, h int) (int, int) {
	dw, dh := in.DisplaySize()
	if dw <= 0 || dh <= 0 || w <= 0 || h <= 0 {
		return 0, 0
	}
	if w*dh > h*dw {
		w = h * dw / dh
	} else {
		h = w * dh / dw
	}
	return max(2, w&^1), max(2, h&^1)
}

// ---- adding a view ----

// addViewDialog picks a video file and shows the offset found from the
// sound before the view is kept; the coder may type another (or one found
// by marking a shared moment in both views).
func (s *shell) addViewDialog() {
	if s.view == nil || s.proj == nil {
		s.showError("No observation open", errors.New("views belong to an observation's session"), "Open an observation first.")
		return
	}
	v := s.view
	v.pause()
	entry := widget.NewEntry()
	entry.SetPlaceHolder("/path/to/other-camera.mp4")
	browse := widget.NewButton("Browse…", func() {
		s.openFileDialog(videoExts, func(path string) { entry.SetText(path) })
	})
	var d dialog.Dialog
	find := func() {
		if strings.TrimSpace(entry.Text) == "" {
			return
		}
		d.Hide()
		s.proposeView(strings.TrimSpace(entry.Text))
	}
	entry.OnSubmitted = func(string) { find() }
	content := container.NewVBox(
		widget.NewLabel("The other camera's video; its offset is found from the two recordings' sound."),
		container.NewBorder(nil, nil, nil, browse, entry))
	d = dialog.NewCustomConfirm("Add view", "Find offset", "Cancel", content, func(ok bool) {
		if ok {
			find()
		}
	}, s.win)
	v.track(d)
	d.Resize(fyne.NewSize(620, 160))
	d.Show()
	s.win.Canvas().Focus(entry)
}

// proposeView finds the offset off the UI goroutine, then asks.
func (s *shell) proposeView(path string) {
	v, proj := s.view, s.proj
	prog := dialog.NewCustomWithoutButtons("Adding a view", widget.NewLabel("Finding "+filepath.Base(path)+"'s offset from the sound…"), s.win)
	prog.Show()
	s.sched.spawn(func() {
		prop, err := app.ProposeView(proj, s.engine, v.ed.Obs.ID, path, nil)
		s.sched.uiDo(func() {
			prog.Hide()
			if err != nil && prop.Video.ID == "" {
				s.showError("Could not add the view", err, app.VideoAdvice(err))
				return
			}
			s.confirmView(v, prop, err)
		})
	})
}

// confirmView shows the proposal: Keep stores it (undoable), the entry
// takes another offset.
func (s *shell) confirmView(v *codingView, prop app.ViewProposal, syncErr error) {
	msg := ""
	switch {
	case syncErr != nil:
		msg = "The offset could not be found from the sound: " + syncErr.Error()
	case prop.Low:
		msg = fmt.Sprintf("The sound gives %+.3f s, but only with confidence %.1f (too low to trust).", prop.Offset.Float(), prop.Confidence)
	default:
		msg = fmt.Sprintf("Found from the sound: %s starts %+.3f s on this video's timeline (confidence %.1f).",
			filepath.Base(prop.Video.Path), prop.Offset.Float(), prop.Confidence)
	}
	entry := widget.NewEntry()
	entry.SetText(prop.Offset.Seconds())
	hint := widget.NewLabel("Offset in seconds (where the view's time 0 lies on this video's timeline).\n" +
		"Without usable sound: find one shared moment (a clap, a door) in both videos;\n" +
		"offset = its time here − its time in the view.")
	content := container.NewVBox(widget.NewLabel(msg), entry, hint)
	var d dialog.Dialog
	kept := false
	keep := func() {
		if !kept {
			kept = true
			d.Hide()
			s.keepView(v, prop, entry.Text)
		}
	}
	entry.OnSubmitted = func(string) { keep() } // Return keeps
	d = dialog.NewCustomConfirm("Add view", "Keep", "Cancel", content, func(ok bool) {
		if ok {
			keep()
		}
	}, s.win)
	v.track(d)
	d.Show()
	s.win.Canvas().Focus(entry)
}

// keepView stores the view at the offset typed (or found), undoable.
func (s *shell) keepView(v *codingView, prop app.ViewProposal, offset string) {
	t, err := annotate.ParseSeconds(strings.TrimSpace(offset))
	if err != nil {
		s.showError("Not an offset", err, "Type seconds, e.g. 3.400 or -1.25.")
		return
	}
	prop.Offset = t
	ch, err := app.KeepView(v.ed, prop)
	if err != nil {
		s.showError("Could not add the view", err, app.EditAdvice(err))
		return
	}
	v.afterEdit(ch, fmt.Sprintf("view %s at %+.3f s", filepath.Base(prop.Video.Path), t.Float()))
}

// viewsMenu is the Views menu while an observation is open.
func (s *shell) viewsMenu() *fyne.Menu {
	item := func(label string, f func()) *fyne.MenuItem { return fyne.NewMenuItem(label, f) }
	return fyne.NewMenu("Views",
		item("Add view…", s.addViewDialog),
		fyne.NewMenuItemSeparator(),
		item("Side by side / stacked / one large (Alt+L)", s.onView((*codingView).cycleLayout)),
		item("Choose the next view (Alt+V)", s.onView((*codingView).cycleView)),
		item("Hide the chosen view / show all (Alt+H)", s.onView((*codingView).toggleHide)),
		item("Steps move the chosen view (Alt+S)", s.onView((*codingView).toggleViewSteps)),
		item("Nudge the chosen view a frame later (Alt+Right)", s.onView(func(v *codingView) { v.nudgeView(1, 0) })),
		item("Nudge the chosen view a frame earlier (Alt+Left)", s.onView(func(v *codingView) { v.nudgeView(-1, 0) })),
	)
}
