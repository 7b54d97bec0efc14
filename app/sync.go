package app

import (
	"fmt"

	"dyadcode/media/avsync"
	"dyadcode/media/avsync/decode"
)

// Sync estimates where other's time 0 lies on ref's timeline from the
// two files' sound (docs/sync.md): the action behind `dyadcode sync`, and
// what adding a view will propose.
func Sync(ref, other string) (avsync.Result, error) {
	a, err := decode.Mono(ref, avsync.DefaultRate)
	if err != nil {
		return avsync.Result{}, err
	}
	b, err := decode.Mono(other, avsync.DefaultRate)
	if err != nil {
		return avsync.Result{}, err
	}
	r, err := avsync.Estimate(a, b, avsync.DefaultRate)
	if err != nil {
		return r, fmt.Errorf("sync %s with %s: %w", other, ref, err)
	}
	return r, nil
}
