package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"dyadcode/annotate"
)

// mark is an episode mark as the tests compare it: its name and start in
// microseconds (so a mark off the frame grid shows as such).
type mark struct {
	name  string
	start annotate.Time
}

func marks(o *annotate.Observation) []mark {
	out := []mark{}
	for _, m := range o.Episodes {
		out = append(out, mark{m.Name, m.Start})
	}
	return out
}

// nominal is the default scheme's template laid out from start: 30 s of
// introduction, then 180 s for each other episode.
func nominal(start annotate.Time) []mark {
	names := []string{"1 Introduction", "2 Caregiver and child", "3 Stranger joins", "4 First separation",
		"5 First reunion", "6 Child alone", "7 Stranger returns", "8 Second reunion"}
	out := []mark{}
	for i, n := range names {
		off := annotate.Time(0)
		if i > 0 {
			off = 30*annotate.Second + annotate.Time(i-1)*180*annotate.Second
		}
		out = append(out, mark{n, start + off})
	}
	return out
}

// keyAt is an episode key pressed at a frame.
type keyAt struct {
	key   string
	frame int64
}

// markEpisodes steps forward to each frame in turn and presses its key.
func markEpisodes(h *harness, presses ...keyAt) {
	for _, p := range presses {
		h.right(int(p.frame - h.view().cur.Index))
		h.typeKeys(p.key)
	}
}

// layOut opens the template dialog from the Coding menu's command, picks
// where episode 1 starts and confirms.
func layOut(t *testing.T, h *harness, fromStart bool, wantWarning bool) {
	t.Helper()
	h.view().templateDialog()
	radio := findInOverlay[*widget.RadioGroup](t, h, func(*widget.RadioGroup) bool { return true })
	if !strings.HasPrefix(radio.Selected, fromPlayhead) {
		t.Errorf("the template starts at %q by default, want the playhead", radio.Selected)
	}
	warned := false
	for _, o := range testLaidOut(h.s.win.Canvas().Overlays().Top()) {
		if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, "This replaces") {
			warned = true
		}
	}
	if warned != wantWarning {
		t.Errorf("warning about replacing marks shown: %v, want %v", warned, wantWarning)
	}
	if fromStart {
		radio.SetSelected(fromZero)
	}
	tapButton(t, h, "Lay out")
	if h.s.win.Canvas().Overlays().Top() != nil {
		t.Error("the template dialog is still open")
	}
}

// TestEpisodeBoundaries drives the template, the band drag and the
// episode keys, quits, and reads the marks back from the project file.
func TestEpisodeBoundaries(t *testing.T) {
	ctrlB := ctrlShortcut(fyne.KeyB)
	ctrlDel := ctrlShortcut(fyne.KeyDelete)
	tests := []struct {
		name string
		do   func(t *testing.T, h *harness)
		want []mark
	}{
		{"template from the playhead", func(t *testing.T, h *harness) {
			h.right(10)
			layOut(t, h, false, false)
		}, nominal(frameTime(10))},
		{"template from 0", func(t *testing.T, h *harness) {
			h.right(10)
			layOut(t, h, true, false)
		}, nominal(0)},
		{"template replaces marks; one undo brings them back", func(t *testing.T, h *harness) {
			markEpisodes(h, keyAt{"1", 2}, keyAt{"2", 22})
			layOut(t, h, false, true)
			if got := marks(h.view().ed.Obs); !slices.Equal(got, nominal(frameTime(22))) {
				t.Errorf("after the template: %v", got)
			}
			h.shortcut(undoKey)
		}, []mark{{"1 Introduction", frameTime(2)}, {"2 Caregiver and child", frameTime(22)}}},
		{"band drag moves a mark", func(t *testing.T, h *harness) {
			markEpisodes(h, keyAt{"1", 0}, keyAt{"2", 20})
			h.view().tl.(*codingTimeline).OnMoveBand(frameTime(20), frameTime(31))
		}, []mark{{"1 Introduction", 0}, {"2 Caregiver and child", frameTime(31)}}},
		{"band drag is one undo step", func(t *testing.T, h *harness) {
			markEpisodes(h, keyAt{"1", 0}, keyAt{"2", 20})
			tl := h.view().tl.(*codingTimeline)
			tl.OnMoveBand(frameTime(20), frameTime(31))
			tl.OnMoveBand(frameTime(31), frameTime(40))
			h.shortcut(undoKey)
		}, []mark{{"1 Introduction", 0}, {"2 Caregiver and child", frameTime(31)}}},
		{"band drag onto nothing is refused", func(t *testing.T, h *harness) {
			h.typeKeys("1")
			h.view().tl.(*codingTimeline).OnMoveBand(frameTime(7), frameTime(9))
			if h.s.win.Canvas().Overlays().Top() == nil {
				t.Error("a refused drag showed no message")
			}
		}, []mark{{"1 Introduction", 0}}},
		{"Ctrl+B moves the nearest start here", func(t *testing.T, h *harness) {
			markEpisodes(h, keyAt{"1", 5}, keyAt{"2", 20}, keyAt{"3", 40})
			for range 3 {
				h.press(fyne.KeyLeft) // frame 37: nearest is episode 3's start
			}
			h.shortcut(ctrlB)
			for range 11 {
				h.press(fyne.KeyLeft) // frame 26: nearest is episode 2's start
			}
			h.shortcut(ctrlB)
		}, []mark{{"1 Introduction", frameTime(5)}, {"2 Caregiver and child", frameTime(26)}, {"3 Stranger joins", frameTime(37)}}},
		{"Ctrl+Delete removes the mark at or before here", func(t *testing.T, h *harness) {
			markEpisodes(h, keyAt{"1", 5}, keyAt{"2", 20})
			h.right(5)
			h.shortcut(ctrlDel) // frame 25: episode 2's mark goes
			h.press(fyne.KeyHome)
			waitFor(t, "frame 0", func() bool { return h.view().cur.Index == 0 })
			h.shortcut(ctrlDel) // before any mark: nothing to remove
		}, []mark{{"1 Introduction", frameTime(5)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := openCoding(t, makeProject(t))
			tt.do(t, h)
			if got := marks(h.reopen()); !slices.Equal(got, tt.want) {
				t.Errorf("marks in the file:\n got %v\nwant %v", got, tt.want)
			}
		})
	}
}

// TestTemplateSnapsToFrames: at 29.97 fps 30 s is not a whole number of
// frames, so each laid-out start is moved to the nearest frame start, as
// the media engine times frames (round(n·1001/30000 s) in µs).
func TestTemplateSnapsToFrames(t *testing.T) {
	v := &codingView{ed: annotate.NewEditor(&annotate.Observation{}, annotate.DefaultScheme(), nil, nil, nil),
		video: annotate.Video{Rate: annotate.Rate{Num: 30000, Den: 1001}}}
	frameStart := func(n int64) annotate.Time { return annotate.Time((n*1001*1_000_000 + 15000) / 30000) }
	start := frameStart(10)
	got, err := v.templateMarks(start)
	if err != nil {
		t.Fatal(err)
	}
	// Hand-computed: 30 s after frame 10 (333,667 µs) is 30.333667 s, frame
	// 909.10 → 909; 210.333667 s is frame 6303.71 → 6304; and so on.
	wantFrames := []int64{10, 909, 6304, 11698, 17093, 22488, 27882, 33277}
	if len(got) != len(wantFrames) {
		t.Fatalf("%d marks, want %d", len(got), len(wantFrames))
	}
	for i, m := range got {
		if m.Start != frameStart(wantFrames[i]) {
			t.Errorf("%s starts at %d µs, want frame %d at %d µs", m.Name, m.Start, wantFrames[i], frameStart(wantFrames[i]))
		}
	}
	// A scheme whose episodes lack nominal lengths cannot give a template.
	s := annotate.DefaultScheme()
	s.Episodes[2].Nominal = 0
	v.ed.Scheme = s
	if _, err := v.templateMarks(0); err == nil || !strings.Contains(err.Error(), s.Episodes[2].Name) {
		t.Errorf("template without a nominal length: err %v", err)
	}
}

func TestNominalLength(t *testing.T) {
	for _, c := range []struct {
		d    annotate.Time
		want string
	}{
		{30 * annotate.Second, "30 s"},
		{180 * annotate.Second, "3 min"},
		{210 * annotate.Second, "3 min 30 s"},
		{2500 * annotate.Millisecond, "2.5 s"},
	} {
		if got := nominalLength(c.d); got != c.want {
			t.Errorf("nominalLength(%d) = %q, want %q", c.d, got, c.want)
		}
	}
}

// TestEpisodeMenuAndHelp: the Coding menu offers the episode commands with
// their keys, the template item opens its dialog, and F1 lists the keys.
func TestEpisodeMenuAndHelp(t *testing.T) {
	h := openCoding(t, makeProject(t))
	items := map[string]*fyne.MenuItem{}
	for _, m := range h.s.win.MainMenu().Items {
		if m.Label != "Coding" {
			continue
		}
		for _, it := range m.Items {
			items[it.Label] = it
		}
	}
	for label, key := range map[string]string{
		"Lay out episodes from the template…":       "",
		"Move the nearest episode start to here":    "Ctrl+B",
		"Remove the episode mark at or before here": "Ctrl+Delete",
	} {
		it, ok := items[label]
		if !ok {
			t.Errorf("no %q in the Coding menu", label)
			continue
		}
		got := ""
		if sc, ok := it.Shortcut.(*desktop.CustomShortcut); ok {
			got = keyLabel(sc.KeyName, sc.Modifier)
		}
		if got != key {
			t.Errorf("%q has key %q, want %q", label, got, key)
		}
	}
	if it := items["Lay out episodes from the template…"]; it != nil {
		it.Action()
		findInOverlay[*widget.RadioGroup](t, h, func(*widget.RadioGroup) bool { return true })
		h.view().closeDialog()
	}
	var help []string
	for _, o := range testLaidOut(h.view().helpContent(appKeys)) {
		if txt, ok := o.(*canvas.Text); ok {
			help = append(help, txt.Text)
		}
	}
	for _, want := range []string{"Ctrl+B", "Ctrl+Delete", "Drag"} {
		if !slices.Contains(help, want) {
			t.Errorf("the keyboard help does not list %s", want)
		}
	}
}
