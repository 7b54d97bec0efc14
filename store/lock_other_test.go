//go:build !unix && !windows

package store

import "testing"

// requireUnlocked: flock is Unix-only; elsewhere the check is skipped.
func requireUnlocked(t *testing.T, path string) {}
