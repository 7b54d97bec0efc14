package sdis

import (
	"bytes"
	"testing"

	"dyadcode/annotate"
)

// FuzzWrite builds observations from the fuzzer's bytes (any times, open
// states, overlaps outside exclusive groups, modifiers, episodes) and checks that the file is always
// well-formed SDIS: declared codes, onset < offset within the session,
// onsets in order, sessions closed.
func FuzzWrite(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, uint16(500))
	f.Add([]byte("overlap overlap overlap"), uint16(0))
	s := annotate.DefaultScheme()
	f.Fuzz(func(t *testing.T, data []byte, endTenths uint16) {
		o := &annotate.Observation{ID: "1", Coder: "c"}
		seen := map[annotate.Time]bool{}
		for i := 0; i+4 <= len(data) && i < 800; i += 4 {
			d := data[i : i+4]
			start := annotate.Time(int(d[1])<<8|int(d[2])) * 997 // not ms-exact on purpose
			if d[0]%16 == 15 {
				if !seen[start] {
					seen[start] = true
					o.Episodes = append(o.Episodes, annotate.EpisodeMark{Name: s.Episodes[int(d[3])%len(s.Episodes)].Name, Start: start})
				}
				continue
			}
			b := s.Behaviors[int(d[0])%len(s.Behaviors)]
			e := annotate.Event{ID: annotate.EventID(len(o.Events) + 1), Behavior: b.Code, Start: start, End: start}
			if b.Kind == annotate.State {
				if d[3]%5 == 0 {
					e.Open = true
				} else {
					e.End += annotate.Time(d[3]) * 1234
				}
			}
			if len(b.Modifiers) > 0 && d[3]&1 == 1 {
				e.Modifiers = []string{b.Modifiers[int(d[3])%len(b.Modifiers)]}
			}
			// Keep only what the domain allows (no two states of an
			// exclusive group overlapping): the writer is given valid
			// observations, as every import and edit guarantees.
			o.Events = append(o.Events, e)
			if o.Validate(s) != nil {
				o.Events = o.Events[:len(o.Events)-1]
			}
		}
		annotate.SortEvents(o.Events)
		sortMarks(o.Episodes)
		var b bytes.Buffer
		if err := Write(&b, []annotate.Transfer{{Obs: o, End: annotate.Time(endTenths) * 100 * annotate.Millisecond}}, s); err != nil {
			t.Fatal(err)
		}
		if n := wellFormed(t, b.String()); n != 1 {
			t.Fatalf("%d sessions", n)
		}
	})
}

func sortMarks(m []annotate.EpisodeMark) {
	for i := 1; i < len(m); i++ {
		for j := i; j > 0 && m[j].Start < m[j-1].Start; j-- {
			m[j], m[j-1] = m[j-1], m[j]
		}
	}
}
