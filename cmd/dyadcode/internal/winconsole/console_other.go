//go:build !windows

package winconsole

// Attached reports whether the process attached to its parent's console:
// never outside Windows, where programs simply inherit their terminal.
func Attached() bool { return false }
