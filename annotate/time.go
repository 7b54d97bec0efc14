// Package annotate is dyadcode's domain: media time, the coding scheme,
// events, episodes, observations and the edit commands shared by the GUI and
// the command line. It imports neither Fyne, bbolt nor FFmpeg, so everything
// here is testable with plain `go test`.
package annotate

import (
	"time"

	"dyadcode/mediatime"
)

// Time and Rate live in the leaf package mediatime so that media can share
// them without importing the domain; the aliases keep annotate.Time the name
// the domain code and its callers use.
type (
	// Time is a media time in whole microseconds (see mediatime.Time).
	Time = mediatime.Time
	// Rate is a frame rate as an exact fraction (see mediatime.Rate).
	Rate = mediatime.Rate
)

// Common durations in media time.
const (
	Microsecond = mediatime.Microsecond
	Millisecond = mediatime.Millisecond
	Second      = mediatime.Second
	Minute      = mediatime.Minute
	Hour        = mediatime.Hour
)

// ErrBadTime is mediatime.ErrBadTime, for callers that test for it.
var ErrBadTime = mediatime.ErrBadTime

// ParseSeconds parses decimal seconds exactly (see mediatime.ParseSeconds).
func ParseSeconds(s string) (Time, error) { return mediatime.ParseSeconds(s) }

// MustSeconds is ParseSeconds for constants in code and tests; it panics on
// bad input.
func MustSeconds(s string) Time { return mediatime.MustSeconds(s) }

// FromDuration converts a time.Duration, truncating below a microsecond.
func FromDuration(d time.Duration) Time { return mediatime.FromDuration(d) }
