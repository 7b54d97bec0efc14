// Package assets holds what ships inside the dyadcode binary: the default
// coding scheme and the application icon. The demo project's media is
// copied out of here on first use so the shipped copy stays pristine.
package assets

import "embed"

// StrangeSituationScheme is the default coding scheme (JSON), covering the 8
// episodes of Ainsworth's Strange Situation Procedure.
//
//go:embed strange-situation.json
var StrangeSituationScheme []byte

// Demo holds the demo session: a 60 s, 25 fps compressed Strange Situation
// (session.mp4, timecode and frame number burned in) and two coders'
// observations of it (alice.csv, ben.csv) in dyadcode's CSV format. The GUI
// and `dyadcode demo` build a project from these in the user's data
// directory on first use.
//
//go:embed demo/session.mp4 demo/alice.csv demo/ben.csv
var Demo embed.FS
