package store

// Stable identity (file format 3). An observation carries a random UID that
// stays the same in every copy of it: in a copied project file, after a
// merge into another project, after an upgrade. Every committed change gets
// a UID of its own and is appended to the observation's change log, and the
// log is chained by hashes: head(k) = H(head(k-1) || uid(k)), head(0) being
// the observation's UID. Two copies of an observation therefore compare in
// O(1): copy B descends from copy A (B is A plus later edits) exactly when
// B's log is at least as long as A's and B's head after len(A) entries is
// A's head. Merge decides with this whether a copy replaces another, and a
// sync with a lab server can send the entries after the last head the
// server has (Log, HeadAt).

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"dyadcode/annotate"
)

// Kinds of log entries (LogEntry.Op).
const (
	// LogCreate starts the log of an observation made in this file
	// (NewObservation, ImportObservation): it stands for the observation
	// as created, whose content is the observation's first state.
	LogCreate = "create"
	// LogUpgrade starts the log of an observation that existed before file
	// format 3; its UID is derived from the observation, so every copy of
	// the old file upgrades (or is merged) to the same identity.
	LogUpgrade = "upgrade"
	// LogDo, LogUndo and LogRedo are edits committed with annotate.OpDo,
	// OpUndo and OpRedo.
	LogDo   = "do"
	LogUndo = "undo"
	LogRedo = "redo"
)

// LogEntry is one committed change in an observation's log, oldest first.
type LogEntry struct {
	// Seq is the entry's place in the log: 1, 2, ...
	Seq uint64 `json:"-"`
	// UID identifies the change in every copy of the observation. For
	// LogDo it is also the UID of the change on the undo/redo stacks.
	UID string `json:"uid"`
	// Op is LogCreate, LogUpgrade, LogDo, LogUndo or LogRedo.
	Op string `json:"op"`
	// Of is, for LogUndo and LogRedo, the UID of the change undone or
	// redone ("" when it predates the stored history).
	Of string `json:"of,omitempty"`
	// At is when the change was committed (UTC).
	At time.Time `json:"at"`
	// Head is the hash chain's head after this entry.
	Head string `json:"head"`
	// Change is what the entry did to the observation, as applied (for an
	// undo, the inverse of the change undone); nil for the first entry.
	Change *annotate.Change `json:"change,omitempty"`
}

// storedChange is an entry of the undo and redo stacks: the change with its
// UID. Format 2 stored the bare change; its fields are the same, so either
// decodes as an annotate.Change.
type storedChange struct {
	annotate.Change
	UID string `json:"uid,omitempty"`
}

var bucketLog = []byte("log")

// newUID returns 128 random bits as 32 lower-case hex digits.
func newUID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		// crypto/rand does not fail on supported platforms (Go 1.24+
		// crashes the program itself if the kernel's source breaks).
		panic(err)
	}
	return hex.EncodeToString(b[:])
}

// derivedUID is a UID computed from parts, for identities that must come
// out the same wherever they are computed (the upgrade of a format 2 file,
// done by each machine on its own copy).
func derivedUID(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(h[:16])
}

// chainHead is the log's hash chain: the head after appending uid to prev.
func chainHead(prev, uid string) string {
	h := sha256.Sum256([]byte(prev + "\x00" + uid))
	return hex.EncodeToString(h[:16])
}

// appendLog writes e as the next entry of an observation's log and moves
// info's head and count on; e.Seq and e.Head are filled in.
func appendLog(ob *bolt.Bucket, info *obsInfo, e *LogEntry) error {
	lb, err := ob.CreateBucketIfNotExists(bucketLog)
	if err != nil {
		return err
	}
	prev := info.Head
	if info.Changes == 0 {
		prev = info.UID
	}
	e.Seq = info.Changes + 1
	e.Head = chainHead(prev, e.UID)
	data, err := json.Marshal(e)
	if err != nil {
		return err
	}
	if err := lb.Put(u64(e.Seq), data); err != nil {
		return err
	}
	info.Changes, info.Head = e.Seq, e.Head
	return nil
}

// headAt returns the head after n entries of an observation's log (n = 0:
// its UID), or "" when the log is shorter or damaged.
func headAt(ob *bolt.Bucket, info obsInfo, n uint64) string {
	switch {
	case n == 0:
		return info.UID
	case n == info.Changes:
		return info.Head
	case n > info.Changes:
		return ""
	}
	lb := ob.Bucket(bucketLog)
	if lb == nil {
		return ""
	}
	var e LogEntry
	if json.Unmarshal(lb.Get(u64(n)), &e) != nil {
		return ""
	}
	return e.Head
}

// HeadAt returns the head of observation obsID's log after its first n
// entries: a copy elsewhere with the same UID whose log has n entries and
// this head is an ancestor of this one (this one descends from it). It
// returns ErrNotFound when the log has fewer than n entries.
func (p *Project) HeadAt(obsID string, n uint64) (string, error) {
	var head string
	err := p.view(func(tx *bolt.Tx) error {
		ob, info, err := obsBucketInfo(tx, obsID)
		if err != nil {
			return err
		}
		if head = headAt(ob, info, n); head == "" {
			return errorf(ErrNotFound, "observation %s: its log has %d entries, not %d", obsID, info.Changes, n)
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("head of observation %s in %s: %w", obsID, p.path, err)
	}
	return head, nil
}

// Log returns the entries of observation obsID's log after the first
// `after`, oldest first (after = 0: the whole log).
func (p *Project) Log(obsID string, after uint64) ([]LogEntry, error) {
	var out []LogEntry
	err := p.view(func(tx *bolt.Tx) error {
		ob, err := obsBucket(tx, obsID)
		if err != nil {
			return err
		}
		lb := ob.Bucket(bucketLog)
		if lb == nil {
			return nil
		}
		c := lb.Cursor()
		for k, v := c.Seek(u64(after + 1)); k != nil; k, v = c.Next() {
			var e LogEntry
			if err := json.Unmarshal(v, &e); err != nil || len(k) != 8 {
				return errorf(ErrNotProject, "observation %s: log entry %x is damaged: %v", obsID, k, err)
			}
			e.Seq = binary.BigEndian.Uint64(k)
			out = append(out, e)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("log of observation %s in %s: %w", obsID, p.path, err)
	}
	return out, nil
}

// stackUID is the UID of a stored undo/redo entry ("" for one without).
func stackUID(v []byte) string {
	var s struct {
		UID string `json:"uid"`
	}
	if json.Unmarshal(v, &s) != nil {
		return ""
	}
	return s.UID
}

// upgradeV2 gives a format 2 observation its format 3 identity: a UID
// derived from the project's creation time, the observation's key, creation
// time and coder (the same on every copy of the old file), one LogUpgrade
// entry, and derived UIDs for the changes on its undo and redo stacks. The
// migration writes the result; Merge computes the same from a format 2
// source it may only read, so merging an old file twice, or merging it
// and a copy upgraded elsewhere, finds the same observation.
func upgradeV2(projectCreated string, key []byte, info *obsInfo, undo, redo []stackItem) (LogEntry, error) {
	info.UID = derivedUID("dyadcode observation", projectCreated, hex.EncodeToString(key),
		info.Created.UTC().Format(time.RFC3339Nano), info.Coder)
	info.Head, info.Changes = "", 0
	for _, stack := range []struct {
		name  string
		items []stackItem
	}{{"undo", undo}, {"redo", redo}} {
		for i := range stack.items {
			it := &stack.items[i]
			if stackUID(it.v) != "" {
				continue
			}
			var sc storedChange
			if err := json.Unmarshal(it.v, &sc); err != nil {
				return LogEntry{}, fmt.Errorf("%s history entry %x: %w", stack.name, it.k, err)
			}
			sc.UID = derivedUID("dyadcode change", info.UID, stack.name, hex.EncodeToString(it.k))
			data, err := json.Marshal(sc)
			if err != nil {
				return LogEntry{}, err
			}
			it.v = data
		}
	}
	e := LogEntry{Seq: 1, UID: derivedUID("dyadcode upgrade", info.UID), Op: LogUpgrade, At: info.Modified.UTC()}
	e.Head = chainHead(info.UID, e.UID)
	info.Changes, info.Head = 1, e.Head
	return e, nil
}

// stackItem is one key/value of a stack or log bucket, copied out.
type stackItem struct{ k, v []byte }

func readItems(b *bolt.Bucket) []stackItem {
	var out []stackItem
	if b == nil {
		return nil
	}
	b.ForEach(func(k, v []byte) error {
		out = append(out, stackItem{clone(k), clone(v)})
		return nil
	})
	return out
}

// checkLog verifies an observation's log: entries 1..info.Changes, each
// decodable, chained from the observation's UID to info.Head.
func checkLog(ob *bolt.Bucket, info obsInfo, id uint64) []error {
	var errs []error
	if len(info.UID) != 32 {
		errs = append(errs, fmt.Errorf("observation %d: no UID", id))
	}
	lb := ob.Bucket(bucketLog)
	if lb == nil {
		return append(errs, fmt.Errorf("observation %d: log bucket missing", id))
	}
	prev, n := info.UID, uint64(0)
	err := lb.ForEach(func(k, v []byte) error {
		n++
		var e LogEntry
		if err := json.Unmarshal(v, &e); err != nil {
			return fmt.Errorf("log entry %x: %v", k, err)
		}
		if len(k) != 8 || binary.BigEndian.Uint64(k) != n {
			return fmt.Errorf("log entry %x out of sequence (want %d)", k, n)
		}
		if e.Head != chainHead(prev, e.UID) {
			return fmt.Errorf("log entry %d: head does not follow from the entry before", n)
		}
		prev = e.Head
		return nil
	})
	if err != nil {
		return append(errs, fmt.Errorf("observation %d: %w", id, err))
	}
	if n != info.Changes || (n > 0 && prev != info.Head) {
		errs = append(errs, fmt.Errorf("observation %d: log has %d entries ending at %s, header says %d ending at %s", id, n, prev, info.Changes, info.Head))
	}
	return errs
}
