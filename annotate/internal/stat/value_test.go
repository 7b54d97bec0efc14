package stat

import (
	"encoding/json"
	"math"
	"testing"
)

func TestValueForms(t *testing.T) {
	for _, c := range []struct {
		name            string
		v               Value
		text, csv, json string
	}{
		{"undefined", Value{}, "NA", "", "null"},
		{"NaN is undefined", Of(math.NaN()), "NA", "", "null"},
		{"infinity is undefined", Of(math.Inf(1)), "NA", "", "null"},
		{"zero denominator", Ratio(3, 0), "NA", "", "null"},
		{"ratio", Ratio(1, 8), "0.1250", "0.125", "0.125"},
		{"negative", Of(-0.9428090415820634), "-0.9428", "-0.942809", "-0.9428090415820634"},
		{"rounds to zero without a sign", Of(-0.00000001), "0.0000", "0", "-1e-08"},
		{"whole number", Of(2), "2.0000", "2", "2"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := c.v.String(); got != c.text {
				t.Errorf("String() = %q, want %q", got, c.text)
			}
			if got := c.v.CSV(); got != c.csv {
				t.Errorf("CSV() = %q, want %q", got, c.csv)
			}
			b, err := json.Marshal(c.v)
			if err != nil || string(b) != c.json {
				t.Errorf("JSON = %s, %v; want %s", b, err, c.json)
			}
			var back Value
			if err := json.Unmarshal(b, &back); err != nil || back.Valid != c.v.Valid || (back.Valid && back.V != c.v.V) {
				t.Errorf("JSON round trip: %+v, %v; want %+v", back, err, c.v)
			}
		})
	}
	if p := Of(0.923).Percent(); p.Format(1) != "92.3" {
		t.Errorf("Percent of 0.923 = %s", p.Format(1))
	}
	if p := (Value{}).Percent(); p.Valid {
		t.Error("Percent of an undefined value is defined")
	}
}
