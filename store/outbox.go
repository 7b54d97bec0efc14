package store

// The outbox and the lab link (file format 4). A project linked to a lab
// server (package store/lab) keeps coding offline; sync sends what the
// server lacks and brings in what others coded.
//
// The outbox is the observations' change logs (identity.go): every commit
// already appends an entry with a stable UID to its observation's log in
// the commit's own transaction, so the log is the queue of committed
// changes, and an entry cannot be committed without entering it. Format 4
// adds one bucket:
//
//	outbox        "link" -> LabLink JSON (server URL without password,
//	                        coder, pull cursor, scheme revision)
//	              "sent" bucket: observation UID -> BE count of its log
//	                        entries the server has confirmed
//
// Pending entries are those after the confirmed count of each observation
// coded by the lab coder. Confirming happens after the server commits a
// push; a crash in between re-sends entries the server then skips by UID.

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"dyadcode/annotate"
)

var (
	bucketOutbox = []byte("outbox")
	bucketSent   = []byte("sent")
	keyLink      = []byte("link")
)

// ErrNotLinked: the project is not linked to a lab.
var ErrNotLinked = errors.New("project is not linked to a lab")

// migrate3to4 adds the outbox bucket; nothing is linked yet.
func migrate3to4(tx *bolt.Tx) error {
	ob, err := tx.CreateBucketIfNotExists(bucketOutbox)
	if err != nil {
		return err
	}
	_, err = ob.CreateBucketIfNotExists(bucketSent)
	return err
}

// LabLink is a project's link to a lab server.
type LabLink struct {
	// URL is the server's connection URL, never with a password (the
	// lab package refuses one before it gets here).
	URL string `json:"url"`
	// Coder is who codes on this laptop: their observations are pushed.
	Coder string `json:"coder"`
	// Cursor is the lab's change sequence pulled up to.
	Cursor int64 `json:"cursor"`
	// SchemeRev is the lab scheme revision the project has.
	SchemeRev int64 `json:"scheme_rev"`
}

// LabLink returns the project's link, or ErrNotLinked.
func (p *Project) LabLink() (LabLink, error) {
	var l LabLink
	err := p.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketOutbox)
		if b == nil || b.Get(keyLink) == nil {
			return errorf(ErrNotLinked, "%s is not linked to a lab; link it with `dyadcode lab join`", p.path)
		}
		return json.Unmarshal(b.Get(keyLink), &l)
	})
	return l, err
}

// SetLabLink links the project to a lab (or updates the link).
func (p *Project) SetLabLink(l LabLink) error {
	if strings.TrimSpace(l.URL) == "" || strings.TrimSpace(l.Coder) == "" {
		return fmt.Errorf("link %s to a lab: URL and coder are required", p.path)
	}
	err := p.update(func(tx *bolt.Tx) error {
		b, err := outboxBucket(tx)
		if err != nil {
			return err
		}
		data, err := json.Marshal(l)
		if err != nil {
			return err
		}
		return b.Put(keyLink, data)
	})
	if err != nil {
		return fmt.Errorf("link %s to a lab: %w", p.path, err)
	}
	return nil
}

func outboxBucket(tx *bolt.Tx) (*bolt.Bucket, error) {
	b, err := tx.CreateBucketIfNotExists(bucketOutbox)
	if err != nil {
		return nil, err
	}
	if _, err := b.CreateBucketIfNotExists(bucketSent); err != nil {
		return nil, err
	}
	return b, nil
}

func sentCount(tx *bolt.Tx, uid string) uint64 {
	b := tx.Bucket(bucketOutbox)
	if b == nil || b.Bucket(bucketSent) == nil {
		return 0
	}
	v := b.Bucket(bucketSent).Get([]byte(uid))
	if len(v) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(v)
}

// OutboxEntry is a committed change waiting for the server.
type OutboxEntry struct {
	ObsUID  string
	ObsID   string
	Coder   string
	Created time.Time
	Video   annotate.Video
	Entry   LogEntry
	// Prev is the UID of the entry before Entry ("" for the first).
	Prev string
	// First is the observation's first state, for the log's first entry
	// (create or upgrade), which records no change of its own: the server
	// receives it as the change that adds everything First holds.
	First *annotate.Observation
}

// Outbox returns up to limit of the oldest changes of coder's
// observations the server has not confirmed, observation by observation,
// each in log order, leaving out the observations skip names (by UID; skip
// may be nil). One read transaction: a commit racing with it is either
// wholly in or left for the next call.
func (p *Project) Outbox(coder string, limit int, skip map[string]bool) ([]OutboxEntry, error) {
	var out []OutboxEntry
	err := p.view(func(tx *bolt.Tx) error {
		all := tx.Bucket(bucketObservations)
		c := all.Cursor()
		for k, _ := c.First(); k != nil && len(out) < limit; k, _ = c.Next() {
			ob := all.Bucket(k)
			if ob == nil {
				continue
			}
			id := strconv.FormatUint(binary.BigEndian.Uint64(k), 10)
			info, err := readInfo(ob, id)
			if err != nil {
				return err
			}
			sent := sentCount(tx, info.UID)
			if info.Coder != coder || info.Changes <= sent || skip[info.UID] {
				continue
			}
			var video annotate.Video
			if v := tx.Bucket(bucketVideos).Get(mustVideoKey(info.Video)); v != nil {
				if err := json.Unmarshal(v, &video); err != nil {
					return fmt.Errorf("video %s: %w", info.Video, err)
				}
			}
			lb := ob.Bucket(bucketLog)
			if lb == nil {
				return errorf(ErrNotProject, "observation %s has no change log", id)
			}
			prev := ""
			if sent > 0 {
				var e LogEntry
				if err := json.Unmarshal(lb.Get(u64(sent)), &e); err != nil {
					return errorf(ErrNotProject, "observation %s: log entry %d is damaged: %v", id, sent, err)
				}
				prev = e.UID
			}
			lc := lb.Cursor()
			for lk, lv := lc.Seek(u64(sent + 1)); lk != nil && len(out) < limit; lk, lv = lc.Next() {
				var e LogEntry
				if err := json.Unmarshal(lv, &e); err != nil {
					return errorf(ErrNotProject, "observation %s: log entry %x is damaged: %v", id, lk, err)
				}
				e.Seq = binary.BigEndian.Uint64(lk)
				oe := OutboxEntry{ObsUID: info.UID, ObsID: id, Coder: info.Coder, Created: info.Created, Video: video, Entry: e, Prev: prev}
				prev = e.UID
				if e.Seq == 1 {
					first, err := firstState(ob, info, id)
					if err != nil {
						return err
					}
					oe.First = first
				}
				out = append(out, oe)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("outbox of %s: %w", p.path, err)
	}
	return out, nil
}

// OutboxWaiting counts coder's changes the server has not confirmed.
func (p *Project) OutboxWaiting(coder string) (int, error) {
	n := 0
	err := p.view(func(tx *bolt.Tx) error {
		all := tx.Bucket(bucketObservations)
		return all.ForEachBucket(func(k []byte) error {
			info, err := readInfo(all.Bucket(k), string(k))
			if err != nil {
				return err
			}
			if s := sentCount(tx, info.UID); info.Coder == coder && info.Changes > s {
				n += int(info.Changes - s)
			}
			return nil
		})
	})
	return n, err
}

// ConfirmSent records that the server has the first upTo[uid] log entries
// of each observation. Counts only grow.
func (p *Project) ConfirmSent(upTo map[string]uint64) error {
	err := p.update(func(tx *bolt.Tx) error {
		b, err := outboxBucket(tx)
		if err != nil {
			return err
		}
		sent := b.Bucket(bucketSent)
		for uid, n := range upTo {
			if n > sentCount(tx, uid) {
				if err := sent.Put([]byte(uid), u64(n)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("confirm sent changes in %s: %w", p.path, err)
	}
	return nil
}

// obsState reads an observation's coding inside a transaction.
func obsState(ob *bolt.Bucket, id string) (*annotate.Observation, error) {
	o := &annotate.Observation{ID: id}
	err := ob.Bucket(bucketEvents).ForEach(func(k, v []byte) error {
		e, err := decodeEvent(v)
		if err != nil {
			return errorf(ErrNotProject, "observation %s: event key %x is damaged: %v", id, k, err)
		}
		o.Events = append(o.Events, e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	ob.Bucket(bucketEpisodes).ForEach(func(k, v []byte) error {
		o.Episodes = append(o.Episodes, annotate.EpisodeMark{Name: string(v), Start: annotate.Time(binary.BigEndian.Uint64(k) ^ (1 << 63))})
		return nil
	})
	ob.Bucket(bucketRatings).ForEach(func(k, v []byte) error {
		ep, sc, _ := strings.Cut(string(k), "\x00")
		o.Ratings = append(o.Ratings, annotate.Rating{Episode: ep, Scale: sc, Value: int(int64(binary.BigEndian.Uint64(v)))})
		return nil
	})
	return o, nil
}

// firstState is the observation as its first log entry left it: the
// current state with every later entry undone, newest first.
func firstState(ob *bolt.Bucket, info obsInfo, id string) (*annotate.Observation, error) {
	o, err := obsState(ob, id)
	if err != nil {
		return nil, err
	}
	var later []annotate.Change
	lb := ob.Bucket(bucketLog)
	c := lb.Cursor()
	for k, v := c.Seek(u64(2)); k != nil; k, v = c.Next() {
		var e LogEntry
		if err := json.Unmarshal(v, &e); err != nil {
			return nil, errorf(ErrNotProject, "observation %s: log entry %x is damaged: %v", id, k, err)
		}
		if e.Change != nil {
			later = append(later, *e.Change)
		}
	}
	for _, ch := range slices.Backward(later) {
		if err := ch.Inverse().Apply(o); err != nil {
			return nil, fmt.Errorf("observation %s: its log does not lead to its events: %w", id, err)
		}
	}
	return o, nil
}

// RemoteEntry is a change pulled from the lab: a log entry of an
// observation, with what a project needs to hold a copy of it.
type RemoteEntry struct {
	ObsUID  string
	Coder   string
	Created time.Time
	Video   annotate.Video // metadata; matched by fingerprint
	Entry   LogEntry       // UID, Op, At and Change (as applied)
}

// ReceiveRemote applies pulled changes and stores the new cursor, in one
// transaction. An entry whose UID the observation's log already has (this
// laptop's own, or received before) is skipped; an observation the
// project lacks is created with its UID, and a video it lacks is recorded
// from the lab's metadata (its file is found later, as for a merge).
// Entries are appended to the copy's log with their UIDs, so every copy's
// hash chain matches its origin's. Applying is tolerant, like the
// server's: a removal of what is not there is skipped, an addition
// replaces.
func (p *Project) ReceiveRemote(entries []RemoteEntry, link LabLink) error {
	if p.opt.ReadOnly {
		return errorf(ErrReadOnly, "receive lab changes into %s: the project is open read-only", p.path)
	}
	err := p.update(func(tx *bolt.Tx) error {
		b, err := outboxBucket(tx)
		if err != nil {
			return err
		}
		r := &receiver{tx: tx, all: tx.Bucket(bucketObservations), byUID: map[string][]byte{}, logs: map[string]map[string]bool{}, videos: map[string]string{}}
		if err := r.index(); err != nil {
			return err
		}
		for _, re := range entries {
			if err := r.apply(re, link.Coder); err != nil {
				return fmt.Errorf("change %s of observation %s: %w", re.Entry.UID, re.ObsUID, err)
			}
		}
		data, err := json.Marshal(link)
		if err != nil {
			return err
		}
		return b.Put(keyLink, data)
	})
	if err != nil {
		return fmt.Errorf("receive lab changes into %s: %w", p.path, err)
	}
	return nil
}

type receiver struct {
	tx     *bolt.Tx
	all    *bolt.Bucket
	byUID  map[string][]byte          // observation UID -> key
	logs   map[string]map[string]bool // observation UID -> its log's UIDs (loaded when needed)
	videos map[string]string          // fingerprint -> video ID
}

func (r *receiver) index() error {
	err := r.all.ForEachBucket(func(k []byte) error {
		info, err := readInfo(r.all.Bucket(k), string(k))
		if err != nil {
			return err
		}
		if _, ok := r.byUID[info.UID]; !ok {
			r.byUID[info.UID] = clone(k)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return r.tx.Bucket(bucketVideos).ForEach(func(k, v []byte) error {
		var vid annotate.Video
		if err := json.Unmarshal(v, &vid); err != nil {
			return errorf(ErrNotProject, "video key %x is damaged: %v", k, err)
		}
		if _, ok := r.videos[vid.Fingerprint]; !ok {
			r.videos[vid.Fingerprint] = vid.ID
		}
		return nil
	})
}

func (r *receiver) videoID(v annotate.Video) (string, error) {
	if id, ok := r.videos[v.Fingerprint]; ok {
		return id, nil
	}
	vb := r.tx.Bucket(bucketVideos)
	seq, err := vb.NextSequence()
	if err != nil {
		return "", err
	}
	v.ID = "v" + strconv.FormatUint(seq, 10)
	data, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	if err := vb.Put(u64(seq), data); err != nil {
		return "", err
	}
	r.videos[v.Fingerprint] = v.ID
	return v.ID, nil
}

func (r *receiver) apply(re RemoteEntry, me string) error {
	key, ok := r.byUID[re.ObsUID]
	if !ok {
		vid, err := r.videoID(re.Video)
		if err != nil {
			return err
		}
		coders := r.tx.Bucket(bucketCoders)
		if coders.Get([]byte(re.Coder)) == nil {
			if err := coders.Put([]byte(re.Coder), coderValue(re.Created)); err != nil {
				return err
			}
		}
		seq, err := r.all.NextSequence()
		if err != nil {
			return err
		}
		key = u64(seq)
		ob, err := r.all.CreateBucket(key)
		if err != nil {
			return err
		}
		for _, name := range [][]byte{bucketEvents, bucketEpisodes, bucketRatings, bucketUndo, bucketRedo, bucketLog} {
			if _, err := ob.CreateBucket(name); err != nil {
				return err
			}
		}
		info := obsInfo{ID: strconv.FormatUint(seq, 10), Video: vid, Coder: re.Coder, Created: re.Created.UTC(),
			Modified: re.Created.UTC(), NextID: 1, UID: re.ObsUID}
		if err := writeInfo(ob, info); err != nil {
			return err
		}
		r.byUID[re.ObsUID] = key
		r.logs[re.ObsUID] = map[string]bool{}
	}
	ob := r.all.Bucket(key)
	id := strconv.FormatUint(binary.BigEndian.Uint64(key), 10)
	info, err := readInfo(ob, id)
	if err != nil {
		return err
	}
	seen, ok := r.logs[re.ObsUID]
	if !ok {
		seen = map[string]bool{}
		if lb := ob.Bucket(bucketLog); lb != nil {
			lb.ForEach(func(_, v []byte) error {
				var e LogEntry
				if json.Unmarshal(v, &e) == nil {
					seen[e.UID] = true
				}
				return nil
			})
		}
		r.logs[re.ObsUID] = seen
	}
	if seen[re.Entry.UID] {
		return nil
	}
	// This coder's copy with changes the server has not confirmed: the
	// same observation was edited on another laptop meanwhile. Event IDs
	// are numbered per copy, so applying the other laptop's changes here
	// could overwrite this copy's events; the copy is left as it is (its
	// push is refused as diverged, and nothing of it is lost).
	if info.Coder == me && sentCount(r.tx, info.UID) < info.Changes {
		return nil
	}
	if re.Entry.Change != nil {
		if err := applyTolerant(ob, &info, *re.Entry.Change); err != nil {
			return err
		}
	}
	e := re.Entry
	before := info.Changes
	if err := appendLog(ob, &info, &e); err != nil {
		return err
	}
	seen[e.UID] = true
	if e.At.After(info.Modified) {
		info.Modified = e.At.UTC()
	}
	if err := writeInfo(ob, info); err != nil {
		return err
	}
	// This coder's own work from another laptop is on the server already:
	// when nothing of this copy was waiting, nothing is now. Entries
	// still waiting keep their place; sending the received one again
	// with them is harmless (the server skips its UID).
	if info.Coder == me && sentCount(r.tx, info.UID) >= before {
		b, err := outboxBucket(r.tx)
		if err != nil {
			return err
		}
		if err := b.Bucket(bucketSent).Put([]byte(info.UID), u64(info.Changes)); err != nil {
			return err
		}
	}
	return nil
}

// applyTolerant writes a change into an observation's buckets the way the
// lab server does: events removed by ID wherever they stand (a copy may
// have them at another start), additions replacing the event of the same
// ID, marks and ratings removed if there and put.
func applyTolerant(ob *bolt.Bucket, info *obsInfo, ch annotate.Change) error {
	evb := ob.Bucket(bucketEvents)
	drop := map[annotate.EventID]bool{}
	for _, e := range ch.Before {
		drop[e.ID] = true
	}
	for _, e := range ch.After {
		drop[e.ID] = true
	}
	if len(drop) > 0 {
		// Fast path: at the key the change names.
		for _, e := range slices.Concat(ch.Before, ch.After) {
			if _, ok := drop[e.ID]; !ok {
				continue
			}
			if evb.Get(eventKey(e.Start, e.ID)) != nil {
				if err := evb.Delete(eventKey(e.Start, e.ID)); err != nil {
					return err
				}
				info.Events--
				delete(drop, e.ID)
			}
		}
	}
	if len(drop) > 0 {
		// Events standing elsewhere (or absent): scan once by ID.
		var stale [][]byte
		evb.ForEach(func(k, _ []byte) error {
			if len(k) == 16 && drop[annotate.EventID(binary.BigEndian.Uint64(k[8:]))] {
				stale = append(stale, clone(k))
			}
			return nil
		})
		for _, k := range stale {
			if err := evb.Delete(k); err != nil {
				return err
			}
			info.Events--
		}
	}
	for _, e := range ch.After {
		v, err := encodeEvent(e)
		if err != nil {
			return err
		}
		if err := evb.Put(eventKey(e.Start, e.ID), v); err != nil {
			return err
		}
		info.Events++
		info.NextID = max(info.NextID, uint64(e.ID)+1)
	}
	return applyMarksAndRatings(ob, ch)
}
