package main

import "dyadcode/annotate/sdis"

// SDIS timed-event data for GSEQ sequential analysis (annotate/sdis),
// export only.
func init() {
	registerFormat(&format{name: "sdis", exts: []string{".sds", ".sdis"}, write: sdis.Write})
}
