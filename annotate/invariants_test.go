package annotate

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// The case: distress 17.36–20.92 dragged over calm from 19.52.
func TestMoveEndIntoGroupMateRefused(t *testing.T) {
	ed, j := newTestEditor()
	ed.Duration = 60 * Second
	mustTag(t, ed, "distress", MustSeconds("17.36"))
	mustTag(t, ed, "calm", MustSeconds("19.52")) // closes distress at 19.52
	mustTag(t, ed, "calm", MustSeconds("25"))
	before := summary(ed.Obs)
	commits := len(j.ops)
	distress := ed.Obs.Events[0].ID
	_, err := ed.MoveEnd(distress, MustSeconds("20.92"))
	if !errors.Is(err, ErrExclusiveOverlap) {
		t.Fatalf("drag distress's end past calm's start: err = %v, want ErrExclusiveOverlap", err)
	}
	for _, want := range []string{"distress 00:00:17.360–00:00:20.920", "calm 00:00:19.520–00:00:25.000"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q does not name %q", err, want)
		}
	}
	if got := summary(ed.Obs); fmt.Sprint(got) != fmt.Sprint(before) || len(j.ops) != commits {
		t.Errorf("a refused edit changed the observation or wrote: %v", got)
	}
	// Room says where the drag may go instead: up to calm's start.
	lo, hi := ed.Room(distress)
	if lo != 0 || hi != MustSeconds("19.52") {
		t.Errorf("Room = %s..%s, want 0..19.52", lo.Seconds(), hi.Seconds())
	}
	if b, ok := ed.Blocker(distress, hi); !ok || b.Behavior != "calm" {
		t.Errorf("Blocker at calm's start = %v, %v", b, ok)
	}
	if _, err := ed.MoveEnd(distress, hi); err != nil {
		t.Errorf("moving the end onto calm's start (touching) refused: %v", err)
	}
}

func TestInvariantsRefuse(t *testing.T) {
	tests := []struct {
		name string
		edit func(ed *Editor) error
		want error
	}{
		{"a group-mate pressed before the running state's start", func(ed *Editor) error {
			mustTag(t, ed, "calm", 3*Second)
			_, err := ed.Tag("distress", 1*Second)
			return err
		}, ErrExclusiveOverlap},
		{"a state started before a later group-mate runs into it", func(ed *Editor) error {
			mustTag(t, ed, "calm", 3*Second)
			mustTag(t, ed, "calm", 5*Second)
			_, err := ed.Tag("distress", 1*Second)
			return err
		}, ErrExclusiveOverlap},
		{"recode into a group over a running mate", func(ed *Editor) error {
			mustTag(t, ed, "explore", 1*Second)
			mustTag(t, ed, "explore", 4*Second)
			mustTag(t, ed, "calm", 2*Second)
			_, err := ed.ChangeBehavior(ed.Obs.Events[0].ID, "distress")
			return err
		}, ErrExclusiveOverlap},
		{"add an overlapping state from a dialog", func(ed *Editor) error {
			mustTag(t, ed, "calm", 3*Second)
			mustTag(t, ed, "calm", 6*Second)
			_, err := ed.Add(Event{Behavior: "distress", Start: 5 * Second, End: 7 * Second})
			return err
		}, ErrExclusiveOverlap},
		{"tag after the end of the video", func(ed *Editor) error {
			_, err := ed.Tag("smile", 61*Second)
			return err
		}, ErrOutsideVideo},
		{"move an end past the end of the video", func(ed *Editor) error {
			mustTag(t, ed, "explore", 50*Second)
			_, err := ed.MoveEnd(ed.Obs.Events[0].ID, 60*Second+1)
			return err
		}, ErrOutsideVideo},
		{"move a start before the video", func(ed *Editor) error {
			mustTag(t, ed, "smile", 5*Second)
			_, err := ed.MoveStart(ed.Obs.Events[0].ID, -1)
			return err
		}, ErrOutsideVideo},
		{"an episode mark before the video", func(ed *Editor) error {
			_, err := ed.MarkEpisode("1 Introduction", -Second)
			return err
		}, ErrOutsideVideo},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ed, _ := newTestEditor()
			ed.Duration = 60 * Second
			if err := tt.edit(ed); !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if err := ed.Obs.ValidateWithin(ed.Scheme, ed.Duration); err != nil {
				t.Errorf("observation left invalid: %v", err)
			}
		})
	}
}

func TestValidateFindsOverlapsAndBounds(t *testing.T) {
	s := DefaultScheme()
	o := &Observation{Events: []Event{
		{ID: 1, Behavior: "distress", Start: MustSeconds("17.36"), End: MustSeconds("20.92")},
		{ID: 2, Behavior: "calm", Start: MustSeconds("19.52"), Open: true, End: MustSeconds("19.52")},
		{ID: 3, Behavior: "explore", Start: 10 * Second, End: 70 * Second},
	}}
	SortEvents(o.Events)
	err := o.ValidateWithin(s, 60*Second)
	if !errors.Is(err, ErrExclusiveOverlap) || !errors.Is(err, ErrOutsideVideo) {
		t.Fatalf("err = %v, want both an overlap and an event outside the video", err)
	}
	if err := o.Validate(s); !errors.Is(err, ErrExclusiveOverlap) || errors.Is(err, ErrOutsideVideo) {
		t.Errorf("Validate without a duration: %v", err)
	}
}

func mustTag(t *testing.T, ed *Editor, code string, at Time) {
	t.Helper()
	if _, err := ed.Tag(code, at); err != nil {
		t.Fatal(err)
	}
}

// TestRandomEditsKeepInvariants runs long random sequences of every edit
// (keys, moves as a drag or the table makes them, recodes, deletes, adds,
// episode marks and templates, undo and redo) and checks after each one
// that no two states of an exclusive group overlap and nothing lies
// outside the video, whether the edit was accepted or refused.
func TestRandomEditsKeepInvariants(t *testing.T) {
	const duration = 30 * Second
	s := DefaultScheme()
	var codes []string
	for _, b := range s.Behaviors {
		codes = append(codes, b.Code)
	}
	for seed := range uint64(40) {
		r := rand.New(rand.NewPCG(seed, 13))
		ed := NewEditor(&Observation{ID: "p"}, s, &memJournal{}, nil, nil)
		ed.Duration = duration
		// Times cluster on a coarse grid so edits collide often, and now
		// and then fall outside the video.
		at := func() Time { return Time(r.IntN(40)-4) * Second }
		pick := func() EventID {
			if len(ed.Obs.Events) == 0 {
				return 1
			}
			return ed.Obs.Events[r.IntN(len(ed.Obs.Events))].ID
		}
		var accepted int
		for step := range 400 {
			var err error
			var what string
			switch r.IntN(10) {
			case 0, 1, 2:
				code := codes[r.IntN(len(codes))]
				what = "tag " + code
				_, err = ed.Tag(code, at())
			case 3:
				what = "move start"
				_, err = ed.MoveStart(pick(), at())
			case 4:
				what = "move end"
				_, err = ed.MoveEnd(pick(), at())
			case 5:
				what = "recode"
				_, err = ed.ChangeBehavior(pick(), codes[r.IntN(len(codes))])
			case 6:
				what = "delete"
				_, err = ed.Delete(pick())
			case 7:
				what = "undo"
				_, err = ed.Undo()
			case 8:
				what = "redo"
				_, err = ed.Redo()
			case 9:
				what = "episodes"
				if r.IntN(2) == 0 {
					_, err = ed.MarkEpisode(s.Episodes[r.IntN(len(s.Episodes))].Name, at())
				} else {
					start := at()
					_, err = ed.SetEpisodes("lay out", []EpisodeMark{{s.Episodes[0].Name, start}, {s.Episodes[1].Name, start + 20*Second}})
				}
			}
			if err == nil {
				accepted++
			}
			if verr := ed.Obs.ValidateWithin(s, duration); verr != nil {
				t.Fatalf("seed %d step %d (%s, err %v): observation left invalid: %v", seed, step, what, err, verr)
			}
		}
		if accepted < 100 {
			t.Errorf("seed %d: only %d of 400 edits accepted: the test exercises little", seed, accepted)
		}
	}
}

// BenchmarkTagExclusiveAt100k: a key of an exclusive group on an
// observation of 100,000 events, the case the overlap check scans for.
func BenchmarkTagExclusiveAt100k(b *testing.B) {
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
		code := "distress"
		if i%2 == 1 {
			code = "calm"
		}
		if _, err := ed.Tag(code, Time(i)*Millisecond); err != nil {
			b.Fatal(err)
		}
	}
}
