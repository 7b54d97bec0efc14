package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"

	"dyadcode/annotate"
	"dyadcode/app"
	"dyadcode/media/mediatest"
)

func altShortcut(k fyne.KeyName, mod fyne.KeyModifier) fyne.Shortcut {
	return &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierAlt | mod}
}

// A second camera in the coding window: proposed (no sound here, so the
// offset is typed), kept, shown by the rule, nudged by a frame of its own
// and undone, laid out and remembered, and gone again with undo.
func TestWindowViews(t *testing.T) {
	path := makeProject(t) // 25 fps, 3 s, no audio
	h := openCoding(t, path)
	v := h.view()
	side := mediatest.Copy(t, mediatest.Rotated, t.TempDir(), "side.mp4") // 30 fps, 2 s, rotated

	prop, err := app.ProposeView(h.s.proj, h.s.engine, v.ed.Obs.ID, side, nil)
	if prop.Video.ID == "" {
		t.Fatalf("proposal: %+v %v", prop, err)
	}
	h.s.keepView(v, prop, "0.5")
	pump()
	if len(v.ed.Obs.Views) != 1 || v.ed.Obs.Views[0].Offset != 500*annotate.Millisecond {
		t.Fatalf("session %v", v.ed.Obs.Views)
	}
	p := v.views
	if p.sess == nil || len(p.tiles) != 2 || p.tiles[1] == nil {
		t.Fatalf("no view on screen")
	}
	tile := p.tiles[1]
	// Session 0: the side camera is not recording yet.
	h.s.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyHome})
	waitFor(t, "not yet recording", func() bool { s, pic := tile.Shown(); return s == "not yet recording" && !pic })
	// Frame 25 (1 s): the side camera shows its frame at 0.5 s (#15).
	v.seekFrame(25)
	waitFor(t, "the side view's frame", func() bool {
		_, pic := tile.Shown()
		n, st, _ := p.sess.Shown(1)
		return pic && n == 15 && st == 0
	})
	// Alt+Right: one of its frames later; Ctrl+Z takes it back.
	h.shortcut(altShortcut(fyne.KeyRight, 0))
	if got := v.ed.Obs.Views[0].Offset; got != 500*annotate.Millisecond+33_333 {
		t.Fatalf("after a nudge: %d", got)
	}
	waitFor(t, "the nudged frame", func() bool { n, _, _ := p.sess.Shown(1); return n == 14 })
	h.shortcut(undoKey)
	if got := v.ed.Obs.Views[0].Offset; got != 500*annotate.Millisecond {
		t.Fatalf("after undo: %d", got)
	}
	waitFor(t, "the frame back", func() bool { n, _, _ := p.sess.Shown(1); return n == 15 })

	// Steps of the side view: Alt+S, then Right moves it one of its frames.
	h.shortcut(altShortcut(fyne.KeyS, 0))
	h.s.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyRight})
	waitFor(t, "the side view's next frame", func() bool { n, _, _ := p.sess.Shown(1); return n == 16 })
	h.shortcut(altShortcut(fyne.KeyS, 0))

	// Layout: stacked, remembered for the project.
	h.shortcut(altShortcut(fyne.KeyL, 0))
	if p.state.Layout != layoutStacked {
		t.Fatalf("layout %q", p.state.Layout)
	}
	p.enlarge(1)
	if p.state.Layout != layoutLarge || p.state.Large != prop.Video.ID {
		t.Fatalf("double-click: %+v", p.state)
	}
	if saved := h.s.prefs.String(p.prefKey); saved == "" {
		t.Fatal("layout not remembered")
	}
	h.shortcut(altShortcut(fyne.KeyH, 0))
	if len(p.box.Objects) != 1 {
		t.Fatalf("hidden view still laid out: %d objects", len(p.box.Objects))
	}
	h.shortcut(altShortcut(fyne.KeyH, 0))
	if len(p.box.Objects) != 2 {
		t.Fatalf("shown again: %d objects", len(p.box.Objects))
	}
	// The F1 list names the nudge keys.
	if !hasText(v.helpContent(appKeys), "Nudge the chosen view one of its frames later") {
		t.Fatal("F1 does not list the nudge keys")
	}
	o := h.reopen()
	if len(o.Views) != 1 || o.Views[0].Offset != 500*annotate.Millisecond {
		t.Fatalf("stored session %v", o.Views)
	}
}

// hasText reports whether a canvas.Text under o says s.
func hasText(o fyne.CanvasObject, s string) bool {
	switch x := o.(type) {
	case *canvas.Text:
		return x.Text == s
	case *fyne.Container:
		for _, c := range x.Objects {
			if hasText(c, s) {
				return true
			}
		}
	}
	return false
}
