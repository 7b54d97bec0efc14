// Package zipread reads entries of a zip archive with bounded
// decompression, for the file formats that are zips (Datavyu .opf,
// Observer .otb): a zip bomb fails with an error naming the file instead
// of filling memory.
package zipread

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// ErrArchive wraps every problem with the archive.
var ErrArchive = errors.New("damaged or hostile zip archive")

// Read opens a zip archive with bounded decompression: at most
// maxEntries entries and maxUnzipped bytes in all, so a zip bomb fails
// with an error naming the file instead of filling memory.
func Read(name string, data []byte, want func(entry string) bool) (map[string][]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("%s: %w: not a zip archive: %v", name, ErrArchive, err)
	}
	if len(zr.File) > maxEntries {
		return nil, fmt.Errorf("%s: %w: %d entries in the archive (at most %d)", name, ErrArchive, len(zr.File), maxEntries)
	}
	out := map[string][]byte{}
	var total int64
	for _, f := range zr.File {
		if !want(f.Name) {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%s: %w: entry %q: %v", name, ErrArchive, f.Name, err)
		}
		b, err := io.ReadAll(io.LimitReader(rc, maxUnzipped-total+1))
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w: entry %q: %v", name, ErrArchive, f.Name, err)
		}
		total += int64(len(b))
		if total > maxUnzipped {
			return nil, fmt.Errorf("%s: %w: entry %q unpacks to more than %d MiB (a zip bomb?)", name, ErrArchive, f.Name, maxUnzipped>>20)
		}
		out[f.Name] = b
	}
	return out, nil
}

const (
	maxEntries  = 10000
	maxUnzipped = 256 << 20
)
