package store

import (
	"strconv"
	"testing"

	"dyadcode/annotate"
)

// BenchmarkCommitAddEvent measures one acknowledged edit: a point event
// added through Commit, one fsynced bbolt transaction (the cost of a key
// press in the coding window).
func BenchmarkCommitAddEvent(b *testing.B) {
	p, v := newProject(b)
	o, err := p.NewObservation(v.ID, "alice")
	if err != nil {
		b.Fatal(err)
	}
	id := annotate.EventID(1)
	for b.Loop() {
		at := annotate.Time(id) * 40 * annotate.Millisecond
		ch := annotate.Change{Label: "add smile", After: []annotate.Event{{ID: id, Behavior: "smile", Subject: "child", Start: at, End: at}}}
		if err := p.Commit(o.ID, annotate.OpDo, ch); err != nil {
			b.Fatal(err)
		}
		id++
	}
}

// largeObservation imports n events (a mix of points and states with
// modifiers and comments) as observation "1".
func largeObservation(b *testing.B, p *Project, video string, n int) {
	b.Helper()
	o := &annotate.Observation{Coder: "alice"}
	for i := range n {
		at := annotate.Time(i) * 37 * annotate.Millisecond
		e := annotate.Event{ID: annotate.EventID(i + 1), Behavior: "smile", Subject: "child", Start: at, End: at}
		if i%3 == 0 {
			e.Behavior, e.End = "explore", at+annotate.Second
		}
		if i%10 == 0 {
			e.Comment = "note " + strconv.Itoa(i)
		}
		o.Events = append(o.Events, e)
	}
	if _, err := p.ImportObservation(video, o); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkLoadObservation100k loads an observation of 100,000 events
// (goal: well under 1 s).
func BenchmarkLoadObservation100k(b *testing.B) {
	p, v := newProject(b)
	largeObservation(b, p, v.ID, 100000)
	for b.Loop() {
		o, err := p.Observation("1")
		if err != nil {
			b.Fatal(err)
		}
		if len(o.Events) != 100000 {
			b.Fatalf("%d events", len(o.Events))
		}
	}
}

// BenchmarkImportObservation100k: one transaction writing 100,000 events.
func BenchmarkImportObservation100k(b *testing.B) {
	p, v := newProject(b)
	for b.Loop() {
		largeObservation(b, p, v.ID, 100000)
	}
}

// BenchmarkOpen100k: opening a project holding 100,000 events, including
// the walk over every key that finds damage at open (no backup).
func BenchmarkOpen100k(b *testing.B) {
	p, v := newProject(b)
	largeObservation(b, p, v.ID, 100000)
	path := p.Path()
	p.Close()
	for b.Loop() {
		q, err := Open(path, Options{Backups: -1})
		if err != nil {
			b.Fatal(err)
		}
		q.Close()
	}
}

// BenchmarkCommitAt100k: an edit (moving an event) in an observation that
// already holds 100,000 events.
func BenchmarkCommitAt100k(b *testing.B) {
	p, v := newProject(b)
	largeObservation(b, p, v.ID, 100000)
	o, err := p.Observation("1")
	if err != nil {
		b.Fatal(err)
	}
	ed := annotate.NewEditor(o, p.Scheme(), p, nil, nil)
	i := 0
	for b.Loop() {
		if _, err := ed.MoveStart(2, annotate.Time(i)*annotate.Millisecond); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
