package main

import (
	"errors"
	"fmt"
	"io"

	"dyadcode/annotate"
	"dyadcode/annotate/eaf"
)

// ELAN's EAF 3.0, both ways (annotate/eaf): export for coders who review or
// extend coding in ELAN, import of EAF files whether dyadcode or ELAN wrote
// them.
func init() {
	registerFormat(&format{name: "eaf", exts: []string{".eaf"}, read: eaf.Read, write: writeEAF})
}

// writeEAF adds the command-line remedy to the one refusal a project
// export commonly meets: an EAF file belongs to one video.
func writeEAF(w io.Writer, recs []annotate.Transfer, s *annotate.Scheme) error {
	err := eaf.Write(w, recs, s)
	if errors.Is(err, eaf.ErrSeveralVideos) {
		return fmt.Errorf("%w; choose one video's observations with --observation ID[,ID...] (see 'dyadcode observations')", err)
	}
	return err
}
