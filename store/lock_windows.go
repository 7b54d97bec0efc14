package store

import (
	"errors"
	"os"
	"time"

	"golang.org/x/sys/windows"
)

var errLockTimeout = errors.New("lock timeout")

// Windows byte-range locks (LockFileEx) are the file locking every Windows
// program honours, and they work on local disks and SMB shares alike. bbolt
// locks the byte at offset 2^64-1 itself when it opens the file. Such locks
// are not re-entrant: a second lock on that byte through our own handle
// would make bbolt's fail. So dyadcode's lock is the byte just below it;
// every dyadcode process takes ours first and bbolt's second, so "already
// open" is decided here, before the file is read, and bbolt's own lock then
// succeeds at once. Both bytes lie far beyond the end of any project file,
// so these (mandatory) locks never hide data from a reader such as a backup
// copy.
const (
	lockOffsetLow  = 0xFFFFFFFE
	lockOffsetHigh = 0xFFFFFFFF
)

// lockFile opens a project file and takes dyadcode's lock on it (exclusive
// for writing, shared for reading), waiting up to timeout. Closing the file
// releases it.
func lockFile(path string, readOnly bool, timeout time.Duration) (*os.File, error) {
	flag := os.O_RDWR
	var how uint32 = windows.LOCKFILE_FAIL_IMMEDIATELY | windows.LOCKFILE_EXCLUSIVE_LOCK
	if readOnly {
		flag = os.O_RDONLY
		how = windows.LOCKFILE_FAIL_IMMEDIATELY
	}
	f, err := os.OpenFile(path, flag, 0)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(timeout)
	for {
		err := windows.LockFileEx(windows.Handle(f.Fd()), how, 0, 1, 0,
			&windows.Overlapped{Offset: lockOffsetLow, OffsetHigh: lockOffsetHigh})
		if err == nil {
			return f, nil
		}
		if !errors.Is(err, windows.ERROR_LOCK_VIOLATION) {
			f.Close()
			return nil, err
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, errLockTimeout
		}
		time.Sleep(50 * time.Millisecond)
	}
}
