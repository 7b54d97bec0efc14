package lab

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"dyadcode/annotate"
)

// Observation is an observation's header as the lab knows it: its stable
// UID (the same on every laptop and on the server), the video's
// fingerprint, and its coder.
type Observation struct {
	UID      string
	Video    string // fingerprint
	Coder    string
	Created  time.Time
	Modified time.Time
	Events   int
	Shared   bool
}

// Change is one committed edit of an observation as it travels to the
// server. UID identifies it for good: pushing the same UID twice (a retry
// after a crash, a second laptop replaying its outbox) changes nothing.
type Change struct {
	UID   string
	Obs   string // observation UID
	Coder string
	// Op is how the change was made: "do", "undo", "redo", or "create"
	// and "upgrade" for the first entry of an observation's log (store's
	// LogEntry.Op). It is history; Change is what gets applied.
	Op        string
	Committed time.Time
	// Change is the edit as applied (an undo's inverse, not the change
	// undone), so applying changes in order rebuilds the coding.
	Change annotate.Change
	// Prev is the UID of the change before this one in its copy's log
	// ("" for the first): the server accepts a change only after the one
	// it last applied to the observation (ErrDiverged otherwise).
	Prev string
}

// Batch is what one Push sends: the observations and videos the changes
// need (registered if the server lacks them) and the changes, in commit
// order.
type Batch struct {
	Videos       []annotate.Video // Fingerprint identifies; ID is ignored
	Observations []Observation
	Changes      []Change
}

// wire forms: times in integer microseconds, as the SQL in dyad_push reads.
type wireEvent struct {
	ID        uint64   `json:"id"`
	Behavior  string   `json:"behavior"`
	Subject   string   `json:"subject,omitempty"`
	Start     int64    `json:"start"`
	End       int64    `json:"end"`
	Open      bool     `json:"open,omitempty"`
	Modifiers []string `json:"modifiers,omitempty"`
	Comment   string   `json:"comment,omitempty"`
}

type wireMark struct {
	Name  string `json:"name"`
	Start int64  `json:"start"`
}

type wireBody struct {
	Label          string            `json:"label"`
	Before         []wireEvent       `json:"before,omitempty"`
	After          []wireEvent       `json:"after,omitempty"`
	EpisodesBefore []wireMark        `json:"episodes_before,omitempty"`
	EpisodesAfter  []wireMark        `json:"episodes_after,omitempty"`
	RatingsBefore  []annotate.Rating `json:"ratings_before,omitempty"`
	RatingsAfter   []annotate.Rating `json:"ratings_after,omitempty"`
}

type wireChange struct {
	UID       string    `json:"uid"`
	Prev      string    `json:"prev"`
	Obs       string    `json:"obs"`
	Coder     string    `json:"coder"`
	Op        string    `json:"op"`
	Committed time.Time `json:"committed"`
	Body      wireBody  `json:"body"`
}

func toWireEvents(evs []annotate.Event) []wireEvent {
	out := make([]wireEvent, len(evs))
	for i, e := range evs {
		out[i] = wireEvent{ID: uint64(e.ID), Behavior: e.Behavior, Subject: e.Subject, Start: int64(e.Start),
			End: int64(e.End), Open: e.Open, Modifiers: e.Modifiers, Comment: e.Comment}
	}
	return out
}

func fromWireEvents(evs []wireEvent) []annotate.Event {
	out := make([]annotate.Event, len(evs))
	for i, e := range evs {
		out[i] = annotate.Event{ID: annotate.EventID(e.ID), Behavior: e.Behavior, Subject: e.Subject,
			Start: annotate.Time(e.Start), End: annotate.Time(e.End), Open: e.Open, Modifiers: e.Modifiers, Comment: e.Comment}
	}
	return out
}

func toWireMarks(ms []annotate.EpisodeMark) []wireMark {
	out := make([]wireMark, len(ms))
	for i, m := range ms {
		out[i] = wireMark{Name: m.Name, Start: int64(m.Start)}
	}
	return out
}

func fromWireMarks(ms []wireMark) []annotate.EpisodeMark {
	out := make([]annotate.EpisodeMark, len(ms))
	for i, m := range ms {
		out[i] = annotate.EpisodeMark{Name: m.Name, Start: annotate.Time(m.Start)}
	}
	return out
}

func (c Change) body() wireBody {
	ch := c.Change
	return wireBody{Label: ch.Label, Before: toWireEvents(ch.Before), After: toWireEvents(ch.After),
		EpisodesBefore: toWireMarks(ch.EpisodesBefore), EpisodesAfter: toWireMarks(ch.EpisodesAfter),
		RatingsBefore: ch.RatingsBefore, RatingsAfter: ch.RatingsAfter}
}

func (b wireBody) change() annotate.Change {
	return annotate.Change{Label: b.Label, Before: fromWireEvents(b.Before), After: fromWireEvents(b.After),
		EpisodesBefore: fromWireMarks(b.EpisodesBefore), EpisodesAfter: fromWireMarks(b.EpisodesAfter),
		RatingsBefore: b.RatingsBefore, RatingsAfter: b.RatingsAfter}
}

// ErrBadChange: a change that cannot be sent (no UID, no observation).
var ErrBadChange = errors.New("change cannot be pushed")

// Push sends a batch in one transaction: the server has all of it or none
// of it. Changes the server already has (by UID) are skipped, so pushing
// again after a crash or a lost reply is safe. It returns how many changes
// were new to the server.
func (l *Lab) Push(ctx context.Context, b Batch) (int, error) {
	wire := make([]wireChange, len(b.Changes))
	for i, c := range b.Changes {
		if c.UID == "" || c.Obs == "" {
			return 0, fmt.Errorf("push to %s: %w: change %d (%q) has no UID or observation", l.url, ErrBadChange, i+1, c.Change.Label)
		}
		op := c.Op
		if op == "" {
			op = "do"
		}
		wire[i] = wireChange{UID: c.UID, Prev: c.Prev, Obs: c.Obs, Coder: c.Coder, Op: op, Committed: c.Committed.UTC(), Body: c.body()}
	}
	data, err := json.Marshal(wire)
	if err != nil {
		return 0, err
	}
	var n int
	err = pgx.BeginFunc(ctx, l.pool, func(tx pgx.Tx) error {
		for _, v := range b.Videos {
			if _, err := tx.Exec(ctx, `INSERT INTO videos (fingerprint, name, size, duration_us, rate_num, rate_den, frames)
				VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (fingerprint) DO NOTHING`,
				v.Fingerprint, baseName(v.Path), v.Size, int64(v.Duration), v.Rate.Num, v.Rate.Den, v.Frames); err != nil {
				return fmt.Errorf("video %s: %w", baseName(v.Path), err)
			}
		}
		for _, o := range b.Observations {
			if _, err := tx.Exec(ctx, `INSERT INTO observations (uid, video, coder, created, modified)
				VALUES ($1, $2, $3, $4, $4) ON CONFLICT (uid) DO NOTHING`, o.UID, o.Video, o.Coder, o.Created.UTC()); err != nil {
				return fmt.Errorf("observation %s: %w", o.UID, err)
			}
		}
		if len(wire) == 0 {
			return nil
		}
		return tx.QueryRow(ctx, `SELECT dyad_push($1::jsonb)`, data).Scan(&n)
	})
	if err != nil {
		return 0, l.wrap("push", err)
	}
	return n, nil
}

// Cursor is where a Pull left off in the server's change history: the
// seq of the last change received.
type Cursor struct {
	Seq int64 `json:"seq"`
}

// RemoteChange is a change read back from the server, with its
// observation's header so a puller can create its copy.
type RemoteChange struct {
	Change
	Obs Observation
	Seq int64
}

// Pulled is what a Pull brings: the scheme (always; callers compare Rev
// with what they have), and the changes after the cursor that the caller
// may see.
type Pulled struct {
	Scheme    *annotate.Scheme
	SchemeRev int64
	Changes   []RemoteChange
	Next      Cursor
	More      bool // a page limit stopped it; pull again from Next
}

// PullLimit is the most changes one Pull returns.
const PullLimit = 5000

// Pull returns the scheme and the changes after cur that the caller may
// see (their own, shared ones, everyone's for a supervisor), in the order
// the server received them.
//
// Changes are numbered in commit order (dyad_number_change), so a cursor
// never skips one that committed late.
func (l *Lab) Pull(ctx context.Context, cur Cursor) (*Pulled, error) {
	p := &Pulled{Next: cur}
	err := pgx.BeginTxFunc(ctx, l.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		var data []byte
		if err := tx.QueryRow(ctx, `SELECT scheme, scheme_rev FROM lab`).Scan(&data, &p.SchemeRev); err != nil {
			return fmt.Errorf("read scheme: %w", err)
		}
		s, err := annotate.ParseScheme(data)
		if err != nil {
			return fmt.Errorf("the lab's scheme: %w", err)
		}
		p.Scheme = s
		rows, err := tx.Query(ctx, `SELECT c.uid, c.obs, c.coder, c.op, c.committed, c.body, c.seq,
				o.video, o.created
			FROM changes c JOIN observations o ON o.uid = c.obs
			WHERE c.seq > $1 ORDER BY c.seq LIMIT $2`, cur.Seq, PullLimit+1)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if len(p.Changes) == PullLimit {
				p.More = true
				break
			}
			var rc RemoteChange
			var body []byte
			if err := rows.Scan(&rc.UID, &rc.Change.Obs, &rc.Coder, &rc.Op, &rc.Committed, &body, &rc.Seq, &rc.Obs.Video, &rc.Obs.Created); err != nil {
				return err
			}
			var wb wireBody
			if err := json.Unmarshal(body, &wb); err != nil {
				return fmt.Errorf("change %s: %w", rc.UID, err)
			}
			rc.Change.Change = wb.change()
			rc.Obs.UID, rc.Obs.Coder = rc.Change.Obs, rc.Coder
			p.Next = Cursor{Seq: rc.Seq}
			p.Changes = append(p.Changes, rc)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, l.wrap("pull", err)
	}
	return p, nil
}

func baseName(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '/' || p[i] == '\\' {
			return p[i+1:]
		}
	}
	return p
}
