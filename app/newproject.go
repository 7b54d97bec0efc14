package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// A new project never replaces one: CheckNewProject refuses a name that
// is taken, and FreeProjectName proposes one that is not. (Fyne's save
// dialog opened the chosen file for writing, truncating it, as soon as
// the coder answered "Overwrite? Yes": that is how File ▸ New project
// over the open project, whose name it proposed, destroyed a day's
// coding. store.Create is O_EXCL as well; this names the problem before
// anything is touched.)

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
