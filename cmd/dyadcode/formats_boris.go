package main

import "dyadcode/annotate/boris"

// BORIS tabular and aggregated event exports and .boris project files
// (annotate/boris), import only. .tsv and .boris select it by extension; a
// .csv file is dyadcode's own CSV unless --format boris says otherwise.
func init() {
	registerFormat(&format{name: "boris", exts: []string{".tsv", ".boris"}, read: boris.Read})
}
