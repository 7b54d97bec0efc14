package sequential

import (
	"fmt"

	"dyadcode/annotate"
)

// Report is the result of Analyze. Its JSON keys are a contract: params,
// lag {codes, total, cells: [{given, target, count, expected, probability,
// adjusted_residual, yules_q}]}, window {given, target, a, b, c, d,
// yules_q, odds_ratio, adjusted_residual, p_target_given,
// p_target_not_given}; keys are added, never renamed.
type Report struct {
	Params   Params       `json:"params"`
	Lag      *LagTable    `json:"lag"`
	Window   *WindowTable `json:"window,omitempty"`
	Episodes []EpisodeRun `json:"episodes,omitempty"`
	Warnings []string     `json:"warnings,omitempty"`
}

// Params records what was analysed.
type Params struct {
	Observations []string      `json:"observations"`
	Codes        []string      `json:"codes"`
	Lag          int           `json:"lag"`
	NoSelf       bool          `json:"self_transitions_structural_zeros"`
	Episode      string        `json:"episode,omitempty"`
	From         annotate.Time `json:"from_s"`
	To           annotate.Time `json:"to_s,omitempty"`
	Duration     annotate.Time `json:"duration_s,omitempty"`
	Given        string        `json:"given,omitempty"`
	Target       string        `json:"target,omitempty"`
	WindowLo     annotate.Time `json:"window_lo_s,omitempty"`
	WindowHi     annotate.Time `json:"window_hi_s,omitempty"`
	Unit         annotate.Time `json:"unit_s,omitempty"`
	Permutations int           `json:"permutations,omitempty"`
	Seed         uint64        `json:"seed,omitempty"`
}

// EpisodeRun is both analyses restricted to one episode.
type EpisodeRun struct {
	Name   string       `json:"name"`
	Lag    *LagTable    `json:"lag"`
	Window *WindowTable `json:"window,omitempty"`
}

// Analyze runs the event lag table and, when opt.Window is set, the
// time-window contingency over the observations, pooled. s may be nil; it
// supplies the default code list, checks requested codes, and says
// whether a code is a point or a state.
func Analyze(in []Input, s *annotate.Scheme, opt Options) (*Report, error) {
	a := &analysis{scheme: s, opt: opt}
	if err := a.setup(in); err != nil {
		return nil, err
	}
	r := &Report{Params: Params{Codes: a.codes, Lag: a.lag, NoSelf: opt.NoSelf, Episode: opt.Episode,
		From: opt.From, To: opt.To, Duration: opt.Duration, Permutations: opt.Permutations}}
	if opt.Permutations > 0 {
		r.Params.Seed = opt.Seed
	}
	if w := opt.Window; w != nil {
		r.Params.Given, r.Params.Target = w.Given, w.Target
		r.Params.WindowLo, r.Params.WindowHi, r.Params.Unit = w.Lo, w.Hi, a.unit
	}
	for _, x := range in {
		r.Params.Observations = append(r.Params.Observations, x.Obs.ID)
	}
	segs := a.segments(opt.Episode)
	if opt.Episode != "" && len(segs) == 0 {
		return nil, fmt.Errorf("%w: %q", ErrNoEpisode, opt.Episode)
	}
	var err error
	if r.Lag, r.Window, err = a.run(segs); err != nil {
		return nil, err
	}
	if opt.PerEpisode {
		for _, name := range a.episodeNames() {
			run := EpisodeRun{Name: name}
			if run.Lag, run.Window, err = a.run(a.segments(name)); err != nil {
				return nil, fmt.Errorf("episode %s: %w", name, err)
			}
			r.Episodes = append(r.Episodes, run)
		}
	}
	r.Warnings = a.warnings
	return r, nil
}

// run computes both analyses over segments.
func (a *analysis) run(segs []*segment) (*LagTable, *WindowTable, error) {
	lt, err := a.lagTable(segs)
	if err != nil {
		return nil, nil, err
	}
	var wt *WindowTable
	if a.opt.Window != nil {
		wt = a.windowTable(segs)
	}
	return lt, wt, nil
}
