package store

import (
	"bytes"
	"cmp"
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

// MaxHistory is how many edits of an observation the persisted undo stack
// keeps; older ones are dropped (the events themselves are of course kept).
// A thousand edits is hours of coding, and bounds the file's growth.
const MaxHistory = 1000

// ObservationInfo is an observation's header, for lists.
type ObservationInfo struct {
	ID, Video, VideoPath, Coder string
	Events                      int
	Created, Modified           time.Time
	// UID is the observation's identity in every copy of it (format 3).
	UID string
	// Changes is how many entries its log has, Head the log's hash chain
	// head after them: copies with the same UID, Changes and Head are the
	// same; see HeadAt for telling which copy descends from which.
	Changes uint64
	Head    string
}

// obsInfo is the stored header of an observation.
type obsInfo struct {
	ID       string    `json:"id"`
	Video    string    `json:"video"`
	Coder    string    `json:"coder"`
	Created  time.Time `json:"created"`
	Modified time.Time `json:"modified"`
	NextID   uint64    `json:"next_id"`
	Position int64     `json:"position_us"`
	Events   int       `json:"events"`
	// Format 3: identity and the change log's length and head.
	UID     string `json:"uid,omitempty"`
	Changes uint64 `json:"changes,omitempty"`
	Head    string `json:"head,omitempty"`
}

// storedEvent is an event as file format 1 stored it (JSON); only the
// migration reads it now.
type storedEvent struct {
	ID        uint64   `json:"i"`
	Behavior  string   `json:"b"`
	Subject   string   `json:"s,omitempty"`
	Start     int64    `json:"t"`
	End       int64    `json:"e"`
	Open      bool     `json:"o,omitempty"`
	Modifiers []string `json:"m,omitempty"`
	Comment   string   `json:"c,omitempty"`
}

func (se storedEvent) event() annotate.Event {
	return annotate.Event{ID: annotate.EventID(se.ID), Behavior: se.Behavior, Subject: se.Subject,
		Start: annotate.Time(se.Start), End: annotate.Time(se.End), Open: se.Open,
		Modifiers: se.Modifiers, Comment: se.Comment}
}

// eventFormat tags the binary event encoding, so a later format can be told
// apart value by value.
const eventFormat = 1

// encodeEvent writes an event compactly: the format byte, uvarint ID,
// varint start and end (µs), a flags byte (1 = open), then behaviour,
// subject, the modifiers (count, then each) and the comment as
// uvarint-length-prefixed UTF-8. Binary rather than JSON because loading
// 100,000 events is dominated by decoding: JSON took about 280 ms, this
// takes a fraction of that, independent of annotate's JSON form.
func encodeEvent(e annotate.Event) ([]byte, error) {
	n := 1 + 3*binary.MaxVarintLen64 + 1 + 4*binary.MaxVarintLen32 + len(e.Behavior) + len(e.Subject) + len(e.Comment)
	for _, m := range e.Modifiers {
		n += binary.MaxVarintLen32 + len(m)
	}
	b := make([]byte, 0, n)
	b = append(b, eventFormat)
	b = binary.AppendUvarint(b, uint64(e.ID))
	b = binary.AppendVarint(b, int64(e.Start))
	b = binary.AppendVarint(b, int64(e.End))
	var flags byte
	if e.Open {
		flags |= 1
	}
	b = append(b, flags)
	b = appendString(b, e.Behavior)
	b = appendString(b, e.Subject)
	b = binary.AppendUvarint(b, uint64(len(e.Modifiers)))
	for _, m := range e.Modifiers {
		b = appendString(b, m)
	}
	b = appendString(b, e.Comment)
	return b, nil
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// errBadEvent: a stored event does not decode (damage, not a user error).
var errBadEvent = errors.New("malformed event record")

// eventDecoder reads the fields of an encoded event with bounds checks: a
// damaged value is an error, never a panic or a huge allocation.
type eventDecoder struct {
	b   []byte
	err error
}

func (d *eventDecoder) uvarint() uint64 { return readVarint(d, binary.Uvarint) }

func (d *eventDecoder) varint() int64 { return readVarint(d, binary.Varint) }

// readVarint takes one value off d with decode (binary.Uvarint or
// binary.Varint), which reports n ≤ 0 for a truncated or overlong value.
func readVarint[T uint64 | int64](d *eventDecoder, decode func([]byte) (T, int)) T {
	if d.err != nil {
		return 0
	}
	v, n := decode(d.b)
	if n <= 0 {
		d.err = errBadEvent
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *eventDecoder) byte() byte {
	if d.err != nil || len(d.b) == 0 {
		d.err = errBadEvent
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *eventDecoder) string() string {
	n := d.uvarint()
	if d.err != nil || n > uint64(len(d.b)) {
		d.err = errBadEvent
		return ""
	}
	s := string(d.b[:n]) // copies out of the mmap
	d.b = d.b[n:]
	return s
}

func decodeEvent(v []byte) (annotate.Event, error) {
	d := eventDecoder{b: v}
	if f := d.byte(); d.err == nil && f != eventFormat {
		return annotate.Event{}, fmt.Errorf("%w: unknown format %d", errBadEvent, f)
	}
	var e annotate.Event
	e.ID = annotate.EventID(d.uvarint())
	e.Start = annotate.Time(d.varint())
	e.End = annotate.Time(d.varint())
	e.Open = d.byte()&1 != 0
	e.Behavior = d.string()
	e.Subject = d.string()
	if n := d.uvarint(); n > 0 && d.err == nil {
		if n > uint64(len(d.b)) { // each modifier takes at least a byte
			return annotate.Event{}, errBadEvent
		}
		e.Modifiers = make([]string, n)
		for i := range e.Modifiers {
			e.Modifiers[i] = d.string()
		}
	}
	e.Comment = d.string()
	if d.err == nil && len(d.b) != 0 {
		d.err = fmt.Errorf("%w: %d trailing bytes", errBadEvent, len(d.b))
	}
	if d.err != nil {
		return annotate.Event{}, d.err
	}
	return e, nil
}

func coderValue(t time.Time) []byte {
	data, _ := json.Marshal(struct {
		Added time.Time `json:"added"`
	}{t.UTC()})
	return data
}

// obsKey parses an observation ID ("12") into its bucket key.
func obsKey(id string) ([]byte, error) {
	n, err := strconv.ParseUint(id, 10, 64)
	if err != nil || n == 0 || strconv.FormatUint(n, 10) != id {
		return nil, errorf(ErrNotFound, "observation %q: %s", id, "no such observation (IDs are 1, 2, ...)")
	}
	return u64(n), nil
}

// obsBucket finds an observation's bucket.
func obsBucket(tx *bolt.Tx, id string) (*bolt.Bucket, error) {
	k, err := obsKey(id)
	if err != nil {
		return nil, err
	}
	b := tx.Bucket(bucketObservations).Bucket(k)
	if b == nil {
		return nil, errorf(ErrNotFound, "observation %s: no such observation", id)
	}
	return b, nil
}

// obsBucketInfo finds an observation's bucket and reads its header.
func obsBucketInfo(tx *bolt.Tx, id string) (*bolt.Bucket, obsInfo, error) {
	b, err := obsBucket(tx, id)
	if err != nil {
		return nil, obsInfo{}, err
	}
	info, err := readInfo(b, id)
	return b, info, err
}

func readInfo(b *bolt.Bucket, id string) (obsInfo, error) {
	var info obsInfo
	if err := json.Unmarshal(b.Get(keyInfo), &info); err != nil {
		return info, errorf(ErrNotProject, "observation %s: stored header is damaged: %v", id, err)
	}
	return info, nil
}

func writeInfo(b *bolt.Bucket, info obsInfo) error {
	data, err := json.Marshal(info)
	if err != nil {
		return err
	}
	return b.Put(keyInfo, data)
}

// NewObservation starts an empty observation of a video by a coder (added
// to the project's coders if new).
func (p *Project) NewObservation(videoID, coder string) (*annotate.Observation, error) {
	return p.ImportObservation(videoID, &annotate.Observation{Coder: coder})
}

// ImportObservation stores a whole observation (events, episode marks,
// ratings) under a new ID, in one transaction: all of it or nothing. It is
// validated against the scheme first. Events without an ID (0) get fresh
// ones. The stored observation is returned; o is not changed.
func (p *Project) ImportObservation(videoID string, o *annotate.Observation) (*annotate.Observation, error) {
	coder := strings.TrimSpace(o.Coder)
	if coder == "" {
		return nil, fmt.Errorf("new observation of %s: no coder name", videoID)
	}
	// "Dana " and "dana" are one coder: record the spelling first used.
	if known, err := p.Coders(); err == nil {
		coder = annotate.CoderSpelling(known, coder)
	}
	n := &annotate.Observation{
		Video: videoID, Coder: coder, Created: o.Created, Position: o.Position,
		Events:   slices.Clone(o.Events),
		Episodes: slices.Clone(o.Episodes),
		Ratings:  slices.Clone(o.Ratings),
		NextID:   max(o.NextID, 1),
		Views:    slices.Clone(o.Views),
	}
	now := time.Now().UTC()
	if n.Created.IsZero() {
		n.Created = now
	}
	n.Modified = now
	for _, e := range n.Events {
		n.NextID = max(n.NextID, e.ID+1)
	}
	for i := range n.Events {
		if n.Events[i].ID == 0 {
			n.Events[i].ID = n.NextID
			n.NextID++
		}
		n.Events[i].Modifiers = slices.Clone(n.Events[i].Modifiers)
	}
	annotate.SortEvents(n.Events)
	slices.SortFunc(n.Episodes, func(a, b annotate.EpisodeMark) int { return cmp.Compare(a.Start, b.Start) })
	video, err := p.Video(videoID)
	if err != nil {
		return nil, fmt.Errorf("import observation by %s: %w", coder, err)
	}
	if err := checkObservation(p.Scheme(), n, video.Duration); err != nil {
		return nil, fmt.Errorf("import observation by %s: %w", coder, err)
	}
	err = p.update(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketVideos).Get(mustVideoKey(videoID)) == nil {
			return errorf(ErrNotFound, "video %s: no such video in the project", videoID)
		}
		coders := tx.Bucket(bucketCoders)
		if coders.Get([]byte(coder)) == nil {
			if err := coders.Put([]byte(coder), coderValue(now)); err != nil {
				return err
			}
		}
		all := tx.Bucket(bucketObservations)
		seq, err := all.NextSequence()
		if err != nil {
			return err
		}
		n.ID = strconv.FormatUint(seq, 10)
		ob, err := all.CreateBucket(u64(seq))
		if err != nil {
			return err
		}
		evb, err := ob.CreateBucket(bucketEvents)
		if err != nil {
			return err
		}
		// Events arrive sorted, so bbolt fills pages sequentially; a high
		// fill percent packs them densely.
		evb.FillPercent = 0.9
		for _, e := range n.Events {
			v, err := encodeEvent(e)
			if err != nil {
				return err
			}
			if err := evb.Put(eventKey(e.Start, e.ID), v); err != nil {
				return err
			}
		}
		epb, err := ob.CreateBucket(bucketEpisodes)
		if err != nil {
			return err
		}
		for _, m := range n.Episodes {
			if err := epb.Put(timeKey(m.Start), []byte(m.Name)); err != nil {
				return err
			}
		}
		rb, err := ob.CreateBucket(bucketRatings)
		if err != nil {
			return err
		}
		for _, r := range n.Ratings {
			if err := rb.Put(ratingKey(r), u64(uint64(int64(r.Value)))); err != nil {
				return err
			}
		}
		for _, name := range [][]byte{bucketUndo, bucketRedo} {
			if _, err := ob.CreateBucket(name); err != nil {
				return err
			}
		}
		if err := putSession(tx, ob, videoID, n.Views); err != nil {
			return err
		}
		info := obsInfo{ID: n.ID, Video: videoID, Coder: coder, Created: n.Created, Modified: n.Modified,
			NextID: uint64(n.NextID), Position: int64(n.Position), Events: len(n.Events), UID: newUID()}
		if err := appendLog(ob, &info, &LogEntry{UID: newUID(), Op: LogCreate, At: now}); err != nil {
			return err
		}
		return writeInfo(ob, info)
	})
	if err != nil {
		return nil, fmt.Errorf("import observation by %s into %s: %w", coder, p.path, err)
	}
	return n, nil
}

// checkObservation runs the domain checks every stored observation must
// pass under scheme, with its video's duration (0: unknown): annotate's
// ValidateWithin, the one place the invariants live (known codes, kinds,
// modifiers, exclusive states never overlapping, events and marks inside
// the video, one mark per instant, ratings in range).
func checkObservation(s *annotate.Scheme, o *annotate.Observation, duration annotate.Time) error {
	return o.ValidateWithin(s, duration)
}

func ratingKey(r annotate.Rating) []byte { return []byte(r.Episode + "\x00" + r.Scale) }

// Observations lists every observation's header, in ID order.
func (p *Project) Observations() ([]ObservationInfo, error) {
	var out []ObservationInfo
	err := p.view(func(tx *bolt.Tx) error {
		videos := tx.Bucket(bucketVideos)
		all := tx.Bucket(bucketObservations)
		return all.ForEachBucket(func(k []byte) error {
			id := strconv.FormatUint(binary.BigEndian.Uint64(k), 10)
			info, err := readInfo(all.Bucket(k), id)
			if err != nil {
				return err
			}
			oi := ObservationInfo{ID: id, Video: info.Video, Coder: info.Coder, Events: info.Events, Created: info.Created, Modified: info.Modified,
				UID: info.UID, Changes: info.Changes, Head: info.Head}
			if vk, err := videoKey(info.Video); err == nil {
				var v annotate.Video
				if json.Unmarshal(videos.Get(vk), &v) == nil {
					oi.VideoPath = v.Path
				}
			}
			out = append(out, oi)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list observations of %s: %w", p.path, err)
	}
	return out, nil
}

// Observation loads a whole observation: events in (Start, ID) order,
// episode marks, ratings, NextID and the saved position.
func (p *Project) Observation(id string) (*annotate.Observation, error) {
	var o *annotate.Observation
	err := p.view(func(tx *bolt.Tx) error {
		ob, info, err := obsBucketInfo(tx, id)
		if err != nil {
			return err
		}
		o = &annotate.Observation{ID: id, Video: info.Video, Coder: info.Coder, Created: info.Created,
			Modified: info.Modified, NextID: annotate.EventID(info.NextID), Position: annotate.Time(info.Position)}
		o.Events = make([]annotate.Event, 0, info.Events)
		c := ob.Bucket(bucketEvents).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			e, err := decodeEvent(v)
			if err != nil {
				return errorf(ErrNotProject, "observation %s: event key %x is damaged: %v", id, k, err)
			}
			o.Events = append(o.Events, e)
			o.NextID = max(o.NextID, e.ID+1)
		}
		if o.NextID == 0 {
			o.NextID = 1
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
		o.Views, err = readViews(ob, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("load observation %s from %s: %w", id, p.path, err)
	}
	return o, nil
}

// DeleteObservation removes an observation and its history.
func (p *Project) DeleteObservation(id string) error {
	err := p.update(func(tx *bolt.Tx) error {
		k, err := obsKey(id)
		if err != nil {
			return err
		}
		if tx.Bucket(bucketObservations).Bucket(k) == nil {
			return errorf(ErrNotFound, "observation %s: no such observation", id)
		}
		return tx.Bucket(bucketObservations).DeleteBucket(k)
	})
	if err != nil {
		return fmt.Errorf("delete observation %s from %s: %w", id, p.path, err)
	}
	return nil
}

// SetPosition saves where the coder is in the video, so reopening the
// observation returns there.
func (p *Project) SetPosition(obsID string, t annotate.Time) error {
	err := p.update(func(tx *bolt.Tx) error {
		ob, info, err := obsBucketInfo(tx, obsID)
		if err != nil {
			return err
		}
		info.Position = int64(t)
		return writeInfo(ob, info)
	})
	if err != nil {
		return fmt.Errorf("save position of observation %s: %w", obsID, err)
	}
	return nil
}

// Commit persists one edit of an observation (annotate.Journal): the
// change's events, episode marks and ratings, the undo/redo stacks as op
// says, and the Modified time, in one fsynced transaction. It returns only
// once the edit is on disk; on error nothing of it was written.
//
// OpDo applies ch, pushes it on the undo stack and clears redo. OpUndo
// applies ch.Inverse() and moves the undo top to redo. OpRedo applies ch and
// moves the redo top back to undo. The undo stack keeps the last
// MaxHistory edits.
//
// Events whose start moved are found under their old key from ch.Before
// (each event as it was), so no ID index is needed; every event replaced
// must be listed in Before, as annotate.Editor does.
//
// Every commit is appended to the observation's log (Log) with a new UID;
// an OpDo change keeps that UID on the undo and redo stacks, and the log
// entries of its undo and redo name it (LogEntry.Of).
func (p *Project) Commit(obsID string, op annotate.Op, ch annotate.Change) error {
	apply := ch
	switch op {
	case annotate.OpDo, annotate.OpRedo:
	case annotate.OpUndo:
		apply = ch.Inverse()
	default:
		return fmt.Errorf("commit %q to observation %s: unknown operation %v", ch.Label, obsID, op)
	}
	uid := newUID()
	err := p.update(func(tx *bolt.Tx) error {
		ob, info, err := obsBucketInfo(tx, obsID)
		if err != nil {
			return err
		}
		if err := applyChange(ob, &info, apply); err != nil {
			return err
		}
		undo, err := ob.CreateBucketIfNotExists(bucketUndo)
		if err != nil {
			return err
		}
		redo, err := ob.CreateBucketIfNotExists(bucketRedo)
		if err != nil {
			return err
		}
		// The change keeps its UID as it moves between the stacks; one that
		// fell off the capped history comes back with the UID of this
		// commit.
		entry := LogEntry{UID: uid, Op: LogDo, At: time.Now().UTC(), Change: &apply}
		stack := func(of string) ([]byte, error) {
			if of == "" {
				of = uid
			}
			return json.Marshal(storedChange{Change: ch, UID: of})
		}
		switch op {
		case annotate.OpDo:
			stored, err := stack(uid)
			if err != nil {
				return err
			}
			if err := push(undo, stored, MaxHistory); err != nil {
				return err
			}
			if k, _ := redo.Cursor().First(); k != nil {
				if err := ob.DeleteBucket(bucketRedo); err != nil {
					return err
				}
				if _, err := ob.CreateBucket(bucketRedo); err != nil {
					return err
				}
			}
		case annotate.OpUndo, annotate.OpRedo:
			from, to := undo, redo
			entry.Op = LogUndo
			if op == annotate.OpRedo {
				from, to, entry.Op = redo, undo, LogRedo
			}
			top, err := pop(from)
			if err != nil {
				return err
			}
			entry.Of = stackUID(top)
			stored, err := stack(entry.Of)
			if err != nil {
				return err
			}
			if err := push(to, stored, MaxHistory); err != nil {
				return err
			}
		}
		if err := appendLog(ob, &info, &entry); err != nil {
			return err
		}
		info.Modified = entry.At
		return writeInfo(ob, info)
	})
	if err != nil {
		return fmt.Errorf("commit %s %q to observation %s in %s: %w", op, ch.Label, obsID, p.path, err)
	}
	return nil
}

// applyChange writes a change into an observation's buckets, checking
// first, like Change.Apply, that what it removes is there.
func applyChange(ob *bolt.Bucket, info *obsInfo, ch annotate.Change) error {
	evb := ob.Bucket(bucketEvents)
	for _, e := range ch.Before {
		if evb.Get(eventKey(e.Start, e.ID)) == nil {
			return fmt.Errorf("%s: event %d at %s: %w", ch.Label, e.ID, e.Start.Seconds(), annotate.ErrNoEvent)
		}
	}
	epb := ob.Bucket(bucketEpisodes)
	for _, m := range ch.EpisodesBefore {
		if string(epb.Get(timeKey(m.Start))) != m.Name {
			return fmt.Errorf("%s: no episode mark %q at %s", ch.Label, m.Name, m.Start.Seconds())
		}
	}
	for _, e := range ch.Before {
		k := eventKey(e.Start, e.ID)
		if evb.Get(k) == nil {
			continue // listed twice
		}
		if err := evb.Delete(k); err != nil {
			return err
		}
		info.Events--
	}
	for _, e := range ch.After {
		k := eventKey(e.Start, e.ID)
		if evb.Get(k) == nil {
			info.Events++
		}
		v, err := encodeEvent(e)
		if err != nil {
			return err
		}
		if err := evb.Put(k, v); err != nil {
			return err
		}
		info.NextID = max(info.NextID, uint64(e.ID)+1)
	}
	if err := applyMarksAndRatings(ob, ch); err != nil {
		return err
	}
	return applyViewChange(ob, info, ch)
}

// applyMarksAndRatings writes a change's episode marks and ratings: a mark
// it removes goes only if it is still the one named (applyChange checked
// that first; a change pulled from the lab may find another coder's mark
// there), a rating it removes goes if there.
func applyMarksAndRatings(ob *bolt.Bucket, ch annotate.Change) error {
	epb := ob.Bucket(bucketEpisodes)
	for _, m := range ch.EpisodesBefore {
		if bytes.Equal(epb.Get(timeKey(m.Start)), []byte(m.Name)) {
			if err := epb.Delete(timeKey(m.Start)); err != nil {
				return err
			}
		}
	}
	for _, m := range ch.EpisodesAfter {
		if err := epb.Put(timeKey(m.Start), []byte(m.Name)); err != nil {
			return err
		}
	}
	rb := ob.Bucket(bucketRatings)
	for _, r := range ch.RatingsBefore {
		if err := rb.Delete(ratingKey(r)); err != nil {
			return err
		}
	}
	for _, r := range ch.RatingsAfter {
		if err := rb.Put(ratingKey(r), u64(uint64(int64(r.Value)))); err != nil {
			return err
		}
	}
	return nil
}

// push appends v to a stack bucket, dropping the oldest beyond limit.
func push(b *bolt.Bucket, v []byte, limit int) error {
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	if err := b.Put(u64(seq), v); err != nil {
		return err
	}
	// There are at most seq entries; count only when that could exceed
	// the limit. (Stats() reads pages only, missing this transaction's
	// writes, so count with a cursor.) Keys are increasing sequence
	// numbers, so the oldest are first.
	if seq <= uint64(limit) {
		return nil
	}
	n := 0
	c := b.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		n++
	}
	for k, _ := c.First(); k != nil && n > limit; k, _ = c.First() {
		if err := c.Delete(); err != nil {
			return err
		}
		n--
	}
	return nil
}

// pop removes a stack's top and returns it (a copy). An empty stack is
// fine (nil): the editor's history may reach further back than the stored
// one after the cap dropped edits.
func pop(b *bolt.Bucket) ([]byte, error) {
	c := b.Cursor()
	if k, v := c.Last(); k != nil {
		v = clone(v)
		return v, c.Delete()
	}
	return nil, nil
}

// History returns an observation's persisted undo and redo stacks, oldest
// first, for annotate.NewEditor.
func (p *Project) History(obsID string) (undo, redo []annotate.Change, err error) {
	err = p.view(func(tx *bolt.Tx) error {
		ob, err := obsBucket(tx, obsID)
		if err != nil {
			return err
		}
		read := func(name []byte) ([]annotate.Change, error) {
			var out []annotate.Change
			b := ob.Bucket(name)
			if b == nil {
				return nil, nil
			}
			err := b.ForEach(func(k, v []byte) error {
				var ch annotate.Change
				if err := json.Unmarshal(v, &ch); err != nil {
					return errorf(ErrNotProject, "observation %s: %s history entry %x is damaged: %v", obsID, name, k, err)
				}
				out = append(out, ch)
				return nil
			})
			return out, err
		}
		if undo, err = read(bucketUndo); err != nil {
			return err
		}
		redo, err = read(bucketRedo)
		return err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("history of observation %s: %w", obsID, err)
	}
	return undo, redo, nil
}

// Project is the journal of annotate.Editor.
var _ annotate.Journal = (*Project)(nil)

// Editor loads an observation with its persisted undo/redo history and
// returns an editor that commits every edit to the project: what the coding
// window and the command line edit with.
func (p *Project) Editor(obsID string) (*annotate.Editor, error) {
	o, err := p.Observation(obsID)
	if err != nil {
		return nil, err
	}
	undo, redo, err := p.History(obsID)
	if err != nil {
		return nil, err
	}
	ed := annotate.NewEditor(o, p.Scheme(), p, undo, redo)
	// The video's recorded duration bounds every edit (events inside the
	// video); 0 when the video was never probed.
	if v, err := p.Video(o.Video); err == nil {
		ed.Duration = v.Duration
	}
	return ed, nil
}
