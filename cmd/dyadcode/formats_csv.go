package main

import "dyadcode/annotate/csvio"

// The tidy long CSV (annotate/csvio) is dyadcode's own interchange format:
// what export writes by default and what import, metrics, plot, report and
// agree read.
func init() {
	registerFormat(&format{name: "csv", exts: []string{".csv"}, read: csvio.Read, write: csvio.Write})
}
