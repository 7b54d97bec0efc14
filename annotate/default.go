package annotate

import (
	"fmt"

	"dyadcode/assets"
)

// DefaultScheme returns a fresh copy of the bundled Strange Situation scheme.
func DefaultScheme() *Scheme {
	s, err := ParseScheme(assets.StrangeSituationScheme)
	if err != nil {
		// The asset is checked by TestDefaultScheme; reaching this means the
		// binary was built from a broken tree.
		panic(fmt.Sprintf("bundled scheme is invalid: %v", err))
	}
	return s
}
