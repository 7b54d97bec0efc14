package app

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"dyadcode/annotate"
	"dyadcode/store"
)

// ErrNoProject: the project file named does not exist. It wraps
// fs.ErrNotExist, so errors.Is(err, os.ErrNotExist) holds too.
var ErrNoProject = fmt.Errorf("no such project: %w", fs.ErrNotExist)

// ErrNotDyad: a new project's name does not end in .dyad.
var ErrNotDyad = errors.New("project files end in .dyad")

// OpenProject opens a project for writing (with the store's rolling
// backups), or read-only for work that only reads, so several readers and
// a coding window can have it open together. A missing file is
// ErrNoProject, with the command that makes one.
func OpenProject(path string, readOnly bool) (*store.Project, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: no such project (create it with 'dyadcode new %s'): %w", path, path, fs.ErrNotExist)
	}
	return store.Open(path, store.Options{ReadOnly: readOnly})
}

// CreateProject makes an empty project at path with scheme (the bundled
// Strange Situation scheme when nil) and closes it again, so the caller
// opens it like any other project.
func CreateProject(path string, scheme *annotate.Scheme) error {
	if !strings.EqualFold(filepath.Ext(path), ".dyad") {
		return fmt.Errorf("%q: %w", path, ErrNotDyad)
	}
	if scheme == nil {
		scheme = annotate.DefaultScheme()
	}
	p, err := store.Create(path, scheme)
	if err != nil {
		return err
	}
	if err := p.Close(); err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	return nil
}

// ReadSchemeFile reads and validates a scheme JSON file; the error lists
// every problem with the file's name.
func ReadSchemeFile(path string) (*annotate.Scheme, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read scheme: %w", err)
	}
	s, err := annotate.ParseScheme(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// ProjectAdvice says what to do when a project cannot be opened or made.
func ProjectAdvice(err error) string {
	switch {
	case errors.Is(err, store.ErrLocked):
		return "Another dyadcode window or command has it open. Close that one and try again."
	case errors.Is(err, store.ErrNewerVersion):
		return "It was saved by a newer dyadcode. Install the newer version to open it."
	case errors.Is(err, store.ErrNotProject):
		return "Pick a .dyad project file. If this is one, it is damaged: restore a copy from the folder “NAME backups” beside it."
	case errors.Is(err, store.ErrExists), errors.Is(err, fs.ErrExist):
		return "Choose another name or folder."
	case errors.Is(err, os.ErrNotExist):
		return "The file is not there any more. Open it from its new place with File ▸ Open project."
	case errors.Is(err, os.ErrPermission):
		return "You have no permission to write it. Copy it somewhere you can write, or ask for access."
	}
	return "Check the file and try again; the rest of the window keeps working."
}

// VideoAdvice says what to do when a video cannot be opened or added.
func VideoAdvice(err error) string {
	switch {
	case errors.Is(err, os.ErrNotExist):
		return "The file has moved or its drive is not mounted. Mount it, or run dyadcode relocate PROJECT.dyad FOLDER to find it by content. You can still code by frame without the picture."
	case errors.Is(err, os.ErrPermission):
		return "You have no permission to read the file."
	case errors.Is(err, ErrProjectNotVideo):
		return "That is a dyadcode project; open it with File ▸ Open project instead."
	}
	return "Convert it to H.264 MP4 (dyadcode proxy makes a coding-friendly copy with the same timestamps) and add that. You can still code by frame without the picture."
}

// EditAdvice says what to do about an error from an edit.
func EditAdvice(err error) string {
	switch {
	case errors.Is(err, annotate.ErrEndBeforeStart):
		return "An end cannot come before its start: move the playhead past the start first."
	case errors.Is(err, annotate.ErrUnknownCode):
		return "Add the behaviour in Coding ▸ Scheme, or use another key."
	case errors.Is(err, annotate.ErrExclusiveOverlap):
		return "States of one exclusive group follow each other: end the running one first, or move the edge only up to its neighbour."
	case errors.Is(err, annotate.ErrOutsideVideo):
		return "Events lie between the start and the end of the video."
	case errors.Is(err, store.ErrReadOnly):
		return "The project is open read-only; reopen it normally to edit."
	case errors.Is(err, os.ErrNotExist):
		return "The file has moved: relocate it (dyadcode relocate) or add it again."
	}
	return "Nothing already saved is lost. Try again; if it keeps happening, note the message for the maintainers."
}

// CheckNewProject refuses a path CreateProject would refuse, before the
// user is asked anything else: a name not ending in .dyad, or a file that
// is already there (a new project never replaces a file).
func CheckNewProject(path string) error {
	if !strings.EqualFold(filepath.Ext(path), ".dyad") {
		return fmt.Errorf("%q: %w", path, ErrNotDyad)
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s %w (a new project needs a new name; nothing was changed)", path, store.ErrExists)
	}
	return nil
}
