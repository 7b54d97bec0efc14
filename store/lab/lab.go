// Package lab keeps a lab's shared dyadcode project in PostgreSQL: the
// coding scheme, video metadata (never video bytes), coders and their
// assignments, observations with events, episode marks and ratings, and the
// history of every change coders pushed. Laptops keep coding in their own
// project file (package store) and sync with the lab through Push and Pull.
//
// The server, not this package, enforces who may do what: every member logs
// in as their own database role, and row-level security (schema.go) lets a
// coder write only their own observations and read what the supervisor
// shares, and lets a supervisor edit the scheme, assign videos and read
// everything. A scheme change that would invalidate coded data is refused
// by a trigger. Connections take a standard libpq URL or key=value string;
// sslmode passes through (use sslmode=verify-full across a network), and
// passwords come from PGPASSWORD, ~/.pgpass (PGPASSFILE) or a service file
// (PGSERVICEFILE), never from a project file: Redact strips a password
// before a URL is stored anywhere.
package lab

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"dyadcode/annotate"
)

// Sentinel errors callers test with errors.Is.
var (
	// ErrNewerSchema: the database was set up by a newer dyadcode.
	ErrNewerSchema = errors.New("lab database has a newer schema than this dyadcode knows")
	// ErrOlderSchema: the database needs migrations only its owner can run.
	ErrOlderSchema = errors.New("lab database needs upgrading")
	// ErrNotLab: the database holds no dyadcode lab.
	ErrNotLab = errors.New("not a dyadcode lab database")
	// ErrNotMember: the role connected is not a member of the lab.
	ErrNotMember = errors.New("not a member of this lab")
	// ErrDenied: the server refused an action the role may not do.
	ErrDenied = errors.New("refused by the lab server")
	// ErrSchemeInUse: the server refused a scheme change that would
	// invalidate coded data.
	ErrSchemeInUse = errors.New("scheme change would invalidate coded data")
	// ErrUnreachable: the server could not be reached.
	ErrUnreachable = errors.New("lab server unreachable")
	// ErrDiverged: a copy of an observation was edited apart from the
	// server's (two laptops, both offline); its changes are refused.
	ErrDiverged = errors.New("observation was changed on another laptop")
	// ErrPasswordInURL: a URL with a password where it would be stored.
	ErrPasswordInURL = errors.New("lab URL contains a password")
)

// Lab is a connection pool to one lab database.
type Lab struct {
	pool *pgxpool.Pool
	url  string // redacted, for messages
	me   Member
}

// Member is a lab member as the coders table lists them.
type Member struct {
	Name       string
	Role       string
	Supervisor bool
}

// Redact returns the URL without its password, for messages and for
// storing in a project file. A key=value connection string has its
// password=... pair removed.
func Redact(connString string) string {
	if u, err := url.Parse(connString); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		if u.User != nil {
			if _, ok := u.User.Password(); ok {
				u.User = url.User(u.User.Username())
			}
		}
		q := u.Query()
		if q.Has("password") {
			q.Del("password")
			u.RawQuery = q.Encode()
		}
		return u.String()
	}
	var kept []string
	for _, f := range strings.Fields(connString) {
		if !strings.HasPrefix(strings.ToLower(f), "password=") {
			kept = append(kept, f)
		}
	}
	return strings.Join(kept, " ")
}

// CheckStorable refuses a URL that carries a password, for the commands
// that would write it into a project file.
func CheckStorable(connString string) error {
	if hasPassword(connString) {
		return fmt.Errorf("%w: %s; put the password in ~/.pgpass (or PGPASSFILE), a service file or PGPASSWORD instead", ErrPasswordInURL, Redact(connString))
	}
	return nil
}

// hasPassword looks for a password in a URL's user info or query, or in a
// key=value string. It does not compare a re-encoded URL with the input,
// which would flag harmless differences in spelling.
func hasPassword(connString string) bool {
	lower := strings.ToLower(connString)
	if strings.HasPrefix(lower, "postgres://") || strings.HasPrefix(lower, "postgresql://") {
		rest := connString[strings.Index(connString, "://")+3:]
		if at := strings.LastIndex(strings.SplitN(rest, "/", 2)[0], "@"); at >= 0 && strings.Contains(rest[:at], ":") {
			return true
		}
		if _, q, ok := strings.Cut(rest, "?"); ok {
			if v, err := url.ParseQuery(q); err == nil && v.Has("password") {
				return true
			}
			return strings.Contains(strings.ToLower(q), "password=")
		}
		return false
	}
	for _, f := range strings.Fields(connString) {
		if strings.HasPrefix(strings.ToLower(f), "password=") {
			return true
		}
	}
	return false
}

// connect opens a pool and checks the server answers.
func connect(ctx context.Context, connString string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(connString)
	if err != nil {
		return nil, fmt.Errorf("lab URL %s: %w", Redact(connString), err)
	}
	// Ping every connection the pool hands out: a laptop's connections go
	// stale whenever the server restarts or the network drops, and a
	// round trip is cheap next to a sync failing on a dead socket.
	cfg.ShouldPing = func(context.Context, pgxpool.ShouldPingParams) bool { return true }
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to lab %s: %w", Redact(connString), err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, wrapConnErr(connString, err)
	}
	return pool, nil
}

// wrapConnErr marks connection failures ErrUnreachable, so the window and
// sync can tell "server down" (retry later) from a refusal.
func wrapConnErr(connString string, err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return fmt.Errorf("connect to lab %s: %w", Redact(connString), err)
	}
	return fmt.Errorf("%w: %s: %w", ErrUnreachable, Redact(connString), err)
}

// Open connects to an existing lab as whoever the URL logs in as, checks
// the schema version and that the role is a lab member (or the database
// owner, who administers it).
func Open(ctx context.Context, connString string) (*Lab, error) {
	pool, err := connect(ctx, connString)
	if err != nil {
		return nil, err
	}
	l := &Lab{pool: pool, url: Redact(connString)}
	if err := l.checkVersion(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	if err := l.loadMe(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return l, nil
}

// Init sets up a lab in an empty database (or upgrades an older one) as
// the role the URL logs in as, who becomes its owner and administrator
// and must be allowed to create roles' grants (the database owner or a
// superuser). It stores the scheme and revokes CONNECT from PUBLIC, so
// only members reach the lab's database.
func Init(ctx context.Context, connString, name string, scheme *annotate.Scheme) (*Lab, error) {
	if err := scheme.Validate(); err != nil {
		return nil, fmt.Errorf("lab init: %w", err)
	}
	pool, err := connect(ctx, connString)
	if err != nil {
		return nil, err
	}
	l := &Lab{pool: pool, url: Redact(connString)}
	if err := l.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	data, err := json.Marshal(scheme)
	if err != nil {
		pool.Close()
		return nil, err
	}
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO lab (name, scheme) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING`, name, data); err != nil {
			return err
		}
		var db string
		if err := tx.QueryRow(ctx, `SELECT current_database()`).Scan(&db); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "REVOKE CONNECT, TEMPORARY ON DATABASE "+pgx.Identifier{db}.Sanitize()+" FROM PUBLIC")
		return err
	})
	if err != nil {
		pool.Close()
		return nil, l.wrap("lab init", err)
	}
	if err := l.loadMe(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return l, nil
}

// Close closes the connections.
func (l *Lab) Close() { l.pool.Close() }

// URL is the lab's connection URL without a password.
func (l *Lab) URL() string { return l.url }

// Me is the member the connection logs in as; an owner who is not listed
// in coders is an administrator with an empty Name.
func (l *Lab) Me() Member { return l.me }

func (l *Lab) loadMe(ctx context.Context) error {
	var owner bool
	err := l.pool.QueryRow(ctx, `SELECT pg_has_role(current_user, (SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'lab'), 'MEMBER')`).Scan(&owner)
	if err != nil {
		return l.wrap("who am I", err)
	}
	var m Member
	err = l.pool.QueryRow(ctx, `SELECT name, role, supervisor FROM coders WHERE role = current_user`).Scan(&m.Name, &m.Role, &m.Supervisor)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		if !owner {
			var role string
			l.pool.QueryRow(ctx, `SELECT current_user`).Scan(&role)
			return fmt.Errorf("%w: role %q in %s; the supervisor adds members with `dyadcode lab add-coder`", ErrNotMember, role, l.url)
		}
		l.pool.QueryRow(ctx, `SELECT current_user`).Scan(&m.Role)
		m.Supervisor = true
	case err != nil:
		return l.wrap("who am I", err)
	}
	l.me = m
	return nil
}

// Version reads the database's schema version; 0 for an empty database.
func (l *Lab) Version(ctx context.Context) (int, error) {
	var exists bool
	if err := l.pool.QueryRow(ctx, `SELECT to_regclass('public.schema_version') IS NOT NULL`).Scan(&exists); err != nil {
		return 0, l.wrap("schema version", err)
	}
	if !exists {
		return 0, nil
	}
	var v int
	if err := l.pool.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_version`).Scan(&v); err != nil {
		return 0, l.wrap("schema version", err)
	}
	return v, nil
}

func (l *Lab) checkVersion(ctx context.Context) error {
	v, err := l.Version(ctx)
	if err != nil {
		return err
	}
	switch {
	case v == 0:
		return fmt.Errorf("%w: %s has no dyadcode schema; set it up with `dyadcode lab init`", ErrNotLab, l.url)
	case v > SchemaVersion:
		return fmt.Errorf("%w: %s is at lab schema %d, this dyadcode knows up to %d; update dyadcode", ErrNewerSchema, l.url, v, SchemaVersion)
	case v < SchemaVersion:
		return fmt.Errorf("%w: %s is at lab schema %d, this dyadcode needs %d; the lab's administrator runs `dyadcode lab init` to upgrade it", ErrOlderSchema, l.url, v, SchemaVersion)
	}
	return nil
}

// migrate brings the database to SchemaVersion, one transaction per
// migration. An advisory lock serialises two administrators upgrading at
// once; each re-reads the version inside its transaction.
func (l *Lab) migrate(ctx context.Context) error {
	_, err := l.pool.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_version (
		version int PRIMARY KEY, name text NOT NULL, applied timestamptz NOT NULL DEFAULT now())`)
	if err != nil {
		return l.wrap("create schema_version", err)
	}
	for _, m := range migrations {
		err := pgx.BeginFunc(ctx, l.pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(7243001)`); err != nil {
				return err
			}
			var v int
			if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_version`).Scan(&v); err != nil {
				return err
			}
			if v > SchemaVersion {
				return fmt.Errorf("%w: %s is at lab schema %d, this dyadcode knows up to %d; update dyadcode", ErrNewerSchema, l.url, v, SchemaVersion)
			}
			if v != m.From {
				return nil
			}
			if _, err := tx.Exec(ctx, m.SQL); err != nil {
				return fmt.Errorf("upgrade lab schema %d to %d (%s): %w", m.From, m.From+1, m.Name, err)
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_version (version, name) VALUES ($1, $2)`, m.From+1, m.Name)
			return err
		})
		if err != nil {
			return l.wrap("migrate", err)
		}
	}
	return l.checkVersion(ctx)
}

// wrap adds the lab's URL and maps the server's refusals to sentinels:
// insufficient privilege and row-level security violations to ErrDenied,
// the scheme trigger's DY001 to ErrSchemeInUse, connection loss to
// ErrUnreachable.
func (l *Lab) wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "42501": // insufficient_privilege, including RLS violations
			return fmt.Errorf("%s in %s: %w: %s", what, l.url, ErrDenied, pgErr.Message)
		case "DY001":
			return fmt.Errorf("%s in %s: %w: %s", what, l.url, ErrSchemeInUse, pgErr.Message)
		case "DY003":
			return &DivergedError{Obs: divergedObs(pgErr.Message), err: fmt.Errorf("%s in %s: %w: %s", what, l.url, ErrDiverged, pgErr.Message)}
		case "57P01", "57P02", "57P03": // the server is shutting down or starting
			return fmt.Errorf("%s: %w: %s: %s", what, ErrUnreachable, l.url, pgErr.Message)
		}
		if strings.HasPrefix(pgErr.Code, "08") { // connection exceptions
			return fmt.Errorf("%s: %w: %s: %s", what, ErrUnreachable, l.url, pgErr.Message)
		}
		return fmt.Errorf("%s in %s: %w", what, l.url, err)
	}
	if errors.Is(err, ErrNewerSchema) || errors.Is(err, ErrOlderSchema) || errors.Is(err, ErrNotLab) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s in %s: %w", what, l.url, err)
	}
	if pgconn.SafeToRetry(err) || isConnErr(err) {
		return fmt.Errorf("%s: %w: %s: %w", what, ErrUnreachable, l.url, err)
	}
	return fmt.Errorf("%s in %s: %w", what, l.url, err)
}

func isConnErr(err error) bool {
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return true
	}
	s := err.Error()
	return strings.Contains(s, "connection refused") || strings.Contains(s, "no such file or directory") ||
		strings.Contains(s, "unexpected EOF") || strings.Contains(s, "broken pipe") || strings.Contains(s, "conn closed") ||
		strings.Contains(s, "connection reset") || strings.Contains(s, "terminating connection")
}

// DivergedError names the observation whose copy diverged.
type DivergedError struct {
	Obs string
	err error
}

func (e *DivergedError) Error() string { return e.err.Error() }
func (e *DivergedError) Unwrap() error { return e.err }

// divergedObs takes the observation UID out of dyad_push's message
// ("observation UID was changed ...").
func divergedObs(msg string) string {
	rest, ok := strings.CutPrefix(msg, "observation ")
	if !ok {
		return ""
	}
	uid, _, _ := strings.Cut(rest, " ")
	return uid
}
