package atomicfile

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWriteOverFileOpenElsewhere: on Windows a file another program holds
// open without sharing deletion (as Excel holds a CSV; Go's os.Open opens the
// same way) cannot be replaced. Write says so, and both the file and the
// folder are as they were.
func TestWriteOverFileOpenElsewhere(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "Zoë's export.csv")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	held, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	err = Write(path, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err })
	held.Close()
	if err == nil || !strings.Contains(err.Error(), "is open in another program") {
		t.Fatalf("Write over a file open elsewhere: %v, want an error saying it is open in another program", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Errorf("content %q, want the old content", got)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("%d files in the folder, want 1 (temporary file left behind)", len(ents))
	}
	// Closed, it is replaced.
	if err := Write(path, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "new" {
		t.Errorf("content %q after the other program closed it, want new", got)
	}
}
