//go:build !unix && !windows

package store

import (
	"errors"
	"os"
	"time"
)

var errLockTimeout = errors.New("lock timeout")

// lockFile only opens the file here: bbolt takes the lock (LockFileEx on
// Windows) when it opens it, and its timeout becomes ErrLocked in Open.
func lockFile(path string, readOnly bool, timeout time.Duration) (*os.File, error) {
	flag := os.O_RDWR
	if readOnly {
		flag = os.O_RDONLY
	}
	return os.OpenFile(path, flag, 0)
}
