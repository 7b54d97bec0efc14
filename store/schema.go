package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"dyadcode/annotate"
)

// SchemaVersion is the file format this build writes. Bump it together with
// a new entry in migrations.
//
// Version 3 layout:
//
//	meta          "schema" -> uint64 BE version; "scheme" -> scheme JSON;
//	              "created" -> RFC 3339 time
//	videos        uint64 BE number of "vN" -> video JSON
//	coders        name -> JSON {added}
//	observations  uint64 BE number of "N" -> bucket:
//	                "info"     -> obsInfo JSON
//	                "events"   bucket: BE(start^sign) + BE(ID) -> encodeEvent
//	                "episodes" bucket: BE(start^sign) -> episode name
//	                "ratings"  bucket: episode 0x00 scale -> BE int64 value
//	                "undo", "redo" buckets: BE sequence -> storedChange JSON
//	                           (annotate.Change plus its "uid")
//	                "log"      bucket: BE seq 1, 2, ... -> LogEntry JSON
//	cache         key -> bytes (frame indexes, waveforms by fingerprint)
//
// Version 1 (the first format) stored events as JSON keyed by ID alone and
// had no coders bucket; migration 1 re-keys and re-encodes them and fills
// coders. Version 2 had no identities: migration 2 gives every observation
// a UID (obsInfo.UID, derived so that every copy of a file upgrades alike),
// a change log with one LogUpgrade entry (obsInfo.Changes, obsInfo.Head)
// and UIDs to the changes on its undo and redo stacks (see identity.go).
const SchemaVersion = 5 // 4: the lab outbox (outbox.go); 5: sessions of several views (views.go)

// Bucket and key names. Package variables so tests (and migrations) use the
// same spelling as the code.
var (
	bucketMeta         = []byte("meta")
	bucketVideos       = []byte("videos")
	bucketCoders       = []byte("coders")
	bucketObservations = []byte("observations")
	bucketCache        = []byte("cache")

	bucketEvents   = []byte("events")
	bucketEpisodes = []byte("episodes")
	bucketRatings  = []byte("ratings")
	bucketUndo     = []byte("undo")
	bucketRedo     = []byte("redo")

	keySchema  = []byte("schema")
	keyScheme  = []byte("scheme")
	keyCreated = []byte("created")
	keyInfo    = []byte("info")
)

// topBuckets exist in every current-version file.
var topBuckets = [][]byte{bucketMeta, bucketVideos, bucketCoders, bucketObservations, bucketCache}

// migration upgrades a file from version From to From+1. Each runs in its
// own transaction that also writes the new version number, so a crash in
// the middle leaves the file at a version it can be upgraded from again.
type migration struct {
	From int
	Name string
	Run  func(tx *bolt.Tx) error
}

// migrations, in order; migrations[i].From == i+1.
var migrations = []migration{
	{From: 1, Name: "key events by time and list coders", Run: migrate1to2},
	{From: 2, Name: "give observations and changes stable identities", Run: migrate2to3},
	{From: 3, Name: "add the lab outbox", Run: migrate3to4},
	{From: 4, Name: "make every observation a session of views", Run: migrate4to5},
}

func initLayout(tx *bolt.Tx, scheme *annotate.Scheme) error {
	for _, name := range topBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	meta := tx.Bucket(bucketMeta)
	data, err := json.Marshal(scheme)
	if err != nil {
		return err
	}
	if err := meta.Put(keyScheme, data); err != nil {
		return err
	}
	if err := meta.Put(keyCreated, []byte(time.Now().UTC().Format(time.RFC3339Nano))); err != nil {
		return err
	}
	return meta.Put(keySchema, u64(SchemaVersion))
}

// schemaVersion reads the file's format version.
func (p *Project) schemaVersion(name string) (int, error) {
	var version uint64
	err := p.view(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			return errorf(ErrNotProject, "open %s: a bbolt database but not a dyadcode project (no meta bucket)", name)
		}
		v := meta.Get(keySchema)
		if len(v) != 8 {
			return errorf(ErrNotProject, "open %s: not a dyadcode project (no schema version)", name)
		}
		version = binary.BigEndian.Uint64(v)
		return nil
	})
	if err != nil {
		return 0, err
	}
	if version == 0 || version > 1<<20 {
		return 0, errorf(ErrNotProject, "open %s: not a dyadcode project (schema version %d)", name, version)
	}
	return int(version), nil
}

// migrate runs the migrations from version up to SchemaVersion.
func (p *Project) migrate(version int) error {
	for _, m := range migrations {
		if m.From < version {
			continue
		}
		err := p.update(func(tx *bolt.Tx) error {
			if err := m.Run(tx); err != nil {
				return err
			}
			return tx.Bucket(bucketMeta).Put(keySchema, u64(uint64(m.From+1)))
		})
		if err != nil {
			return fmt.Errorf("upgrade from file format %d (%s): %w", m.From, m.Name, err)
		}
	}
	return nil
}

// migrate1to2: version 1 kept events as JSON keyed by BE(ID) only, so
// loading had to sort and decode slowly; version 2 keys them by (start, ID)
// in a binary encoding. Version 1 also had no coders
// bucket (filled from the observations), no undo/redo history, and no event
// count in an observation's header.
func migrate1to2(tx *bolt.Tx) error {
	coders, err := tx.CreateBucketIfNotExists(bucketCoders)
	if err != nil {
		return err
	}
	for _, name := range topBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	obs := tx.Bucket(bucketObservations)
	var ids [][]byte
	if err := obs.ForEachBucket(func(k []byte) error { ids = append(ids, clone(k)); return nil }); err != nil {
		return err
	}
	for _, id := range ids {
		ob := obs.Bucket(id)
		var info obsInfo
		if err := json.Unmarshal(ob.Get(keyInfo), &info); err != nil {
			return fmt.Errorf("observation %d: %w", binary.BigEndian.Uint64(id), err)
		}
		if info.Coder != "" && coders.Get([]byte(info.Coder)) == nil {
			if err := coders.Put([]byte(info.Coder), coderValue(info.Created)); err != nil {
				return err
			}
		}
		for _, name := range [][]byte{bucketEpisodes, bucketRatings, bucketUndo, bucketRedo} {
			if _, err := ob.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		old, err := ob.CreateBucketIfNotExists(bucketEvents)
		if err != nil {
			return err
		}
		type kv struct{ k, v []byte }
		var evs []kv
		if err := old.ForEach(func(k, v []byte) error {
			var se storedEvent
			if err := json.Unmarshal(v, &se); err != nil {
				return fmt.Errorf("observation %d: event key %x: %w", binary.BigEndian.Uint64(id), k, err)
			}
			data, err := encodeEvent(se.event())
			if err != nil {
				return err
			}
			evs = append(evs, kv{eventKey(annotate.Time(se.Start), annotate.EventID(se.ID)), data})
			return nil
		}); err != nil {
			return err
		}
		if err := ob.DeleteBucket(bucketEvents); err != nil {
			return err
		}
		nb, err := ob.CreateBucket(bucketEvents)
		if err != nil {
			return err
		}
		for _, e := range evs {
			if err := nb.Put(e.k, e.v); err != nil {
				return err
			}
		}
		// Version 1 kept no count; lists show it without loading events.
		info.Events = len(evs)
		if err := writeInfo(ob, info); err != nil {
			return err
		}
	}
	return nil
}

// migrate2to3: version 2 observations had no identity, so a copy of one in
// another file could not be recognised (merging a file twice duplicated its
// observations). Each gets the UID, log and stack UIDs upgradeV2 derives.
func migrate2to3(tx *bolt.Tx) error {
	created := string(tx.Bucket(bucketMeta).Get(keyCreated))
	obs := tx.Bucket(bucketObservations)
	var ids [][]byte
	if err := obs.ForEachBucket(func(k []byte) error { ids = append(ids, clone(k)); return nil }); err != nil {
		return err
	}
	for _, id := range ids {
		ob := obs.Bucket(id)
		num := binary.BigEndian.Uint64(id)
		info, err := readInfo(ob, fmt.Sprint(num))
		if err != nil {
			return err
		}
		if info.UID != "" {
			continue // already has its identity
		}
		undo, redo := readItems(ob.Bucket(bucketUndo)), readItems(ob.Bucket(bucketRedo))
		entry, err := upgradeV2(created, id, &info, undo, redo)
		if err != nil {
			return fmt.Errorf("observation %d: %w", num, err)
		}
		for _, st := range []struct {
			name  []byte
			items []stackItem
		}{{bucketUndo, undo}, {bucketRedo, redo}} {
			b, err := ob.CreateBucketIfNotExists(st.name)
			if err != nil {
				return err
			}
			for _, it := range st.items {
				if err := b.Put(it.k, it.v); err != nil {
					return err
				}
			}
		}
		lb, err := ob.CreateBucketIfNotExists(bucketLog)
		if err != nil {
			return err
		}
		data, err := json.Marshal(entry)
		if err != nil {
			return err
		}
		if err := lb.Put(u64(entry.Seq), data); err != nil {
			return err
		}
		if err := writeInfo(ob, info); err != nil {
			return err
		}
	}
	return nil
}

// checkLayout verifies the project's own invariants: buckets present,
// records decodable, every event stored under its (start, ID) key.
func checkLayout(tx *bolt.Tx) []error {
	var errs []error
	for _, name := range topBuckets {
		if tx.Bucket(name) == nil {
			errs = append(errs, fmt.Errorf("bucket %q missing", name))
		}
	}
	obs := tx.Bucket(bucketObservations)
	if obs == nil {
		return errs
	}
	obs.ForEachBucket(func(k []byte) error {
		ob := obs.Bucket(k)
		id := binary.BigEndian.Uint64(k)
		var info obsInfo
		if err := json.Unmarshal(ob.Get(keyInfo), &info); err != nil {
			errs = append(errs, fmt.Errorf("observation %d: info: %v", id, err))
		}
		evb := ob.Bucket(bucketEvents)
		if evb == nil {
			errs = append(errs, fmt.Errorf("observation %d: events bucket missing", id))
			return nil
		}
		n := 0
		evb.ForEach(func(k, v []byte) error {
			n++
			e, err := decodeEvent(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("observation %d: event key %x: %v", id, k, err))
				return nil
			}
			if string(eventKey(e.Start, e.ID)) != string(k) {
				errs = append(errs, fmt.Errorf("observation %d: event %d stored under key %x, not its start %s", id, e.ID, k, e.Start.Seconds()))
			}
			return nil
		})
		if n != info.Events {
			errs = append(errs, fmt.Errorf("observation %d: %d events stored, info says %d", id, n, info.Events))
		}
		errs = append(errs, checkLog(ob, info, id)...)
		// push numbers new history entries from the bucket's sequence: one
		// behind its keys would overwrite old entries.
		for _, name := range [][]byte{bucketUndo, bucketRedo} {
			if b := ob.Bucket(name); b != nil {
				if k, _ := b.Cursor().Last(); len(k) == 8 && binary.BigEndian.Uint64(k) > b.Sequence() {
					errs = append(errs, fmt.Errorf("observation %d: %s history sequence %d is behind its entries", id, name, b.Sequence()))
				}
			}
		}
		return nil
	})
	return append(errs, checkViews(tx)...)
}

func u64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

// timeKey encodes a media time so that byte order is numeric order, also
// for negative times (the sign bit flipped).
func timeKey(t annotate.Time) []byte { return u64(uint64(t) ^ (1 << 63)) }

func eventKey(start annotate.Time, id annotate.EventID) []byte {
	k := make([]byte, 16)
	binary.BigEndian.PutUint64(k, uint64(start)^(1<<63))
	binary.BigEndian.PutUint64(k[8:], uint64(id))
	return k
}
