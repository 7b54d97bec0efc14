package csvio

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"dyadcode/annotate"
)

var sec = annotate.MustSeconds

func demoFile(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "assets", "demo", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func mustRead(t *testing.T, data string, s *annotate.Scheme) []annotate.Transfer {
	t.Helper()
	recs, err := Read(strings.NewReader(data), "in.csv", s)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return recs
}

func mustWrite(t *testing.T, recs []annotate.Transfer, s *annotate.Scheme) string {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, recs, s); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return b.String()
}

// The demo files are what the app ships; reading and writing them back must
// give the same bytes, which pins the row order and every cell's format.
func TestDemoRoundTrip(t *testing.T) {
	s := annotate.DefaultScheme()
	for i, name := range []string{"alice.csv", "ben.csv"} {
		t.Run(name, func(t *testing.T) {
			data := demoFile(t, name)
			recs := mustRead(t, string(data), s)
			if len(recs) != 1 {
				t.Fatalf("%d observations, want 1", len(recs))
			}
			r := recs[0]
			if r.Project != "demo" || r.Video != "session.mp4" || r.Obs.ID != fmt.Sprint(i+1) || r.Obs.Coder != strings.TrimSuffix(name, ".csv") {
				t.Errorf("names %q %q %q %q", r.Project, r.Video, r.Obs.ID, r.Obs.Coder)
			}
			if r.End != sec("60") || len(r.Obs.Episodes) != 8 {
				t.Errorf("end %s, %d episodes", r.End.Seconds(), len(r.Obs.Episodes))
			}
			if got := mustWrite(t, recs, s); got != string(data) {
				t.Errorf("round trip differs:\n%s", diffLines(string(data), got))
			}
		})
	}
	// Alice's last calm is still running at the end of the session.
	recs := mustRead(t, string(demoFile(t, "alice.csv")), s)
	open := recs[0].Obs.OpenEvents()
	if len(open) != 1 || open[0].Behavior != "calm" || open[0].Start != sec("55") {
		t.Errorf("open events %+v", open)
	}
}

func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return fmt.Sprintf("line %d:\nwant %q\ngot  %q", i+1, a, b)
		}
	}
	return "(same lines)"
}

func TestHeaderExact(t *testing.T) {
	if got := mustWrite(t, nil, nil); got != Header+"\n" {
		t.Fatalf("empty export %q", got)
	}
	if Header != "project,video,observation,coder,subject,behavior,kind,start_s,end_s,duration_s,episode,modifiers,comment" {
		t.Fatal("Header changed: scripts of every lab depend on it")
	}
}

// bigObservation makes n events over all behaviours of the scheme, with
// episodes, modifiers, comments needing quotes and neutralisation, an open
// state and ratings.
func bigObservation(s *annotate.Scheme, n int) annotate.Transfer {
	o := &annotate.Observation{ID: "7", Coder: "=carol"}
	step := annotate.Time(40_000) // a 25 fps frame
	end := annotate.Time(n)*step + annotate.Second
	for i, ep := range s.Episodes {
		o.Episodes = append(o.Episodes, annotate.EpisodeMark{Name: ep.Name, Start: end / annotate.Time(len(s.Episodes)) * annotate.Time(i)})
	}
	comments := []string{"", "looks away, then back", `said "mama"`, "line\nbreak", "-> toy", "@door", "+1", "'=already", "Ünïcødé ✓"}
	for i := 0; i < n; i++ {
		b := s.Behaviors[i%len(s.Behaviors)]
		e := annotate.Event{ID: annotate.EventID(i + 1), Behavior: b.Code, Subject: b.Subject, Start: annotate.Time(i) * step,
			Comment: comments[i%len(comments)]}
		e.End = e.Start
		if b.Kind == annotate.State {
			e.End = e.Start + annotate.Time(i%97+1)*1_000
		}
		if len(b.Modifiers) > 0 && i%3 == 0 {
			e.Modifiers = []string{b.Modifiers[i%len(b.Modifiers)]}
		}
		o.Events = append(o.Events, e)
	}
	o.Events[n-1].Behavior, o.Events[n-1].Subject, o.Events[n-1].Open = "explore", "child", true
	o.Events[n-1].End = o.Events[n-1].Start
	o.Ratings = []annotate.Rating{{Episode: "8 Second reunion", Scale: "avoidance", Value: 3}, {Episode: "5 First reunion", Scale: "avoidance", Value: 1}}
	o.NextID = annotate.EventID(n + 1)
	return annotate.Transfer{Project: "study", Video: "child 01.mp4", Obs: o, End: end}
}

func TestRoundTrip10000(t *testing.T) {
	s := annotate.DefaultScheme()
	want := bigObservation(s, 10_000)
	first := mustWrite(t, []annotate.Transfer{want}, s)
	recs := mustRead(t, first, s)
	if len(recs) != 1 {
		t.Fatalf("%d observations", len(recs))
	}
	got := recs[0]
	// The file sorts ratings by the scheme's episode order.
	want.Obs.Ratings[0], want.Obs.Ratings[1] = want.Obs.Ratings[1], want.Obs.Ratings[0]
	if !reflect.DeepEqual(got.Obs, want.Obs) || got.End != want.End || got.Project != want.Project || got.Video != want.Video {
		for i := range want.Obs.Events {
			if !reflect.DeepEqual(got.Obs.Events[i], want.Obs.Events[i]) {
				t.Fatalf("event %d: got %+v want %+v", i, got.Obs.Events[i], want.Obs.Events[i])
			}
		}
		t.Fatalf("observation differs: got %+v", got)
	}
	if second := mustWrite(t, recs, s); second != first {
		t.Fatalf("second export differs: %s", diffLines(first, second))
	}
	if !strings.Contains(first, `,'=carol,`) || !strings.Contains(first, `,'-> toy`) || !strings.Contains(first, `,'@door`) ||
		!strings.Contains(first, `,'+1`) || !strings.Contains(first, `,''=already`) || !strings.Contains(first, `"said ""mama"""`) {
		t.Error("text cells are not neutralised or quoted as documented")
	}
}

func TestNeutralise(t *testing.T) {
	for _, c := range []struct{ in, out string }{
		{"", ""}, {"plain", "plain"}, {"=SUM(A1)", "'=SUM(A1)"}, {"+1", "'+1"}, {"-2", "'-2"}, {"@x", "'@x"},
		{"\tx", "'\tx"}, {"\rx", "'\rx"}, {"'=x", "''=x"}, {"''-x", "'''-x"}, {"'plain", "'plain"}, {"'", "'"}, {"a=b", "a=b"},
	} {
		if got := neutralise(c.in); got != c.out {
			t.Errorf("neutralise(%q) = %q, want %q", c.in, got, c.out)
		}
		if back := unneutralise(c.out); back != c.in {
			t.Errorf("unneutralise(%q) = %q, want %q", c.out, back, c.in)
		}
	}
}

func TestReadForms(t *testing.T) {
	s := annotate.DefaultScheme()
	ev := func(id annotate.EventID, code, subj, start, end string, open bool) annotate.Event {
		e := annotate.Event{ID: id, Behavior: code, Subject: subj, Start: sec(start), End: sec(end), Open: open}
		return e
	}
	for _, c := range []struct {
		name   string
		in     string
		scheme *annotate.Scheme
		want   []annotate.Event
	}{
		{"minimal with scheme", "behavior,start_s,end_s\nsmile,1.5,\nexplore,0.3,2\ncalm,4,\n", s,
			[]annotate.Event{ev(1, "explore", "child", "0.3", "2", false), ev(2, "smile", "child", "1.5", "1.5", false), ev(3, "calm", "child", "4", "4", true)}},
		{"minimal without scheme", "behavior,start_s,end_s\nwave,1,1\nplay,2,3\nsleep,5,\n", nil,
			[]annotate.Event{ev(1, "wave", "", "1", "1", false), ev(2, "play", "", "2", "3", false), ev(3, "sleep", "", "5", "5", true)}},
		{"minimal, columns reordered, optional ones", "comment,end_s,subject,behavior,modifiers,start_s\nloud,9,child,distress,cry|scream,8\n", s,
			[]annotate.Event{{ID: 1, Behavior: "distress", Subject: "child", Start: sec("8"), End: sec("9"), Modifiers: []string{"cry", "scream"}, Comment: "loud"}}},
		{"BOM, CRLF, quoted header", "\xEF\xBB\xBF\"behavior\",\"start_s\",\"end_s\"\r\nsmile,1,1\r\n\r\n", s,
			[]annotate.Event{ev(1, "smile", "child", "1", "1", false)}},
		{"trailing empty rows", "behavior,start_s,end_s\nsmile,1,1\n,,\n,,\n", s,
			[]annotate.Event{ev(1, "smile", "child", "1", "1", false)}},
		{"full form without scheme", Header + "\np,v,1,c,child,foo,state,1.000000,1.000000,0.000000,,,\np,v,1,c,child,bar,point,2.000000,2.000000,0.000000,,,\n", nil,
			[]annotate.Event{ev(1, "foo", "child", "1", "1", false), ev(2, "bar", "child", "2", "2", false)}},
	} {
		t.Run(c.name, func(t *testing.T) {
			recs := mustRead(t, c.in, c.scheme)
			if len(recs) != 1 {
				t.Fatalf("%d observations", len(recs))
			}
			if !reflect.DeepEqual(recs[0].Obs.Events, c.want) {
				t.Errorf("events\n got %+v\nwant %+v", recs[0].Obs.Events, c.want)
			}
			if recs[0].Obs.NextID != annotate.EventID(len(c.want)+1) {
				t.Errorf("NextID %d", recs[0].Obs.NextID)
			}
		})
	}
}

func TestReadSeveralObservations(t *testing.T) {
	s := annotate.DefaultScheme()
	in := string(demoFile(t, "alice.csv")) + strings.SplitN(string(demoFile(t, "ben.csv")), "\n", 2)[1]
	recs := mustRead(t, in, s)
	if len(recs) != 2 || recs[0].Obs.Coder != "alice" || recs[1].Obs.Coder != "ben" {
		t.Fatalf("got %d observations", len(recs))
	}
	if got := mustWrite(t, recs, s); got != in {
		t.Errorf("two-observation round trip: %s", diffLines(in, got))
	}
}

func TestReadErrors(t *testing.T) {
	s := annotate.DefaultScheme()
	row := func(kind, behavior, start, end, rest string) string {
		return "p,v,1,c,child," + behavior + "," + kind + "," + start + "," + end + "," + rest
	}
	for _, c := range []struct {
		name string
		in   string
		want []string // each "LINE: text" must appear
	}{
		{"empty", "", []string{"in.csv:1: empty file"}},
		{"unknown column", "behavior,start_s,end_s,colour\n", []string{`in.csv:1: header: unknown column "colour"`}},
		{"pandas index", ",behavior,start_s,end_s\n", []string{"index=False"}},
		{"utf-16", "\xFF\xFEb\x00e\x00", []string{"in.csv:1: the file is UTF-16 text"}},
		{"semicolons", "behavior;start_s;end_s\nsmile;1,5;1,5\n", []string{"in.csv:1: header: the columns are separated by ';'"}},
		{"missing column", "behavior,start_s\n", []string{"in.csv:1: header: missing column end_s"}},
		{"half full form", "project,behavior,start_s,end_s\n", []string{"in.csv:1: header: has project of the full form but lacks video"}},
		{"unknown behaviour", "behavior,start_s,end_s\nsmile,1,1\nSmile,2,2\nwave,3,3\n",
			[]string{`in.csv:3: unknown behavior "Smile" (did you mean "smile"?)`, `in.csv:4: unknown behavior "wave"`}},
		{"end before start", "behavior,start_s,end_s\nexplore,5,4\n", []string{"in.csv:2: end_s 4.000000 is before start_s 5.000000"}},
		{"point with duration", "behavior,start_s,end_s\nsmile,5,6\n", []string{`in.csv:2: behavior "smile" is a point event`}},
		{"bad number", "behavior,start_s,end_s\nsmile,1e3,\nsmile,0.1234567,\nsmile,,\n",
			[]string{"in.csv:2: start_s: not a time", "in.csv:3: start_s: not a time", "more than 6 decimals", "in.csv:4: start_s: not a time in seconds: empty"}},
		{"negative", "behavior,start_s,end_s\nsmile,-1,\n", []string{"in.csv:2: start_s -1.000000 is negative"}},
		{"column count", "behavior,start_s,end_s\nsmile,1\nsmile,1,1,x\n", []string{"in.csv:2: 2 cells, but the header has 3", "in.csv:3: 4 cells"}},
		{"bad quote", "behavior,start_s,end_s\nsm\"ile,1,1\n", []string{"in.csv:2: "}},
		{"not utf-8", "behavior,start_s,end_s,comment\nsmile,1,1,caf\xe9\n", []string{"in.csv:2: not UTF-8"}},
		{"unknown modifier", "behavior,start_s,end_s,modifiers\ndistress,1,2,howl\n", []string{`in.csv:2: behavior "distress" has no modifier "howl"`}},
		{"wrong subject", "behavior,start_s,end_s,subject\nsmile,1,1,caregiver\n", []string{`in.csv:2: behavior "smile" belongs to subject "child"`}},
		{"kind mismatch", Header + "\n" + row("state", "smile", "1", "2", "1,,,") + "\n", []string{`in.csv:2: behavior "smile" is a point in the coding scheme, but the file says state`}},
		{"unknown kind", Header + "\n" + row("event", "smile", "1", "1", "0,,,") + "\n", []string{`in.csv:2: kind "event" is not point`}},
		{"bad duration", Header + "\n" + row("point", "smile", "1", "1", "x,,,") + "\n", []string{"in.csv:2: duration_s: not a time"}},
		{"unknown episode", Header + "\np,v,1,c,,9 Extra,episode,0,,,,,\n", []string{`in.csv:2: unknown episode "9 Extra"`}},
		{"episode ends wrong", Header + "\np,v,1,c,,1 Introduction,episode,0,5,5,,,\np,v,1,c,,2 Caregiver and child,episode,6,,,,,\n",
			[]string{`in.csv:2: episode "1 Introduction" ends at 5.000000, but the next episode "2 Caregiver and child" starts at 6.000000`}},
		{"two episodes at once", Header + "\np,v,1,c,,1 Introduction,episode,0,,,,,\np,v,1,c,,2 Caregiver and child,episode,0,,,,,\n",
			[]string{`in.csv:3: episodes "1 Introduction" and "2 Caregiver and child" both start at 0.000000 (line 2)`}},
		{"rating problems", Header + "\n" +
			"p,v,1,c,,avoidance,rating,,,,5 First reunion,,9\n" +
			"p,v,1,c,,avoidance,rating,,,,1 Introduction,,2\n" +
			"p,v,1,c,,glee,rating,,,,5 First reunion,,2\n" +
			"p,v,1,c,,avoidance,rating,,,,8 Second reunion,,x\n" +
			"p,v,1,c,,resistance,rating,,,,8 Second reunion,,1\n" +
			"p,v,1,c,,resistance,rating,,,,8 Second reunion,,2\n",
			[]string{`in.csv:2: rating "avoidance": 9 is outside 1–7`, `in.csv:3: rating "avoidance" is not given in episode "1 Introduction"`,
				`in.csv:4: unknown rating scale "glee"`, `in.csv:5: rating "avoidance": value "x" in comment is not a whole number`,
				`in.csv:7: rating "resistance" of episode "8 Second reunion" is given twice (also line 6)`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			recs, err := Read(strings.NewReader(c.in), "in.csv", s)
			if err == nil {
				t.Fatalf("no error; got %d observations", len(recs))
			}
			if recs != nil {
				t.Errorf("returned %d observations with an error", len(recs))
			}
			if !errors.Is(err, ErrMalformed) {
				t.Errorf("error does not wrap ErrMalformed: %v", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

func TestReadErrorCap(t *testing.T) {
	var b strings.Builder
	b.WriteString("behavior,start_s,end_s\n")
	for i := 0; i < 500; i++ {
		b.WriteString("nope,1,1\n")
	}
	_, err := Read(strings.NewReader(b.String()), "big.csv", annotate.DefaultScheme())
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %T %v", err, err)
	}
	if len(e.Problems) != MaxProblems || e.Problems[0].Line != 2 || e.Problems[MaxProblems-1].Line != MaxProblems+1 {
		t.Errorf("%d problems, first line %d", len(e.Problems), e.Problems[0].Line)
	}
	if !strings.Contains(err.Error(), "big.csv:51: unknown behavior") || strings.Count(err.Error(), "\n") < MaxProblems-1 {
		t.Errorf("error text:\n%s", err)
	}
}

// errReader fails after some bytes, like a file on a vanished USB stick.
type errReader struct{ n int }

func (r *errReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, errors.New("device gone")
	}
	n := copy(p, strings.Repeat("behavior,start_s,end_s\n", 1+len(p)/23)[:min(len(p), r.n)])
	r.n -= n
	return n, nil
}

func TestReadIOError(t *testing.T) {
	_, err := Read(&errReader{n: 100}, "usb.csv", nil)
	if err == nil || errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "usb.csv") || !strings.Contains(err.Error(), "device gone") {
		t.Fatalf("error %v", err)
	}
}

func BenchmarkWrite100k(b *testing.B) {
	s := annotate.DefaultScheme()
	recs := []annotate.Transfer{bigObservation(s, 100_000)}
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := Write(&buf, recs, s); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
}

func BenchmarkRead100k(b *testing.B) {
	s := annotate.DefaultScheme()
	var buf bytes.Buffer
	if err := Write(&buf, []annotate.Transfer{bigObservation(s, 100_000)}, s); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Read(bytes.NewReader(data), "bench.csv", s); err != nil {
			b.Fatal(err)
		}
	}
}

// TestWriteBOM: --excel's file is the plain export behind a UTF-8 BOM (the
// mark Excel needs to read UTF-8, see Options.BOM), and it reads back with
// its accents intact.
func TestWriteBOM(t *testing.T) {
	s := annotate.DefaultScheme()
	recs := mustRead(t, string(demoFile(t, "alice.csv")), s)
	recs[0].Obs.Coder = "Zoë Łukasiewicz"
	recs[0].Project = "séance crèche"
	plain := mustWrite(t, recs, s)
	for _, c := range []struct {
		opt  Options
		want string
	}{
		{Options{}, plain},
		{Options{BOM: true}, "\xEF\xBB\xBF" + plain},
	} {
		var b strings.Builder
		if err := WriteWith(&b, recs, s, c.opt); err != nil {
			t.Fatal(err)
		}
		if b.String() != c.want {
			t.Errorf("BOM %v: starts %q, want %q", c.opt.BOM, b.String()[:8], c.want[:8])
		}
		back := mustRead(t, b.String(), s)
		if back[0].Obs.Coder != "Zoë Łukasiewicz" || back[0].Project != "séance crèche" {
			t.Errorf("BOM %v: read back coder %q project %q", c.opt.BOM, back[0].Obs.Coder, back[0].Project)
		}
	}
}
