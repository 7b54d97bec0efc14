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

// AddCoder makes a database role a member of the lab under a coder name:
// it creates the role (LOGIN, no password: the administrator sets one with
// ALTER ROLE ... PASSWORD or uses certificate or peer authentication) when
// it does not exist, grants it the lab's group role and CONNECT on the
// database, and lists it in coders. Only the lab's owner (a role with
// CREATEROLE or a superuser) can do this; a supervisor's attempt is
// refused by the server.
func (l *Lab) AddCoder(ctx context.Context, name, role string, supervisor bool) error {
	if name == "" || role == "" {
		return fmt.Errorf("add coder to %s: empty name or role", l.url)
	}
	err := pgx.BeginFunc(ctx, l.pool, func(tx pgx.Tx) error {
		var exists bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)`, role).Scan(&exists); err != nil {
			return err
		}
		id := pgx.Identifier{role}.Sanitize()
		if !exists {
			if _, err := tx.Exec(ctx, "CREATE ROLE "+id+" LOGIN"); err != nil {
				return err
			}
		}
		var db string
		if err := tx.QueryRow(ctx, `SELECT current_database()`).Scan(&db); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "GRANT "+GroupRole+" TO "+id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "GRANT CONNECT ON DATABASE "+pgx.Identifier{db}.Sanitize()+" TO "+id); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO coders (name, role, supervisor) VALUES ($1, $2, $3)
			ON CONFLICT (name) DO UPDATE SET role = EXCLUDED.role, supervisor = EXCLUDED.supervisor`, name, role, supervisor)
		return err
	})
	return l.wrap(fmt.Sprintf("add coder %q (role %q)", name, role), err)
}

// Coders lists the lab's members.
func (l *Lab) Coders(ctx context.Context) ([]Member, error) {
	rows, err := l.pool.Query(ctx, `SELECT name, role, supervisor FROM coders ORDER BY name`)
	if err != nil {
		return nil, l.wrap("list coders", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Member, error) {
		var m Member
		err := r.Scan(&m.Name, &m.Role, &m.Supervisor)
		return m, err
	})
	return out, l.wrap("list coders", err)
}

// AddVideo registers a video's metadata (never its bytes), keyed by its
// fingerprint; registering it again changes nothing.
func (l *Lab) AddVideo(ctx context.Context, v annotate.Video) error {
	if v.Fingerprint == "" {
		return fmt.Errorf("add video %s to %s: no fingerprint", v.Path, l.url)
	}
	_, err := l.pool.Exec(ctx, `INSERT INTO videos (fingerprint, name, size, duration_us, rate_num, rate_den, frames)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (fingerprint) DO NOTHING`,
		v.Fingerprint, baseName(v.Path), v.Size, int64(v.Duration), v.Rate.Num, v.Rate.Den, v.Frames)
	return l.wrap("add video "+baseName(v.Path), err)
}

// Videos lists the lab's videos; Path holds the file name the video was
// registered with, ID its fingerprint.
func (l *Lab) Videos(ctx context.Context) ([]annotate.Video, error) {
	rows, err := l.pool.Query(ctx, `SELECT fingerprint, name, size, duration_us, rate_num, rate_den, frames FROM videos ORDER BY name, fingerprint`)
	if err != nil {
		return nil, l.wrap("list videos", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (annotate.Video, error) {
		var v annotate.Video
		var d int64
		err := r.Scan(&v.Fingerprint, &v.Path, &v.Size, &d, &v.Rate.Num, &v.Rate.Den, &v.Frames)
		v.ID, v.Duration = v.Fingerprint, annotate.Time(d)
		return v, err
	})
	return out, l.wrap("list videos", err)
}

// Assignment says a coder codes a video; Reliability marks the double-coded
// subset.
type Assignment struct {
	Video       string // fingerprint
	Coder       string
	Reliability bool
}

// Assign gives a video to a coder (supervisors only; the server refuses
// anyone else).
func (l *Lab) Assign(ctx context.Context, a Assignment) error {
	tag, err := l.pool.Exec(ctx, `INSERT INTO assignments (video, coder, reliability) VALUES ($1, $2, $3)
		ON CONFLICT (video, coder) DO UPDATE SET reliability = EXCLUDED.reliability`, a.Video, a.Coder, a.Reliability)
	if err == nil && tag.RowsAffected() == 0 {
		err = fmt.Errorf("%w: assignment not written", ErrDenied)
	}
	return l.wrap(fmt.Sprintf("assign video %s to %q", a.Video, a.Coder), err)
}

// Assignments lists what the caller may see: all for a supervisor, their
// own for a coder.
func (l *Lab) Assignments(ctx context.Context) ([]Assignment, error) {
	rows, err := l.pool.Query(ctx, `SELECT video, coder, reliability FROM assignments ORDER BY video, coder`)
	if err != nil {
		return nil, l.wrap("list assignments", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Assignment, error) {
		var a Assignment
		err := r.Scan(&a.Video, &a.Coder, &a.Reliability)
		return a, err
	})
	return out, l.wrap("list assignments", err)
}

// Share lets every coder read an observation (supervisors only).
func (l *Lab) Share(ctx context.Context, obsUID string) error {
	tag, err := l.pool.Exec(ctx, `INSERT INTO shares (obs) VALUES ($1) ON CONFLICT DO NOTHING`, obsUID)
	if err == nil && tag.RowsAffected() == 0 {
		var ok bool
		if l.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM shares WHERE obs = $1)`, obsUID).Scan(&ok); !ok {
			err = fmt.Errorf("%w: share not written", ErrDenied)
		}
	}
	return l.wrap("share observation "+obsUID, err)
}

// Scheme returns the lab's coding scheme and its revision.
func (l *Lab) Scheme(ctx context.Context) (*annotate.Scheme, int64, error) {
	var data []byte
	var rev int64
	if err := l.pool.QueryRow(ctx, `SELECT scheme, scheme_rev FROM lab`).Scan(&data, &rev); err != nil {
		return nil, 0, l.wrap("read scheme", err)
	}
	s, err := annotate.ParseScheme(data)
	if err != nil {
		return nil, 0, fmt.Errorf("the scheme of %s: %w", l.url, err)
	}
	return s, rev, nil
}

// SetScheme replaces the scheme (supervisors only). The server refuses,
// with ErrSchemeInUse naming each problem, a change that would invalidate
// coded data.
func (l *Lab) SetScheme(ctx context.Context, s *annotate.Scheme) error {
	if err := s.Validate(); err != nil {
		return fmt.Errorf("set scheme of %s: %w", l.url, err)
	}
	data, err := json.Marshal(s)
	if err != nil {
		return err
	}
	tag, err := l.pool.Exec(ctx, `UPDATE lab SET scheme = $1`, data)
	if err == nil && tag.RowsAffected() == 0 {
		err = fmt.Errorf("%w: only a supervisor changes the scheme", ErrDenied)
	}
	return l.wrap("set scheme", err)
}

// Observations lists the observations the caller may see.
func (l *Lab) Observations(ctx context.Context) ([]Observation, error) {
	rows, err := l.pool.Query(ctx, `SELECT o.uid, o.video, o.coder, o.created, o.modified,
			(SELECT count(*) FROM events e WHERE e.obs = o.uid), EXISTS (SELECT 1 FROM shares s WHERE s.obs = o.uid)
		FROM observations o ORDER BY o.video, o.coder, o.created, o.uid`)
	if err != nil {
		return nil, l.wrap("list observations", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Observation, error) {
		var o Observation
		err := r.Scan(&o.UID, &o.Video, &o.Coder, &o.Created, &o.Modified, &o.Events, &o.Shared)
		return o, err
	})
	return out, l.wrap("list observations", err)
}

// ErrNotFound: no such observation (or none the caller may see).
var ErrNotFound = errors.New("not found")

// Observation loads an observation's coding as the server has it, in one
// read-only snapshot. ID is the UID, Video the fingerprint.
func (l *Lab) Observation(ctx context.Context, uid string) (*annotate.Observation, error) {
	o := &annotate.Observation{ID: uid}
	err := pgx.BeginTxFunc(ctx, l.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT video, coder, created, modified FROM observations WHERE uid = $1`, uid).
			Scan(&o.Video, &o.Coder, &o.Created, &o.Modified)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("observation %s: %w", uid, ErrNotFound)
		}
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT id, behavior, subject, start_us, end_us, open, modifiers, comment
			FROM events WHERE obs = $1 ORDER BY start_us, id`, uid)
		if err != nil {
			return err
		}
		o.Events, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (annotate.Event, error) {
			var e annotate.Event
			var id uint64
			var s, en int64
			err := r.Scan(&id, &e.Behavior, &e.Subject, &s, &en, &e.Open, &e.Modifiers, &e.Comment)
			e.ID, e.Start, e.End = annotate.EventID(id), annotate.Time(s), annotate.Time(en)
			if len(e.Modifiers) == 0 {
				e.Modifiers = nil
			}
			if e.ID >= o.NextID {
				o.NextID = e.ID + 1
			}
			return e, err
		})
		if err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `SELECT name, start_us FROM episode_marks WHERE obs = $1 ORDER BY start_us`, uid)
		if err != nil {
			return err
		}
		o.Episodes, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (annotate.EpisodeMark, error) {
			var m annotate.EpisodeMark
			var s int64
			err := r.Scan(&m.Name, &s)
			m.Start = annotate.Time(s)
			return m, err
		})
		if err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `SELECT episode, scale, value FROM ratings WHERE obs = $1 ORDER BY episode, scale`, uid)
		if err != nil {
			return err
		}
		o.Ratings, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (annotate.Rating, error) {
			var g annotate.Rating
			err := r.Scan(&g.Episode, &g.Scale, &g.Value)
			return g, err
		})
		return err
	})
	if err != nil {
		return nil, l.wrap("load observation "+uid, err)
	}
	if len(o.Ratings) == 0 {
		o.Ratings = nil
	}
	return o, nil
}

// Status summarises a lab for `dyadcode lab status`.
type Status struct {
	Name          string
	SchemaVersion int
	SchemeRev     int64
	Coders        int
	Videos        int
	Observations  int
	Events        int64
	Changes       int64
	LastChange    time.Time // zero when none
}

// Status counts what the caller may see.
func (l *Lab) Status(ctx context.Context) (Status, error) {
	var s Status
	v, err := l.Version(ctx)
	if err != nil {
		return s, err
	}
	s.SchemaVersion = v
	var last *time.Time
	err = l.pool.QueryRow(ctx, `SELECT (SELECT name FROM lab), (SELECT scheme_rev FROM lab),
		(SELECT count(*) FROM coders), (SELECT count(*) FROM videos), (SELECT count(*) FROM observations),
		(SELECT count(*) FROM events), (SELECT count(*) FROM changes), (SELECT max(received) FROM changes)`).
		Scan(&s.Name, &s.SchemeRev, &s.Coders, &s.Videos, &s.Observations, &s.Events, &s.Changes, &last)
	if last != nil {
		s.LastChange = *last
	}
	return s, l.wrap("status", err)
}
