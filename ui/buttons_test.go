package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
)

// TestCodePanelFitsLaptop lays the coding view out on a 1366×768 laptop
// screen (the window's canvas less the menu bar, which the test canvas does
// not draw) and checks that every behaviour and episode key of the default
// scheme is inside the panel's visible area without scrolling, that each
// episode key still shows its number and first word, and that the episode
// keys do not make the panel (and so the window) wider.
func TestCodePanelFitsLaptop(t *testing.T) {
	h := openCoding(t, makeProject(t))
	v := h.view()
	if len(v.panel.behavior) != 13 || len(v.panel.episode) != 8 {
		t.Fatalf("%d behaviour and %d episode keys, want the default scheme's 13 and 8", len(v.panel.behavior), len(v.panel.episode))
	}
	cases := []struct {
		name string
		size fyne.Size
	}{
		{"1366x768 screen, window 740 high less the menu bar", fyne.NewSize(1366, 714)},
		{"1920x1080", fyne.NewSize(1920, 1000)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h.s.win.Resize(c.size)
			pump()
			var view *container.Scroll
			for _, o := range testLaidOut(v.content) {
				if sc, ok := o.(*container.Scroll); ok && sc.Content == v.panel.box {
					view = sc
				}
			}
			if view == nil {
				t.Fatal("no scroll around the coding keys")
			}
			d := fyne.CurrentApp().Driver()
			top := d.AbsolutePositionForObject(view)
			bottom := top.Y + view.Size().Height
			check := func(what string, keys map[string]*codeKey) {
				for name, k := range keys {
					p := d.AbsolutePositionForObject(k)
					if p.Y < top.Y || p.Y+k.Size().Height > bottom+0.5 {
						t.Errorf("%s key %q at y %v–%v, outside the visible %v–%v", what, name, p.Y, p.Y+k.Size().Height, top.Y, bottom)
					}
				}
			}
			check("behaviour", v.panel.behavior)
			check("episode", v.panel.episode)
			for name, k := range v.panel.episode {
				shown := test.WidgetRenderer(k).(*codeKeyRenderer).name.Text
				words := strings.Fields(name)
				// The key column shows the number: "1 Introduction", not
				// "1 1 Introduction".
				if want := words[1]; !strings.HasPrefix(shown, want) || strings.HasPrefix(shown, words[0]+" ") {
					t.Errorf("episode key %q shows %q beside its key, want %q without the number again", name, shown, want)
				}
			}
		})
	}
	var behaviorW, episodeW float32
	for _, o := range v.panel.box.Objects {
		g, ok := o.(*fyne.Container)
		if !ok || len(g.Objects) == 0 {
			continue
		}
		k, ok := g.Objects[0].(*codeKey)
		if !ok {
			continue // a heading
		}
		isEp := false
		for _, e := range v.panel.episode {
			isEp = isEp || e == k
		}
		if isEp {
			episodeW = g.MinSize().Width
		} else {
			behaviorW = max(behaviorW, g.MinSize().Width)
		}
	}
	if episodeW == 0 || episodeW > behaviorW {
		t.Errorf("episode keys need %v wide, behaviour keys %v: the episodes widen the window", episodeW, behaviorW)
	}
}
