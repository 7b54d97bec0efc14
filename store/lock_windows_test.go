package store

import (
	"os"
	"testing"

	"golang.org/x/sys/windows"
)

// requireUnlocked fails if anything in this process still holds the
// project's lock: a refused file must be released (so the user can put a
// backup in its place and open it again without restarting).
func requireUnlocked(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ov := windows.Overlapped{Offset: lockOffsetLow, OffsetHigh: lockOffsetHigh}
	if err := windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_FAIL_IMMEDIATELY|windows.LOCKFILE_EXCLUSIVE_LOCK, 0, 1, 0, &ov); err != nil {
		t.Fatalf("%s is still locked after a failed open: %v", path, err)
	}
	windows.UnlockFileEx(windows.Handle(f.Fd()), 0, 1, 0, &ov)
}
