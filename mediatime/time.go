// Package mediatime is media time as an exact integer of microseconds and a
// frame rate as an exact fraction. It is a leaf (standard library only) so
// that the domain (annotate), the media engine (media) and every front end
// share one Time without media importing the domain.
package mediatime

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Time is a media time in whole microseconds from the first displayed frame.
//
// Media time is an exact integer on purpose: float seconds make 0.1+0.2 !=
// 0.3, put a point at 0.3 s into the wrong 0.1 s slice, and make an
// import/export round trip drift in the last digit. Microseconds are finer
// than any video frame interval and hold ±292,000 years in an int64.
type Time int64

// Common durations in media time.
const (
	Microsecond Time = 1
	Millisecond Time = 1000
	Second      Time = 1000 * Millisecond
	Minute      Time = 60 * Second
	Hour        Time = 60 * Minute
)

// ErrBadTime is returned (wrapped) for text that is not a decimal number of
// seconds with at most six decimals.
var ErrBadTime = errors.New("not a time in seconds")

// ParseSeconds parses decimal seconds exactly: "0.3" is 300000 µs, "12" is
// 12 s, "-1.5" is -1.5 s. It accepts at most six decimals (microseconds);
// more digits are accepted only when they are zeros, so a value written by
// another tool with trailing zeros ("1.2500000") still parses, but a value
// that cannot be represented exactly is refused rather than rounded.
// Exponents, "NaN", "Inf", hex and empty text are refused.
func ParseSeconds(s string) (Time, error) {
	orig := s
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("%w: empty", ErrBadTime)
	}
	neg := false
	switch s[0] {
	case '-':
		neg = true
		s = s[1:]
	case '+':
		s = s[1:]
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	if intPart == "" && frac == "" {
		return 0, fmt.Errorf("%w: %q", ErrBadTime, orig)
	}
	if hasDot && frac == "" && intPart == "" {
		return 0, fmt.Errorf("%w: %q", ErrBadTime, orig)
	}
	for _, r := range intPart + frac {
		if r < '0' || r > '9' {
			return 0, fmt.Errorf("%w: %q", ErrBadTime, orig)
		}
	}
	// Drop trailing zeros beyond microsecond precision; anything else there
	// would need rounding.
	if len(frac) > 6 {
		if strings.Trim(frac[6:], "0") != "" {
			return 0, fmt.Errorf("%w: %q has more than 6 decimals", ErrBadTime, orig)
		}
		frac = frac[:6]
	}
	frac += strings.Repeat("0", 6-len(frac))
	var whole int64
	if intPart != "" {
		// Strip leading zeros so ParseInt does not see an over-long string.
		intPart = strings.TrimLeft(intPart, "0")
		if intPart == "" {
			intPart = "0"
		}
		v, err := strconv.ParseInt(intPart, 10, 64)
		if err != nil || v > math.MaxInt64/int64(Second)-1 {
			return 0, fmt.Errorf("%w: %q is out of range", ErrBadTime, orig)
		}
		whole = v
	}
	micro, _ := strconv.ParseInt(frac, 10, 64) // six digits, cannot fail
	t := Time(whole)*Second + Time(micro)
	if neg {
		t = -t
	}
	return t, nil
}

// MustSeconds is ParseSeconds for constants in code and tests; it panics on
// bad input and must never be used on user data.
func MustSeconds(s string) Time {
	t, err := ParseSeconds(s)
	if err != nil {
		panic(err)
	}
	return t
}

// Seconds formats t as decimal seconds with exactly six decimals, the form
// the CSV interchange uses ("12.300000"). ParseSeconds(t.Seconds()) == t.
func (t Time) Seconds() string {
	sign := ""
	u := uint64(t)
	if t < 0 {
		sign = "-"
		u = uint64(-t)
	}
	return fmt.Sprintf("%s%d.%06d", sign, u/uint64(Second), u%uint64(Second))
}

// ShortSeconds is Seconds without trailing zeros ("0.5", "31", "-1.25"),
// for messages and labels.
func (t Time) ShortSeconds() string {
	return strings.TrimSuffix(strings.TrimRight(t.Seconds(), "0"), ".")
}

// Float is t in seconds as a float64, for display, plotting and statistics
// only; never feed it back into a Time.
func (t Time) Float() float64 { return float64(t) / float64(Second) }

// Duration converts to a time.Duration.
func (t Time) Duration() time.Duration { return time.Duration(t) * time.Microsecond }

// FromDuration converts a time.Duration, truncating below a microsecond.
func FromDuration(d time.Duration) Time { return Time(d / time.Microsecond) }

// Clock formats t as hh:mm:ss.mmm (milliseconds truncated, never rounded up
// into the next frame), the form shown in the coding window.
func (t Time) Clock() string {
	sign := ""
	if t < 0 {
		sign = "-"
		t = -t
	}
	ms := int64(t / Millisecond)
	return fmt.Sprintf("%s%02d:%02d:%02d.%03d", sign, ms/3600000, ms/60000%60, ms/1000%60, ms%1000)
}

// String is Clock, so %v prints something a person can read.
func (t Time) String() string { return t.Clock() }

// Rate is a frame rate as an exact fraction of frames per second, such as
// 30000/1001 for NTSC video.
type Rate struct {
	Num, Den int64
}

// Valid reports whether the rate is positive.
func (r Rate) Valid() bool { return r.Num > 0 && r.Den > 0 }

// Float is the rate in frames per second.
func (r Rate) Float() float64 {
	if !r.Valid() {
		return 0
	}
	return float64(r.Num) / float64(r.Den)
}

// FrameDuration is the nominal interval of one frame, truncated to a
// microsecond.
func (r Rate) FrameDuration() Time {
	if !r.Valid() {
		return 0
	}
	return Time(int64(Second) * r.Den / r.Num)
}

// String prints "30000/1001".
func (r Rate) String() string { return fmt.Sprintf("%d/%d", r.Num, r.Den) }

// MarshalJSON writes a Time as a JSON number of seconds with six decimals,
// exact both ways.
func (t Time) MarshalJSON() ([]byte, error) { return []byte(t.Seconds()), nil }

// UnmarshalJSON reads a JSON number (or a string holding one) of seconds.
func (t *Time) UnmarshalJSON(b []byte) error {
	s := string(bytes.Trim(b, `"`))
	v, err := ParseSeconds(s)
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// FrameAt is the number of the frame on screen at t under the nominal
// rate: the last frame starting at or before t (0 before the first). A
// time at most a microsecond before a frame's exact start counts as
// that frame: every timestamp here is rounded to the microsecond, by
// FFmpeg to the nearest one, so frame 1 of 30 fps video carries 0.033333 s,
// a shade before its exact 1/30 s.
func (r Rate) FrameAt(t Time) int64 {
	if !r.Valid() || t < 0 {
		return 0
	}
	return (int64(t) + 1) * r.Num / (r.Den * int64(Second))
}

// TimeOf is when frame n starts under the nominal rate, rounded up to the
// microsecond. Up, not down: frame 239 of 30 fps video starts at
// 7.9666…s; truncated to 7.966666 s that instant lies before the frame's
// own timestamp (a demuxer rounds it to 7.966667 s), so seeking there shows
// frame 238, and a coder who left at #239 came back at #238. Rounded up,
// FrameAt(TimeOf(n)) == n, and the time is never before the frame's
// timestamp however the container rounded it.
func (r Rate) TimeOf(n int64) Time {
	if !r.Valid() {
		return 0
	}
	num := n * r.Den * int64(Second)
	q := num / r.Num
	if num%r.Num > 0 {
		q++
	}
	return Time(q)
}
