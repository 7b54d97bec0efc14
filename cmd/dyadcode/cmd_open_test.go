package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestOpenUsage covers the mistakes `dyadcode open` refuses before any
// window opens.
func TestOpenUsage(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope.dyad")
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no project", []string{"open"}, 2, "need exactly one project file"},
		{"two projects", []string{"open", "a.dyad", "b.dyad"}, 2, "need exactly one project file"},
		{"video without coder", []string{"open", "--video", "v1", "a.dyad"}, 2, "--video and --coder go together"},
		{"coder without video", []string{"open", "--coder", "ann", "a.dyad"}, 2, "--video and --coder go together"},
		{"missing file", []string{"open", missing}, 1, "nope.dyad"},
		{"unknown flag", []string{"open", "--frobnicate", "a.dyad"}, 2, "frobnicate"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := cli(t, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.msg) {
				t.Errorf("exit %d, stderr %q; want exit %d mentioning %q", code, stderr, tc.code, tc.msg)
			}
		})
	}
}
