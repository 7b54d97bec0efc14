package ui

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dyadcode/annotate"
)

// ev is an event as the tests compare it: code, start and end frame, open.
type ev struct {
	code       string
	start, end int64
	open       bool
}

func events(o *annotate.Observation) []ev {
	var out []ev
	for _, e := range o.Events {
		out = append(out, ev{e.Behavior, int64(e.Start / (40 * annotate.Millisecond)), int64(e.End / (40 * annotate.Millisecond)), e.Open})
		if e.Start%(40*annotate.Millisecond) != 0 || e.End%(40*annotate.Millisecond) != 0 {
			panic(fmt.Sprintf("event %v is not on a frame boundary", e))
		}
	}
	return out
}

var (
	undoKey = &fyne.ShortcutUndo{}
	redoKey = &desktop.CustomShortcut{KeyName: fyne.KeyZ, Modifier: fyne.KeyModifierControl | fyne.KeyModifierShift}
)

// TestKeys drives the coding view with key presses, quits, and reads the
// project file back: what was tagged is on disk at the frames on screen.
func TestKeys(t *testing.T) {
	type step func(h *harness)
	keys := func(s string) step { return func(h *harness) { h.typeKeys(s) } }
	right := func(n int) step { return func(h *harness) { h.right(n) } }
	left := func(h *harness) { h.press(fyne.KeyLeft) }
	undo := func(h *harness) { h.shortcut(undoKey) }
	redo := func(h *harness) { h.shortcut(redoKey) }
	tests := []struct {
		name     string
		steps    []step
		want     []ev
		episodes map[string]int64 // episode -> start frame
	}{
		{name: "point", steps: []step{right(3), keys("a")},
			want: []ev{{"approach", 3, 3, false}}},
		{name: "point while stepping back", steps: []step{right(5), left, keys("m"), left, keys("M")},
			want: []ev{{"smile", 3, 3, false}, {"smile", 4, 4, false}}},
		{name: "state on and off", steps: []step{right(2), keys("e"), right(4), keys("e")},
			want: []ev{{"explore", 2, 6, false}}},
		{name: "state left running", steps: []step{right(7), keys("y")},
			want: []ev{{"eye_contact", 7, 7, true}}},
		{name: "exclusive group", steps: []step{right(1), keys("d"), right(2), keys("k")},
			want: []ev{{"distress", 1, 3, false}, {"calm", 3, 3, true}}},
		{name: "independent states overlap", steps: []step{keys("e"), right(2), keys("y"), right(2), keys("e"), right(1), keys("y")},
			want: []ev{{"explore", 0, 4, false}, {"eye_contact", 2, 5, false}}},
		{name: "episode keys", steps: []step{keys("1"), right(10), keys("2"), right(5), keys("a")},
			want:     []ev{{"approach", 15, 15, false}},
			episodes: map[string]int64{"1 Introduction": 0, "2 Caregiver and child": 10}},
		{name: "undo", steps: []step{keys("a"), right(1), keys("c"), undo},
			want: []ev{{"approach", 0, 0, false}}},
		{name: "undo then redo", steps: []step{keys("a"), right(1), keys("c"), undo, undo, redo},
			want: []ev{{"approach", 0, 0, false}}},
		{name: "undo a state stop reopens it", steps: []step{keys("e"), right(3), keys("e"), undo},
			want: []ev{{"explore", 0, 0, true}}},
		{name: "new edit clears redo", steps: []step{keys("a"), undo, right(2), keys("v"), redo},
			want: []ev{{"vocalize", 2, 2, false}}},
		{name: "unbound key does nothing", steps: []step{keys("q?"), right(1), keys("a")},
			want: []ev{{"approach", 1, 1, false}}},
		{name: "step past the end stays on the last frame", steps: []step{func(h *harness) { h.press(fyne.KeyEnd) },
			func(h *harness) {
				waitFor(h.t, "the last frame", func() bool { return h.view().cur.Index == 74 })
			}, right(1), keys("a")},
			want: []ev{{"approach", 74, 74, false}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := openCoding(t, makeProject(t))
			for _, s := range tc.steps {
				s(h)
			}
			shown := events(h.view().ed.Obs)
			o := h.reopen()
			got := events(o)
			if !slices.Equal(got, tc.want) {
				t.Errorf("events in the file:\n got %v\nwant %v", got, tc.want)
			}
			if !slices.Equal(shown, got) {
				t.Errorf("window showed %v but the file holds %v", shown, got)
			}
			gotEp := map[string]int64{}
			for _, m := range o.Episodes {
				gotEp[m.Name] = int64(m.Start / (40 * annotate.Millisecond))
			}
			if len(gotEp) != len(tc.episodes) {
				t.Errorf("episodes %v, want %v", gotEp, tc.episodes)
			}
			for k, v := range tc.episodes {
				if gotEp[k] != v {
					t.Errorf("episode %q at frame %d, want %d", k, gotEp[k], v)
				}
			}
		})
	}
}

// TestUndoPersists: the undo history is in the file, so a reopened window
// can undo what an earlier one did.
func TestUndoPersists(t *testing.T) {
	path := makeProject(t)
	h := openCoding(t, path)
	h.typeKeys("a")
	h.right(2)
	h.typeKeys("c")
	h.s.quit()

	h2 := openCoding(t, path)
	if got := len(h2.view().ed.Obs.Events); got != 2 {
		t.Fatalf("reopened with %d events, want 2", got)
	}
	if h2.view().cur.Index != 2 {
		t.Errorf("reopened at frame %d, want 2 (where the coder left off)", h2.view().cur.Index)
	}
	h2.shortcut(undoKey)
	o := h2.reopen()
	if got, want := events(o), []ev{{"approach", 0, 0, false}}; !slices.Equal(got, want) {
		t.Errorf("after undo in a new session: %v, want %v", got, want)
	}
}

// TestButtonsLightRunningStates: the coding panel lights open states and
// the current episode, and tapping a button tags like its key.
func TestButtonsLightRunningStates(t *testing.T) {
	h := openCoding(t, makeProject(t))
	v := h.view()
	h.typeKeys("d")
	if !v.panel.behavior["distress"].lit {
		t.Error("distress running but its button is not lit")
	}
	h.right(1)
	tapped(v.panel.behavior["calm"]) // starts calm, stops distress (same group)
	if v.panel.behavior["distress"].lit || !v.panel.behavior["calm"].lit {
		t.Error("after calm: distress should be dark and calm lit")
	}
	h.typeKeys("3")
	if !v.panel.episode["3 Stranger joins"].lit {
		t.Error("current episode not lit")
	}
	if v.episode.Text != "3 Stranger joins" {
		t.Errorf("episode label %q", v.episode.Text)
	}
	got := events(h.reopen())
	want := []ev{{"distress", 0, 1, false}, {"calm", 1, 1, true}}
	if !slices.Equal(got, want) {
		t.Errorf("got %v want %v", got, want)
	}
}

func tapped(k *codeKey) { k.Tapped(&fyne.PointEvent{}) }

// TestEventsTable: sorting, filtering, activating a row (selects and seeks)
// and the edits made from the table: delete, recode, comment.
func TestEventsTable(t *testing.T) {
	h := openCoding(t, makeProject(t))
	v := h.view()
	h.typeKeys("a")
	h.right(5)
	h.typeKeys("m")
	h.right(5)
	h.typeKeys("v")
	h.right(5)
	h.typeKeys("a")
	tb := v.events
	codes := func() []string {
		var out []string
		for _, e := range tb.rows {
			out = append(out, e.Behavior)
		}
		return out
	}
	if got := codes(); !slices.Equal(got, []string{"approach", "smile", "vocalize", "approach"}) {
		t.Fatalf("rows in time order: %v", got)
	}
	tb.sortBy(colBehavior)
	if got := codes(); !slices.Equal(got, []string{"approach", "approach", "smile", "vocalize"}) {
		t.Errorf("sorted by behaviour: %v", got)
	}
	tb.sortBy(colBehavior)
	if got := codes(); !slices.Equal(got, []string{"vocalize", "smile", "approach", "approach"}) {
		t.Errorf("sorted by behaviour, descending: %v", got)
	}
	tb.sortBy(colTime)
	tb.filter.SetSelected("approach")
	if got := codes(); !slices.Equal(got, []string{"approach", "approach"}) || tb.count.Text != "2 of 4 events" {
		t.Errorf("filtered: %v, %q", got, tb.count.Text)
	}
	tb.filter.SetSelected(allBehaviors)

	// Activating the smile row selects it and moves the video to frame 5.
	tb.table.Select(widget.TableCellID{Row: 1, Col: 1})
	waitFor(t, "the seek to the event", func() bool { return v.cur.Index == 5 })
	if e, ok := v.ed.Obs.Event(v.selected); !ok || e.Behavior != "smile" {
		t.Fatalf("selected %v after activating the smile row", v.selected)
	}
	h.press(fyne.KeyDelete)
	if got := codes(); !slices.Equal(got, []string{"approach", "vocalize", "approach"}) {
		t.Errorf("after Delete: %v", got)
	}

	// Recode the vocalization through the dialog's own widgets.
	tb.table.Select(widget.TableCellID{Row: 1, Col: 0})
	pump()
	v.changeBehaviorDialog()
	sel := findInOverlay[*widget.Select](t, h, func(*widget.Select) bool { return true })
	sel.SetSelected("seek_comfort")
	tapButton(t, h, "Change")
	// And comment on it.
	v.commentDialog()
	en := findInOverlay[*escEntry](t, h, func(e *escEntry) bool { return e.MultiLine })
	en.SetText("reaches up, looks at the door")
	tapButton(t, h, "Save")

	o := h.reopen()
	got := events(o)
	want := []ev{{"approach", 0, 0, false}, {"seek_comfort", 10, 10, false}, {"approach", 15, 15, false}}
	if !slices.Equal(got, want) {
		t.Fatalf("file holds %v, want %v", got, want)
	}
	if c := o.Events[1].Comment; c != "reaches up, looks at the door" {
		t.Errorf("comment %q", c)
	}
	if o.Events[1].Subject != "child" {
		t.Errorf("subject %q", o.Events[1].Subject)
	}
}

// findInOverlay returns the first widget of type T on the top overlay (an
// open dialog) that matches.
func findInOverlay[T fyne.CanvasObject](t *testing.T, h *harness, match func(T) bool) T {
	t.Helper()
	top := h.s.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog open")
	}
	var zero T
	for _, o := range testLaidOut(top) {
		if w, ok := o.(T); ok && match(w) {
			return w
		}
	}
	t.Fatalf("no %T in the dialog", zero)
	return zero
}

func tapButton(t *testing.T, h *harness, label string) {
	t.Helper()
	b := findInOverlay[*widget.Button](t, h, func(b *widget.Button) bool { return strings.EqualFold(b.Text, label) })
	b.OnTapped()
	pump()
}

// TestParseGoTo covers the go-to box's forms.
func TestParseGoTo(t *testing.T) {
	tests := []struct {
		in      string
		frame   int64
		at      annotate.Time
		isFrame bool
		bad     bool
	}{
		{in: "#123", frame: 123, isFrame: true},
		{in: " # 7 ", frame: 7, isFrame: true},
		{in: "62.5", at: 62500 * annotate.Millisecond},
		{in: "01:02.500", at: 62500 * annotate.Millisecond},
		{in: "1:00:00.040", at: annotate.Hour + 40*annotate.Millisecond},
		{in: "00:00:00.000", at: 0},
		{in: "#-1", bad: true},
		{in: "#x", bad: true},
		{in: "1:2:3:4", bad: true},
		{in: "-5", bad: true},
		{in: "1.5:00", bad: true},
		{in: "", bad: true},
		{in: "abc", bad: true},
		{in: "99:99", bad: true}, // the typo: 99 seconds after a colon
		{in: "1:60:00", bad: true},
		{in: "99", at: 99 * annotate.Second}, // plain seconds may run past 59
		{in: "1:59:59.999", at: annotate.Hour + 59*annotate.Minute + 59999*annotate.Millisecond},
	}
	for _, tc := range tests {
		n, at, isFrame, err := parseGoTo(tc.in)
		if tc.bad {
			if err == nil {
				t.Errorf("parseGoTo(%q) = %d %v %v, want an error", tc.in, n, at, isFrame)
			}
			continue
		}
		if err != nil || n != tc.frame || at != tc.at || isFrame != tc.isFrame {
			t.Errorf("parseGoTo(%q) = %d %v %v %v, want %d %v %v", tc.in, n, at, isFrame, err, tc.frame, tc.at, tc.isFrame)
		}
	}
}

// TestClickOnVideoReturnsKeys: after a widget took the keyboard focus, a
// click on the picture gives the coding keys back (and plays/pauses).
func TestClickOnVideoReturnsKeys(t *testing.T) {
	h := openCoding(t, makeProject(t))
	v := h.view()
	c := h.s.win.Canvas()
	c.Focus(v.events.table)
	if c.Focused() == nil {
		t.Fatal("table did not take the focus")
	}
	var tap *tapArea
	for _, o := range testLaidOut(v.content) {
		if ta, ok := o.(*tapArea); ok {
			tap = ta
		}
	}
	if tap == nil {
		t.Fatal("no tap area over the video")
	}
	tap.Tapped(&fyne.PointEvent{})
	if c.Focused() != nil {
		t.Error("focus not cleared by a click on the video")
	}
	waitFor(t, "playback", func() bool { return v.player.Playing() })
	tap.Tapped(&fyne.PointEvent{})
	waitFor(t, "pause", func() bool { return !v.player.Playing() })
	pump()
	at := v.cur.Index
	h.typeKeys("a")
	if got := events(h.reopen()); len(got) != 1 || got[0].start != at {
		t.Errorf("after the click, a tagged %v, want approach at frame %d", got, at)
	}
}

// TestModifiers: the modifiers dialog sets a distress event's modifiers,
// shown in the table and saved.
func TestModifiers(t *testing.T) {
	h := openCoding(t, makeProject(t))
	v := h.view()
	h.typeKeys("d")
	h.right(2)
	h.typeKeys("d")
	v.events.table.Select(widget.TableCellID{Row: 0, Col: 1})
	pump()
	h.shortcut(ctrlShortcut(fyne.KeyD))
	g := findInOverlay[*widget.CheckGroup](t, h, func(*widget.CheckGroup) bool { return true })
	g.SetSelected([]string{"scream", "fuss"})
	tapButton(t, h, "Save")
	if got := cellText(v.events.rows[0], colBehavior); got != "distress (fuss|scream)" {
		t.Errorf("table shows %q", got)
	}
	o := h.reopen()
	if got := o.Events[0].Modifiers; !slices.Equal(got, []string{"fuss", "scream"}) {
		t.Errorf("saved modifiers %v", got)
	}
}

// TestHeldKeyDoesNotRepeat: with a driver that reports key presses, the
// auto-repeat of a held coding key is ignored (a held state key would
// otherwise toggle on and off), while each real press counts.
func TestHeldKeyDoesNotRepeat(t *testing.T) {
	h := openCoding(t, makeProject(t))
	v := h.view()
	v.repeatGuard = true // as on the desktop driver
	press := func(r rune, repeats int) {
		v.keyDown(&fyne.KeyEvent{})
		for range 1 + repeats {
			v.typedRune(r)
		}
	}
	press('e', 5) // held: explore starts once
	h.right(2)
	press('a', 3)
	press('a', 0) // a second real press is a second point
	h.right(1)
	press('e', 2)
	want := []ev{{"explore", 0, 3, false}, {"approach", 2, 2, false}, {"approach", 2, 2, false}}
	if got := events(h.reopen()); !slices.Equal(got, want) {
		t.Errorf("got %v want %v", got, want)
	}
}

// TestDialogKeys: with a dialog up, coding keys do nothing behind it;
// Escape closes the go-to box (its entry has the focus) and the keyboard
// help (nothing has the focus); Return in the go-to box goes there.
func TestDialogKeys(t *testing.T) {
	h := openCoding(t, makeProject(t))
	v := h.view()
	c := h.s.win.Canvas()
	v.goToDialog()
	e, ok := c.Focused().(*escEntry)
	if !ok {
		t.Fatalf("go-to box has no focused entry (%T)", c.Focused())
	}
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if c.Overlays().Top() != nil || v.dlg != nil {
		t.Fatal("Escape did not close the go-to box")
	}
	v.goToDialog()
	e = c.Focused().(*escEntry)
	test.Type(e, "#12")
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	waitFor(t, "frame 12", func() bool { return v.cur.Index == 12 })
	if c.Overlays().Top() != nil {
		t.Error("go-to box still open after Return")
	}
	h.s.showHelp()
	if c.Overlays().Top() == nil {
		t.Fatal("no keyboard help")
	}
	h.typeKeys("a") // behind the dialog: ignored
	h.press(fyne.KeyEscape)
	if c.Overlays().Top() != nil {
		t.Fatal("Escape did not close the keyboard help")
	}
	h.typeKeys("m")
	if got := events(h.reopen()); !slices.Equal(got, []ev{{"smile", 12, 12, false}}) {
		t.Errorf("got %v, want only the smile typed after the dialogs closed", got)
	}
}
