// Package av is the one place dyadcode's media packages open files with
// FFmpeg and the one place they reach into go-astiav's internals. media
// (pictures) and media/audio (sound) both open files through OpenFormat, so
// a file is refused with the same words and the same sentinel errors
// whichever part meets it first, and every read of an unexported astiav
// field goes through the guarded accessors in internal.go.
package av

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/asticode/go-astiav"
)

// Sentinel errors callers test with errors.Is; media and media/audio
// re-export them under the same names.
var (
	// ErrNotMedia: the path is a directory, an empty file, or nothing
	// FFmpeg's demuxers recognise.
	ErrNotMedia = errors.New("not a media file")
	// ErrTruncated: the file is cut short or damaged.
	ErrTruncated = errors.New("file is truncated or damaged")
)

// OpenError is why a file could not be opened: Err is a sentinel above or
// the operating system's error (errors.Is(err, fs.ErrNotExist) holds for a
// missing file); Detail says more for a person.
type OpenError struct {
	Path   string
	Err    error
	Detail string
}

func (e *OpenError) Error() string {
	if e.Detail == "" {
		return fmt.Sprintf("open %s: %v", e.Path, e.Err)
	}
	return fmt.Sprintf("open %s: %v: %s", e.Path, e.Err, e.Detail)
}

func (e *OpenError) Unwrap() error { return e.Err }

var logOnce sync.Once

// quietLogs stops FFmpeg printing to stderr: damaged files make it warn per
// packet, and our errors say what matters with the file's name.
func quietLogs() {
	logOnce.Do(func() { astiav.SetLogLevel(astiav.LogLevelQuiet) })
}

// OpenFormat opens path's container and reads its stream information. The
// caller closes it with CloseInput and Free.
func OpenFormat(path string) (*astiav.FormatContext, error) {
	quietLogs()
	// FFmpeg's messages for a missing file are terse; os.Stat says it plainly.
	st, err := os.Stat(path)
	if err != nil {
		return nil, &OpenError{Path: path, Err: err}
	}
	if st.IsDir() {
		return nil, &OpenError{Path: path, Err: ErrNotMedia, Detail: "it is a directory"}
	}
	if st.Size() == 0 {
		return nil, &OpenError{Path: path, Err: ErrNotMedia, Detail: "an empty file (0 bytes)"}
	}
	fc := astiav.AllocFormatContext()
	if fc == nil {
		return nil, &OpenError{Path: path, Err: errors.New("cannot allocate a demuxer")}
	}
	if err := fc.OpenInput(path, nil, nil); err != nil {
		fc.Free()
		if unfinishedMP4(path) {
			return nil, &OpenError{Path: path, Err: ErrTruncated, Detail: "an MP4/MOV without its sample table (moov box): the recording " +
				"was cut off before the camera closed the file; tools such as untrunc can rebuild it from a good file of the same camera"}
		}
		return nil, &OpenError{Path: path, Err: ErrNotMedia, Detail: fmt.Sprintf("no FFmpeg demuxer reads it (%v)", err)}
	}
	if err := fc.FindStreamInfo(nil); err != nil {
		fc.CloseInput()
		fc.Free()
		return nil, &OpenError{Path: path, Err: ErrNotMedia, Detail: fmt.Sprintf("cannot read stream information (%v)", err)}
	}
	if fc.NbStreams() == 0 {
		fc.CloseInput()
		fc.Free()
		return nil, &OpenError{Path: path, Err: ErrTruncated, Detail: "no streams found"}
	}
	return fc, nil
}

// unfinishedMP4 reports whether path starts like an MP4/MOV (an ftyp, mdat,
// free or wide box first) yet FFmpeg could not open it: typically a camera
// file whose moov box, written last, never was.
func unfinishedMP4(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	var b [12]byte
	if _, err := io.ReadFull(f, b[:]); err != nil {
		return false
	}
	switch string(b[4:8]) {
	case "ftyp", "mdat", "free", "wide":
		return true
	}
	return false
}
