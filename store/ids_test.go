package store

import (
	"errors"
	"testing"

	"dyadcode/annotate"
)

// An event ID is never handed out twice in one observation, even after the
// event holding the highest ID was deleted and the project reopened: the
// undo history still names the deleted event by ID, so reusing it would let
// an undo resurrect or remove the wrong event. Only the stored NextID
// remembers the deleted ID across a reopen.
func TestEventIDsNotReusedAfterDeleteAndReopen(t *testing.T) {
	p, v := newProject(t)
	o, err := p.NewObservation(v.ID, "alice")
	if err != nil {
		t.Fatal(err)
	}
	ed, err := p.Editor(o.ID)
	if err != nil {
		t.Fatal(err)
	}
	var last annotate.EventID
	for i := 1; i <= 3; i++ {
		ch, err := ed.Tag("smile", annotate.Time(i)*annotate.Second)
		if err != nil {
			t.Fatal(err)
		}
		last = ch.After[0].ID
	}
	if _, err := ed.Delete(last); err != nil {
		t.Fatal(err)
	}
	path := p.Path()
	p.Close()

	q, err := Open(path, Options{Backups: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	if got := mustObs(t, q, o.ID).NextID; got <= last {
		t.Errorf("after reopening, NextID is %d; want above the deleted event's ID %d", got, last)
	}
	ed, err = q.Editor(o.ID)
	if err != nil {
		t.Fatal(err)
	}
	ch, err := ed.Tag("smile", 9*annotate.Second)
	if err != nil {
		t.Fatal(err)
	}
	if id := ch.After[0].ID; id <= last {
		t.Fatalf("new event got ID %d, reusing the deleted event's ID %d", id, last)
	}
	// Undo the new tag and the delete: both events are back as distinct
	// events, the deleted one at its own time.
	for range 2 {
		if _, err := ed.Undo(); err != nil {
			t.Fatal(err)
		}
	}
	got := mustObs(t, q, o.ID).Events
	if len(got) != 3 || got[2].ID != last || got[2].Start != 3*annotate.Second {
		t.Errorf("after two undos: %+v; want events 1–3 with ID %d at 3 s", got, last)
	}
}

// The store's editor is bounded by the video's recorded duration, so a key
// or a drag past the end is refused like every other path into the
// project (import and merge check the same bound).
func TestEditorBoundedByVideoDuration(t *testing.T) {
	p, v := newProject(t)
	v.Duration = 10 * annotate.Second
	if err := p.UpdateVideo(v); err != nil {
		t.Fatal(err)
	}
	o, err := p.NewObservation(v.ID, "alice")
	if err != nil {
		t.Fatal(err)
	}
	ed, err := p.Editor(o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ed.Tag("smile", 10*annotate.Second); err != nil {
		t.Fatalf("tag at the last instant: %v", err)
	}
	if _, err := ed.Tag("smile", 10*annotate.Second+1); !errors.Is(err, annotate.ErrOutsideVideo) {
		t.Fatalf("tag 1 µs past the end: %v, want ErrOutsideVideo", err)
	}
	ch, err := ed.Tag("explore", 9*annotate.Second)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ed.MoveEnd(ch.After[0].ID, 11*annotate.Second); !errors.Is(err, annotate.ErrOutsideVideo) {
		t.Fatalf("drag an end past the video: %v, want ErrOutsideVideo", err)
	}
}
