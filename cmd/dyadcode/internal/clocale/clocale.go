// Package clocale quiets Fyne's locale lookup under the C locale.
//
// Debian containers and CI run with LANG=C.UTF-8. Fyne's lang package reads
// the locale in its init and logs "Error parsing user locale C" three times
// for every run of the binary, headless subcommands included, because "C"
// is not a BCP 47 tag. When the locale is C or POSIX and LANGUAGE is unset,
// setting LANGUAGE=en makes the lookup find English, which is what Fyne
// falls back to anyway.
//
// The package must be initialised before fyne.io/fyne/v2/lang. Go
// initialises packages in import-path order among those whose imports are
// done, and this one imports only os and strings, so importing it (blank)
// from main is enough: "dyadcode/…" sorts before "fyne.io/…".
package clocale

import (
	"os"
	"strings"
)

func init() { apply(os.Getenv, os.Setenv) }

// apply is init with the environment passed in, for tests.
func apply(get func(string) string, set func(string, string) error) {
	loc := ""
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if loc = get(k); loc != "" {
			break
		}
	}
	base, _, _ := strings.Cut(loc, ".")
	if (base == "C" || base == "POSIX") && get("LANGUAGE") == "" {
		_ = set("LANGUAGE", "en")
	}
}
