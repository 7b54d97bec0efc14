package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestWrite(t *testing.T) {
	boom := errors.New("render failed")
	for _, tc := range []struct {
		name    string
		write   func(io.Writer) error
		wantErr error
		want    string // content afterwards
	}{
		{"replaces the old content", func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }, nil, "new"},
		{"a failed write keeps the old file", func(w io.Writer) error { io.WriteString(w, "half"); return boom }, boom, "old"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "out.csv")
			if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
				t.Fatal(err)
			}
			err := Write(path, tc.write)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("Write: %v, want %v", err, tc.wantErr)
			}
			got, _ := os.ReadFile(path)
			if string(got) != tc.want {
				t.Errorf("content %q, want %q", got, tc.want)
			}
			if tc.wantErr == nil {
				// Windows keeps only a read-only flag: 0644 reads back as
				// 0666 there (writable, not read-only).
				want := Perm
				if runtime.GOOS == "windows" {
					want = 0o666
				}
				if fi, _ := os.Stat(path); fi.Mode().Perm() != want {
					t.Errorf("mode %v, want %v", fi.Mode().Perm(), want)
				}
			}
			if ents, _ := os.ReadDir(dir); len(ents) != 1 {
				t.Errorf("%d files in the directory, want only out.csv (temporary file left behind)", len(ents))
			}
		})
	}
}

func TestWriteMissingDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no", "such", "out.csv")
	if err := Write(path, func(io.Writer) error { return nil }); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Write into a missing directory: %v, want ErrNotExist", err)
	}
}
