// Package atomicfile writes a file so that readers see the old content or
// the complete new one, never a half-written file: a temporary file in the
// same directory, synced, then renamed over the target. Every output that
// replaces a user's file (CSV exports, frames, plots, reports) goes through
// it, so a crash, a full disk or a failed render cannot cost the good copy
// that was there. It is internal and owned by neither store nor media: it
// uses only the os package, so media, app and ui import it without
// depending on the project store.
package atomicfile

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Perm is the mode outputs get: they are for sharing with R, SPSS, a
// browser, so readable by others (os.CreateTemp alone would leave 0600).
const Perm os.FileMode = 0o644

// Write calls write with a temporary file next to path and, when it
// succeeds, syncs the file and renames it to path. On any error the
// temporary file is removed and path is untouched. Errors do not repeat
// path; callers say what they were writing.
func Write(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	err = write(tmp)
	if err == nil {
		err = tmp.Chmod(Perm)
	}
	if err == nil {
		// Sync before the rename: otherwise a crash soon after can leave
		// an empty file under the final name.
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := replace(tmp.Name(), path); err != nil {
		return fmt.Errorf("rename into place: %w", err)
	}
	return nil
}
