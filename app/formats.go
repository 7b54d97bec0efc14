package app

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"dyadcode/annotate"
	"dyadcode/annotate/boris"
	"dyadcode/annotate/csvio"
	"dyadcode/annotate/eaf"
	"dyadcode/annotate/observer"
	"dyadcode/annotate/sdis"
)

// Format is an interchange file format for import and export.
type Format struct {
	Name string   // the --format value: csv, eaf, boris, sdis
	Exts []string // extensions that select it, lower case with the dot
	// Read parses a whole file; it validates everything first and returns
	// errors as "FILE:LINE: problem". nil when the format is export-only.
	Read func(r io.Reader, name string, scheme *annotate.Scheme) ([]annotate.Transfer, error)
	// Write writes observations; nil when the format is import-only.
	Write func(w io.Writer, recs []annotate.Transfer, scheme *annotate.Scheme) error
}

// Sentinel errors of the format choice.
var (
	// ErrUnknownFormat: no format has the name asked for.
	ErrUnknownFormat = errors.New("unknown format")
	// ErrFormatFromName: the file's extension names no format.
	ErrFormatFromName = errors.New("cannot tell the format from the extension")
	// ErrExportOnly: the format cannot be read.
	ErrExportOnly = errors.New("format is export-only")
	// ErrImportOnly: the format cannot be written.
	ErrImportOnly = errors.New("format is import-only")
)

// Formats lists every interchange format, sorted by name. Each extension
// belongs to one format, so choosing by extension never depends on order.
//
//   - boris: BORIS tabular and aggregated event exports and .boris project
//     files, import only (a BORIS .csv needs the name: .csv is dyadcode's).
//   - csv: dyadcode's tidy long CSV, both ways; what export writes by
//     default and what metrics, plot, report and agree read.
//   - datavyu: Datavyu spreadsheets (.opf), import only.
//   - eaf: ELAN's EAF, both ways (reads 2.7 to 3.0).
//   - observer: The Observer XT's text export of event logs, import only,
//     chosen by name (its files are .txt).
//   - sdis: SDIS timed-event data for GSEQ, export only.
func Formats() []*Format {
	return []*Format{
		{Name: "boris", Exts: []string{".tsv", ".boris"}, Read: boris.Read},
		{Name: "csv", Exts: []string{".csv"}, Read: csvio.Read, Write: csvio.Write},
		{Name: "datavyu", Exts: []string{".opf"}, Read: readDatavyu},
		{Name: "eaf", Exts: []string{".eaf"}, Read: eaf.Read, Write: eaf.Write},
		{Name: "observer", Read: observer.ReadEvents},
		{Name: "sdis", Exts: []string{".sds", ".sdis"}, Write: sdis.Write},
	}
}

// FormatNames is "boris, csv, datavyu, eaf, observer, sdis", for help
// texts and errors.
func FormatNames() string {
	var names []string
	for _, f := range Formats() {
		names = append(names, f.Name)
	}
	return strings.Join(names, ", ")
}

// FormatFor picks a format by name, else (name "") by path's extension.
func FormatFor(name, path string) (*Format, error) {
	if name != "" {
		for _, f := range Formats() {
			if f.Name == name {
				return f, nil
			}
		}
		return nil, fmt.Errorf("%w %q (known: %s)", ErrUnknownFormat, name, FormatNames())
	}
	ext := strings.ToLower(filepath.Ext(path))
	for _, f := range Formats() {
		for _, e := range f.Exts {
			if e == ext {
				return f, nil
			}
		}
	}
	return nil, fmt.Errorf("%s: %w %q; use --format (%s)", path, ErrFormatFromName, ext, FormatNames())
}
