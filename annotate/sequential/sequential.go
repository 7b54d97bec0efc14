// Package sequential answers "does B follow A more often than chance?" in
// the coding of a session, as interaction researchers do with lag
// sequential analysis (Bakeman & Quera, "Sequential Analysis and
// Observational Methods for the Behavioral Sciences", 2011; the GSEQ
// program):
//
//   - the event lag table: transitions between the onsets of the chosen
//     codes at lag L, with transitional probabilities, expected counts,
//     adjusted residuals and Yule's Q, optionally with self-transitions as
//     structural zeros (expected counts by iterative proportional fitting)
//     and a seeded permutation test of Q;
//   - the time-window contingency: is the target code present in the time
//     units within [lo, hi) of an onset of the given code more often than
//     in the other units?
//
// Every number is defined in docs/sequential.md. Time is exact integer
// media time (annotate.Time), so which unit a state or a window covers is
// decided by integer comparisons with the same midpoint rule as the
// agreement slices (annotate.MidpointSlices). Floating point is used only
// for the final ratios. A statistic whose denominator is zero is undefined
// (Value{}: JSON null, an empty CSV cell, "NA" in text), never 0.
//
// Observations are pooled by summing their tables; a sequence never runs
// from one observation (or one episode, when restricted to episodes) into
// the next.
package sequential

import (
	"errors"

	"dyadcode/annotate"
	"dyadcode/annotate/internal/stat"
)

// Sentinel errors callers may test for.
var (
	// ErrInput is wrapped by every error about unusable input: no
	// observations, an unknown or repeated code, a bad lag or window.
	ErrInput = errors.New("sequential: unusable input")
	// ErrNoEpisode is returned (wrapped) when the requested episode is
	// marked in none of the observations.
	ErrNoEpisode = errors.New("episode is not marked in any observation")
)

// Value is a statistic that may be undefined: JSON null, an empty CSV cell,
// "NA" in text (the one type the agreement report uses too).
type Value = stat.Value

// Of makes a Value, undefined when v is NaN or infinite.
func Of(v float64) Value { return stat.Of(v) }

// ratio is num/den, undefined when den is 0.
func ratio(num, den float64) Value { return stat.Ratio(num, den) }

// Input is one observation to analyse with the length of its session.
type Input struct {
	Obs *annotate.Observation
	// End is D, the end of the session [0, D): the video's duration. 0 =
	// Options.Duration, else the largest time the observation reaches.
	End annotate.Time
}

// Defaults and limits of Options.
const (
	DefaultUnit = annotate.Second
	// MaxUnits bounds the units of one observation (a day at 0.01 s is
	// 8.6 million), so a typo in a duration or unit cannot exhaust memory.
	MaxUnits = 20_000_000
	// MaxPermutations bounds Options.Permutations.
	MaxPermutations = 1_000_000
)

// WindowSpec asks for a time-window contingency.
type WindowSpec struct {
	Given, Target string
	// The window [Lo, Hi) relative to each onset of Given; Lo may be
	// negative (the target before the given code). Lo < Hi.
	Lo, Hi annotate.Time
	// Unit is w, the width of a time unit; 0 = DefaultUnit.
	Unit annotate.Time
}

// Options controls Analyze.
type Options struct {
	// Codes are the codes of the lag table, in the order that also breaks
	// ties between onsets at the same instant. nil = every behaviour of
	// the scheme in scheme order; without a scheme, the codes the inputs
	// use, sorted.
	Codes []string
	// Lag is L ≥ 1; 0 = 1.
	Lag int
	// NoSelf declares self-transitions structural zeros: they are not
	// counted and the expected counts come from iterative proportional
	// fitting over the other cells.
	NoSelf bool
	// Window, when set, adds a time-window contingency.
	Window *WindowSpec
	// Episode restricts the analysis to the spans of this episode.
	Episode string
	// From and To restrict the analysis to [From, To) of every
	// observation; To = 0 is the end of each observation.
	From, To annotate.Time
	// Duration is D for inputs without an End.
	Duration annotate.Time
	// Permutations > 0 runs a permutation test of every lag cell's Q with
	// this many shuffles, seeded by Seed.
	Permutations int
	Seed         uint64
	// PerEpisode adds a run of both analyses for every episode name.
	PerEpisode bool
}
