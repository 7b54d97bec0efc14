package store

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	bolt "go.etcd.io/bbolt"

	"dyadcode/annotate"
)

// fingerprintChunk is how much of each of the start, middle and end of a
// video Fingerprint reads: enough to tell recordings apart (container
// headers, timestamps and the encoded picture differ), fast on a 4 GB file.
const fingerprintChunk = 1 << 20

// Fingerprint identifies a video's content without reading all of it:
// sha256 over the size (8 bytes, big-endian) and the first, middle and last
// MiB (the whole file when it is 3 MiB or smaller). The result is 64
// lower-case hex digits. Two recordings differing only outside those three
// MiB (same size) share a fingerprint; for camera files, whose headers,
// timestamps and pictures differ throughout, that does not happen.
func Fingerprint(path string) (fp string, size int64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, fmt.Errorf("fingerprint: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", 0, fmt.Errorf("fingerprint %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return "", 0, fmt.Errorf("fingerprint %s: not a regular file", path)
	}
	size = fi.Size()
	h := sha256.New()
	var sz [8]byte
	binary.BigEndian.PutUint64(sz[:], uint64(size))
	h.Write(sz[:])
	offsets := []int64{0, size/2 - fingerprintChunk/2, size - fingerprintChunk}
	if size <= 3*fingerprintChunk {
		offsets = []int64{0} // read it all: chunks would overlap
	}
	for _, off := range offsets {
		n := int64(fingerprintChunk)
		if len(offsets) == 1 {
			n = size
		}
		if _, err := io.Copy(h, io.NewSectionReader(f, max(off, 0), n)); err != nil {
			return "", 0, fmt.Errorf("fingerprint %s: %w", path, err)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), size, nil
}

// videoKey parses "v12" into its bucket key.
func videoKey(id string) ([]byte, error) {
	num, ok := strings.CutPrefix(id, "v")
	n, err := strconv.ParseUint(num, 10, 64)
	if !ok || err != nil || n == 0 || strconv.FormatUint(n, 10) != num {
		return nil, errorf(ErrNotFound, "video %q: no such video (IDs are v1, v2, ...)", id)
	}
	return u64(n), nil
}

// mustVideoKey returns a key that is never stored for an invalid ID.
func mustVideoKey(id string) []byte {
	k, err := videoKey(id)
	if err != nil {
		return []byte("invalid")
	}
	return k
}

// AddVideo records a video and returns it with its ID. The path is made
// absolute; an empty fingerprint is computed from the file (which must then
// exist). A video whose fingerprint the project already knows is not added
// twice: the known one is returned, and if its recorded file is gone (the
// recording was moved) it takes the new path, so adding a moved video again
// reconnects its observations.
func (p *Project) AddVideo(v annotate.Video) (annotate.Video, error) {
	if v.Path == "" {
		return annotate.Video{}, errors.New("add video: no path")
	}
	abs, err := filepath.Abs(v.Path)
	if err != nil {
		return annotate.Video{}, fmt.Errorf("add video %s: %w", v.Path, err)
	}
	v.Path = abs
	if v.Fingerprint == "" {
		fp, size, err := Fingerprint(abs)
		if err != nil {
			return annotate.Video{}, fmt.Errorf("add video: %w", err)
		}
		v.Fingerprint, v.Size = fp, size
	}
	var out annotate.Video
	err = p.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketVideos)
		var foundKey []byte
		err := b.ForEach(func(k, data []byte) error {
			var known annotate.Video
			if err := json.Unmarshal(data, &known); err != nil {
				return errorf(ErrNotProject, "video key %x is damaged: %v", k, err)
			}
			if known.Fingerprint == v.Fingerprint && foundKey == nil {
				out, foundKey = known, clone(k)
			}
			return nil
		})
		if err != nil {
			return err
		}
		if foundKey != nil {
			if out.Path == v.Path {
				return nil
			}
			if _, err := os.Stat(out.Path); !errors.Is(err, fs.ErrNotExist) {
				return nil // both copies exist: keep the recorded one
			}
			out.Path = v.Path
			data, err := json.Marshal(out)
			if err != nil {
				return err
			}
			return b.Put(foundKey, data)
		}
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		v.ID = "v" + strconv.FormatUint(seq, 10)
		data, err := json.Marshal(v)
		if err != nil {
			return err
		}
		out = v
		return b.Put(u64(seq), data)
	})
	if err != nil {
		return annotate.Video{}, fmt.Errorf("add video %s to %s: %w", v.Path, p.path, err)
	}
	return out, nil
}

// UpdateVideo replaces a known video's record (path, duration, rate,
// frames, proxy...).
func (p *Project) UpdateVideo(v annotate.Video) error {
	k, err := videoKey(v.ID)
	if err != nil {
		return fmt.Errorf("update video: %w", err)
	}
	err = p.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketVideos)
		if b.Get(k) == nil {
			return errorf(ErrNotFound, "video %s: no such video", v.ID)
		}
		data, err := json.Marshal(v)
		if err != nil {
			return err
		}
		return b.Put(k, data)
	})
	if err != nil {
		return fmt.Errorf("update video %s in %s: %w", v.ID, p.path, err)
	}
	return nil
}

// Videos lists the project's videos in ID order.
func (p *Project) Videos() ([]annotate.Video, error) {
	var out []annotate.Video
	err := p.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketVideos).ForEach(func(k, data []byte) error {
			var v annotate.Video
			if err := json.Unmarshal(data, &v); err != nil {
				return errorf(ErrNotProject, "video key %x is damaged: %v", k, err)
			}
			out = append(out, v)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list videos of %s: %w", p.path, err)
	}
	return out, nil
}

// Video returns the video with the given ID.
func (p *Project) Video(id string) (annotate.Video, error) {
	k, err := videoKey(id)
	if err != nil {
		return annotate.Video{}, err
	}
	var v annotate.Video
	err = p.view(func(tx *bolt.Tx) error {
		data := tx.Bucket(bucketVideos).Get(k)
		if data == nil {
			return errorf(ErrNotFound, "video %s: no such video in %s", id, p.path)
		}
		return json.Unmarshal(data, &v)
	})
	return v, err
}

// FindVideo finds a video by ID ("v2"), path (absolute or relative to the
// working directory) or base file name. A base name shared by several
// videos is ambiguous and refused, naming them.
func (p *Project) FindVideo(pathOrName string) (annotate.Video, error) {
	vs, err := p.Videos()
	if err != nil {
		return annotate.Video{}, err
	}
	abs, _ := filepath.Abs(pathOrName)
	for _, v := range vs {
		if v.ID == pathOrName || v.Path == pathOrName || v.Path == abs {
			return v, nil
		}
	}
	var byName []annotate.Video
	for _, v := range vs {
		if filepath.Base(v.Path) == filepath.Base(pathOrName) {
			byName = append(byName, v)
		}
	}
	switch len(byName) {
	case 1:
		return byName[0], nil
	case 0:
		return annotate.Video{}, errorf(ErrNotFound, "video %q is not in project %s", pathOrName, p.path)
	}
	var names []string
	for _, v := range byName {
		names = append(names, v.ID+" "+v.Path)
	}
	return annotate.Video{}, fmt.Errorf("video %q is ambiguous in %s: %s; give the ID or full path", pathOrName, p.path, strings.Join(names, ", "))
}

// Relocate looks in dir (recursively) for the videos whose recorded path no
// longer exists, matching by size and fingerprint, records their new paths
// and returns the videos found (with the new paths).
func (p *Project) Relocate(dir string) (found []annotate.Video, err error) {
	vs, err := p.Videos()
	if err != nil {
		return nil, err
	}
	missing := map[int64][]annotate.Video{}
	n := 0
	for _, v := range vs {
		if _, err := os.Stat(v.Path); errors.Is(err, fs.ErrNotExist) {
			missing[v.Size] = append(missing[v.Size], v)
			n++
		}
	}
	if n == 0 {
		return nil, nil
	}
	done := map[string]bool{}
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == dir {
				return err
			}
			return nil // an unreadable subfolder is not a reason to stop
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil || len(missing[info.Size()]) == 0 {
			return nil
		}
		fp, _, err := Fingerprint(path)
		if err != nil {
			return nil
		}
		for _, v := range missing[info.Size()] {
			if v.Fingerprint == fp && !done[v.ID] {
				abs, _ := filepath.Abs(path)
				v.Path = abs
				found = append(found, v)
				done[v.ID] = true
			}
		}
		if len(done) == n {
			return filepath.SkipAll
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("relocate videos in %s: %w", dir, err)
	}
	for _, v := range found {
		if err := p.UpdateVideo(v); err != nil {
			return nil, err
		}
	}
	sort.Slice(found, func(i, j int) bool {
		a, _ := videoKey(found[i].ID)
		b, _ := videoKey(found[j].ID)
		return string(a) < string(b) // numeric: v2 before v10
	})
	return found, nil
}

// Coders lists the project's coders by name.
func (p *Project) Coders() ([]string, error) {
	var out []string
	err := p.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketCoders).ForEach(func(k, _ []byte) error {
			out = append(out, string(k))
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list coders of %s: %w", p.path, err)
	}
	return out, nil
}
