package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"dyadcode/annotate"
)

// AddCoder adds a coder name; adding a known name is not an error.
func (p *Project) AddCoder(name string) error {
	name = strings.TrimSpace(name)
	if name == "" {
		return errors.New("add coder: empty name")
	}
	err := p.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketCoders)
		if b.Get([]byte(name)) != nil {
			return nil
		}
		return b.Put([]byte(name), coderValue(time.Now()))
	})
	if err != nil {
		return fmt.Errorf("add coder %q to %s: %w", name, p.path, err)
	}
	return nil
}

// PutCache stores derived data (a frame index, a waveform) under key,
// usually a video fingerprint plus a kind. It can always be rebuilt, but
// rebuilding a 2-hour index takes a while.
func (p *Project) PutCache(key string, data []byte) error {
	if key == "" {
		return errors.New("cache: empty key")
	}
	err := p.update(func(tx *bolt.Tx) error { return tx.Bucket(bucketCache).Put([]byte(key), data) })
	if err != nil {
		return fmt.Errorf("cache %s in %s: %w", key, p.path, err)
	}
	return nil
}

// Cache returns what PutCache stored under key, or ErrNotFound.
func (p *Project) Cache(key string) ([]byte, error) {
	var out []byte
	err := p.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketCache).Get([]byte(key))
		if v == nil {
			return errorf(ErrNotFound, "cache %s: not found", key)
		}
		out = clone(v)
		return nil
	})
	return out, err
}

// SetScheme replaces the coding scheme. It must validate, and may not make
// stored coding invalid: it refuses to drop a behaviour code, modifier,
// episode or rating scale that observations use, to turn a state used with
// durations into a point, or to move a used code to another subject. The
// error names each code and how many events (marks, ratings) use it.
func (p *Project) SetScheme(s *annotate.Scheme) error {
	if s == nil {
		return errors.New("set scheme: nil scheme")
	}
	if err := s.Validate(); err != nil {
		return fmt.Errorf("set scheme of %s: %w", p.path, err)
	}
	data, err := json.Marshal(s)
	if err != nil {
		return err
	}
	err = p.update(func(tx *bolt.Tx) error {
		u, err := usage(tx)
		if err != nil {
			return err
		}
		var errs []error
		refuse := func(format string, a ...any) { errs = append(errs, errorf(ErrInUse, format, a...)) }
		for _, code := range sortedKeys(u.events) {
			b, ok := s.Behavior(code)
			if !ok {
				refuse("behavior %q is used by %d events; recode or delete them before removing it", code, u.events[code])
				continue
			}
			if n := u.durations[code]; b.Kind == annotate.Point && n > 0 {
				refuse("behavior %q cannot become a point: %d of its events have a duration or are still running", code, n)
			}
			for _, sub := range sortedKeys(u.subjects[code]) {
				if sub != "" && b.Subject != "" && sub != b.Subject {
					refuse("behavior %q cannot move to subject %q: %d events code it for %q", code, b.Subject, u.subjects[code][sub], sub)
				}
			}
			for _, m := range sortedKeys(u.modifiers[code]) {
				if !slices.Contains(b.Modifiers, m) {
					refuse("modifier %q of behavior %q is used by %d events; remove it from them first", m, code, u.modifiers[code][m])
				}
			}
		}
		for _, name := range sortedKeys(u.marks) {
			if _, ok := s.Episode(name); !ok {
				refuse("episode %q is marked %d times; remove the marks before removing it", name, u.marks[name])
			}
		}
		for _, scale := range sortedKeys(u.ratings) {
			if _, ok := s.Rating(scale); !ok {
				refuse("rating scale %q has %d ratings; clear them before removing it", scale, u.ratings[scale])
			}
		}
		if len(errs) > 0 {
			return errors.Join(errs...)
		}
		return tx.Bucket(bucketMeta).Put(keyScheme, data)
	})
	if err != nil {
		return fmt.Errorf("set scheme of %s: %w", p.path, err)
	}
	p.mu.Lock()
	p.scheme = s.Clone()
	p.mu.Unlock()
	return nil
}

// schemeUsage is what stored observations use of a scheme.
type schemeUsage struct {
	events    map[string]int            // events per behaviour code
	durations map[string]int            // of those, with a duration or open
	subjects  map[string]map[string]int // code -> subject -> events
	modifiers map[string]map[string]int // code -> modifier -> events
	marks     map[string]int            // marks per episode name
	ratings   map[string]int            // ratings per scale
}

// usage counts what all observations use.
func usage(tx *bolt.Tx) (schemeUsage, error) {
	u := schemeUsage{events: map[string]int{}, durations: map[string]int{}, subjects: map[string]map[string]int{},
		modifiers: map[string]map[string]int{}, marks: map[string]int{}, ratings: map[string]int{}}
	inc := func(m map[string]map[string]int, a, b string) {
		if m[a] == nil {
			m[a] = map[string]int{}
		}
		m[a][b]++
	}
	all := tx.Bucket(bucketObservations)
	err := all.ForEachBucket(func(k []byte) error {
		ob := all.Bucket(k)
		obsID := binary.BigEndian.Uint64(k)
		if err := ob.Bucket(bucketEvents).ForEach(func(k, v []byte) error {
			e, err := decodeEvent(v)
			if err != nil {
				return errorf(ErrNotProject, "observation %d: event key %x is damaged: %v", obsID, k, err)
			}
			u.events[e.Behavior]++
			if e.Open || e.End != e.Start {
				u.durations[e.Behavior]++
			}
			inc(u.subjects, e.Behavior, e.Subject)
			for _, m := range e.Modifiers {
				inc(u.modifiers, e.Behavior, m)
			}
			return nil
		}); err != nil {
			return err
		}
		if err := ob.Bucket(bucketRatings).ForEach(func(k, _ []byte) error {
			_, scale, _ := strings.Cut(string(k), "\x00")
			u.ratings[scale]++
			return nil
		}); err != nil {
			return err
		}
		return ob.Bucket(bucketEpisodes).ForEach(func(_, v []byte) error {
			u.marks[string(v)]++
			return nil
		})
	})
	return u, err
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Backup writes a consistent copy of the project to dest while it stays
// open (a read transaction sees one snapshot), atomically: dest is either
// the complete copy or untouched.
func (p *Project) Backup(dest string) error {
	abs, err := filepath.Abs(dest)
	if err != nil {
		return fmt.Errorf("backup %s: %w", p.path, err)
	}
	if abs == p.path {
		return fmt.Errorf("backup %s: the copy cannot replace the project itself", p.path)
	}
	err = writeAtomic(abs, func(w io.Writer) error {
		return p.view(func(tx *bolt.Tx) error {
			_, err := tx.WriteTo(w)
			return err
		})
	})
	if err != nil {
		return fmt.Errorf("backup %s to %s: %w", p.path, dest, err)
	}
	return nil
}

// Compact writes a compacted copy of the project to dest, atomically like
// Backup. bbolt never gives space back to the file system: after deleting
// observations or clearing caches the file keeps its size, with the pages
// free for reuse. The copy holds only what is in use, densely packed, with
// the same IDs (bucket sequences are kept, so new IDs do not repeat old
// ones). Replace the project with it while nothing has the project open.
func (p *Project) Compact(dest string) error {
	abs, err := filepath.Abs(dest)
	if err != nil {
		return fmt.Errorf("compact %s: %w", p.path, err)
	}
	if abs == p.path {
		return fmt.Errorf("compact %s: the copy cannot replace the project while it is open", p.path)
	}
	tmp, err := os.CreateTemp(filepath.Dir(abs), "."+filepath.Base(abs)+".tmp*")
	if err != nil {
		return fmt.Errorf("compact %s: %w", p.path, err)
	}
	name := tmp.Name()
	tmp.Close()
	err = func() error {
		dst, err := bolt.Open(name, 0o644, &bolt.Options{Timeout: time.Second})
		if err != nil {
			return err
		}
		// Several transactions of at most 4 MiB each, so a large project
		// does not need its whole size in memory.
		err = noPanic(p.path, func() error { return bolt.Compact(dst, p.db, 4<<20) })
		if cerr := dst.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		if err := os.Chmod(name, 0o644); err != nil {
			return err
		}
		return os.Rename(name, abs)
	}()
	if err != nil {
		os.Remove(name)
		return fmt.Errorf("compact %s to %s: %w", p.path, dest, err)
	}
	syncDir(filepath.Dir(abs))
	return nil
}

// backupDir is where Open keeps rolling backups: NAME.dyad.backups next to
// the project.
func backupDir(project string) string { return project + ".backups" }

// Backups lists the rolling backups of the project, oldest first.
func (p *Project) Backups() ([]string, error) {
	dir := backupDir(p.path)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list backups of %s: %w", p.path, err)
	}
	prefix := strings.TrimSuffix(filepath.Base(p.path), filepath.Ext(p.path)) + "-"
	var out []string
	for _, e := range entries {
		if e.Type().IsRegular() && strings.HasPrefix(e.Name(), prefix) && strings.HasSuffix(e.Name(), ".dyad") {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(out) // names start with a sortable UTC time
	return out, nil
}

// rollBackup copies the project into its backup folder as
// NAME-YYYYMMDDTHHMMSS.nnnnnnnnnZ-txN.dyad and deletes the oldest beyond
// opt.Backups. Opening an unchanged project makes no new copy (same
// transaction ID and size as the newest backup), so a few opens in a row do
// not push the older, different versions out.
func (p *Project) rollBackup() error {
	dir := backupDir(p.path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var txid int
	var size int64
	p.view(func(tx *bolt.Tx) error { txid, size = tx.ID(), tx.Size(); return nil })
	// Temp files of a backup cut short (the app was killed while copying):
	// only the process holding the project's write lock writes here, so any
	// temp file is stale.
	if entries, err := os.ReadDir(dir); err == nil {
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".") && strings.Contains(e.Name(), ".tmp") {
				os.Remove(filepath.Join(dir, e.Name()))
			}
		}
	}
	existing, err := p.Backups()
	if err != nil {
		return err
	}
	if n := len(existing); n > 0 && strings.HasSuffix(existing[n-1], "-tx"+strconv.Itoa(txid)+".dyad") {
		if fi, err := os.Stat(existing[n-1]); err == nil && fi.Size() == size {
			return nil
		}
	}
	base := strings.TrimSuffix(filepath.Base(p.path), filepath.Ext(p.path))
	name := fmt.Sprintf("%s-%s-tx%d.dyad", base, time.Now().UTC().Format("20060102T150405.000000000Z"), txid)
	if err := p.Backup(filepath.Join(dir, name)); err != nil {
		return err
	}
	existing = append(existing, filepath.Join(dir, name))
	for len(existing) > p.opt.Backups {
		if err := os.Remove(existing[0]); err != nil {
			return err
		}
		existing = existing[1:]
	}
	return nil
}
