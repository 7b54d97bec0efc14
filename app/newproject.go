package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// A new project never replaces one: NewProjectPath refuses a name that is
// taken, and FreeProjectName proposes one that is not. (Fyne's save
// dialog opened the chosen file for writing, truncating it, as soon as
// the coder answered "Overwrite? Yes": that is how File ▸ New project
// over the open project, whose name it proposed, destroyed a day's
// coding. store.Create is O_EXCL as well; this names the problem before
// anything is touched.)

// ErrProjectExists: the name chosen for a new project is taken.
var ErrProjectExists = errors.New("already exists")

// NewProjectPath turns a typed name into the new project's path in dir:
// ".dyad" added, no folders in the name, never an existing file.
func NewProjectPath(dir, name string) (string, error) {
	name = strings.TrimSpace(name)
	name = strings.TrimSuffix(name, ".dyad")
	switch {
	case name == "":
		return "", errors.New("type a name for the new project")
	case strings.ContainsAny(name, `/\`):
		return "", fmt.Errorf("%q: a name, not a path (choose the folder with Folder…)", name)
	}
	path := filepath.Join(dir, name+".dyad")
	if _, err := os.Lstat(path); err == nil {
		return "", fmt.Errorf("%s %w in %s: a new project needs a new name; nothing was changed", filepath.Base(path), ErrProjectExists, dir)
	}
	return path, nil
}

// FreeProjectName proposes a name for a new project in dir: base, or
// "base 2", "base 3"… when that is taken.
func FreeProjectName(dir, base string) string {
	name := base
	for i := 2; ; i++ {
		if _, err := os.Lstat(filepath.Join(dir, name+".dyad")); errors.Is(err, os.ErrNotExist) {
			return name
		}
		name = fmt.Sprintf("%s %d", base, i)
	}
}
