// Package stat holds what the analysis packages (agreement, sequential)
// share about a statistic: it may be undefined (a zero denominator), and an
// undefined value must reach R, SPSS and pandas as missing, never as 0 or
// NaN. One type, so the JSON, text and CSV forms cannot drift apart between
// the agreement and the sequential reports.
package stat

import (
	"fmt"
	"math"
	"strconv"
)

// Value is a statistic that may be undefined. The zero Value is undefined
// and marshals to JSON null; a NaN or infinite result is never Valid.
type Value struct {
	V     float64
	Valid bool
}

// Of makes a Value, undefined when v is NaN or infinite.
func Of(v float64) Value {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return Value{}
	}
	return Value{V: v, Valid: true}
}

// Ratio is num/den, undefined when den is 0.
func Ratio(num, den float64) Value {
	if den == 0 {
		return Value{}
	}
	return Of(num / den)
}

// MarshalJSON writes the number, or null when undefined.
func (v Value) MarshalJSON() ([]byte, error) {
	if !v.Valid || math.IsNaN(v.V) || math.IsInf(v.V, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, v.V, 'g', -1, 64), nil
}

// UnmarshalJSON reads a number or null.
func (v *Value) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*v = Value{}
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("statistic %q: %w", b, err)
	}
	*v = Of(f)
	return nil
}

// Format prints the value with prec decimals, or "NA" when undefined (the
// form R and SPSS read as missing); a value that rounds to zero prints
// without a minus sign.
func (v Value) Format(prec int) string {
	if !v.Valid {
		return "NA"
	}
	s := strconv.FormatFloat(v.V, 'f', prec, 64)
	if f, _ := strconv.ParseFloat(s, 64); f == 0 {
		return strconv.FormatFloat(0, 'f', prec, 64) // no "-0.00"
	}
	return s
}

// String prints 4 decimals or NA.
func (v Value) String() string { return v.Format(4) }

// CSV prints up to 6 decimals without trailing zeros, or "" when undefined
// (an empty cell, which R, SPSS and pandas read as missing).
func (v Value) CSV() string {
	if !v.Valid {
		return ""
	}
	s := strconv.FormatFloat(v.V, 'f', 6, 64)
	for len(s) > 1 && s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	if len(s) > 0 && s[len(s)-1] == '.' {
		s = s[:len(s)-1]
	}
	if s == "-0" {
		return "0"
	}
	return s
}

// Percent is 100·v, undefined when v is.
func (v Value) Percent() Value {
	if !v.Valid {
		return Value{}
	}
	return Of(100 * v.V)
}
