package report

import (
	"bytes"
	"strings"
	"testing"

	"dyadcode/annotate"
	"dyadcode/annotate/sequential"
)

func TestSequentialSection(t *testing.T) {
	in := input()
	var buf bytes.Buffer
	if err := Write(&buf, in); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "Sequential analysis") {
		t.Error("a report without the option has a sequential section")
	}
	in.Sequential = &sequential.Options{Window: &sequential.WindowSpec{Given: "explore", Target: "smile", Hi: 5 * annotate.Second}}
	buf.Reset()
	if err := Write(&buf, in); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	// alice (observation 1): explore 2 s, smile 5 s, distress 35 s,
	// approach 40 s, in scheme order approach, explore, distress, smile:
	// explore→smile once of N = 3, e = 1/3, z = (2/3)/√(1/3·2/3·2/3) =
	// 1.73; explore is never a target (column total 0: no residual),
	// approach and distress once each (z = −(1/3)/√(1/3·2/3·2/3) = −0.87). Window: explore at 2 s, [2, 7) → units 2…6 given; smile at 5 s
	// → unit 5: a = 1, b = 4, c = 0, d = 55.
	for _, want := range []string{
		"<caption>Lag-1 transitions: count (adjusted residual); rows given, columns target; N = 3</caption>",
		"<th>given \\ target</th><th>approach</th><th>explore</th><th>distress</th><th>smile</th>",
		"<td>explore</td><td>0 (-0.87)</td><td>0 (–)</td><td>0 (-0.87)</td><td>1 (1.73)</td>",
		"<caption>smile within [0, 5) s of each explore onset, units of 1 s</caption>",
		"<td>1</td><td>4</td><td>0</td><td>55</td>",
		`alt="lag heat map of observation 1"`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// Observation 3 coded one event: no transitions, but a table.
	if n := strings.Count(html, "Lag-1 transitions"); n != 3 {
		t.Errorf("%d lag tables, want one per observation (3)", n)
	}

	// A code outside the scheme is an error shown in the section, not a
	// failed report.
	in.Sequential = &sequential.Options{Codes: []string{"no_such_code"}}
	buf.Reset()
	if err := Write(&buf, in); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "Sequential analysis could not be computed") {
		t.Error("the bad code is not reported")
	}
}
