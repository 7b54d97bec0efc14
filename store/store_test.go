package store

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"dyadcode/annotate"
)

var sec = annotate.MustSeconds

// newProject creates a project in a temp dir with one real (small) video
// file and returns it open, with the video.
func newProject(t testing.TB) (*Project, annotate.Video) {
	t.Helper()
	dir := t.TempDir()
	p, err := Create(filepath.Join(dir, "study.dyad"), annotate.DefaultScheme())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	video := filepath.Join(dir, "child01.mp4")
	if err := os.WriteFile(video, []byte("not really a video, but a file with content"), 0o644); err != nil {
		t.Fatal(err)
	}
	v, err := p.AddVideo(annotate.Video{Path: video})
	if err != nil {
		t.Fatal(err)
	}
	return p, v
}

func reopen(t testing.TB, p *Project, opt Options) *Project {
	t.Helper()
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	q, err := Open(p.Path(), opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { q.Close() })
	return q
}

func TestCreateOpen(t *testing.T) {
	p, _ := newProject(t)
	if _, err := Create(p.Path(), nil); !errors.Is(err, ErrExists) {
		t.Fatalf("Create over an existing project: %v, want ErrExists", err)
	}
	want := annotate.DefaultScheme()
	q := reopen(t, p, Options{Backups: -1})
	if got := q.Scheme(); !reflect.DeepEqual(got, want) {
		t.Errorf("scheme after reopen differs:\n%+v\n%+v", got, want)
	}
	// The copy is the caller's.
	s := q.Scheme()
	s.Behaviors = nil
	if len(q.Scheme().Behaviors) == 0 {
		t.Error("Scheme returned the project's own scheme, not a copy")
	}
	if _, err := Open(filepath.Join(t.TempDir(), "missing.dyad"), Options{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Open of a missing file: %v", err)
	}
}

func TestVideos(t *testing.T) {
	p, v := newProject(t)
	if v.ID != "v1" || v.Fingerprint == "" || v.Size == 0 || !filepath.IsAbs(v.Path) {
		t.Fatalf("first video: %+v", v)
	}
	again, err := p.AddVideo(annotate.Video{Path: v.Path})
	if err != nil || again.ID != "v1" {
		t.Fatalf("same file again: %+v %v, want v1", again, err)
	}
	other := filepath.Join(filepath.Dir(v.Path), "child02.mp4")
	os.WriteFile(other, []byte("another recording"), 0o644)
	v2, err := p.AddVideo(annotate.Video{Path: other})
	if err != nil || v2.ID != "v2" {
		t.Fatalf("second video: %+v %v", v2, err)
	}
	v2.Duration, v2.Rate, v2.Frames = sec("60"), annotate.Rate{Num: 25, Den: 1}, 1500
	if err := p.UpdateVideo(v2); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"v2", other, "child02.mp4"} {
		got, err := p.FindVideo(key)
		if err != nil || !reflect.DeepEqual(got, v2) {
			t.Errorf("FindVideo(%q) = %+v, %v", key, got, err)
		}
	}
	if _, err := p.FindVideo("nope.mp4"); !errors.Is(err, ErrNotFound) {
		t.Errorf("FindVideo of unknown: %v", err)
	}
	if _, err := p.Video("v9"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Video(v9): %v", err)
	}
	if err := p.UpdateVideo(annotate.Video{ID: "v7"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("UpdateVideo(v7): %v", err)
	}
	vs, err := p.Videos()
	if err != nil || len(vs) != 2 || vs[0].ID != "v1" || vs[1].ID != "v2" {
		t.Fatalf("Videos = %+v, %v", vs, err)
	}
}

func sampleObservation() *annotate.Observation {
	return &annotate.Observation{Coder: "alice",
		Episodes: []annotate.EpisodeMark{{Name: "2 Caregiver and child", Start: sec("30")}, {Name: "1 Introduction", Start: 0}},
		Events: []annotate.Event{
			{ID: 1, Behavior: "explore", Subject: "child", Start: sec("10"), End: sec("40")},
			{ID: 2, Behavior: "smile", Subject: "child", Start: sec("2.5"), End: sec("2.5"), Comment: "big one"},
			{ID: 3, Behavior: "smile", Subject: "child", Start: sec("2.5"), End: sec("2.5")},
			{ID: 7, Behavior: "distress", Subject: "child", Start: sec("50"), End: sec("50"), Open: true},
		},
		Ratings: []annotate.Rating{{Episode: "5 First reunion", Scale: "avoidance", Value: 3}},
	}
}

func TestImportAndLoad(t *testing.T) {
	p, v := newProject(t)
	in := sampleObservation()
	got, err := p.ImportObservation(v.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != "1" || got.NextID != 8 {
		t.Errorf("imported ID %q NextID %d, want 1 and 8", got.ID, got.NextID)
	}
	q := reopen(t, p, Options{Backups: -1})
	o, err := q.Observation("1")
	if err != nil {
		t.Fatal(err)
	}
	var order []annotate.EventID
	for _, e := range o.Events {
		order = append(order, e.ID)
	}
	if !reflect.DeepEqual(order, []annotate.EventID{2, 3, 1, 7}) {
		t.Errorf("events in order %v, want 2 3 1 7 (by start, then ID)", order)
	}
	if o.Events[0].Comment != "big one" || !o.Events[3].Open || o.NextID != 8 || o.Coder != "alice" || o.Video != "v1" {
		t.Errorf("loaded %+v", o)
	}
	if len(o.Episodes) != 2 || o.Episodes[0].Name != "1 Introduction" || o.Episodes[1].Start != sec("30") {
		t.Errorf("episodes %+v", o.Episodes)
	}
	if !reflect.DeepEqual(o.Ratings, in.Ratings) {
		t.Errorf("ratings %+v", o.Ratings)
	}
	infos, err := q.Observations()
	if err != nil || len(infos) != 1 || infos[0].Events != 4 || infos[0].VideoPath != v.Path || infos[0].Coder != "alice" {
		t.Fatalf("Observations = %+v, %v", infos, err)
	}
	for _, name := range []string{"zoe", " zoe ", "bea"} {
		if err := q.AddCoder(name); err != nil {
			t.Fatal(err)
		}
	}
	if err := q.AddCoder("  "); err == nil {
		t.Error("an empty coder name was accepted")
	}
	coders, _ := q.Coders()
	if !reflect.DeepEqual(coders, []string{"alice", "bea", "zoe"}) {
		t.Errorf("coders %v", coders)
	}

	bad := []struct {
		name  string
		video string
		edit  func(o *annotate.Observation)
		want  string
	}{
		{"unknown code", "v1", func(o *annotate.Observation) { o.Events[0].Behavior = "dance" }, "dance"},
		{"duplicate ID", "v1", func(o *annotate.Observation) { o.Events[1].ID = 1 }, "duplicate"},
		{"unknown video", "v5", func(o *annotate.Observation) {}, "v5"},
		{"no coder", "v1", func(o *annotate.Observation) { o.Coder = " " }, "coder"},
		{"bad rating", "v1", func(o *annotate.Observation) { o.Ratings[0].Value = 99 }, "avoidance"},
	}
	for _, c := range bad {
		o := sampleObservation()
		c.edit(o)
		if _, err := q.ImportObservation(c.video, o); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one naming %q", c.name, err, c.want)
		}
	}
	if infos, _ := q.Observations(); len(infos) != 1 {
		t.Errorf("a refused import left %d observations", len(infos))
	}
	// Events without IDs get fresh ones.
	o2 := sampleObservation()
	for i := range o2.Events {
		o2.Events[i].ID = 0
	}
	got2, err := q.ImportObservation("v1", o2)
	if err != nil {
		t.Fatal(err)
	}
	if got2.ID != "2" || got2.NextID != 5 {
		t.Errorf("second import: ID %s NextID %d", got2.ID, got2.NextID)
	}
	if err := q.DeleteObservation("1"); err != nil {
		t.Fatal(err)
	}
	if _, err := q.Observation("1"); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleted observation: %v", err)
	}
	if err := q.DeleteObservation("1"); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleting twice: %v", err)
	}
}

// TestEditorJournal drives the real annotate.Editor against the store and
// checks after every step that the stored observation equals the editor's,
// including across a reopen with the persisted undo history.
func TestEditorJournal(t *testing.T) {
	p, v := newProject(t)
	s := p.Scheme()
	o, err := p.NewObservation(v.ID, "ben")
	if err != nil {
		t.Fatal(err)
	}
	ed := annotate.NewEditor(o, s, p, nil, nil)
	same := func(step string) {
		t.Helper()
		got, err := p.Observation(o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.Events, ed.Obs.Events) && !(len(got.Events) == 0 && len(ed.Obs.Events) == 0) {
			t.Fatalf("%s: stored events\n%+v\neditor\n%+v", step, got.Events, ed.Obs.Events)
		}
		if !reflect.DeepEqual(got.Episodes, ed.Obs.Episodes) && len(got.Episodes)+len(ed.Obs.Episodes) > 0 {
			t.Fatalf("%s: stored episodes %+v, editor %+v", step, got.Episodes, ed.Obs.Episodes)
		}
		if !reflect.DeepEqual(got.Ratings, ed.Obs.Ratings) && len(got.Ratings)+len(ed.Obs.Ratings) > 0 {
			t.Fatalf("%s: stored ratings %+v, editor %+v", step, got.Ratings, ed.Obs.Ratings)
		}
	}
	must := func(_ annotate.Change, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(ed.Tag("smile", sec("5")))
	must(ed.Tag("explore", sec("3")))
	must(ed.Tag("explore", sec("9")))
	same("tags")
	must(ed.MoveStart(1, sec("20"))) // the smile moves: new key
	same("move start")
	must(ed.MarkEpisode("1 Introduction", 0))
	must(ed.MarkEpisode("2 Caregiver and child", sec("180")))
	must(ed.Rate("5 First reunion", "avoidance", 4))
	must(ed.Rate("5 First reunion", "avoidance", 5))
	same("episodes and ratings")
	must(ed.Undo())
	must(ed.Undo())
	same("undo")
	want := *ed.Obs
	undo, redo, err := p.History(o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(undo) != 6 || len(redo) != 2 || undo[0].Label != "add smile" || redo[1].Label != "rate avoidance" || redo[0].Label != "rate avoidance" {
		t.Fatalf("history: undo %d redo %d", len(undo), len(redo))
	}

	// Reopen: the history survives, so undo and redo continue.
	q := reopen(t, p, Options{Backups: -1})
	o2, err := q.Observation(o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(o2.Events, want.Events) || !reflect.DeepEqual(o2.Episodes, want.Episodes) || len(o2.Ratings) != 0 {
		t.Fatalf("after reopen:\n%+v\nwant\n%+v", o2, want)
	}
	ed, err = q.Editor(o.ID)
	if err != nil {
		t.Fatal(err)
	}
	p = q
	must(ed.Redo())
	same("redo after reopen")
	if v, ok := ed.Obs.Rating("5 First reunion", "avoidance"); !ok || v != 4 {
		t.Fatalf("redo gave rating %d %v", v, ok)
	}
	for ed.CanUndo() {
		must(ed.Undo())
		same("undo all")
	}
	if len(ed.Obs.Events) != 0 {
		t.Fatalf("undo all left %d events", len(ed.Obs.Events))
	}
	must(ed.Tag("distress", sec("1")))
	undo, redo, _ = q.History(o.ID)
	if len(undo) != 1 || len(redo) != 0 {
		t.Errorf("a new edit after undo: undo %d redo %d, want 1 and 0", len(undo), len(redo))
	}
	infos, _ := q.Observations()
	if infos[0].Events != 1 || !infos[0].Modified.After(infos[0].Created) {
		t.Errorf("info after edits: %+v", infos[0])
	}
	if err := q.SetPosition(o.ID, sec("42.5")); err != nil {
		t.Fatal(err)
	}
	if o3, _ := q.Observation(o.ID); o3.Position != sec("42.5") || o3.NextID != 4 {
		t.Errorf("position %v NextID %d", o3.Position, o3.NextID)
	}
	// A change that does not match the stored state is refused whole.
	stale := annotate.Change{Label: "stale", Before: []annotate.Event{{ID: 99, Start: sec("1")}}, After: []annotate.Event{{ID: 100, Behavior: "smile", Start: sec("2"), End: sec("2")}}}
	if err := q.Commit(o.ID, annotate.OpDo, stale); !errors.Is(err, annotate.ErrNoEvent) {
		t.Errorf("stale change: %v", err)
	}
	if err := q.Commit("77", annotate.OpDo, stale); !errors.Is(err, ErrNotFound) {
		t.Errorf("commit to a missing observation: %v", err)
	}
	if err := q.Check(); err != nil {
		t.Error(err)
	}
}

func TestHistoryCap(t *testing.T) {
	p, v := newProject(t)
	o, _ := p.NewObservation(v.ID, "carol")
	ed := annotate.NewEditor(o, p.Scheme(), p, nil, nil)
	n := MaxHistory + 15
	for i := range n {
		if _, err := ed.Tag("smile", annotate.Time(i)*annotate.Second); err != nil {
			t.Fatal(err)
		}
	}
	undo, _, err := p.History(o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(undo) != MaxHistory || undo[0].After[0].ID != 16 || undo[len(undo)-1].After[0].ID != annotate.EventID(n) {
		t.Fatalf("capped history: %d entries, first adds %d", len(undo), undo[0].After[0].ID)
	}
	if got, _ := p.Observation(o.ID); len(got.Events) != n {
		t.Errorf("%d events stored, want %d", len(got.Events), n)
	}
}
