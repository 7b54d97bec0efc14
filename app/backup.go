package app

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"dyadcode/store"
)

// ErrCopyExists: Backup's destination exists and replacing it was not
// asked for.
var ErrCopyExists = errors.New("exists; replacing it was not asked for")

// Backup copies the project at path to dest (replacing an existing file
// only when replace is set) while others may have it open, then opens the
// copy and checks it, since a backup nobody checked is a hope. It returns
// how many observations the copy holds.
func Backup(path, dest string, replace bool) (int, error) {
	if _, err := os.Stat(dest); err == nil && !replace {
		return 0, fmt.Errorf("%s %w", dest, ErrCopyExists)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return 0, fmt.Errorf("backup: %w", err)
	}
	p, err := OpenProject(path, true)
	if err != nil {
		return 0, err
	}
	defer p.Close()
	if err := p.Backup(dest); err != nil {
		return 0, err
	}
	cp, err := store.Open(dest, store.Options{ReadOnly: true})
	if err != nil {
		return 0, fmt.Errorf("the copy %s does not open: %w", dest, err)
	}
	defer cp.Close()
	if err := cp.Check(); err != nil {
		return 0, fmt.Errorf("the copy %s is damaged: %w", dest, err)
	}
	obs, err := cp.Observations()
	if err != nil {
		return 0, err
	}
	return len(obs), nil
}
