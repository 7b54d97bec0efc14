package sequential

import (
	"encoding/binary"
	"testing"

	"dyadcode/annotate"
)

// FuzzAnalyze feeds arbitrary event layouts, lags, windows and units and
// checks the invariants every report must keep: the cells sum to N and
// to their margins, a + b + c + d is the number of units, a defined
// probability lies in [0, 1] and a defined Q in [−1, 1], and nothing
// panics.
func FuzzAnalyze(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, uint8(1), int16(0), int16(3), uint8(10))
	f.Add([]byte{0, 0, 0, 0, 255, 255, 255, 255}, uint8(2), int16(-5), int16(-1), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, lag uint8, lo, hi int16, unit uint8) {
		codes := []string{"a", "b", "c"}
		o := &annotate.Observation{ID: "f"}
		for k := 0; k+4 <= len(data) && k < 400; k += 4 {
			v := binary.LittleEndian.Uint32(data[k:])
			start := annotate.Time(v%600) * 100 * annotate.Millisecond
			e := annotate.Event{ID: annotate.EventID(k + 1), Behavior: codes[v>>10%3], Start: start, End: start}
			if v>>12%2 == 1 {
				e.End = start + annotate.Time(v>>13%50)*100*annotate.Millisecond
			}
			e.Open = v>>20%7 == 0
			o.Events = append(o.Events, e)
		}
		annotate.SortEvents(o.Events)
		opt := Options{Lag: int(lag%4) + 1, NoSelf: lag%2 == 0, Duration: 70 * annotate.Second,
			Window: &WindowSpec{Given: "a", Target: "b", Lo: annotate.Time(lo) * 10 * annotate.Millisecond,
				Hi: annotate.Time(hi) * 10 * annotate.Millisecond, Unit: annotate.Time(unit) * 10 * annotate.Millisecond}}
		r, err := Analyze([]Input{{Obs: o}}, nil, opt)
		if err != nil {
			return // an empty window or a zero unit is refused, fine
		}
		lt := r.Lag
		var sum int64
		for i := range lt.Codes {
			var row int64
			for j := range lt.Codes {
				c := lt.Cells[i*len(lt.Codes)+j]
				row += c.Count
				if c.Probability.Valid && (c.Probability.V < 0 || c.Probability.V > 1) {
					t.Fatalf("p %v", c.Probability)
				}
				if c.YulesQ.Valid && (c.YulesQ.V < -1-1e-12 || c.YulesQ.V > 1+1e-12) {
					t.Fatalf("Q %v", c.YulesQ)
				}
			}
			if row != lt.RowTotals[i] {
				t.Fatalf("row %d sums to %d, total %d", i, row, lt.RowTotals[i])
			}
			sum += row
		}
		if sum != lt.Total {
			t.Fatalf("cells sum to %d, N %d", sum, lt.Total)
		}
		w := r.Window
		if w.A+w.B+w.C+w.D != w.Units || w.A < 0 || w.B < 0 || w.C < 0 || w.D < 0 {
			t.Fatalf("a b c d %d %d %d %d, units %d", w.A, w.B, w.C, w.D, w.Units)
		}
	})
}
