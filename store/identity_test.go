package store

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// copyFixture copies a file from testdata into a temp dir.
func copyFixture(t testing.TB, name, dest string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), dest)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

var uidPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

// testdata/v2.dyad was written by dyadcode at commit 46bf1f1 (file format
// 2) through the store API: observation 1 by alice of v1 with four events
// (smile at 1 s with its comment undone, explore 2–4 s, vocalize 3 s,
// smile 5 s), marks "1 Introduction" at 0 and "5 First reunion" at 30 s, a
// rating avoidance=3 (undone and redone), 8 changes on the undo stack and
// the comment on the redo stack; observation 2 by ben of v2, imported with
// two events and no history.
func TestMigrateFromVersion2(t *testing.T) {
	path := copyFixture(t, "v2.dyad", "old.dyad")
	before, _ := os.ReadFile(path)
	if _, err := Open(path, Options{ReadOnly: true}); !errors.Is(err, ErrOlderVersion) {
		t.Fatalf("read-only open of a version 2 file: %v, want ErrOlderVersion", err)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Fatal("read-only open changed the file")
	}
	p, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	var version uint64
	p.view(func(tx *bolt.Tx) error {
		version = binary.BigEndian.Uint64(tx.Bucket(bucketMeta).Get(keySchema))
		return nil
	})
	if version != SchemaVersion || SchemaVersion < 3 {
		t.Fatalf("schema version after migration %d (SchemaVersion %d), want the current one, 3 or later", version, SchemaVersion)
	}
	if err := p.Check(); err != nil {
		t.Fatal(err)
	}
	infos, err := p.Observations()
	if err != nil || len(infos) != 2 {
		t.Fatalf("observations %+v, %v", infos, err)
	}
	for _, oi := range infos {
		if !uidPattern.MatchString(oi.UID) || oi.Changes != 1 || !uidPattern.MatchString(oi.Head) {
			t.Errorf("observation %s after upgrade: UID %q, %d changes, head %q", oi.ID, oi.UID, oi.Changes, oi.Head)
		}
	}
	if infos[0].UID == infos[1].UID {
		t.Error("two observations got the same UID")
	}
	o, err := p.Observation("1")
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Events) != 4 || len(o.Episodes) != 2 || len(o.Ratings) != 1 || o.Events[0].Comment != "" {
		t.Errorf("observation 1 after upgrade: %+v", o)
	}
	undo, redo, err := p.History("1")
	if err != nil {
		t.Fatal(err)
	}
	if len(undo) != 8 || len(redo) != 1 || redo[0].Label != "comment" || undo[7].Label != "rate avoidance" {
		t.Fatalf("history after upgrade: %d undo (top %q), %d redo", len(undo), undo[len(undo)-1].Label, len(redo))
	}
	log, err := p.Log("1", 0)
	if err != nil || len(log) != 1 || log[0].Op != LogUpgrade || log[0].Head != infos[0].Head || log[0].Seq != 1 {
		t.Fatalf("log after upgrade: %+v, %v", log, err)
	}

	// The same old file upgraded on another machine gets the same
	// identities: they come from the file, not from chance.
	other := copyFixture(t, "v2.dyad", "copy.dyad")
	q, err := Open(other, Options{Backups: -1})
	if err != nil {
		t.Fatal(err)
	}
	infos2, _ := q.Observations()
	log2, _ := q.Log("1", 0)
	q.Close()
	for i := range infos {
		if infos[i].UID != infos2[i].UID || infos[i].Head != infos2[i].Head {
			t.Errorf("observation %s upgraded twice: %s/%s vs %s/%s", infos[i].ID, infos[i].UID, infos[i].Head, infos2[i].UID, infos2[i].Head)
		}
	}
	if !reflect.DeepEqual(log, log2) {
		t.Errorf("upgrade logs differ: %+v vs %+v", log, log2)
	}

	// Undo and redo of a change from the old history name its derived UID.
	ed, err := p.Editor("1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ed.Undo(); err != nil {
		t.Fatal(err)
	}
	if _, err := ed.Redo(); err != nil {
		t.Fatal(err)
	}
	log, _ = p.Log("1", 1)
	if len(log) != 2 || log[0].Op != LogUndo || log[1].Op != LogRedo || !uidPattern.MatchString(log[0].Of) || log[0].Of != log[1].Of || log[0].UID == log[1].UID {
		t.Fatalf("log of undo and redo after upgrade: %+v", log)
	}
	if err := p.Check(); err != nil {
		t.Fatal(err)
	}
	// The backup made on open is the version 2 file as it was.
	backups, _ := p.Backups()
	if len(backups) != 1 {
		t.Fatalf("backups %v, want the pre-upgrade copy", backups)
	}
	db, err := bolt.Open(backups[0], 0o644, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	db.View(func(tx *bolt.Tx) error {
		version = binary.BigEndian.Uint64(tx.Bucket(bucketMeta).Get(keySchema))
		return nil
	})
	db.Close()
	if version != 2 {
		t.Errorf("backup has version %d, want the original 2", version)
	}
}

// TestChangeLog follows an observation's log through edits, undo, redo and
// a copy of the file edited further: the copy descends from the original
// (its head after the original's entries is the original's head), and the
// original does not descend from the copy.
func TestChangeLog(t *testing.T) {
	p, v := newProject(t)
	o, err := p.NewObservation(v.ID, "alice")
	if err != nil {
		t.Fatal(err)
	}
	ed, err := p.Editor(o.ID)
	if err != nil {
		t.Fatal(err)
	}
	ch1, err := ed.Tag("smile", sec("1"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ed.Tag("explore", sec("2")); err != nil {
		t.Fatal(err)
	}
	if _, err := ed.Undo(); err != nil {
		t.Fatal(err)
	}
	if _, err := ed.Redo(); err != nil {
		t.Fatal(err)
	}
	log, err := p.Log(o.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	ops := []string{}
	for _, e := range log {
		ops = append(ops, e.Op)
	}
	if !reflect.DeepEqual(ops, []string{LogCreate, LogDo, LogDo, LogUndo, LogRedo}) {
		t.Fatalf("log ops %v", ops)
	}
	if log[3].Of != log[2].UID || log[4].Of != log[2].UID || log[3].Of == log[3].UID {
		t.Errorf("undo/redo entries do not name the change: %+v", log[2:])
	}
	if log[1].Change == nil || !reflect.DeepEqual(log[1].Change.After, ch1.After) {
		t.Errorf("log entry 1 change %+v, want %+v", log[1].Change, ch1)
	}
	if log[3].Change == nil || len(log[3].Change.Before) != 1 || len(log[3].Change.After) != 0 {
		t.Errorf("undo entry should hold the inverse as applied: %+v", log[3].Change)
	}
	seen := map[string]bool{}
	for i, e := range log {
		if e.Seq != uint64(i+1) || !uidPattern.MatchString(e.UID) || seen[e.UID] {
			t.Errorf("entry %d: seq %d uid %q", i, e.Seq, e.UID)
		}
		seen[e.UID] = true
		if h, err := p.HeadAt(o.ID, e.Seq); err != nil || h != e.Head {
			t.Errorf("HeadAt(%d) = %q, %v; want %q", e.Seq, h, err, e.Head)
		}
	}
	if _, err := p.HeadAt(o.ID, 6); !errors.Is(err, ErrNotFound) {
		t.Errorf("HeadAt past the log: %v", err)
	}
	infos, _ := p.Observations()
	orig := infos[0]
	if orig.Changes != 5 || orig.Head != log[4].Head {
		t.Errorf("header %+v does not match the log", orig)
	}

	// The redo stack entry keeps the change's UID after undo; after redo
	// it is back on the undo stack with it.
	var topUID string
	p.view(func(tx *bolt.Tx) error {
		ob, _ := obsBucket(tx, o.ID)
		_, v := ob.Bucket(bucketUndo).Cursor().Last()
		topUID = stackUID(v)
		return nil
	})
	if topUID != log[2].UID {
		t.Errorf("undo top UID %q, want %q", topUID, log[2].UID)
	}

	copyPath := filepath.Join(t.TempDir(), "copy.dyad")
	if err := p.Backup(copyPath); err != nil {
		t.Fatal(err)
	}
	c, err := Open(copyPath, Options{Backups: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ced, _ := c.Editor(o.ID)
	if _, err := ced.Tag("vocalize", sec("3")); err != nil {
		t.Fatal(err)
	}
	cinfos, _ := c.Observations()
	if cinfos[0].UID != orig.UID || cinfos[0].Changes != 6 {
		t.Fatalf("copy: %+v", cinfos[0])
	}
	if h, _ := c.HeadAt(o.ID, orig.Changes); h != orig.Head {
		t.Error("the edited copy does not descend from the original")
	}
	// The original, edited on its own, has diverged: same length, other head.
	if _, err := ed.Tag("vocalize", sec("3")); err != nil {
		t.Fatal(err)
	}
	infos, _ = p.Observations()
	if infos[0].Changes != 6 || infos[0].Head == cinfos[0].Head {
		t.Error("two different edits gave the same head")
	}
	for _, q := range []*Project{p, c} {
		if err := q.Check(); err != nil {
			t.Error(err)
		}
	}
}

// TestCheckFindsBrokenLog: a log entry whose hash does not chain is damage
// Check reports.
func TestCheckFindsBrokenLog(t *testing.T) {
	p, v := newProject(t)
	o, _ := p.NewObservation(v.ID, "alice")
	ed, _ := p.Editor(o.ID)
	ed.Tag("smile", sec("1"))
	if err := p.Check(); err != nil {
		t.Fatal(err)
	}
	p.update(func(tx *bolt.Tx) error {
		ob, _ := obsBucket(tx, o.ID)
		return ob.Bucket(bucketLog).Put(u64(1), []byte(`{"uid":"00000000000000000000000000000000","op":"create","head":"x"}`))
	})
	if err := p.Check(); err == nil {
		t.Error("Check passed a log whose chain is broken")
	}
}
