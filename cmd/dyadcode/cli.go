package main

// Helpers several commands share: the command line's face on the app
// layer (usage errors, standard output for "-o -").

import (
	"errors"
	"io"
	"strings"

	"dyadcode/app"
)

// loadCoded is app.LoadCoded with the command line's flags: a
// comma-separated --observation list, and mixing a project with other
// inputs as a usage error.
func loadCoded(paths []string, sel, schemePath string) (*app.Coded, error) {
	in, err := app.LoadCoded(paths, app.SplitIDs(sel), schemePath)
	if errors.Is(err, app.ErrMixedInput) || errors.Is(err, app.ErrSchemeWithProject) {
		return nil, usageError{err.Error()}
	}
	return in, err
}

// obsIDs lists the observations' IDs for a message.
func obsIDs(obs []app.CodedObs) string {
	var ids []string
	for _, o := range obs {
		ids = append(ids, o.Obs.ID)
	}
	if len(ids) == 0 {
		return "none"
	}
	return strings.Join(ids, ", ")
}

// writeOutput writes to path, or to standard output when path is empty;
// a file is written whole or not at all.
func writeOutput(env *cmdEnv, path string, write func(io.Writer) error) error {
	if path == "" {
		return write(env.stdout)
	}
	return app.WriteFile(path, write)
}

// formatFor is app.FormatFor with an unknown --format name as a mistake in
// the command line.
func formatFor(name, path string) (*app.Format, error) {
	f, err := app.FormatFor(name, path)
	if errors.Is(err, app.ErrUnknownFormat) {
		return nil, usageError{err.Error()}
	}
	return f, err
}
