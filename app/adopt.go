package app

import (
	"fmt"
	"io"

	"dyadcode/annotate"
	"dyadcode/annotate/adopt"
	"dyadcode/annotate/datavyu"
	"dyadcode/annotate/eaf"
)

// AdoptScheme reads another tool's file (a BORIS project, an ELAN file or
// template, an Observer XT coding scheme, a Datavyu spreadsheet) and
// returns the scheme a project based on current gets from it, with what
// could not be carried over, one item a line. current's episodes and
// ratings stay when the tool has none; with current nil the bundled
// Strange Situation scheme's do. Both `dyadcode new --scheme-from`,
// `dyadcode scheme --import-from` and the scheme editor call it.
func AdoptScheme(path string, current *annotate.Scheme) (*annotate.Scheme, []string, error) {
	res, err := adopt.FromFile(path)
	if err != nil {
		return nil, nil, err
	}
	if current == nil {
		current = annotate.DefaultScheme()
	}
	s := adopt.Into(current, res)
	if err := s.Validate(); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, res.NotCarried, nil
}

// maxDatavyuBytes bounds an .opf read into memory (it is unzipped with
// its own bounds).
const maxDatavyuBytes = 256 << 20

// readDatavyu reads a Datavyu .opf as an import format.
func readDatavyu(r io.Reader, name string, s *annotate.Scheme) ([]annotate.Transfer, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxDatavyuBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(data) > maxDatavyuBytes {
		return nil, fmt.Errorf("%s: %w: larger than %d MiB", name, datavyu.ErrMalformed, maxDatavyuBytes>>20)
	}
	f, err := datavyu.ParseOPF(name, data)
	if err != nil {
		return nil, err
	}
	return f.Read(s)
}

// mappedEAF is the ELAN reader with a tier mapping: m, else the file at
// mappingPath.
func mappedEAF(mappingPath string, m *eaf.Mapping) func(io.Reader, string, *annotate.Scheme) ([]annotate.Transfer, error) {
	return func(r io.Reader, name string, s *annotate.Scheme) ([]annotate.Transfer, error) {
		if m == nil {
			var err error
			if m, err = ReadMapping(mappingPath); err != nil {
				return nil, err
			}
		}
		return eaf.ReadMapped(r, name, s, m)
	}
}
