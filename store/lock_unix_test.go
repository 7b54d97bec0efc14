//go:build unix

package store

import (
	"os"
	"syscall"
	"testing"
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
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatalf("%s is still locked after a failed open: %v", path, err)
	}
	syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
}
