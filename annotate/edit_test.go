package annotate

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// memJournal records commits like a store would, and can be told to fail,
// to check that a failed save leaves the observation untouched.
type memJournal struct {
	ops  []Op
	fail error
}

func (j *memJournal) Commit(_ string, op Op, _ Change) error {
	if j.fail != nil {
		return j.fail
	}
	j.ops = append(j.ops, op)
	return nil
}

func newTestEditor() (*Editor, *memJournal) {
	j := &memJournal{}
	return NewEditor(&Observation{ID: "1"}, DefaultScheme(), j, nil, nil), j
}

// summary renders events compactly for table comparisons.
func summary(o *Observation) []string {
	var out []string
	for _, e := range o.Events {
		s := fmt.Sprintf("%s@%s", e.Behavior, e.Start.Seconds())
		switch {
		case e.Open:
			s += "-open"
		case e.End != e.Start:
			s += "-" + e.End.Seconds()
		}
		out = append(out, s)
	}
	return out
}

func TestTagSemantics(t *testing.T) {
	type tag struct {
		code string
		at   string
	}
	tests := []struct {
		name string
		tags []tag
		want []string
	}{
		{"point", []tag{{"smile", "1.5"}}, []string{"smile@1.500000"}},
		{"state on", []tag{{"explore", "2"}}, []string{"explore@2.000000-open"}},
		{"state on off", []tag{{"explore", "2"}, {"explore", "4.25"}}, []string{"explore@2.000000-4.250000"}},
		{"state on off on", []tag{{"explore", "2"}, {"explore", "3"}, {"explore", "5"}},
			[]string{"explore@2.000000-3.000000", "explore@5.000000-open"}},
		{"exclusive group stops the running state at the same instant",
			[]tag{{"calm", "1"}, {"distress", "3"}},
			[]string{"calm@1.000000-3.000000", "distress@3.000000-open"}},
		{"grouped states only stop their own group",
			[]tag{{"explore", "1"}, {"calm", "2"}, {"distress", "3"}},
			[]string{"explore@1.000000-open", "calm@2.000000-3.000000", "distress@3.000000-open"}},
		{"states of different groups overlap",
			[]tag{{"explore", "1"}, {"distress", "2"}},
			[]string{"explore@1.000000-open", "distress@2.000000-open"}},
		{"points keep order by time then ID",
			[]tag{{"smile", "3"}, {"vocalize", "1"}, {"smile", "1"}},
			[]string{"vocalize@1.000000", "smile@1.000000", "smile@3.000000"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ed, j := newTestEditor()
			for _, tg := range tt.tags {
				if _, err := ed.Tag(tg.code, MustSeconds(tg.at)); err != nil {
					t.Fatal(err)
				}
			}
			if got := summary(ed.Obs); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("events %v, want %v", got, tt.want)
			}
			if len(j.ops) != len(tt.tags) {
				t.Errorf("%d commits for %d key presses", len(j.ops), len(tt.tags))
			}
		})
	}
}

func TestTagStopBeforeStartRefused(t *testing.T) {
	for _, at := range []Time{4 * Second, 5*Second - 1} {
		ed, _ := newTestEditor()
		ed.Tag("explore", 5*Second)
		if _, err := ed.Tag("explore", at); !errors.Is(err, ErrEndBeforeStart) {
			t.Fatalf("stop at %s: err = %v", at.Seconds(), err)
		}
		if got := summary(ed.Obs); !reflect.DeepEqual(got, []string{"explore@5.000000-open"}) {
			t.Errorf("events changed by a refused edit: %v", got)
		}
	}
}

func TestUndoRedoRestoresExactState(t *testing.T) {
	ed, j := newTestEditor()
	var states [][]string
	snap := func() { states = append(states, summary(ed.Obs)) }
	snap()
	ed.Tag("calm", 1*Second)
	snap()
	ed.Tag("distress", 3*Second) // closes calm too: one compound change
	snap()
	id := ed.Obs.Events[1].ID
	if _, err := ed.MoveStart(id, 3500*Millisecond); err != nil {
		t.Fatal(err)
	}
	snap()
	if _, err := ed.ChangeComment(id, "loud"); err != nil {
		t.Fatal(err)
	}
	snap()
	if _, err := ed.Delete(ed.Obs.Events[0].ID); err != nil {
		t.Fatal(err)
	}
	snap()
	for i := len(states) - 2; i >= 0; i-- {
		if _, err := ed.Undo(); err != nil {
			t.Fatal(err)
		}
		if got := summary(ed.Obs); !reflect.DeepEqual(got, states[i]) {
			t.Fatalf("after undo to step %d: %v, want %v", i, got, states[i])
		}
	}
	if _, err := ed.Undo(); !errors.Is(err, ErrNothingToUndo) {
		t.Errorf("undo past the start: %v", err)
	}
	for i := 1; i < len(states); i++ {
		if _, err := ed.Redo(); err != nil {
			t.Fatal(err)
		}
		if got := summary(ed.Obs); !reflect.DeepEqual(got, states[i]) {
			t.Fatalf("after redo to step %d: %v, want %v", i, got, states[i])
		}
	}
	if _, err := ed.Redo(); !errors.Is(err, ErrNothingToRedo) {
		t.Errorf("redo past the end: %v", err)
	}
	// A new edit clears the redo stack.
	ed.Undo()
	ed.Tag("smile", 9*Second)
	if ed.CanRedo() {
		t.Error("redo available after a new edit")
	}
	if j.ops[len(j.ops)-1] != OpDo || j.ops[len(j.ops)-2] != OpUndo {
		t.Errorf("journal ops %v", j.ops)
	}
}

func TestFailedCommitChangesNothing(t *testing.T) {
	ed, j := newTestEditor()
	ed.Tag("explore", Second)
	before := summary(ed.Obs)
	j.fail = errors.New("disk full")
	if _, err := ed.Tag("explore", 2*Second); err == nil || !errors.Is(err, j.fail) {
		t.Fatalf("err = %v", err)
	}
	if got := summary(ed.Obs); !reflect.DeepEqual(got, before) {
		t.Errorf("observation changed although the save failed: %v", got)
	}
	if ed.UndoLabel() != "start explore" {
		t.Errorf("undo stack changed: %q", ed.UndoLabel())
	}
	if _, err := ed.Undo(); err == nil {
		t.Error("undo succeeded although the save failed")
	}
	if !ed.CanUndo() {
		t.Error("failed undo popped the stack")
	}
}

func TestEditsValidateAgainstScheme(t *testing.T) {
	ed, _ := newTestEditor()
	if _, err := ed.Tag("nope", 0); !errors.Is(err, ErrUnknownCode) {
		t.Errorf("unknown code: %v", err)
	}
	if _, err := ed.Add(Event{Behavior: "explore", Start: 5 * Second, End: 4 * Second}); !errors.Is(err, ErrEndBeforeStart) {
		t.Errorf("end before start: %v", err)
	}
	if _, err := ed.Add(Event{Behavior: "smile", Start: 5 * Second, End: 6 * Second}); err == nil {
		t.Error("point with a duration accepted")
	}
	if _, err := ed.Add(Event{Behavior: "distress", Start: 0, End: Second, Modifiers: []string{"yell"}}); err == nil {
		t.Error("undeclared modifier accepted")
	}
	if _, err := ed.Delete(99); !errors.Is(err, ErrNoEvent) {
		t.Errorf("delete missing: %v", err)
	}
	if _, err := ed.Rate("5 First reunion", "avoidance", 8); !errors.Is(err, ErrBadRating) {
		t.Errorf("rating 8 on a 1–7 scale: %v", err)
	}
	if len(ed.Obs.Events) != 0 || ed.CanUndo() {
		t.Error("refused edits left traces")
	}
}

func TestChangeBehaviorAndMoves(t *testing.T) {
	ed, _ := newTestEditor()
	ch, _ := ed.Add(Event{Behavior: "explore", Start: 2 * Second, End: 6 * Second})
	id := ch.After[0].ID
	if _, err := ed.MoveEnd(id, Second); !errors.Is(err, ErrEndBeforeStart) {
		t.Errorf("end moved before start: %v", err)
	}
	ed.MoveEnd(id, 7*Second)
	ed.ChangeBehavior(id, "smile") // state -> point keeps the start
	if got := summary(ed.Obs); !reflect.DeepEqual(got, []string{"smile@2.000000"}) {
		t.Errorf("%v", got)
	}
	ed.MoveStart(id, 3*Second) // a point moves as a whole
	e, _ := ed.Obs.Event(id)
	if e.Start != 3*Second || e.End != 3*Second || e.Subject != "child" {
		t.Errorf("%+v", e)
	}
}

func TestEpisodesAndSpans(t *testing.T) {
	ed, _ := newTestEditor()
	ed.MarkEpisode("2 Caregiver and child", 30*Second)
	ed.MarkEpisode("1 Introduction", 0)
	ed.MarkEpisode("3 Stranger joins", 200*Second)
	if _, err := ed.MarkEpisode("9 Nope", Second); err == nil {
		t.Error("unknown episode accepted")
	}
	spans := ed.Obs.Spans(300 * Second)
	want := []EpisodeSpan{
		{"1 Introduction", 0, 30 * Second},
		{"2 Caregiver and child", 30 * Second, 200 * Second},
		{"3 Stranger joins", 200 * Second, 300 * Second},
	}
	if !reflect.DeepEqual(spans, want) {
		t.Errorf("spans %v", spans)
	}
	if got := ed.Obs.EpisodeAt(30 * Second); got != "2 Caregiver and child" {
		t.Errorf("EpisodeAt(30) = %q", got)
	}
	if got := ed.Obs.EpisodeAt(-1); got != "" {
		t.Errorf("EpisodeAt(-1) = %q", got)
	}
	// Marking at the same instant replaces the mark; undo brings it back.
	ed.MarkEpisode("4 First separation", 200*Second)
	if got := ed.Obs.EpisodeAt(250 * Second); got != "4 First separation" {
		t.Errorf("after replace: %q", got)
	}
	ed.Undo()
	if got := ed.Obs.EpisodeAt(250 * Second); got != "3 Stranger joins" {
		t.Errorf("after undo: %q", got)
	}
	ed.MoveEpisode(200*Second, 210*Second)
	if got := ed.Obs.Spans(300 * Second)[1].End; got != 210*Second {
		t.Errorf("moved mark: episode 2 ends at %v", got)
	}
	ed.RemoveEpisode(0)
	if len(ed.Obs.Episodes) != 2 {
		t.Errorf("marks %v", ed.Obs.Episodes)
	}
	// Marks past the end of the video give no span.
	if n := len(ed.Obs.Spans(100 * Second)); n != 1 {
		t.Errorf("%d spans inside 100 s", n)
	}
}

func TestChangeApplyRefusesStaleChange(t *testing.T) {
	o := &Observation{}
	ch := Change{Label: "x", Before: []Event{{ID: 5}}}
	if err := ch.Apply(o); !errors.Is(err, ErrNoEvent) {
		t.Errorf("err = %v", err)
	}
}

func TestValidateObservation(t *testing.T) {
	o := &Observation{Events: []Event{
		{ID: 1, Behavior: "smile", Start: Second, End: Second},
		{ID: 1, Behavior: "smile", Subject: "caregiver", Start: Second, End: Second},
	}, Episodes: []EpisodeMark{{Name: "nope"}}}
	err := o.Validate(DefaultScheme())
	if err == nil {
		t.Fatal("no error")
	}
	for _, frag := range []string{"duplicate ID", `belongs to subject "child"`, `unknown episode "nope"`} {
		if !strings.Contains(err.Error(), frag) {
			t.Errorf("missing %q in %v", frag, err)
		}
	}
}

// BenchmarkTagAt100k: the in-memory cost of one key press on an observation
// of 100,000 events (the store's fsync comes on top; see store benchmarks).
func BenchmarkTagAt100k(b *testing.B) {
	s := DefaultScheme()
	o := &Observation{ID: "1"}
	for i := range 100000 {
		t := Time(i) * 40 * Millisecond
		o.Events = append(o.Events, Event{ID: EventID(i + 1), Behavior: "smile", Subject: "child", Start: t, End: t})
	}
	o.NextID = 100001
	ed := NewEditor(o, s, nil, nil, nil)
	b.ResetTimer()
	for i := range b.N {
		if _, err := ed.Tag("smile", Time(i%100000)*40*Millisecond+Millisecond); err != nil {
			b.Fatal(err)
		}
	}
}

func TestSetEpisodes(t *testing.T) {
	old := []EpisodeMark{{"1 Introduction", 0}, {"3 Stranger joins", 200 * Second}}
	tests := []struct {
		name    string
		marks   []EpisodeMark
		want    []EpisodeMark // the marks after; nil with wantErr: unchanged
		wantErr error         // nil: any error is checked by errText
		errText string
	}{
		{name: "replace all, sorted", marks: []EpisodeMark{{"2 Caregiver and child", 45 * Second}, {"1 Introduction", 15 * Second}},
			want: []EpisodeMark{{"1 Introduction", 15 * Second}, {"2 Caregiver and child", 45 * Second}}},
		{name: "clear", marks: nil, want: []EpisodeMark{}},
		{name: "unknown name", marks: []EpisodeMark{{"1 Introduction", 0}, {"9 Nope", Second}}, wantErr: ErrUnknownEpisode},
		{name: "two at one instant", marks: []EpisodeMark{{"1 Introduction", Second}, {"2 Caregiver and child", Second}}, wantErr: ErrEpisodeClash},
		{name: "negative", marks: []EpisodeMark{{"1 Introduction", -Second}}, errText: "negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ed, j := newTestEditor()
			for _, m := range old {
				if _, err := ed.MarkEpisode(m.Name, m.Start); err != nil {
					t.Fatal(err)
				}
			}
			commits := len(j.ops)
			ch, err := ed.SetEpisodes("lay out template", tt.marks)
			if tt.wantErr != nil || tt.errText != "" {
				if err == nil || (tt.wantErr != nil && !errors.Is(err, tt.wantErr)) || !strings.Contains(err.Error(), tt.errText) {
					t.Fatalf("err = %v, want %v %q", err, tt.wantErr, tt.errText)
				}
				if !reflect.DeepEqual(ed.Obs.Episodes, old) || len(j.ops) != commits {
					t.Errorf("refused change altered the marks %v or was committed (%d ops)", ed.Obs.Episodes, len(j.ops)-commits)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(ed.Obs.Episodes) != len(tt.want) || (len(tt.want) > 0 && !reflect.DeepEqual(ed.Obs.Episodes, tt.want)) {
				t.Errorf("marks %v, want %v", ed.Obs.Episodes, tt.want)
			}
			if len(j.ops) != commits+1 || ed.UndoLabel() != "lay out template" || ch.Label != "lay out template" {
				t.Errorf("%d commits, undo label %q", len(j.ops)-commits, ed.UndoLabel())
			}
			// One undo brings back exactly the old marks; redo the new ones.
			if _, err := ed.Undo(); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(ed.Obs.Episodes, old) {
				t.Errorf("after undo %v, want %v", ed.Obs.Episodes, old)
			}
			if _, err := ed.Redo(); err != nil {
				t.Fatal(err)
			}
			if len(ed.Obs.Episodes) != len(tt.want) || (len(tt.want) > 0 && !reflect.DeepEqual(ed.Obs.Episodes, tt.want)) {
				t.Errorf("after redo %v, want %v", ed.Obs.Episodes, tt.want)
			}
		})
	}
	// Setting the marks already there changes and commits nothing.
	ed, j := newTestEditor()
	ed.MarkEpisode("1 Introduction", 0)
	n := len(j.ops)
	if ch, err := ed.SetEpisodes("same", []EpisodeMark{{"1 Introduction", 0}}); err != nil || !ch.Empty() || len(j.ops) != n {
		t.Errorf("same marks: change %+v, err %v, %d commits", ch, err, len(j.ops)-n)
	}
}
