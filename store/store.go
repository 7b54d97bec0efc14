// Package store keeps a dyadcode project in one bbolt file (NAME.dyad): the
// coding scheme, videos, coders, observations with their events, episode
// marks, ratings and undo history, and caches (frame indexes, waveforms).
//
// Durability is the point of the package. Every edit is one bbolt update
// transaction, fsynced before Commit returns, so what a coder sees on screen
// is on disk; a crash (or SIGKILL, or power loss) loses at most the edit
// whose Commit had not returned. Only one process may write a project at a
// time: bbolt takes an exclusive flock, and Open gives up after
// Options.LockTimeout with ErrLocked ("project X is already open") instead of
// hanging. A read-only Open takes a shared flock: any number of readers may
// open a project together, but not while a writer has it open (and a writer
// cannot open it while readers do), so a read-only Open of a project open in
// the GUI also fails with ErrLocked after the timeout. bbolt has no
// multi-process reader/writer mode; copy the file with Backup (or `dyadcode
// backup`) to read it while it is being coded.
//
// Damage: a file that is not a bbolt database, a truncated file, and a file
// whose pages are damaged are refused with ErrNotProject naming the file,
// never a panic. Open locks the file, then reads bbolt's header, free list
// and whole page tree from the raw file with bounds checks (verify.go)
// before bbolt maps it: bbolt trusts its pages, and a truncated file is a
// SIGBUS, a bad free list a panic, a page pointing back at its parent an
// endless loop. Then it walks every key and value through bbolt with
// faults turned into errors. Check repeats both before running bbolt's own
// checker, which crashes on some damage. (This reads the whole file on
// every Open: about 35 ms for 100,000 events.)
//
// Backups: every read-write Open first copies the file (a hot copy through
// a read transaction) to "NAME backups"/NAME-<UTC time>-tx<N>.dyad and
// keeps the newest Options.Backups copies; an unchanged file is not copied
// again. The copy is made before any migration, so an upgrade can be undone.
//
// Layout (schema version 3, see schema.go for the buckets and migrations):
// events of an observation are keyed by big-endian (start, ID), so a cursor
// reads them in time order and loading never sorts.
package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"dyadcode/annotate"
)

// Sentinel errors callers test with errors.Is.
var (
	// ErrLocked: another process has the project open.
	ErrLocked = errors.New("project is already open")
	// ErrNewerVersion: the file was written by a newer dyadcode.
	ErrNewerVersion = errors.New("project written by a newer version of dyadcode")
	// ErrOlderVersion: the file needs a migration, which a read-only open
	// cannot do.
	ErrOlderVersion = errors.New("project needs upgrading")
	// ErrNotProject: the file is not a dyadcode project, or is truncated or
	// damaged.
	ErrNotProject = errors.New("not a dyadcode project, or damaged")
	// ErrNotFound: no such video, observation, coder or cache entry.
	ErrNotFound = errors.New("not found")
	// ErrExists: Create on a path that exists.
	ErrExists = errors.New("already exists")
	// ErrReadOnly: a write on a project opened read-only.
	ErrReadOnly = errors.New("project is open read-only")
	// ErrInUse: SetScheme would remove a code that coded data uses.
	ErrInUse = errors.New("still in use")
)

// Defaults for Options.
const (
	DefaultLockTimeout = 2 * time.Second
	DefaultBackups     = 5
)

// Options for Open.
type Options struct {
	// LockTimeout is how long Open waits for another process to close the
	// project; 0 means DefaultLockTimeout.
	LockTimeout time.Duration
	// Backups is how many rolling backups Open keeps in "NAME backups"/;
	// 0 means DefaultBackups, negative disables them. Read-only opens never
	// make backups.
	Backups int
	// ReadOnly opens with a shared lock and refuses every write.
	ReadOnly bool

	// readOlder lets a read-only open take a format 2 file as it is
	// (Merge reads sources it must not change; see readSource).
	readOlder bool
}

// Project is an open project file. Its methods are safe for concurrent use
// (bbolt serialises writers and lets readers run alongside).
type Project struct {
	db   *bolt.DB
	path string
	opt  Options

	mu     sync.RWMutex
	scheme *annotate.Scheme

	backupErr error // why the rolling backup at Open failed, if it did
}

// BackupError says why the rolling backup made by Open failed (the project
// opened anyway), or nil. The app shows it as a warning.
func (p *Project) BackupError() error { return p.backupErr }

// errorf builds an error whose text is exactly the formatted message but
// which still matches sentinel with errors.Is, so messages read as plain
// sentences ("project X is already open") without a trailing ": sentinel".
func errorf(sentinel error, format string, a ...any) error {
	return &sentinelError{msg: fmt.Sprintf(format, a...), sentinel: sentinel, cause: unwrapLast(a)}
}

type sentinelError struct {
	msg      string
	sentinel error
	cause    error
}

func (e *sentinelError) Error() string { return e.msg }

func (e *sentinelError) Unwrap() []error {
	if e.cause != nil {
		return []error{e.sentinel, e.cause}
	}
	return []error{e.sentinel}
}

// unwrapLast returns the last argument if it is an error, so the cause of a
// sentinel error stays inspectable.
func unwrapLast(a []any) error {
	if len(a) == 0 {
		return nil
	}
	err, _ := a[len(a)-1].(error)
	return err
}

// Create makes a new project file holding scheme (nil: the bundled default)
// and returns it open for writing. It refuses to overwrite anything.
func Create(path string, scheme *annotate.Scheme) (*Project, error) {
	if scheme == nil {
		scheme = annotate.DefaultScheme()
	}
	if err := scheme.Validate(); err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	// O_EXCL so two processes creating the same project cannot both win.
	f, err := os.OpenFile(abs, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return nil, errorf(ErrExists, "create %s: the file already exists", path)
		}
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	f.Close()
	db, err := bolt.Open(abs, 0o644, &bolt.Options{Timeout: DefaultLockTimeout})
	if err != nil {
		os.Remove(abs)
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	p := &Project{db: db, path: abs, opt: Options{Backups: -1}, scheme: scheme.Clone()}
	if err := p.update(func(tx *bolt.Tx) error { return initLayout(tx, scheme) }); err != nil {
		db.Close()
		os.Remove(abs)
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	syncDir(filepath.Dir(abs)) // the new name itself survives a crash
	return p, nil
}

// syncDir fsyncs a directory so a file just created or renamed in it is
// durable; best effort (not every platform can open a directory).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// Open opens an existing project. It waits up to opt.LockTimeout for another
// process to close it, checks the file is a dyadcode project of a version it
// understands, makes a rolling backup (unless read-only) and upgrades an
// older file in place (after that backup).
func Open(path string, opt Options) (*Project, error) {
	if opt.LockTimeout <= 0 {
		opt.LockTimeout = DefaultLockTimeout
	}
	if opt.Backups == 0 {
		opt.Backups = DefaultBackups
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("open project: %w", err)
	}
	if fi.IsDir() {
		return nil, errorf(ErrNotProject, "open %s: is a directory, not a dyadcode project", path)
	}
	// Take the lock ourselves, then check the file before bbolt maps it,
	// and hand bbolt the locked file. Checking under the lock matters: a
	// writer in another process reuses freed pages, so an unlocked look
	// could see a half-written page and call a sound file damaged. bbolt
	// itself does not survive some damage: a truncated file is a SIGBUS,
	// a damaged free list a panic with the file mapped (and so locked until
	// the process exits), a cycle of pages an endless loop.
	f, err := lockFile(abs, opt.ReadOnly, opt.LockTimeout)
	if errors.Is(err, errLockTimeout) {
		return nil, errorf(ErrLocked, "project %s is already open (in another dyadcode window or command; waited %s for it to close)", path, opt.LockTimeout)
	}
	if errors.Is(err, fs.ErrPermission) && !opt.ReadOnly {
		return nil, fmt.Errorf("open %s: no permission to change the project (open it read-only to look at it): %w", path, err)
	}
	if err != nil {
		return nil, fmt.Errorf("open project: %w", err)
	}
	if err := verifyFile(f, path); err != nil {
		f.Close()
		return nil, err
	}
	var db *bolt.DB
	err = noPanic(path, func() error {
		var err error
		db, err = bolt.Open(abs, 0o644, &bolt.Options{Timeout: opt.LockTimeout, ReadOnly: opt.ReadOnly,
			// walkAll needs the free list to tell free pages from pages in
			// use; a write open loads it anyway.
			PreLoadFreelist: true,
			// The file we locked and checked; bbolt's own flock on the
			// same open file succeeds at once.
			OpenFile: func(string, int, os.FileMode) (*os.File, error) { return f, nil }})
		return err
	})
	if db == nil && errors.Is(err, ErrNotProject) {
		f.Close() // bbolt panicked and did not close it
	}
	if err != nil {
		switch {
		case errors.Is(err, berrors.ErrTimeout):
			return nil, errorf(ErrLocked, "project %s is already open (in another dyadcode window or command; waited %s for it to close)", path, opt.LockTimeout)
		case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrChecksum), errors.Is(err, berrors.ErrVersionMismatch):
			return nil, errorf(ErrNotProject, "open %s: not a dyadcode project (%v)", path, err)
		case errors.Is(err, ErrNotProject):
			return nil, err
		}
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	p := &Project{db: db, path: abs, opt: opt}
	if err := p.load(path); err != nil {
		db.Close()
		return nil, err
	}
	return p, nil
}

// load checks the layout, backs up, migrates and reads the scheme.
func (p *Project) load(name string) error {
	version, err := p.schemaVersion(name)
	if err != nil {
		return err
	}
	if version > SchemaVersion {
		return errorf(ErrNewerVersion, "open %s: the project was saved by a newer dyadcode (file format %d; this version reads up to %d); update dyadcode to open it", name, version, SchemaVersion)
	}
	if version < SchemaVersion && p.opt.ReadOnly && !(p.opt.readOlder && version >= 2) {
		return errorf(ErrOlderVersion, "open %s: the project uses file format %d and needs upgrading to %d; open it once for writing (not read-only) to upgrade it", name, version, SchemaVersion)
	}
	if !p.opt.ReadOnly && p.opt.Backups > 0 {
		// A failed backup (no room, no permission on the folder) does not
		// stop the coder from working: BackupError reports it for a
		// warning. An upgrade without a copy of the old file is refused.
		if err := p.rollBackup(); err != nil {
			p.backupErr = fmt.Errorf("backup of %s to %s failed: %w", name, backupDir(name), err)
			if version < SchemaVersion {
				return fmt.Errorf("open %s: not upgrading the file without a backup: %w", name, p.backupErr)
			}
		}
	}
	if version < SchemaVersion && !p.opt.ReadOnly {
		if err := p.migrate(version); err != nil {
			return fmt.Errorf("open %s: %w", name, err)
		}
	}
	// Walk every key once: damage found now is a clear error at open
	// instead of a failure in the middle of a coding session.
	if err := p.view(walkAll); err != nil {
		if !errors.Is(err, ErrNotProject) {
			err = errorf(ErrNotProject, "project %s is damaged: %v; restore a copy from %s", name, err, backupDir(name))
		}
		return fmt.Errorf("open %s: %w", name, err)
	}
	var data []byte
	if err := p.view(func(tx *bolt.Tx) error {
		data = clone(tx.Bucket(bucketMeta).Get(keyScheme))
		return nil
	}); err != nil {
		return fmt.Errorf("open %s: %w", name, err)
	}
	var s annotate.Scheme
	if err := json.Unmarshal(data, &s); err != nil {
		return errorf(ErrNotProject, "open %s: the coding scheme stored in the project is damaged: %v", name, err)
	}
	p.scheme = &s
	return nil
}

// Close releases the file and its lock.
func (p *Project) Close() error {
	if err := p.db.Close(); err != nil {
		return fmt.Errorf("close %s: %w", p.path, err)
	}
	return nil
}

// Path is the project file's absolute path.
func (p *Project) Path() string { return p.path }

// ReadOnly reports whether the project was opened read-only.
func (p *Project) ReadOnly() bool { return p.opt.ReadOnly }

// Scheme returns a copy of the project's coding scheme.
func (p *Project) Scheme() *annotate.Scheme {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.scheme.Clone()
}

// noPanic runs fn with memory faults turned into panics and recovers them:
// a damaged file must give an error, never kill the app. bbolt reads the
// mmapped file directly, so a corrupt page shows up as a panic or a fault.
func noPanic(name string, fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = errorf(ErrNotProject, "project %s is damaged (%v); restore a copy from %s", name, r, backupDir(name))
		}
	}()
	return fn()
}

// view runs a read transaction, turning panics from damaged pages into
// errors.
func (p *Project) view(fn func(tx *bolt.Tx) error) error {
	return noPanic(p.path, func() error { return p.db.View(fn) })
}

// update runs one fsynced write transaction.
func (p *Project) update(fn func(tx *bolt.Tx) error) error {
	if p.opt.ReadOnly {
		return errorf(ErrReadOnly, "project %s is open read-only", p.path)
	}
	return noPanic(p.path, func() error { return p.db.Update(fn) })
}

// walkAll checks the file's structure from our own goroutine, where a
// fault or panic from a damaged page is recovered (see noPanic): it reads
// every byte of every key and value, checks that keys come in order, and
// checks every page header in use (type known, overflow inside the file).
// bbolt's own Check runs in a goroutine of its own, where damage of this
// kind crashes the process or makes it loop, so Check runs it only after
// this walk passed.
var walkSink atomic.Uint32

func walkAll(tx *bolt.Tx) error {
	var sum byte
	var walk func(path string, b *bolt.Bucket) error
	walk = func(path string, b *bolt.Bucket) error {
		var prev []byte
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if prev != nil && bytes.Compare(prev, k) >= 0 {
				return fmt.Errorf("bucket %s: keys out of order at %x", path, k)
			}
			prev = k
			for _, x := range k {
				sum += x
			}
			for _, x := range v {
				sum += x
			}
			if v == nil {
				if sub := b.Bucket(k); sub != nil {
					if err := walk(path+"/"+fmt.Sprintf("%q", k), sub); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}
	err := tx.ForEach(func(name []byte, b *bolt.Bucket) error { return walk(fmt.Sprintf("%q", name), b) })
	if err != nil {
		return err
	}
	hwm := int(tx.Size() / int64(tx.DB().Info().PageSize))
	for id := 2; id < hwm; {
		info, err := tx.Page(id)
		if err != nil || info == nil {
			return fmt.Errorf("page %d: %v", id, err)
		}
		switch info.Type {
		case "free":
			id++
			continue
		case "branch", "leaf", "meta", "freelist":
		default:
			return fmt.Errorf("page %d: unknown page type %s", id, info.Type)
		}
		if info.OverflowCount < 0 || id+info.OverflowCount >= hwm {
			return fmt.Errorf("page %d: overflow of %d pages runs past the end of the file", id, info.OverflowCount)
		}
		id += info.OverflowCount + 1
	}
	// The reads are the point (they fault here, not in bbolt's checker);
	// keep the sum so the compiler cannot drop them.
	walkSink.Add(uint32(sum))
	return nil
}

// Check runs bbolt's consistency check (free list, page reachability) and
// the project's own (every stored event under the key of its start and ID),
// and returns every problem joined; nil means the file is sound.
func (p *Project) Check() error {
	var errs []error
	err := p.view(func(tx *bolt.Tx) error {
		// The raw page tree of this transaction's snapshot first (its
		// pages do not change while the transaction is open), then every
		// key through bbolt, then bbolt's checker.
		f, err := os.Open(p.path)
		if err != nil {
			return err
		}
		defer f.Close()
		ps := int64(p.db.Info().PageSize)
		c := &treeChecker{r: f, ps: ps, hwm: uint64(tx.Size() / ps), seen: map[uint64]bool{}, free: map[uint64]bool{}}
		if err := c.page(uint64(tx.Cursor().Bucket().Root())); err != nil {
			return errorf(ErrNotProject, "project %s is damaged: %v", p.path, err)
		}
		if err := walkAll(tx); err != nil {
			return errorf(ErrNotProject, "project %s is damaged: %v", p.path, err)
		}
		for err := range tx.Check() {
			errs = append(errs, err)
		}
		errs = append(errs, checkLayout(tx)...)
		return nil
	})
	if err != nil {
		return fmt.Errorf("check %s: %w", p.path, err)
	}
	if len(errs) > 0 {
		return fmt.Errorf("check %s: %w", p.path, errors.Join(errs...))
	}
	return nil
}

// clone copies a value out of a transaction: bbolt's slices point into the
// mmap and are invalid once the transaction ends.
func clone(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte(nil), b...)
}

// writeAtomic writes a file by temp file + fsync + rename, so a failure
// never leaves a half-written dest.
func writeAtomic(dest string, write func(w io.Writer) error) (err error) {
	dir := filepath.Dir(dest)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(dest)+".tmp*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = write(tmp); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), dest); err != nil {
		return err
	}
	syncDir(dir) // make the rename itself durable
	return nil
}
