package eaf

import (
	"bytes"
	"cmp"
	"fmt"
	"os"
	"slices"
	"testing"

	"dyadcode/annotate"
)

// FuzzRead feeds arbitrary bytes to the importer: it must never panic, and
// whatever it accepts must export, re-import and re-export identically.
func FuzzRead(f *testing.F) {
	s := annotate.DefaultScheme()
	if native, err := os.ReadFile("testdata/elan_native.eaf"); err == nil {
		f.Add(native)
	}
	var b bytes.Buffer
	if err := Write(&b, []annotate.Transfer{sample()}, s); err == nil {
		f.Add(b.Bytes())
	}
	f.Add([]byte(`<ANNOTATION_DOCUMENT><HEADER/><TIME_ORDER/></ANNOTATION_DOCUMENT>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Read(bytes.NewReader(data), "fuzz.eaf", s)
		if err != nil {
			if got != nil {
				t.Fatalf("returned transfers with error %v", err)
			}
			return
		}
		var one bytes.Buffer
		if err := Write(&one, got, s); err != nil {
			t.Fatalf("accepted input does not export: %v", err)
		}
		again, err := Read(bytes.NewReader(one.Bytes()), "again.eaf", s)
		if err != nil {
			t.Fatalf("own export does not import: %v\n%s", err, one.Bytes())
		}
		var two bytes.Buffer
		if err := Write(&two, again, s); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(one.Bytes(), two.Bytes()) {
			t.Fatalf("export → import → export differs:\n%s\n---\n%s", one.Bytes(), two.Bytes())
		}
	})
}

// FuzzRoundTrip builds observations with millisecond-exact times from the
// fuzzer's bytes and checks that export → import gives them back exactly
// and that a second export is byte-identical.
func FuzzRoundTrip(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
	f.Add([]byte("a point, a state, an open state and an episode"))
	s := annotate.DefaultScheme()
	comments := []string{"", "x", ` <&>"' `, "two\nlines", "cr\r\nlf", "tab\there", "Ünïcødé ✓"}
	f.Fuzz(func(t *testing.T, data []byte) {
		o := &annotate.Observation{ID: "1", Coder: "c"}
		used := map[annotate.Time]bool{}
		for i := 0; i+5 <= len(data) && i < 400; i += 5 {
			d := data[i : i+5]
			if d[0]%16 == 15 { // an episode mark
				start := annotate.Time(int(d[1])<<8|int(d[2])) * annotate.Millisecond
				if !used[start] {
					used[start] = true
					o.Episodes = append(o.Episodes, annotate.EpisodeMark{Name: s.Episodes[int(d[3])%len(s.Episodes)].Name, Start: start})
				}
				continue
			}
			b := s.Behaviors[int(d[0])%len(s.Behaviors)]
			e := annotate.Event{ID: annotate.EventID(len(o.Events) + 1), Behavior: b.Code, Subject: b.Subject,
				Start: annotate.Time(int(d[1])<<8|int(d[2])) * annotate.Millisecond}
			e.End = e.Start
			if b.Kind == annotate.State {
				if d[3]%7 == 0 {
					e.Open = true
				} else {
					e.End += annotate.Time(d[3]) * 10 * annotate.Millisecond
				}
			}
			for k, m := range b.Modifiers {
				if d[4]&(1<<k) != 0 {
					e.Modifiers = append(e.Modifiers, m)
				}
			}
			e.Comment = comments[int(d[4]>>4)%len(comments)]
			o.Events = append(o.Events, e)
		}
		slices.SortFunc(o.Episodes, func(a, b annotate.EpisodeMark) int { return cmp.Compare(a.Start, b.Start) })
		tr := annotate.Transfer{Video: "v.mp4", Obs: o, End: 70 * annotate.Second}
		var one bytes.Buffer
		if err := Write(&one, []annotate.Transfer{tr}, s); err != nil {
			t.Fatal(err)
		}
		got, err := Read(bytes.NewReader(one.Bytes()), "rt.eaf", s)
		if err != nil {
			t.Fatalf("%v\n%s", err, one.Bytes())
		}
		key := func(e annotate.Event) string {
			return fmt.Sprintf("%d %s %d %v %q %q", e.Start, e.Behavior, e.End, e.Open, e.Modifiers, e.Comment)
		}
		var want, have []string
		for _, e := range o.Events {
			want = append(want, key(e))
		}
		for _, e := range got[0].Obs.Events {
			have = append(have, key(e))
		}
		slices.Sort(want)
		slices.Sort(have)
		if !slices.Equal(want, have) {
			t.Fatalf("events changed:\nwant %q\n got %q", want, have)
		}
		if !slices.Equal(o.Episodes, got[0].Obs.Episodes) {
			t.Fatalf("episodes: want %v got %v", o.Episodes, got[0].Obs.Episodes)
		}
		var two bytes.Buffer
		if err := Write(&two, got, s); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(one.Bytes(), two.Bytes()) {
			t.Fatal("second export differs")
		}
	})
}
