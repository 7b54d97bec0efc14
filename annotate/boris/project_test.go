package boris

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"dyadcode/annotate"
)

// projectScheme covers the whole ethogram of BORIS's test.boris.
func projectScheme() *annotate.Scheme {
	s := borisScheme()
	mods := []string{"m1", "m2", "m3"}
	s.Behaviors = append(s.Behaviors,
		annotate.Behavior{Code: "q", Name: "point with modifiers", Kind: annotate.Point, Modifiers: mods},
		annotate.Behavior{Code: "r", Name: "state with modifiers", Kind: annotate.State, Modifiers: mods},
		annotate.Behavior{Code: "m", Name: "state with two modifier sets", Kind: annotate.State, Modifiers: append(mods, "n1", "n2", "n3")},
	)
	return s
}

func byID(t *testing.T, trs []annotate.Transfer, id string) annotate.Transfer {
	t.Helper()
	for _, tr := range trs {
		if tr.Obs.ID == id {
			return tr
		}
	}
	t.Fatalf("no observation %q", id)
	return annotate.Transfer{}
}

func TestReadBORISProject(t *testing.T) {
	got, err := readFile(t, refFile(t, "test.boris"), projectScheme())
	if err != nil {
		t.Fatal(err)
	}
	// 12 observations, "observation #2" over two media files of player 1.
	if len(got) != 13 {
		t.Fatalf("%d observations, want the project's 12 with observation #2 in two", len(got))
	}
	// BORIS's own aggregated export of "observation #2", as BORIS 9 lays
	// it out, is the reference: pairing the raw events must give exactly
	// its rows.
	agg, err := readFile(t, "testdata/boris9_aggregated.tsv", projectScheme())
	if err != nil {
		t.Fatal(err)
	}
	for i, id := range []string{"observation #2", "observation #2 [2/2]"} {
		o2 := byID(t, got, id)
		if !reflect.DeepEqual(o2.Obs.Events, agg[i].Obs.Events) || o2.Video != agg[i].Video || o2.End != agg[i].End || o2.Rate != agg[i].Rate {
			t.Errorf("%s: project and aggregated export disagree:\n%+v %q %v\n%+v %q %v", id, o2.Obs.Events, o2.Video, o2.End, agg[i].Obs.Events, agg[i].Video, agg[i].End)
		}
	}
	// And the tabular export of "observation #1".
	tab, err := readFile(t, refFile(t, "test_export_events_tabular.tsv"), projectScheme())
	if err != nil {
		t.Fatal(err)
	}
	if o1 := byID(t, got, "observation #1"); !reflect.DeepEqual(o1.Obs.Events, tab[0].Obs.Events) {
		t.Errorf("project and tabular export disagree:\n%+v\n%+v", o1.Obs.Events, tab[0].Obs.Events)
	}
	// Modifiers, and states never stopped in a live observation.
	mods := byID(t, got, "modifiers")
	if e := mods.Obs.Events[0]; e.Behavior != "q" || !reflect.DeepEqual(e.Modifiers, []string{"m1"}) || e.Start != sec("8.475") {
		t.Errorf("modifiers: first event %+v", e)
	}
	live := byID(t, got, "live not paired")
	open := 0
	for _, e := range live.Obs.Events {
		if e.Open {
			open++
		}
	}
	if open == 0 || live.Video != "" || live.End != 0 {
		t.Errorf("live not paired: %d open states, video %q, end %v", open, live.Video, live.End)
	}
}

func TestReadProjectErrors(t *testing.T) {
	s := projectScheme()
	cases := []struct {
		name, doc string
		want      string
		is        error
	}{
		{"unknown code", `{"observations": {"o": {"type": "MEDIA", "events": [[1.0, "", "zz", "", ""], [2.0, "", "zz", "", ""]]}}}`,
			`p.boris: observations["o"].events[0]: unknown behaviour "zz" (and 1 more events)`, ErrUnknown},
		{"only images", `{"observations": {"o": {"type": "IMAGES", "events": []}}}`, "image directories", ErrMalformed},
		{"bad time", `{"observations": {"o": {"type": "LIVE", "events": [["x", "", "p", "", ""]]}}}`, `events[0]: time "x" is not a number`, ErrMalformed},
		{"ethogram kind", `{"behaviors_conf": {"0": {"type": "State event", "code": "p"}}, "observations": {"o": {"type": "LIVE", "events": [[1, "", "p", "", ""]]}}}`,
			`"p" is a point in the scheme but a state event in the BORIS ethogram`, ErrMalformed},
		{"not json", `{"observations": `, "not a BORIS project", ErrMalformed},
		{"no observations", `{"observations": {}}`, "no observations", ErrMalformed},
	}
	for _, c := range cases {
		got, err := Read(strings.NewReader(c.doc), "p.boris", s)
		if err == nil || got != nil || !strings.Contains(err.Error(), c.want) || !errors.Is(err, c.is) {
			t.Errorf("%s: got %v (%d transfers), want %q", c.name, err, len(got), c.want)
		}
	}
}

func TestExactSeconds(t *testing.T) {
	for in, want := range map[string]annotate.Time{
		"32.825":              32825000,
		"32.825000000000003":  32825000, // Python float noise
		"0.30000000000000004": 300000,
		"1e-3":                1000,
		"2":                   2000000,
		"0.0000005":           1, // half a µs rounds up
		"-1.5":                -1500000,
	} {
		got, err := exactSeconds(in)
		if err != nil || got != want {
			t.Errorf("exactSeconds(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "x", "1e30", "NaN"} {
		if _, err := exactSeconds(bad); err == nil {
			t.Errorf("exactSeconds(%q): no error", bad)
		}
	}
}

// What a dyadcode observation has no place for is listed, not dropped.
func TestProjectNotCarried(t *testing.T) {
	f, err := os.Open(refFile(t, "test.boris"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := ReadReport(f, "test.boris", projectScheme())
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(rep.NotCarried, "\n")
	for _, want := range []string{
		`test.boris: observations["offset positif"]: player 2's media video_test_25fps_180s.mp4 (offset 20.0 s) are not imported`,
		`test.boris: observations["observation #1"]: independent variables a=12, b=text value for b, c=111 are not imported`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("missing %q in\n%s", want, all)
		}
	}
}

// Hostile projects: a clear error naming the file, nothing returned.
func TestHostileProjects(t *testing.T) {
	s := projectScheme()
	cases := []struct{ name, doc, want string }{
		{"huge time", `{"observations": {"o": {"type": "LIVE", "events": [[1e300, "", "p", "", ""]]}}}`, `"1e300" seconds is out of range`},
		{"huge offset", `{"observations": {"o": {"type": "LIVE", "time offset": 1e30, "events": []}}}`, `["time offset"]: "1e30" seconds is out of range`},
		{"deep nesting", `{"observations": ` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}`, "not a BORIS project"},
		{"modifiers of the wrong type", `{"behaviors_conf": {"0": {"code": "p", "modifiers": {"0": {"name": 5}}}}, "observations": {}}`, `behaviors_conf["0"]: modifiers`},
		{"unknown length of a second file", `{"observations": {"o": {"type": "MEDIA", "file": {"1": ["a.mp4", "b.mp4"]}, "media_info": {"length": {"a.mp4": 3}}, "events": []}}}`, `the length of "b.mp4" is unknown`},
	}
	for _, c := range cases {
		got, err := Read(strings.NewReader(c.doc), "h.boris", s)
		if err == nil || got != nil || !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "h.boris") {
			t.Errorf("%s: got %v", c.name, err)
		}
	}
}
