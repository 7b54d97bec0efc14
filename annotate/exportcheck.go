package annotate

import (
	"errors"
	"fmt"
)

// CheckExport is what an interchange exporter (ELAN, SDIS) checks before it writes anything: that
// it has the scheme and at least one observation, and that every
// observation is valid against the scheme. format names the exporter in
// the messages ("ELAN export"). All problems are joined into one error,
// so the user can fix them in one go.
func CheckExport(format string, recs []Transfer, s *Scheme) error {
	if s == nil {
		return fmt.Errorf("%s needs the coding scheme", format)
	}
	if len(recs) == 0 {
		return fmt.Errorf("%s: no observations to write", format)
	}
	var errs []error
	for i, r := range recs {
		if r.Obs == nil {
			errs = append(errs, fmt.Errorf("observation %d: no data", i+1))
			continue
		}
		if err := r.Obs.Validate(s); err != nil {
			errs = append(errs, fmt.Errorf("observation %s (%s): %w", r.Obs.ID, r.Obs.Coder, err))
		}
	}
	return errors.Join(errs...)
}
