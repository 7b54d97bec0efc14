package review

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"dyadcode/annotate"
)

type rateCall struct {
	episode, scale string
	v              int
}

// TestRatingsForm picks values as a coder does and checks rate gets the
// episode, scale and value, the observation (through the editor) holds
// them, and the form shows them; a failing rate shows its error and the
// choice returns to the stored value.
func TestRatingsForm(t *testing.T) {
	newTestApp(t)
	s, obs := demo(t)
	o := obs[0]
	ed := annotate.NewEditor(o, s, nil, nil, nil)
	var calls []rateCall
	var fail error
	rate := func(ep, sc string, v int) error {
		calls = append(calls, rateCall{ep, sc, v})
		if fail != nil {
			return fail
		}
		_, err := ed.Rate(ep, sc, v)
		return err
	}
	r := NewRatingsView(s, o, rate)
	w := test.NewWindow(r)
	defer w.Close()

	// Only the reunions carry the default scales.
	if _, ok := r.Shown("4 First separation", "avoidance"); ok {
		t.Error("episode 4 has an avoidance field; the scale applies to the reunions only")
	}
	if got, want := len(r.fields), 2*4; got != want {
		t.Errorf("%d fields, want 2 reunions × 4 scales", got)
	}

	steps := []struct {
		episode, scale string
		v              int
		fail           error
		wantShown      string
		wantProblem    string
	}{
		{"5 First reunion", "proximity_seeking", 6, nil, "6", ""},
		{"8 Second reunion", "avoidance", 1, nil, "1", ""},
		{"5 First reunion", "proximity_seeking", 7, nil, "7", ""},
		{"8 Second reunion", "resistance", 3, errors.New("disk full"), "", "disk full"},
		{"5 First reunion", "proximity_seeking", 2, errors.New("store closed"), "7", "store closed"},
		{"8 Second reunion", "contact_maintaining", 4, nil, "4", ""},
	}
	for _, st := range steps {
		t.Run(fmt.Sprintf("%s/%s=%d", st.episode, st.scale, st.v), func(t *testing.T) {
			calls, fail = nil, st.fail
			if !r.Choose(st.episode, st.scale, st.v) {
				t.Fatal("no such field")
			}
			want := rateCall{st.episode, st.scale, st.v}
			if len(calls) != 1 || calls[0] != want {
				t.Errorf("rate calls %v, want [%v]", calls, want)
			}
			if got, _ := r.Shown(st.episode, st.scale); got != st.wantShown {
				t.Errorf("form shows %q, want %q", got, st.wantShown)
			}
			stored, ok := o.Rating(st.episode, st.scale)
			if st.wantShown == "" && ok || st.wantShown != "" && fmt.Sprint(stored) != st.wantShown {
				t.Errorf("observation holds %d (%v), form shows %q", stored, ok, st.wantShown)
			}
			if p := r.Problem(); st.wantProblem == "" && p != "" || !strings.Contains(p, st.wantProblem) {
				t.Errorf("problem %q, want %q", p, st.wantProblem)
			}
		})
	}

	// Picking the stored value again records nothing.
	calls = nil
	r.Choose("8 Second reunion", "contact_maintaining", 4)
	if len(calls) != 0 {
		t.Errorf("re-picking the stored value called rate: %v", calls)
	}

	// Undo outside the form, then Reload shows the stored value again.
	if _, err := ed.Undo(); err != nil {
		t.Fatal(err)
	}
	r.Reload()
	if got, _ := r.Shown("8 Second reunion", "contact_maintaining"); got != "" {
		t.Errorf("after undo the form still shows %q", got)
	}

	w.Resize(fyne.NewSize(700, 500))
	decodePNG(t, capture(t, w, shotDir(t), "ratings-form.png"))
	fail = errors.New("the project file is read-only")
	r.Choose("5 First reunion", "avoidance", 2)
	if !strings.Contains(r.Problem(), "read-only") {
		t.Errorf("problem %q", r.Problem())
	}
	decodePNG(t, capture(t, w, shotDir(t), "ratings-error.png"))
}

// TestRatingsWithoutScales says so rather than showing an empty form.
func TestRatingsWithoutScales(t *testing.T) {
	newTestApp(t)
	s, obs := demo(t)
	s.Ratings = nil
	r := NewRatingsView(s, obs[0], nil)
	if len(r.fields) != 0 || !strings.Contains(test.RenderObjectToMarkup(r.content), "declares no rating scales") {
		t.Error("no explanation for an empty form")
	}
	// A scale without episode list applies to every episode.
	s = annotate.DefaultScheme()
	s.Ratings = []annotate.RatingScale{{Code: "sensitivity", Name: "Sensitivity", Min: 1, Max: 9}}
	r = NewRatingsView(s, obs[0], func(string, string, int) error { return nil })
	if len(r.fields) != len(s.Episodes) {
		t.Errorf("%d fields for a scale over all %d episodes", len(r.fields), len(s.Episodes))
	}
	if !r.Choose("1 Introduction", "sensitivity", 9) {
		t.Error("no field for episode 1")
	}
}

// TestRatingsUnmarkedEpisode notes a reunion the coder has not marked
// yet; it can still be rated (the mark may come later).
func TestRatingsUnmarkedEpisode(t *testing.T) {
	newTestApp(t)
	s, obs := demo(t)
	o := obs[0]
	o.Episodes = o.Episodes[:5] // up to 5 First reunion
	var calls []rateCall
	r := NewRatingsView(s, o, func(ep, sc string, v int) error { calls = append(calls, rateCall{ep, sc, v}); return nil })
	notes := map[string]string{}
	for _, f := range r.fields {
		notes[f.episode] = f.note.Text
	}
	if notes["5 First reunion"] != "" || notes["8 Second reunion"] != "episode not marked yet" {
		t.Errorf("notes %q", notes)
	}
	r.Choose("8 Second reunion", "resistance", 5)
	if len(calls) != 1 || calls[0] != (rateCall{"8 Second reunion", "resistance", 5}) {
		t.Errorf("calls %v", calls)
	}
}

// The 1–7 choices carry the manual's anchor descriptions where it has
// them, and choosing one still records the number.
func TestRatingChoicesShowAnchors(t *testing.T) {
	newTestApp(t)
	s, obs := demo(t)
	o := obs[0]
	var got []int
	r := NewRatingsView(s, o, func(_, _ string, v int) error { got = append(got, v); return nil })
	f := r.fields[0]
	if want := "7 — " + f.scale.Anchor(7); f.scale.Anchor(7) == "" || !slices.Contains(f.sel.Options, want) {
		t.Fatalf("choices %q lack %q", f.sel.Options, want)
	}
	if !slices.Contains(f.sel.Options, "4") {
		t.Errorf("choices %q: 4 has no anchor and should read 4", f.sel.Options)
	}
	f.sel.SetSelected("5 — " + f.scale.Anchor(5))
	if !slices.Equal(got, []int{5}) {
		t.Errorf("choosing 5 recorded %v", got)
	}
}
