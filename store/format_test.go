package store

// Tests of the file itself: migrations from an older layout, refusing a
// newer one, and files that are not projects, truncated or damaged.

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"dyadcode/annotate"
)

// writeV1 writes a project in file format 1 directly with bbolt, the way
// the first dyadcode did: events keyed by ID alone, no coders bucket, no
// history, no event count.
func writeV1(t *testing.T, path string, events []annotate.Event) {
	t.Helper()
	db, err := bolt.Open(path, 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error {
		meta, _ := tx.CreateBucket([]byte("meta"))
		scheme, _ := json.Marshal(annotate.DefaultScheme())
		meta.Put([]byte("scheme"), scheme)
		meta.Put([]byte("schema"), u64(1))
		videos, _ := tx.CreateBucket([]byte("videos"))
		v, _ := json.Marshal(annotate.Video{ID: "v1", Path: "/data/child01.mp4", Size: 10, Fingerprint: "abc"})
		videos.Put(u64(1), v)
		videos.SetSequence(1)
		all, _ := tx.CreateBucket([]byte("observations"))
		ob, _ := all.CreateBucket(u64(1))
		all.SetSequence(1)
		info, _ := json.Marshal(map[string]any{"id": "1", "video": "v1", "coder": "alice", "created": time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC), "next_id": 4})
		ob.Put([]byte("info"), info)
		evb, _ := ob.CreateBucket([]byte("events"))
		for _, e := range events {
			data, _ := json.Marshal(storedEvent{ID: uint64(e.ID), Behavior: e.Behavior, Subject: e.Subject, Start: int64(e.Start), End: int64(e.End), Open: e.Open, Modifiers: e.Modifiers, Comment: e.Comment})
			evb.Put(u64(uint64(e.ID)), data)
		}
		epb, _ := ob.CreateBucket([]byte("episodes"))
		epb.Put(timeKey(0), []byte("1 Introduction"))
		_, err := ob.CreateBucket([]byte("ratings"))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestMigrateFromVersion1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.dyad")
	events := []annotate.Event{
		{ID: 1, Behavior: "smile", Subject: "child", Start: sec("30"), End: sec("30")},
		{ID: 2, Behavior: "explore", Subject: "child", Start: sec("5"), End: sec("25")},
		{ID: 3, Behavior: "approach", Subject: "child", Start: sec("12"), End: sec("12"), Comment: "from the door"},
	}
	writeV1(t, path, events)

	// Read-only cannot upgrade: a clear error, file untouched.
	before, _ := os.ReadFile(path)
	if _, err := Open(path, Options{ReadOnly: true}); !errors.Is(err, ErrOlderVersion) || !strings.Contains(err.Error(), path) {
		t.Fatalf("read-only open of a version 1 file: %v", err)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Fatal("read-only open changed the file")
	}

	p, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	o, err := p.Observation("1")
	if err != nil {
		t.Fatal(err)
	}
	var order []annotate.EventID
	for _, e := range o.Events {
		order = append(order, e.ID)
	}
	if !reflect.DeepEqual(o.Events, []annotate.Event{events[1], events[2], events[0]}) || o.NextID != 4 || o.Coder != "alice" {
		t.Errorf("migrated observation: order %v NextID %d coder %q", order, o.NextID, o.Coder)
	}
	infos, _ := p.Observations()
	if len(infos) != 1 || infos[0].Events != 3 {
		t.Errorf("migrated header: %+v", infos)
	}
	if coders, _ := p.Coders(); !reflect.DeepEqual(coders, []string{"alice"}) {
		t.Errorf("coders after migration: %v", coders)
	}
	var version uint64
	p.view(func(tx *bolt.Tx) error {
		version = binary.BigEndian.Uint64(tx.Bucket(bucketMeta).Get(keySchema))
		return nil
	})
	if version != SchemaVersion {
		t.Errorf("schema version after migration %d, want %d", version, SchemaVersion)
	}
	if err := p.Check(); err != nil {
		t.Error(err)
	}
	// Edits work on the migrated file, history included.
	ed := annotate.NewEditor(o, p.Scheme(), p, nil, nil)
	if _, err := ed.MoveStart(1, sec("1")); err != nil {
		t.Fatal(err)
	}
	if _, err := ed.Undo(); err != nil {
		t.Fatal(err)
	}
	// The backup made on open is the file as it was, before the upgrade.
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
	if version != 1 {
		t.Errorf("backup has version %d, want the original 1", version)
	}
}

func setSchema(t *testing.T, path string, v uint64) {
	t.Helper()
	db, err := bolt.Open(path, 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keySchema, u64(v)) }); err != nil {
		t.Fatal(err)
	}
}

func TestNewerVersionRefused(t *testing.T) {
	p, _ := newProject(t)
	path := p.Path()
	p.Close()
	setSchema(t, path, SchemaVersion+7)
	before, _ := os.ReadFile(path)
	for _, opt := range []Options{{}, {ReadOnly: true}} {
		_, err := Open(path, opt)
		if !errors.Is(err, ErrNewerVersion) {
			t.Fatalf("%+v: %v, want ErrNewerVersion", opt, err)
		}
		for _, want := range []string{path, "newer dyadcode", strconv.Itoa(SchemaVersion + 7), strconv.Itoa(SchemaVersion)} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not say %q", err, want)
			}
		}
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Error("opening a newer file changed it")
	}
}

// bigProject makes a project with n events over two observations, for
// damage tests that need many pages.
func bigProject(t *testing.T, n int) string {
	t.Helper()
	p, v := newProject(t)
	for k := range 2 {
		o := &annotate.Observation{Coder: "coder" + strconv.Itoa(k)}
		for i := range n / 2 {
			at := annotate.Time(i) * 100 * annotate.Millisecond
			o.Events = append(o.Events, annotate.Event{ID: annotate.EventID(i + 1), Behavior: "smile", Start: at, End: at, Comment: "a comment to fill pages"})
		}
		if _, err := p.ImportObservation(v.ID, o); err != nil {
			t.Fatal(err)
		}
	}
	path := p.Path()
	p.Close()
	return path
}

func TestNotAProject(t *testing.T) {
	dir := t.TempDir()
	real := bigProject(t, 4000)
	data, err := os.ReadFile(real)
	if err != nil {
		t.Fatal(err)
	}
	rnd := make([]byte, 64<<10)
	for i := range rnd {
		rnd[i] = byte(i*7919 + i/13)
	}
	otherDB := filepath.Join(dir, "other.db")
	db, err := bolt.Open(otherDB, 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("stuff")); return err })
	db.Close()
	otherData, _ := os.ReadFile(otherDB)
	bothMetasGone := append([]byte(nil), data...)
	copy(bothMetasGone[16:80], make([]byte, 64))
	copy(bothMetasGone[4096+16:4096+80], make([]byte, 64))

	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"empty file", nil, "empty"},
		{"text", []byte("behavior,start_s,end_s\nsmile,1,1\n"), "not a dyadcode project"},
		{"random bytes", rnd, "not a dyadcode project"},
		{"other bbolt database", otherData, "not a dyadcode project"},
		{"truncated to half", data[:len(data)/2], "truncated"},
		{"truncated to one page", data[:4096], "truncated"},
		{"truncated mid-page", data[:3*4096+100], "truncated"},
		{"both headers zeroed", bothMetasGone, "not a dyadcode project"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_")+".dyad")
			if err := os.WriteFile(path, c.data, 0o644); err != nil {
				t.Fatal(err)
			}
			for _, ro := range []bool{false, true} {
				p, err := Open(path, Options{ReadOnly: ro, Backups: -1})
				if err == nil {
					p.Close()
					t.Fatalf("read-only %v: opened", ro)
				}
				if !errors.Is(err, ErrNotProject) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), c.want) {
					t.Errorf("read-only %v: %q, want ErrNotProject naming the file and saying %q", ro, err, c.want)
				}
			}
		})
	}
	if _, err := Open(dir, Options{}); !errors.Is(err, ErrNotProject) {
		t.Errorf("a directory: %v", err)
	}
}

// TestDamagedPages overwrites pages of a real project with garbage. Every
// outcome but a panic is acceptable as long as damage that is seen is
// reported as ErrNotProject and some of it is seen.
func TestDamagedPages(t *testing.T) {
	real := bigProject(t, 4000)
	data, err := os.ReadFile(real)
	if err != nil {
		t.Fatal(err)
	}
	pages := len(data) / 4096
	// DYAD_STORE_DAMAGE=tries,seed soaks it with more cases.
	tries, seed := 30, uint64(1)
	if env := os.Getenv("DYAD_STORE_DAMAGE"); env != "" {
		a, b, _ := strings.Cut(env, ",")
		tries, _ = strconv.Atoi(a)
		seed, _ = strconv.ParseUint(b, 10, 64)
	}
	rng := rand.New(rand.NewPCG(seed, 2))
	dir := t.TempDir()
	detected := 0
	for i := range tries {
		bad := append([]byte(nil), data...)
		pg := 2 + rng.IntN(pages-2)
		page := bad[pg*4096 : (pg+1)*4096]
		switch i % 3 {
		case 0: // garbage
			for j := range page {
				page[j] = byte(rng.Uint32())
			}
		case 1: // zeros, as after a lost write
			clear(page)
		case 2: // a few flipped bytes, header included
			for range 8 {
				page[rng.IntN(64)] ^= byte(1 + rng.IntN(255))
			}
		}
		path := filepath.Join(dir, "damaged"+strconv.Itoa(i%50)+".dyad")
		os.WriteFile(path, bad, 0o644)
		if testing.Verbose() {
			t.Logf("try %d: page %d, damage %d", i, pg, i%3)
		}
		p, err := Open(path, Options{Backups: -1})
		if err != nil {
			if !errors.Is(err, ErrNotProject) || !strings.Contains(err.Error(), path) {
				t.Errorf("page %d: %v, want ErrNotProject naming the file", pg, err)
			}
			detected++
			requireUnlocked(t, path)
			continue
		}
		var errs []error
		for _, id := range []string{"1", "2"} {
			_, err := p.Observation(id)
			errs = append(errs, err)
			_, _, err = p.History(id)
			errs = append(errs, err)
		}
		_, err = p.Videos()
		errs = append(errs, err, p.Check())
		if err := errors.Join(errs...); err != nil {
			detected++
		}
		p.Close()
		requireUnlocked(t, path)
	}
	if detected == 0 {
		t.Errorf("none of %d damaged pages was noticed", tries)
	}
	t.Logf("%d of %d damaged files detected (the rest hit free pages)", detected, tries)
}

func TestEventEncoding(t *testing.T) {
	events := []annotate.Event{
		{},
		{ID: 1, Behavior: "smile", Subject: "child", Start: sec("2.5"), End: sec("2.5")},
		{ID: 1 << 40, Behavior: "explore", Start: -sec("1"), End: sec("7200"), Open: true, Modifiers: []string{"toy", "floor"}, Comment: "ünïcode, \"quotes\"\nand lines"},
		{ID: 9, Behavior: "distress", Modifiers: []string{""}},
	}
	for _, e := range events {
		data, err := encodeEvent(e)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeEvent(data)
		if err != nil || !reflect.DeepEqual(got, e) {
			t.Errorf("round trip of %+v: %+v, %v", e, got, err)
		}
		// Every truncation and a trailing byte are errors, not panics.
		for i := range data {
			if _, err := decodeEvent(data[:i]); err == nil {
				t.Errorf("%+v cut to %d bytes decoded", e, i)
			}
		}
		if _, err := decodeEvent(append(data, 0)); err == nil {
			t.Errorf("%+v with a trailing byte decoded", e)
		}
	}
}

func FuzzDecodeEvent(f *testing.F) {
	for _, e := range []annotate.Event{{ID: 3, Behavior: "smile", Start: 5, End: 5, Modifiers: []string{"a"}, Comment: "c"}} {
		data, _ := encodeEvent(e)
		f.Add(data)
	}
	f.Add([]byte{1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := decodeEvent(data)
		if err != nil {
			return
		}
		again, _ := encodeEvent(e)
		if e2, err := decodeEvent(again); err != nil || !reflect.DeepEqual(e, e2) {
			t.Fatalf("re-encoding %+v: %+v %v", e, e2, err)
		}
	})
}

// TestEventKeyOrder: byte order of keys is (start, ID) order, negative
// starts included, so a cursor reads events in time order.
func TestEventKeyOrder(t *testing.T) {
	type se struct {
		start annotate.Time
		id    annotate.EventID
	}
	sorted := []se{{-sec("3600"), 9}, {-1, 1}, {0, 0}, {0, 1}, {0, 1 << 40}, {1, 1}, {sec("0.3"), 2}, {sec("7200"), 1}, {1<<62 - 1, 1}}
	for i := 1; i < len(sorted); i++ {
		a, b := sorted[i-1], sorted[i]
		if bytes.Compare(eventKey(a.start, a.id), eventKey(b.start, b.id)) >= 0 {
			t.Errorf("key of %v does not sort before key of %v", a, b)
		}
		if bytes.Compare(timeKey(a.start), timeKey(b.start)) > 0 {
			t.Errorf("time key of %v sorts after %v", a.start, b.start)
		}
	}
}
