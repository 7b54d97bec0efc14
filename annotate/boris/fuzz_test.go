package boris

import (
	"bytes"
	"os"
	"testing"

	"dyadcode/annotate"
)

// FuzzRead: arbitrary TSV/CSV must never panic, never return data with an
// error, and whatever is accepted must be valid under the scheme.
func FuzzRead(f *testing.F) {
	for _, p := range []string{"testdata/boris8_events.tsv", "testdata/boris8_events.csv"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b, p[len(p)-3:] == "csv")
		}
	}
	f.Add([]byte("Time offset (s)\t1.0\nSubject\tBehavior\tStatus\tTime\nchild\tsmile\tPOINT\t3.0\n"), false)
	f.Add([]byte("Subject,Behavior,Behavior type,Start (s),Stop (s),Modifiers\nchild,distress,STATE,1,2,cry|fuss\n"), true)
	f.Add([]byte(`{"behaviors_conf": {"0": {"type": "State event", "code": "explore"}}, "observations": {"o": {"type": "MEDIA", "file": {"1": ["v.mp4"]}, "time offset": 0.5, "media_info": {"length": {"v.mp4": 10.0}, "fps": {"v.mp4": 25.0}}, "events": [[1.0, "child", "explore", "", ""], [2.5, "child", "explore", "", "x"], [3.0, "child", "smile", "", ""]]}}}`), false)
	s := annotate.DefaultScheme()
	f.Fuzz(func(t *testing.T, data []byte, csv bool) {
		name := "f.tsv"
		if csv {
			name = "f.csv"
		}
		got, err := Read(bytes.NewReader(data), name, s)
		if err != nil {
			if got != nil {
				t.Fatalf("transfers returned with error %v", err)
			}
			return
		}
		for _, tr := range got {
			if err := tr.Obs.Validate(s); err != nil {
				t.Fatalf("accepted an invalid observation: %v", err)
			}
			for _, e := range tr.Obs.Events {
				if e.Start < 0 || (!e.Open && e.End < e.Start) {
					t.Fatalf("bad event %+v", e)
				}
			}
		}
	})
}

// FuzzParseProject feeds arbitrary bytes to the project reader and the
// project importer: no panic, and what imports is valid.
func FuzzParseProject(f *testing.F) {
	for _, p := range []string{"testdata/boris9_aggregated.tsv", "../adopt/testdata/ssp.boris", "../../../shared/reference/boris/test.boris"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"behaviors_conf": {"0": {"type": "State event", "code": "s", "modifiers": "a,b"}}, "observations": {"o": {"type": "MEDIA", "file": {"1": ["a.mp4", "b.mp4"]}, "media_info": {"length": {"a.mp4": 1.5, "b.mp4": 2}}, "events": [[1, "", "s", "", ""], [3, "", "s", "", ""]]}}}`))
	s := &annotate.Scheme{Behaviors: []annotate.Behavior{{Code: "s", Kind: annotate.State, Modifiers: []string{"a", "b"}}, {Code: "p", Kind: annotate.Point}}}
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := ParseProject(bytes.NewReader(data), "f.boris"); err != nil {
			return
		}
		rep, err := ReadReport(bytes.NewReader(data), "f.boris", s)
		if err != nil {
			return
		}
		for _, tr := range rep.Transfers {
			if err := tr.Obs.Validate(s); err != nil {
				t.Fatalf("imported an invalid observation: %v", err)
			}
			for _, e := range tr.Obs.Events {
				if e.Start < 0 {
					t.Fatalf("event %+v before its file's start", e)
				}
			}
		}
	})
}
