package review

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// TestPicker drives the chooser as a supervisor does: it starts on the
// first video with two codings, Compare needs two checked observations,
// and the reference chosen goes first.
func TestPicker(t *testing.T) {
	newTestApp(t)
	videos := []VideoChoice{
		{ID: "v1", Name: "pilot.mp4", Observations: []ObservationChoice{{ID: "1", Coder: "alice", Events: 3}}},
		{ID: "v2", Name: "session.mp4", Observations: []ObservationChoice{
			{ID: "2", Coder: "alice", Events: 34}, {ID: "3", Coder: "ben", Events: 34}, {ID: "4", Coder: "chloe", Events: 30}}},
	}
	var gotVideo string
	var gotIDs []string
	p := NewPicker(videos, func(v string, ids []string) { gotVideo, gotIDs = v, ids })
	w := test.NewWindow(p)
	defer w.Close()
	w.Resize(fyne.NewSize(640, 420))

	steps := []struct {
		name    string
		do      func()
		enabled bool
		want    []string
	}{
		{"defaults: first two coders of session.mp4", func() {}, true, []string{"2", "3"}},
		{"one unchecked", func() { test.Tap(p.boxes[1]) }, false, nil},
		{"chloe checked", func() { test.Tap(p.boxes[2]) }, true, []string{"2", "4"}},
		{"chloe as reference", func() { p.reference.SetSelectedIndex(1) }, true, []string{"4", "2"}},
		{"all three, reference kept", func() { test.Tap(p.boxes[1]) }, true, []string{"4", "2", "3"}},
		{"a video with one coding", func() { p.video.SetSelectedIndex(0) }, false, nil},
	}
	for i, st := range steps {
		if i == len(steps)-1 {
			decodePNG(t, capture(t, w, shotDir(t), "picker.png"))
		}
		st.do()
		gotVideo, gotIDs = "", nil
		test.Tap(p.compare)
		if p.compare.Disabled() == st.enabled {
			t.Errorf("%s: Compare enabled %v, want %v (%s)", st.name, !p.compare.Disabled(), st.enabled, p.hint.Text)
		}
		if st.want == nil {
			if gotIDs != nil {
				t.Errorf("%s: compared %v", st.name, gotIDs)
			}
			continue
		}
		if gotVideo != "v2" || !slices.Equal(gotIDs, st.want) {
			t.Errorf("%s: compared %s %v, want v2 %v", st.name, gotVideo, gotIDs, st.want)
		}
	}
}

// TestShowPicker opens the chooser as a dialog; Compare closes it and
// hands over the choice.
func TestShowPicker(t *testing.T) {
	newTestApp(t)
	w := test.NewWindow(nil)
	defer w.Close()
	w.Resize(fyne.NewSize(1000, 700))
	var got []string
	ShowPicker(w, []VideoChoice{{ID: "v1", Name: "a.mp4", Observations: []ObservationChoice{{ID: "1", Coder: "x"}, {ID: "2", Coder: "y"}}}},
		func(_ string, ids []string) { got = ids })
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog")
	}
	btn := findButton(top, "Compare")
	if btn == nil {
		t.Fatal("no Compare button in the dialog")
	}
	test.Tap(btn)
	if !slices.Equal(got, []string{"1", "2"}) {
		t.Errorf("compared %v", got)
	}
	if w.Canvas().Overlays().Top() != nil {
		t.Error("the dialog stayed open")
	}
}
