package main

import "dyadcode/ui"

// The binary always links the coding window: `dyadcode` with no arguments
// opens it on the last project (or the demo), `dyadcode open` on a given
// one.
func init() {
	runGUI = func(project string) error { return ui.Run(ui.Options{Project: project}) }
}
