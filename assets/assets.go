// Package assets holds what ships inside the dyadcode binary: the default
// coding scheme and the application icon. The demo project's media is
// copied out of here on first use so the shipped copy stays pristine.
package assets

import _ "embed"

// StrangeSituationScheme is the default coding scheme (JSON), covering the 8
// episodes of Ainsworth's Strange Situation Procedure.
//
//go:embed strange-situation.json
var StrangeSituationScheme []byte
