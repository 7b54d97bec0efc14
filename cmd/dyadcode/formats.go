package main

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"dyadcode/annotate"
)

// format is an interchange file format for `import` and `export`. Each
// format registers itself from init in its own file (formats_*.go).
type format struct {
	name string   // --format value: csv, eaf, boris, sdis
	exts []string // file extensions that select it on import, lower case with dot
	// read parses a whole file; it validates everything first and returns
	// errors as "FILE:LINE: problem". nil when the format is export-only.
	read func(r io.Reader, name string, scheme *annotate.Scheme) ([]annotate.Transfer, error)
	// write writes observations; nil when the format is import-only.
	write func(w io.Writer, recs []annotate.Transfer, scheme *annotate.Scheme) error
}

var formats = map[string]*format{}

func registerFormat(f *format) {
	if _, dup := formats[f.name]; dup {
		panic("dyadcode: format registered twice: " + f.name)
	}
	// One format per extension, so choosing by extension never depends
	// on map order.
	for _, other := range formats {
		for _, e := range f.exts {
			if slices.Contains(other.exts, e) {
				panic("dyadcode: extension " + e + " registered by formats " + other.name + " and " + f.name)
			}
		}
	}
	formats[f.name] = f
}

// formatFor picks a format by --format name, else by the file's extension.
func formatFor(name, path string) (*format, error) {
	if name != "" {
		f, ok := formats[name]
		if !ok {
			return nil, usagef("unknown format %q (known: %s)", name, formatNames())
		}
		return f, nil
	}
	ext := strings.ToLower(filepath.Ext(path))
	for _, f := range formats {
		for _, e := range f.exts {
			if e == ext {
				return f, nil
			}
		}
	}
	return nil, fmt.Errorf("%s: cannot tell the format from the extension %q; use --format (%s)", path, ext, formatNames())
}

func formatNames() string {
	var names []string
	for n := range formats {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}
