package zipread

import (
	"archive/zip"
	"bytes"
	"errors"
	"strings"
	"testing"
)

func archive(t *testing.T, entries map[string]string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for n, b := range entries {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(b))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRead(t *testing.T) {
	data := archive(t, map[string]string{"db": "#4\n", "project": "!project\n", "skip": "x"})
	got, err := Read("a.opf", data, func(e string) bool { return e != "skip" })
	if err != nil || len(got) != 2 || string(got["db"]) != "#4\n" {
		t.Fatalf("got %q, %v", got, err)
	}
	if _, err := Read("b.opf", []byte("not a zip"), func(string) bool { return true }); !errors.Is(err, ErrArchive) || !strings.Contains(err.Error(), "b.opf") {
		t.Errorf("not a zip: %v", err)
	}
	// A truncated archive: its central directory is gone.
	if _, err := Read("c.opf", data[:len(data)/2], func(string) bool { return true }); !errors.Is(err, ErrArchive) {
		t.Errorf("truncated: %v", err)
	}
}
