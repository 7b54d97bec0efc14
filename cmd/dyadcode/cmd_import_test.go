package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"dyadcode/annotate"
	"dyadcode/store"
)

// genCSV writes an observation of n events in dyadcode's full CSV form by
// hand (encoding/csv for the quoting, not the exporter), so the import →
// export round trip is checked against the documented format rather than
// against itself: events every 40 ms over all behaviours, 8 episodes (each
// starting at the instant of an event, so the tie order is exercised),
// modifiers, comments that need quoting or formula neutralisation, a state
// still running, and ratings; n must be a multiple of 8. end is the video's duration (0: unknown).
func genCSV(t *testing.T, s *annotate.Scheme, project, video, obs, coder string, n int, end annotate.Time) []byte {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("project,video,observation,coder,subject,behavior,kind,start_s,end_s,duration_s,episode,modifiers,comment\n")
	w := csv.NewWriter(&b)
	// Events stay inside the video (the domain refuses any outside it).
	step := annotate.Time(40_000)
	if end > 0 {
		step = end / annotate.Time(n)
	}
	span := annotate.Time(n) * step / 8
	comments := []string{"", "looks away, then back", `says "mama"`, "two\nlines", "'=SUM(A1)", "-> toy", "@door", "+1", "Ünïcødé ✓"}
	episode := ""
	row := func(subject, behavior, kind string, start annotate.Time, stop *annotate.Time, mods, comment string) {
		r := []string{project, video, obs, coder, subject, behavior, kind, start.Seconds(), "", "", episode, mods, comment}
		if stop != nil {
			r[8], r[9] = stop.Seconds(), (*stop - start).Seconds()
		}
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < n; i++ {
		start := annotate.Time(i) * step
		if start%span == 0 && int(start/span) < len(s.Episodes) {
			k := int(start / span)
			episode = s.Episodes[k].Name
			stop := start + span
			if k == len(s.Episodes)-1 {
				stop = end
			}
			if stop > start {
				row("", episode, "episode", start, &stop, "", "")
			} else {
				row("", episode, "episode", start, nil, "", "")
			}
		}
		bh := s.Behaviors[i%len(s.Behaviors)]
		comment := comments[i%len(comments)]
		if strings.HasPrefix(comment, "'") || strings.ContainsAny(comment[:min(1, len(comment))], "=+-@") {
			comment = "'" + comment // the file's formula neutralisation
		}
		mods := ""
		if len(bh.Modifiers) > 0 && i%3 == 0 {
			mods = bh.Modifiers[i%len(bh.Modifiers)]
		}
		stop := start
		if bh.Kind == annotate.State {
			// Shorter than the step, so a state ends before the next
			// event starts: states of an exclusive group never overlap.
			stop += annotate.Time(i%97+1) * step / 100
		}
		if i == n-1 {
			bh, _ = s.Behavior("explore") // a state still running
			row(bh.Subject, bh.Code, string(bh.Kind), start, nil, "", comment)
			continue
		}
		row(bh.Subject, bh.Code, string(bh.Kind), start, &stop, mods, comment)
	}
	for _, r := range [][3]string{{"5 First reunion", "proximity_seeking", "6"}, {"5 First reunion", "avoidance", "1"}, {"8 Second reunion", "resistance", "2"}} {
		if err := w.Write([]string{project, video, obs, coder, "", r[1], "rating", "", "", "", r[0], "", r[2]}); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	return b.Bytes()
}

// newStudy makes a project with one real 2 s video and returns the paths
// and the video's recorded duration.
func newStudy(t *testing.T) (dir, proj, video string, end annotate.Time) {
	t.Helper()
	dir = t.TempDir()
	proj = filepath.Join(dir, "study.dyad")
	video = makeVideo(t, dir, "child01.mp4", 2, 1)
	cliOK(t, "new", proj)
	cliOK(t, "add-video", proj, video)
	return dir, proj, video, projectVideos(t, proj)[0].Duration
}

func TestImportExportRoundTrip10000(t *testing.T) {
	dir, proj, video, end := newStudy(t)
	if end != annotate.MustSeconds("2") {
		t.Fatalf("video duration %s", end.Seconds())
	}
	in := genCSV(t, annotate.DefaultScheme(), "study", "child01.mp4", "1", "carol", 10_000, end)
	file := filepath.Join(dir, "carol.csv")
	if err := os.WriteFile(file, in, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := cli(t, "import", proj, "--coder", "carol", "--video", video, file)
	if code != 0 {
		t.Fatalf("import: exit %d: %s", code, errs)
	}
	if want := "imported observation 1: carol coding v1, 10000 events, 8 episode marks, 3 ratings"; !strings.Contains(out, want) {
		t.Errorf("import said %q, want %q", out, want)
	}
	if errs != "" {
		t.Errorf("import of a coding inside the video warned: %q", errs)
	}

	outFile := filepath.Join(dir, "export.csv")
	cliOK(t, "export", proj, "-o", outFile)
	if got := fileBytes(t, outFile); !bytes.Equal(got, in) {
		t.Fatalf("export differs from the imported file: %s", firstDiff(in, got))
	}
	if got := cliOK(t, "export", proj, "--observation", "1"); got != string(in) {
		t.Fatalf("export to stdout differs: %s", firstDiff(in, []byte(got)))
	}
}

func firstDiff(want, got []byte) string {
	w, g := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return "line " + strconv.Itoa(i+1) + ":\nwant " + strconv.Quote(a) + "\ngot  " + strconv.Quote(b)
		}
	}
	return "same lines"
}

// A file with any problem is refused as a whole: the project file keeps
// every byte, and even a video named for the import is not added.
func TestImportMalformedLeavesProjectUnchanged(t *testing.T) {
	dir, proj, video, end := newStudy(t)
	good := filepath.Join(dir, "good.csv")
	os.WriteFile(good, genCSV(t, annotate.DefaultScheme(), "study", "child01.mp4", "1", "carol", 56, end), 0o644)
	code, _, errs := cli(t, "import", proj, "--coder", "carol", "--video", video, good)
	if code != 0 || strings.Contains(errs, "was coded on") {
		t.Fatalf("import of a file naming its video: exit %d, %s", code, errs)
	}
	// The same coding said to be of another video imports, with a warning.
	other := makeVideo(t, dir, "sibling.mp4", 2, 5)
	code, _, errs = cli(t, "import", proj, "--coder", "carol", "--video", other, good)
	if code != 0 || !strings.Contains(errs, "was coded on child01.mp4; importing it as a coding of "+other) {
		t.Fatalf("import onto another video: exit %d, %s", code, errs)
	}
	newVideo := makeVideo(t, dir, "child02.mp4", 1, 2)

	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("behavior,start_s,end_s\nsmile,1.0,1.0\nsmiel,2.0,2.0\nexplore,3.0,4.0\nexplore,5.0,4.5\ncalm,six,\n"), 0o644)
	twoObs := filepath.Join(dir, "two.csv")
	os.WriteFile(twoObs, append(genCSV(t, annotate.DefaultScheme(), "study", "child01.mp4", "1", "carol", 8, end),
		[]byte("study,child01.mp4,2,dan,child,smile,point,1.000000,1.000000,0.000000,,,\n")...), 0o644)
	noCoder := filepath.Join(dir, "nocoder.csv")
	os.WriteFile(noCoder, []byte("behavior,start_s,end_s\nsmile,1,1\n"), 0o644)
	states := filepath.Join(dir, "states.csv")
	os.WriteFile(states, []byte("behavior,start_s,end_s\nexplore,1,\n"), 0o644)
	pastEnd := filepath.Join(dir, "past-end.csv")
	os.WriteFile(pastEnd, []byte("behavior,start_s,end_s\nsmile,0.5,0.5\nexplore,1.5,2.5\n"), 0o644)

	before := fileBytes(t, proj)
	for _, c := range []struct {
		name string
		args []string
		code int
		msgs []string
	}{
		{"bad lines", []string{"import", proj, "--coder", "dan", "--video", newVideo, bad}, 1,
			[]string{bad + `:3: unknown behavior "smiel"`, bad + ":5: end_s 4.500000 is before start_s 5.000000", bad + ":6: start_s: not a time"}},
		{"two observations", []string{"import", proj, "--coder", "dan", "--video", newVideo, twoObs}, 2, []string{"holds 2 observations; pick one with --observation ID: 1 (carol), 2 (dan)"}},
		{"no such observation", []string{"import", proj, "--video", newVideo, "--observation", "7", twoObs}, 1, []string{`has no observation "7"; it holds: 1 (carol), 2 (dan)`}},
		{"past the video's end", []string{"import", proj, "--coder", "dan", "--video", video, pastEnd}, 1,
			[]string{pastEnd + " codes up to 2.500000 s, after the end of " + video + " (2.000000 s)", "Nothing was imported"}},
		{"no coder", []string{"import", proj, "--video", newVideo, noCoder}, 2, []string{"--coder is required"}},
		{"no video", []string{"import", proj, "--coder", "dan", noCoder}, 2, []string{"--video is required"}},
		{"unknown video", []string{"import", proj, "--coder", "dan", "--video", "child09.mp4", states}, 1, []string{`video "child09.mp4" is not in project`}},
		{"unknown format", []string{"import", proj, "--coder", "dan", "--video", video, "--format", "xls", states}, 2, []string{`unknown format "xls"`}},
		{"unknown extension", []string{"import", proj, "--coder", "dan", "--video", video, filepath.Join(dir, "codes.txt")}, 1, []string{"cannot tell the format"}},
		{"missing file", []string{"import", proj, "--coder", "dan", "--video", video, filepath.Join(dir, "none.csv")}, 1, []string{"none.csv"}},
		{"no project", []string{"import", filepath.Join(dir, "none.dyad"), "--coder", "dan", "--video", video, states}, 1, []string{"no such project"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, errs := cli(t, c.args...)
			if code != c.code {
				t.Errorf("exit %d, want %d: %s", code, c.code, errs)
			}
			for _, m := range c.msgs {
				if !strings.Contains(errs, m) {
					t.Errorf("stderr lacks %q:\n%s", m, errs)
				}
			}
			if !bytes.Equal(fileBytes(t, proj), before) {
				t.Fatal("the project file changed")
			}
		})
	}
	if n := len(projectVideos(t, proj)); n != 2 {
		t.Errorf("%d videos after failed imports, want 2", n)
	}
	// --observation picks one observation of a file that holds several.
	out := cliOK(t, "import", proj, "--video", video, "--observation", "2", twoObs)
	if !strings.Contains(out, ": dan coding v1, 1 events") {
		t.Errorf("import --observation 2 said %q", out)
	}
}

func TestImportMinimalAddsVideo(t *testing.T) {
	dir := t.TempDir()
	proj := filepath.Join(dir, "study.dyad")
	cliOK(t, "new", proj)
	video := makeVideo(t, dir, "child03.mp4", 1, 3)
	file := filepath.Join(dir, "dan.csv")
	os.WriteFile(file, []byte("\xEF\xBB\xBFbehavior,start_s,end_s,comment\r\nsmile,0.3,0.3,first\r\nexplore,0.1,0.9,\r\ndistress,0.5,,\r\n"), 0o644)
	out := cliOK(t, "import", proj, "--coder", "dan", "--video", video, file)
	if !strings.Contains(out, "added v1 ") || !strings.Contains(out, "imported observation 1: dan coding v1, 3 events, 0 episode marks") {
		t.Errorf("import said %q", out)
	}
	p, err := store.Open(proj, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	o, err := p.Observation("1")
	if err != nil {
		t.Fatal(err)
	}
	sec := annotate.MustSeconds
	want := []annotate.Event{
		{ID: 1, Behavior: "explore", Subject: "child", Start: sec("0.1"), End: sec("0.9")},
		{ID: 2, Behavior: "smile", Subject: "child", Start: sec("0.3"), End: sec("0.3"), Comment: "first"},
		{ID: 3, Behavior: "distress", Subject: "child", Start: sec("0.5"), End: sec("0.5"), Open: true},
	}
	if len(o.Events) != len(want) {
		t.Fatalf("events %+v", o.Events)
	}
	for i := range want {
		e := o.Events[i]
		if e.ID != want[i].ID || e.Behavior != want[i].Behavior || e.Subject != want[i].Subject || e.Start != want[i].Start ||
			e.End != want[i].End || e.Open != want[i].Open || e.Comment != want[i].Comment {
			t.Errorf("event %d: %+v, want %+v", i, e, want[i])
		}
	}
	if o.Coder != "dan" || o.Video != "v1" {
		t.Errorf("observation of %s by %s", o.Video, o.Coder)
	}
}

func TestImportExportHelp(t *testing.T) {
	for _, cmd := range []string{"import", "export", "observations", "scheme", "backup", "relocate", "add-video", "demo"} {
		code, out, errs := cli(t, cmd, "--help")
		if code != 0 || out != "" || !strings.Contains(errs, "usage: dyadcode "+cmd+" ") {
			t.Errorf("%s --help: exit %d, stdout %q, stderr %q", cmd, code, out, errs)
		}
	}
}

// BenchmarkImport100k is `dyadcode import` of a 100,000-event CSV into a
// fresh project: read, check against the scheme, one committed
// transaction.
func BenchmarkImport100k(b *testing.B) {
	dir := b.TempDir()
	video := filepath.Join(dir, "v.mp4")
	os.WriteFile(video, []byte("a stand-in file: import needs the video's record, not its frames"), 0o644)
	file := filepath.Join(dir, "big.csv")
	var buf strings.Builder
	buf.WriteString("behavior,start_s,end_s,comment\n")
	s := annotate.DefaultScheme()
	for i := 0; i < 100_000; i++ {
		bh := s.Behaviors[i%len(s.Behaviors)]
		start := annotate.Time(i) * 40_000
		end := start
		if bh.Kind == annotate.State {
			end += 20_000
		}
		buf.WriteString(bh.Code + "," + start.Seconds() + "," + end.Seconds() + ",c\n")
	}
	os.WriteFile(file, []byte(buf.String()), 0o644)
	i := 0
	for b.Loop() {
		b.StopTimer()
		i++
		proj := filepath.Join(dir, strconv.Itoa(i)+".dyad")
		benchCLI(b, "new", proj)
		benchCLI(b, "add-video", proj, video)
		b.StartTimer()
		benchCLI(b, "import", proj, "--coder", "carol", "--video", video, file)
	}
}
