package store

import (
	"encoding/binary"
	"errors"
	"path/filepath"
	"reflect"
	"testing"

	bolt "go.etcd.io/bbolt"

	"dyadcode/annotate"
)

// testdata/v4.dyad was written by dyadcode at commit 275d695 (file format
// 4) through the store API: videos v1 (/lab/room-a/main.mp4, 25 fps) and v2
// (/lab/room-a/side.mp4, 30 fps); observation 1 by alice of v1 with smile
// at 1 s, explore 2–4 s, vocalize at 3 s undone (on the redo stack);
// observation 2 by ben of v2, empty.
func TestMigrateFromVersion4(t *testing.T) {
	path := copyFixture(t, "v4.dyad", "old.dyad")
	p, err := Open(path, Options{Backups: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { p.Close() }()
	var version uint64
	var stored string
	p.view(func(tx *bolt.Tx) error {
		version = binary.BigEndian.Uint64(tx.Bucket(bucketMeta).Get(keySchema))
		stored = string(tx.Bucket(bucketObservations).Bucket(u64(1)).Get(keyViews))
		return nil
	})
	if version != 5 {
		t.Fatalf("version after upgrade %d, want 5", version)
	}
	if stored != `[{"video":"v1","offset_s":0.000000}]` {
		t.Fatalf("observation 1's stored session %s", stored)
	}
	if err := p.Check(); err != nil {
		t.Fatal(err)
	}
	for id, video := range map[string]string{"1": "v1", "2": "v2"} {
		o, err := p.Observation(id)
		if err != nil {
			t.Fatal(err)
		}
		if o.Views != nil || !reflect.DeepEqual(o.Session(), []annotate.View{{Video: video}}) {
			t.Fatalf("observation %s upgraded to session %v", id, o.Session())
		}
	}
	// Old history still undoes and redoes; a view added and nudged on
	// the upgraded file survives a restart, with its undo.
	ed, err := p.Editor("1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ed.Redo(); err != nil || len(ed.Obs.Events) != 3 {
		t.Fatalf("redo vocalize: %v, %d events", err, len(ed.Obs.Events))
	}
	if _, err := ed.AddView("v2", -1250*annotate.Millisecond); err != nil {
		t.Fatal(err)
	}
	if _, err := ed.NudgeView("v2", annotate.Rate{Num: 30, Den: 1}.FrameDuration()); err != nil {
		t.Fatal(err)
	}
	p = reopen(t, p, Options{Backups: -1})
	ed, err = p.Editor("1")
	if err != nil {
		t.Fatal(err)
	}
	want := []annotate.View{{Video: "v2", Offset: -1250*annotate.Millisecond + 33333}}
	if !reflect.DeepEqual(ed.Obs.Views, want) {
		t.Fatalf("views after reopening %v, want %v", ed.Obs.Views, want)
	}
	if ch, err := ed.Undo(); err != nil || ch.Label != "nudge view v2" {
		t.Fatalf("undo after restart: %q %v", ch.Label, err)
	}
	p = reopen(t, p, Options{Backups: -1})
	o, _ := p.Observation("1")
	if want := []annotate.View{{Video: "v2", Offset: -1250 * annotate.Millisecond}}; !reflect.DeepEqual(o.Views, want) {
		t.Fatalf("after undo and reopening %v", o.Views)
	}
	if err := p.Check(); err != nil {
		t.Fatal(err)
	}
}

func TestSessionRules(t *testing.T) {
	p, v1 := newProject(t)
	v2, err := p.AddVideo(annotate.Video{Path: "/nowhere/side.mp4", Fingerprint: "side"})
	if err != nil {
		t.Fatal(err)
	}
	o, err := p.NewObservation(v1.ID, "alice")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		views []annotate.View
		err   error
	}{
		{"one further view", []annotate.View{{Video: v2.ID, Offset: 2 * annotate.Second}}, nil},
		{"unknown video", []annotate.View{{Video: "v9"}}, ErrNotFound},
		{"the primary again", []annotate.View{{Video: v1.ID}}, annotate.ErrViewTwice},
		{"too many", []annotate.View{{Video: v2.ID}, {Video: "v3"}, {Video: "v4"}, {Video: "v5"}}, annotate.ErrTooManyViews},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := p.SetViews(o.ID, tt.views)
			if !errors.Is(err, tt.err) {
				t.Fatalf("SetViews: %v, want %v", err, tt.err)
			}
		})
	}
	got, _ := p.Observation(o.ID)
	if !reflect.DeepEqual(got.Views, tests[0].views) {
		t.Fatalf("stored %v", got.Views)
	}
	// A journal commit whose view is not stored as described is refused.
	err = p.Commit(o.ID, annotate.OpDo, annotate.Change{Label: "nudge", ViewsBefore: []annotate.View{{Video: v2.ID, Offset: 7}}, ViewsAfter: []annotate.View{{Video: v2.ID}}})
	if !errors.Is(err, annotate.ErrNoView) {
		t.Fatalf("stale nudge: %v", err)
	}
}

// Merging a project carries its sessions, under the target's video IDs.
func TestMergeCarriesViews(t *testing.T) {
	src, v1 := newProject(t)
	side, err := src.AddVideo(annotate.Video{Path: "/nowhere/side.mp4", Fingerprint: "side-fp"})
	if err != nil {
		t.Fatal(err)
	}
	o, _ := src.NewObservation(v1.ID, "alice")
	ed, _ := src.Editor(o.ID)
	if _, err := ed.AddView(side.ID, 1500*annotate.Millisecond); err != nil {
		t.Fatal(err)
	}
	srcPath := src.Path()
	src.Close()

	dst, err := Create(filepath.Join(t.TempDir(), "target.dyad"), annotate.DefaultScheme())
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	// The target knows other videos first, so IDs differ.
	dst.AddVideo(annotate.Video{Path: "/x/a.mp4", Fingerprint: "a"})
	dst.AddVideo(annotate.Video{Path: "/x/b.mp4", Fingerprint: "b"})
	rep, err := dst.Merge(srcPath)
	if err != nil || len(rep.Added) != 1 {
		t.Fatalf("merge: %+v %v", rep, err)
	}
	got, err := dst.Observation(rep.Added[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	sv, _ := dst.FindVideo("side.mp4")
	if want := []annotate.View{{Video: sv.ID, Offset: 1500 * annotate.Millisecond}}; sv.ID == side.ID || !reflect.DeepEqual(got.Views, want) {
		t.Fatalf("merged views %v, want %v (source ID %s)", got.Views, want, side.ID)
	}
	if err := dst.Check(); err != nil {
		t.Fatal(err)
	}
}
