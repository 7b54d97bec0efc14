package atomicfile

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/windows"
)

// replace moves from over to with MoveFileEx: REPLACE_EXISTING makes it
// the one-step replace that os.Rename also does, and WRITE_THROUGH makes
// the call return only once the move is on disk, which is what the fsync
// of the directory gives on Linux (Windows cannot fsync a directory).
//
// A file that another program has open without sharing deletion (Excel
// keeps its CSV open that way) cannot be replaced on Windows; the error
// says so instead of a bare "Access is denied".
func replace(from, to string) error {
	pf, err := windows.UTF16PtrFromString(from)
	if err != nil {
		return err
	}
	pt, err := windows.UTF16PtrFromString(to)
	if err != nil {
		return err
	}
	err = windows.MoveFileEx(pf, pt, windows.MOVEFILE_REPLACE_EXISTING|windows.MOVEFILE_WRITE_THROUGH)
	if errors.Is(err, windows.ERROR_ACCESS_DENIED) || errors.Is(err, windows.ERROR_SHARING_VIOLATION) {
		if _, serr := os.Stat(to); serr == nil {
			return fmt.Errorf("%s is open in another program (close it there and try again): %w", to, err)
		}
	}
	if err != nil {
		return &os.LinkError{Op: "rename", Old: from, New: to, Err: err}
	}
	return nil
}
