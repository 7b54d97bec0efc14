package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
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

// SetScheme replaces the coding scheme. It must validate, and may not drop
// a behaviour code or episode that stored observations use: the error says
// which code and how many events (or marks) use it.
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
		events, marks, err := usage(tx)
		if err != nil {
			return err
		}
		var errs []error
		for _, code := range sortedKeys(events) {
			if _, ok := s.Behavior(code); !ok {
				errs = append(errs, errorf(ErrInUse, "behavior %q is used by %d events; recode or delete them before removing it", code, events[code]))
			}
		}
		for _, name := range sortedKeys(marks) {
			if _, ok := s.Episode(name); !ok {
				errs = append(errs, errorf(ErrInUse, "episode %q is marked %d times; remove the marks before removing it", name, marks[name]))
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

// usage counts events per behaviour code and marks per episode over all
// observations.
func usage(tx *bolt.Tx) (events, marks map[string]int, err error) {
	events, marks = map[string]int{}, map[string]int{}
	all := tx.Bucket(bucketObservations)
	err = all.ForEachBucket(func(k []byte) error {
		ob := all.Bucket(k)
		obsID := binary.BigEndian.Uint64(k)
		if err := ob.Bucket(bucketEvents).ForEach(func(k, v []byte) error {
			e, err := decodeEvent(v)
			if err != nil {
				return errorf(ErrNotProject, "observation %d: event key %x is damaged: %v", obsID, k, err)
			}
			events[e.Behavior]++
			return nil
		}); err != nil {
			return err
		}
		return ob.Bucket(bucketEpisodes).ForEach(func(_, v []byte) error {
			marks[string(v)]++
			return nil
		})
	})
	return events, marks, err
}

func sortedKeys(m map[string]int) []string {
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
