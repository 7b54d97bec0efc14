package review

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"dyadcode/annotate"
)

// TestTimelineLanes checks what the supervisor view puts on the timeline
// for the demo: a lane per behaviour and coder, every event once, the
// unmatched onsets marked (as many as the report's omissions and
// commissions), the disagreeing slices highlighted in the lanes of the
// behaviours that differ, and a tap on an event seeking to it.
func TestTimelineLanes(t *testing.T) {
	newTestApp(t)
	s, obs := demo(t)
	var seeks []annotate.Time
	v := NewAgreementView(nil, s, obs, demoEnd, func(t annotate.Time) { seeks = append(seeks, t) })
	w := test.NewWindow(v)
	defer w.Close()
	w.Resize(fyne.NewSize(1366, 768))
	l := v.lanes
	r := v.Report()
	if got, want := len(l.lanes), 2*len(r.Behaviors); got != want {
		t.Errorf("%d lanes, want %d behaviours × 2 coders", got, want)
	}
	if got, want := len(l.items), len(obs[0].Events)+len(obs[1].Events); got != want {
		t.Errorf("%d items, want every event once (%d)", got, want)
	}
	marked, unmatched := 0, 0
	for _, it := range l.items {
		if it.Mark {
			marked++
		}
		if l.lanes[it.Lane].Label != obs[it.ID>>32].Coder {
			t.Errorf("item %d of %s drawn in %s's lane", it.ID, obs[it.ID>>32].Coder, l.lanes[it.Lane].Label)
		}
	}
	for _, id := range r.Behaviors {
		e := r.Events.PerBehavior[id]
		unmatched += e.Omissions + e.Commissions
	}
	if marked != unmatched {
		t.Errorf("%d events marked, the report has %d omissions + commissions", marked, unmatched)
	}
	var want int
	for _, d := range v.Disagreements() {
		if d.Kind == SliceDisagreement {
			want += 2 * len(d.Behaviors)
		}
	}
	if len(l.hs) != want || want == 0 {
		t.Errorf("%d highlights, want %d (both coders' lanes of each differing behaviour)", len(l.hs), want)
	}
	for _, h := range l.hs {
		if h.Lane < 0 || h.End <= h.Start {
			t.Errorf("bad highlight %+v", h)
		}
	}
	ds := v.Disagreements()
	v.SelectDisagreement(len(ds) - 1)
	if got := l.tl.Playhead(); got != ds[len(ds)-1].Start {
		t.Errorf("playhead at %v after selecting the disagreement at %v", got, ds[len(ds)-1].Start)
	}
	for id, at := range l.starts {
		l.tl.OnSelect(id)
		if len(seeks) == 0 || seeks[len(seeks)-1] != at {
			t.Fatalf("selecting item %d did not seek to %v (seeks %v)", id, at, seeks)
		}
		break
	}
}
