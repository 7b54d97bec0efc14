package app

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"dyadcode/internal/atomicfile"
	"dyadcode/store"
)

// Sentinel errors of the output checks.
var (
	// ErrOutputIsProject: an output would replace a dyadcode project.
	ErrOutputIsProject = errors.New("it is a dyadcode project; refusing to replace it with this output")
	// ErrOutputIsVideo: an output that is not a video would replace one.
	ErrOutputIsVideo = errors.New("it is a video; refusing to replace it with this output")
)

// CheckProjectOutput stops an output (CSV, report, PNG, proxy video) from
// replacing a project: an export onto P.dyad would otherwise swap all its
// coding for a CSV, whatever the extension says.
func CheckProjectOutput(path string) error {
	if store.IsProjectFile(path) {
		return fmt.Errorf("write %s: %w (choose another file)", path, ErrOutputIsProject)
	}
	return nil
}

// CheckOutput is CheckProjectOutput for outputs that are not video (CSV,
// EAF, reports, PNG, SVG): they must not replace a video either, since a
// frame grab or an export onto a recording would destroy the original
// footage. (A proxy may replace an older proxy, so it checks only for a
// project.)
func CheckOutput(path string) error {
	if err := CheckProjectOutput(path); err != nil {
		return err
	}
	if IsVideoFile(path) {
		return fmt.Errorf("write %s: %w (choose another file)", path, ErrOutputIsVideo)
	}
	return nil
}

// IsVideoFile reports whether path exists and starts like a video
// container: MP4/MOV (ftyp, moov, mdat, free, wide or skip box),
// Matroska/WebM (EBML), AVI (RIFF…AVI) or MPEG-TS (sync bytes 188 apart).
func IsVideoFile(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	var b [377]byte
	n, _ := io.ReadFull(f, b[:])
	h := b[:n]
	switch {
	case n >= 8 && slices.Contains([]string{"ftyp", "moov", "mdat", "free", "wide", "skip"}, string(h[4:8])):
		return true
	case n >= 4 && string(h[:4]) == "\x1a\x45\xdf\xa3":
		return true
	case n >= 12 && string(h[:4]) == "RIFF" && string(h[8:11]) == "AVI":
		return true
	case n >= 377 && h[0] == 0x47 && h[188] == 0x47 && h[376] == 0x47:
		return true
	}
	return false
}

// WriteFile writes an output (anything but a video) to path after
// CheckOutput, whole or not at all (atomicfile): a refused or failed write
// leaves whatever was at path untouched, byte for byte.
func WriteFile(path string, write func(io.Writer) error) error {
	if err := CheckOutput(path); err != nil {
		return err
	}
	if err := atomicfile.Write(path, write); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
