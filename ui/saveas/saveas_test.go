package saveas

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// buttonOn finds a button by its label in a dialog on the window.
func buttonOn(t *testing.T, w fyne.Window, label string) *widget.Button {
	t.Helper()
	var find func(o fyne.CanvasObject) *widget.Button
	find = func(o fyne.CanvasObject) *widget.Button {
		if b, ok := o.(*widget.Button); ok && b.Text == label {
			return b
		}
		var kids []fyne.CanvasObject
		switch x := o.(type) {
		case *fyne.Container:
			kids = x.Objects
		case fyne.Widget:
			kids = test.WidgetRenderer(x).Objects()
		}
		for _, k := range kids {
			if b := find(k); b != nil {
				return b
			}
		}
		return nil
	}
	for _, o := range w.Canvas().Overlays().List() {
		if b := find(o); b != nil {
			return b
		}
	}
	t.Fatalf("no %q button", label)
	return nil
}

// TestChooser: the path the chooser hands over, what it refuses, and that
// an existing file is only handed over after the user agrees, and never
// opened by the chooser.
func TestChooser(t *testing.T) {
	a := test.NewApp()
	defer a.Quit()
	dir := t.TempDir()
	existing := filepath.Join(dir, "old.csv")
	os.WriteFile(existing, []byte("keep me"), 0o644)
	errBad := errors.New("refused by the check")
	cases := []struct {
		name, typed string
		want        string // the path handed over; "" none
		refusal     string // text of the error shown
		confirm     bool   // a question comes first, answered Yes
	}{
		{"name gets the extension", "codes", filepath.Join(dir, "codes.csv"), "", false},
		{"allowed extension kept", "codes.tsv", filepath.Join(dir, "codes.tsv"), "", false},
		{"other extension gets the first", "codes.dyad", filepath.Join(dir, "codes.dyad.csv"), "", false},
		{"absolute path", filepath.Join(dir, "sub.csv"), filepath.Join(dir, "sub.csv"), "", false},
		{"empty name", "  ", "", "no file name given", false},
		{"refused by the check", "bad.csv", "", "refused by the check", false},
		{"existing file, confirmed", "old.csv", existing, "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := test.NewWindow(nil)
			defer w.Close()
			w.Resize(fyne.NewSize(900, 600))
			var got string
			check := func(p string) error {
				if filepath.Base(p) == "bad.csv" {
					return errBad
				}
				return nil
			}
			ch := Show(w, Options{Title: "Export", Name: "x.csv", Dir: dir, Exts: []string{"csv", "tsv"}, Check: check}, func(p string) { got = p })
			ch.Name.SetText(c.typed)
			test.Tap(buttonOn(t, w, "Save"))
			if c.confirm {
				if got != "" {
					t.Fatal("an existing file was handed over without asking")
				}
				test.Tap(buttonOn(t, w, "Yes"))
			}
			if got != c.want {
				t.Errorf("handed over %q, want %q", got, c.want)
			}
			if c.refusal != "" {
				top := w.Canvas().Overlays().Top()
				if top == nil || !strings.Contains(strings.ToLower(test.RenderObjectToMarkup(top)), c.refusal) {
					t.Errorf("no error saying %q", c.refusal)
				}
			}
			if c.want != "" && lastFolder() != filepath.Dir(c.want) {
				t.Errorf("the next chooser opens in %s, not where this one saved", lastFolder())
			}
			if b, _ := os.ReadFile(existing); string(b) != "keep me" {
				t.Fatal("the chooser touched an existing file")
			}
		})
	}
}
