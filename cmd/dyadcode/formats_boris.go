package main

import "dyadcode/annotate/boris"

// BORIS tabular and aggregated event exports (annotate/boris), import only.
// Only .tsv selects it by extension: a .csv file is dyadcode's own CSV
// unless --format boris says otherwise.
func init() {
	registerFormat(&format{name: "boris", exts: []string{".tsv"}, read: boris.Read})
}
