package store

import (
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
)

// Copies of the project: Backup and Compact on request, and the rolling
// backups the store keeps by itself.

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

// backupDir is where Open keeps rolling backups: the folder "NAME backups"
// next to NAME.dyad. It was NAME.dyad.backups, which a file chooser shows
// as "NAME.dyad" with a ".backups" badge, looking like the project itself
// beside it; the old folder is renamed at the next backup.
func backupDir(project string) string {
	return strings.TrimSuffix(project, filepath.Ext(project)) + " backups"
}

// legacyBackupDir is where dyadcode kept backups before: NAME.dyad.backups.
func legacyBackupDir(project string) string { return project + ".backups" }

// Backups lists the rolling backups of the project, oldest first.
func (p *Project) Backups() ([]string, error) {
	dir := backupDir(p.path)
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		dir = legacyBackupDir(p.path) // not renamed yet (a read-only open)
	}
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
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		if fi, err := os.Stat(legacyBackupDir(p.path)); err == nil && fi.IsDir() {
			if err := os.Rename(legacyBackupDir(p.path), dir); err != nil {
				return fmt.Errorf("move the backups to %s: %w", dir, err)
			}
		}
	}
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
