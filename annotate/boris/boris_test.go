package boris

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"dyadcode/annotate"
)

var sec = annotate.MustSeconds

func readFile(t *testing.T, path string, s *annotate.Scheme) ([]annotate.Transfer, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return Read(f, path, s)
}

// Both separators of the BORIS 8 tabular export give the same coding.
func TestReadTabularBORIS8(t *testing.T) {
	s := annotate.DefaultScheme()
	for _, path := range []string{"testdata/boris8_events.tsv", "testdata/boris8_events.csv"} {
		got, err := readFile(t, path, s)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if len(got) != 2 {
			t.Fatalf("%s: %d observations, want 2", path, len(got))
		}
		a := got[0]
		if a.Obs.ID != "baby12 RA1" || a.Video != "/data/ssp/baby12.mp4" || a.End != sec("1260.04") ||
			a.Rate != (annotate.Rate{Num: 30000, Den: 1001}) {
			t.Errorf("%s: metadata %q %q %v %v", path, a.Obs.ID, a.Video, a.End, a.Rate)
		}
		want := []annotate.Event{
			{ID: 1, Behavior: "explore", Subject: "child", Start: sec("0.5"), End: sec("12.48")},
			{ID: 2, Behavior: "smile", Subject: "child", Start: sec("3.2"), End: sec("3.2"), Comment: `to mum, "big" laugh`},
			{ID: 3, Behavior: "stranger_enters", Start: sec("60"), End: sec("60")}, // No focal subject
			{ID: 4, Behavior: "cg_leave", Subject: "caregiver", Start: sec("180.04"), End: sec("180.04")},
			{ID: 5, Behavior: "distress", Subject: "child", Start: sec("181"), End: sec("200.5"), Modifiers: []string{"cry"}, Comment: "calmed by stranger"},
			{ID: 6, Behavior: "eye_contact", Subject: "child", Start: sec("250"), End: sec("250"), Open: true},
		}
		if !reflect.DeepEqual(a.Obs.Events, want) {
			t.Errorf("%s: events\n got %+v\nwant %+v", path, a.Obs.Events, want)
		}
		b := got[1]
		if b.Obs.ID != "baby12 RA2" || len(b.Obs.Events) != 1 || b.Obs.Events[0].Behavior != "approach" || b.Obs.Events[0].Start != sec("190") {
			t.Errorf("%s: second observation %+v", path, b.Obs)
		}
	}
}

// borisScheme fits the project BORIS's own tests use (test.boris): point
// "p", state "s", subjects subject1 and subject2.
func borisScheme() *annotate.Scheme {
	return &annotate.Scheme{
		Name:     "BORIS test",
		Subjects: []annotate.Subject{{Code: "subject1", Name: "Subject 1"}, {Code: "subject2", Name: "Subject 2"}},
		Behaviors: []annotate.Behavior{
			{Code: "p", Name: "Test point event", Kind: annotate.Point},
			{Code: "s", Name: "Test state event", Kind: annotate.State},
		},
	}
}

const refDir = "/work/shared/reference/boris/"

func refFile(t *testing.T, name string) string {
	t.Helper()
	for _, dir := range []string{"../../../shared/reference/boris/", refDir} {
		if _, err := os.Stat(dir + name); err == nil {
			return dir + name
		}
	}
	t.Skipf("BORIS reference export %s not present", name)
	return ""
}

// The exports BORIS's own test suite writes: the old tabular layout with
// key/value rows above the header and a Status column.
func TestReadBORISReferenceTabular(t *testing.T) {
	for _, name := range []string{"test_export_events_tabular.tsv", "test_export_events_tabular.csv"} {
		got, err := readFile(t, refFile(t, name), borisScheme())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(got) != 1 {
			t.Fatalf("%s: %d observations", name, len(got))
		}
		g := got[0]
		if g.Obs.ID != "observation #1" || g.Video != "video_test_25fps_360s.mp4" || g.End != sec("359.96") || g.Rate != (annotate.Rate{Num: 25, Den: 1}) {
			t.Errorf("%s: metadata %q %q %v %v", name, g.Obs.ID, g.Video, g.End, g.Rate)
		}
		want := []annotate.Event{
			{ID: 1, Behavior: "s", Subject: "subject1", Start: sec("3.3"), End: sec("7.75")},
			{ID: 2, Behavior: "s", Subject: "subject1", Start: sec("9.9"), End: sec("16.2")},
			{ID: 3, Behavior: "s", Subject: "subject1", Start: sec("18.35"), End: sec("24.475")},
			{ID: 4, Behavior: "s", Subject: "subject2", Start: sec("38.425"), End: sec("46.1")},
		}
		if !reflect.DeepEqual(g.Obs.Events, want) {
			t.Errorf("%s: events\n got %+v\nwant %+v", name, g.Obs.Events, want)
		}
	}
}

// BORIS 7's aggregated export names the media file of each event but
// gives only the total length, so an observation over two files cannot be
// placed file by file: refused, pointing to the project file.
func TestReadBORISReferenceAggregated(t *testing.T) {
	_, err := readFile(t, refFile(t, "test_export_aggregated_events_test_full_1.tsv"), borisScheme())
	if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "video_test_25fps_180s.mp4, video_test_25fps_360s.mp4") ||
		!strings.Contains(err.Error(), "import the .boris project") {
		t.Fatalf("got %v", err)
	}
}

// The same observation as BORIS 8/9 export it (Source, per-file
// durations): each media file becomes an observation on its own time line.
func TestReadAggregatedSeveralMediaFiles(t *testing.T) {
	rep, err := func() (*Report, error) {
		f, err := os.Open("testdata/boris9_aggregated.tsv")
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		return ReadReport(f, "boris9_aggregated.tsv", borisScheme())
	}()
	if err != nil {
		t.Fatal(err)
	}
	got := rep.Transfers
	if len(got) != 2 {
		t.Fatalf("%d observations, want one per media file", len(got))
	}
	a, b := got[0], got[1]
	if a.Obs.ID != "observation #2" || a.Video != "video_test_25fps_180s.mp4" || a.End != sec("179.96") || a.Rate != (annotate.Rate{Num: 25, Den: 1}) {
		t.Errorf("first file: %q %q %v %v", a.Obs.ID, a.Video, a.End, a.Rate)
	}
	if b.Obs.ID != "observation #2 [2/2]" || b.Video != "video_test_25fps_360s.mp4" || b.End != sec("359.96") {
		t.Errorf("second file: %q %q %v", b.Obs.ID, b.Video, b.End)
	}
	if len(a.Obs.Events) != 6 || len(b.Obs.Events) != 12 {
		t.Fatalf("%d + %d events, want the file's 6 + 12 rows", len(a.Obs.Events), len(b.Obs.Events))
	}
	checks := []struct {
		got, want annotate.Event
	}{
		{a.Obs.Events[0], annotate.Event{ID: 1, Behavior: "s", Start: sec("1.8"), End: sec("8.125")}},
		{a.Obs.Events[3], annotate.Event{ID: 4, Behavior: "p", Start: sec("32.825"), End: sec("32.825")}},
		// 227.765 s of observation time is 47.805 s into the second file.
		{b.Obs.Events[0], annotate.Event{ID: 1, Behavior: "s", Start: sec("47.805"), End: sec("73.53")}},
		{b.Obs.Events[11], annotate.Event{ID: 12, Behavior: "s", Subject: "subject2", Start: sec("137.43"), End: sec("140.405")}},
	}
	for i, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("check %d: got %+v want %+v", i, c.got, c.want)
		}
	}
	var total annotate.Time
	for _, tr := range got {
		for _, e := range tr.Obs.Events {
			total += e.Duration()
		}
	}
	// Sum of the file's Duration (s) column for STATE rows.
	if want := sec("92.225"); total != want { // 6.325+13.1+4.7+25.725+5.8+10.525+13.25+5.85+3.975+2.975
		t.Errorf("total state time %s, want %s", total.Seconds(), want.Seconds())
	}
	// The independent variables a, b, c are named as not carried over.
	if len(rep.NotCarried) != 3 || !strings.Contains(rep.NotCarried[0], `column "a" = "123"`) {
		t.Errorf("not carried: %q", rep.NotCarried)
	}
}

func TestUnknownBehavioursReportedTogether(t *testing.T) {
	// The reference export under the Strange Situation scheme: every
	// unknown name is listed once with all its lines, and nothing returned.
	got, err := readFile(t, refFile(t, "test_export_aggregated_events_test_full_1.tsv"), annotate.DefaultScheme())
	if got != nil {
		t.Errorf("returned %d transfers with an error", len(got))
	}
	if !errors.Is(err, ErrUnknown) {
		t.Fatalf("got %v, want ErrUnknown", err)
	}
	msg := err.Error()
	for _, want := range []string{
		`test_export_aggregated_events_test_full_1.tsv:2: unknown behaviour "s" (also on lines 3, 4, 8, 9, 10, 11, 12, 16, 19)`,
		`test_export_aggregated_events_test_full_1.tsv:5: unknown behaviour "p" (also on lines 6, 7, 13, 14, 15, 17, 18)`,
		`test_export_aggregated_events_test_full_1.tsv:10: unknown subject "subject1" (also on line 11)`,
		`test_export_aggregated_events_test_full_1.tsv:12: unknown subject "subject2"`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	if n := strings.Count(msg, `unknown behaviour "s"`); n != 1 {
		t.Errorf("behaviour s reported %d times, want once", n)
	}
}

func TestMappingByCodeThenName(t *testing.T) {
	s := &annotate.Scheme{
		Subjects: []annotate.Subject{{Code: "child", Name: "Infant"}},
		Behaviors: []annotate.Behavior{
			{Code: "look", Name: "Cry", Subject: "child", Kind: annotate.Point},
			{Code: "cry", Name: "Crying", Subject: "child", Kind: annotate.State, Modifiers: []string{"Loud"}},
		},
	}
	// "crying" matches by name, "INFANT" the subject by name, "loud" the
	// modifier, all case-insensitively.
	doc := "Subject\tBehavior\tModifiers\tBehavior type\tStart (s)\tStop (s)\n" +
		"INFANT\tCRY\tloud\tSTATE\t1.0\t2.5\n" +
		"Infant\tcrying\t\tSTATE\t3\t4\n" +
		"child\tLOOK\t\tPOINT\t5.25\t5.25\n"
	got, err := Read(strings.NewReader(doc), "m.tsv", s)
	if err != nil {
		t.Fatal(err)
	}
	want := []annotate.Event{
		{ID: 1, Behavior: "cry", Subject: "child", Start: sec("1"), End: sec("2.5"), Modifiers: []string{"Loud"}},
		{ID: 2, Behavior: "cry", Subject: "child", Start: sec("3"), End: sec("4")},
		{ID: 3, Behavior: "look", Subject: "child", Start: sec("5.25"), End: sec("5.25")},
	}
	if !reflect.DeepEqual(got[0].Obs.Events, want) {
		t.Errorf("got %+v\nwant %+v", got[0].Obs.Events, want)
	}
	// "Cry" is the code of the state and the name of the point: the code
	// wins, so a POINT row for it is a mismatch, not silently "look".
	_, err = Read(strings.NewReader("Subject\tBehavior\tBehavior type\tStart (s)\tStop (s)\nchild\tCry\tPOINT\t5\t5\n"), "m.tsv", s)
	if err == nil || !strings.Contains(err.Error(), `m.tsv:2: "cry" is a state in the scheme but a point in BORIS`) {
		t.Errorf("got %v", err)
	}
}

func TestReadErrors(t *testing.T) {
	s := annotate.DefaultScheme()
	head := "Observation id\tSubject\tBehavior\tModifiers\tBehavior type\tTime\tComment\n"
	cases := []struct {
		name, doc string
		want      []string
		is        error
	}{
		{"stop without start", head + "o\tchild\texplore\t\tSTOP\t3.0\t\n", []string{"x.tsv:2: STOP of \"explore\" without a START"}, ErrMalformed},
		{"start twice", head + "o\tchild\texplore\t\tSTART\t1\t\no\tchild\texplore\t\tSTART\t2\t\n", []string{"x.tsv:3: \"explore\" started again while running since line 2"}, ErrMalformed},
		{"stop before start", head + "o\tchild\texplore\t\tSTART\t5\t\no\tchild\texplore\t\tSTOP\t2\t\n", []string{"x.tsv:3:", "stops (2.000000) before it started"}, ErrMalformed},
		{"point as state", head + "o\tchild\tsmile\t\tSTART\t5\t\n", []string{"x.tsv:2: \"smile\" is a point in the scheme but a start in BORIS"}, ErrMalformed},
		{"bad time", head + "o\tchild\tsmile\t\tPOINT\t1e3\t\n", []string{"x.tsv:2: time:"}, ErrMalformed},
		{"bad type", head + "o\tchild\tsmile\t\tBLINK\t1\t\n", []string{"x.tsv:2: behavior type \"BLINK\""}, ErrMalformed},
		{"wrong subject", head + "o\tcaregiver\tsmile\t\tPOINT\t1\t\n", []string{"x.tsv:2: behaviour \"smile\" belongs to subject \"child\", not \"caregiver\""}, ErrMalformed},
		{"unknown modifier", head + "o\tchild\tdistress\tsob\tSTART\t1\t\no\tchild\tdistress\tsob\tSTOP\t2\t\n", []string{"x.tsv:2: unknown modifier \"sob\" of \"distress\" (also on line 3)"}, ErrUnknown},
		{"no header", "hello\tworld\n1\t2\n", []string{"no header row"}, ErrMalformed},
		{"no type column", "Subject\tBehavior\tTime\nchild\tsmile\t1\n", []string{"x.tsv:1:", "Behavior type"}, ErrMalformed},
		{"empty", "", []string{"no header row"}, ErrMalformed},
		{"header only", head, []string{"no events"}, ErrMalformed},
		{"offset before start", "Time offset (s)\t10.0\n\nSubject\tBehavior\tStatus\tTime\nchild\tsmile\tPOINT\t3.0\n", []string{"x.tsv:4:", "before the start of the video"}, ErrMalformed},
	}
	for _, c := range cases {
		got, err := Read(strings.NewReader(c.doc), "x.tsv", s)
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if got != nil {
			t.Errorf("%s: returned transfers with the error", c.name)
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error lacks %q:\n%v", c.name, w, err)
			}
		}
		if !errors.Is(err, c.is) {
			t.Errorf("%s: error is not %v: %v", c.name, c.is, err)
		}
	}
}

func TestTimeOffsetSubtracted(t *testing.T) {
	for _, c := range []struct {
		at   string
		want string // "" when the event is before the video and refused
	}{
		{"3.000", "0.5"},
		{"2.500", "0"},   // exactly at the offset: the video's first instant
		{"2.499999", ""}, // one microsecond before it
		{"1.000", ""},    // well before it
	} {
		doc := "Observation id\tobs\nTime offset (s)\t2.5\n\nTime\tSubject\tBehavior\tStatus\n" + c.at + "\tchild\tsmile\tPOINT\n"
		got, err := Read(strings.NewReader(doc), "o.tsv", annotate.DefaultScheme())
		if c.want == "" {
			if err == nil || !strings.Contains(err.Error(), "o.tsv") || !strings.Contains(err.Error(), "before the start of the video") {
				t.Errorf("%s s with offset 2.5: %v; want an error naming o.tsv saying it is before the video", c.at, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s s: %v", c.at, err)
			continue
		}
		if e := got[0].Obs.Events[0]; e.Start != sec(c.want) || got[0].Obs.ID != "obs" {
			t.Errorf("%s s with offset 2.5: got %+v in %q, want start %s", c.at, e, got[0].Obs.ID, c.want)
		}
	}
}

func TestParseFPS(t *testing.T) {
	for in, want := range map[string]annotate.Rate{
		"25.0":   {Num: 25, Den: 1},
		"29.970": {Num: 30000, Den: 1001},
		"29.97":  {Num: 30000, Den: 1001},
		"23.976": {Num: 24000, Den: 1001},
		"12.5":   {Num: 25, Den: 2},
		"NA":     {},
		"":       {},
		"-3":     {},
	} {
		if got := parseFPS(in); got != want {
			t.Errorf("parseFPS(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestMediaColumns(t *testing.T) {
	for in, want := range map[string]string{
		"/data/a.mp4":                       "/data/a.mp4",
		"player #1:/data/a.mp4;/data/b.mp4": "/data/a.mp4",
		"Not found":                         "",
		"NA":                                "",
		"a.mp4|player #2:b.mp4":             "a.mp4",
	} {
		if got := mediaName(in); got != want {
			t.Errorf("mediaName(%q) = %q, want %q", in, got, want)
		}
	}
	// Two media files: the first one's duration and rate.
	doc := "Subject\tBehavior\tBehavior type\tTime\tMedia duration (s)\tFPS\tMedia file name\n" +
		"child\tsmile\tPOINT\t1.0\t10.000;20.000\t25.000;30.000\tNot found\n" +
		"child\tsmile\tPOINT\t2.0\t10.000;20.000\t25.000;30.000\ta.mp4\n"
	got, err := Read(strings.NewReader(doc), "m.tsv", annotate.DefaultScheme())
	if err != nil {
		t.Fatal(err)
	}
	if g := got[0]; g.End != sec("10") || g.Rate != (annotate.Rate{Num: 25, Den: 1}) || g.Video != "a.mp4" {
		t.Errorf("got end %v rate %v video %q", g.End, g.Rate, g.Video)
	}
}

// One fixture per BORIS version's layout, laid out as BORIS writes it
// (export_observation.py): what each imports, file by file.
func TestReadBORISVersions(t *testing.T) {
	s := projectScheme()
	cases := []struct {
		file string
		want []string // per transfer: "id video end: events"
	}{
		{"boris7_aggregated.tsv", []string{
			"visit 1 video.mp4 300.000000: subject1/s 1.500000-4.000000 «a / b»; /q 5.250000-5.250000 [m3]; subject2/m 6.000000-9.000000 [m1 n2]"}},
		// Player 1 plays part1 (60 s) then part2: the state 55–62 s is cut
		// at the end of part1 and goes on in part2.
		{"boris9_events.tsv", []string{
			"visit 2 part1.mp4 60.000000: subject1/s 55.000000-60.000000 «in / out»; subject1/q 58.500000-58.500000 [m1]",
			"visit 2 [2/2] part2.mp4 70.000000: subject1/s 0.000000-2.000000 «in / out»; subject1/m 10.000000-11.500000 [m2 n1]"}},
	}
	for _, c := range cases {
		f, err := os.Open("testdata/" + c.file)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := ReadReport(f, c.file, s)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		var got []string
		for _, tr := range rep.Transfers {
			var evs []string
			for _, e := range tr.Obs.Events {
				x := e.Subject + "/" + e.Behavior + " " + e.Start.Seconds() + "-" + e.End.Seconds()
				if len(e.Modifiers) > 0 {
					x += " [" + strings.Join(e.Modifiers, " ") + "]"
				}
				if e.Comment != "" {
					x += " «" + e.Comment + "»"
				}
				evs = append(evs, x)
			}
			got = append(got, tr.Obs.ID+" "+tr.Video+" "+tr.End.Seconds()+": "+strings.Join(evs, "; "))
		}
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%s:\ngot\n%s\nwant\n%s", c.file, strings.Join(got, "\n"), strings.Join(c.want, "\n"))
		}
		if all := strings.Join(rep.NotCarried, "\n"); !strings.Contains(all, `column "age" = "`) {
			t.Errorf("%s: independent variable not listed: %q", c.file, rep.NotCarried)
		}
		if all := strings.Join(rep.NotCarried, "\n"); c.file == "boris9_events.tsv" && !strings.Contains(all, `observation "visit 2": player #2:side.mp4 are not imported`) {
			t.Errorf("%s: player 2 not listed: %q", c.file, rep.NotCarried)
		}
	}
}
