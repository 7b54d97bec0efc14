package app

import (
	"fmt"
	"os"

	"dyadcode/annotate"
	"dyadcode/annotate/eaf"
)

// ReadMapping reads a tier mapping file (JSON or CSV, see eaf.Mapping).
func ReadMapping(path string) (*eaf.Mapping, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("mapping: %w", err)
	}
	defer f.Close()
	return eaf.ParseMapping(f, path)
}

// ELANTiers lists an ELAN file's tiers with the role import would give
// each under s, marking the ones it cannot recognise; the window's
// mapping dialog asks about those.
func ELANTiers(path string, s *annotate.Scheme) ([]eaf.Suggestion, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	d, err := eaf.Parse(f, path)
	if err != nil {
		return nil, err
	}
	return d.Suggest(s, nil), nil
}
