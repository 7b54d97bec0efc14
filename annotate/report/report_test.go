package report

import (
	"bytes"
	"encoding/base64"
	"errors"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"dyadcode/annotate"
)

func sec(s string) annotate.Time { return annotate.MustSeconds(s) }

func ev(id annotate.EventID, code, start, end string) annotate.Event {
	e := annotate.Event{ID: id, Behavior: code, Start: sec(start)}
	if end == "open" {
		e.End, e.Open = e.Start, true
	} else {
		e.End = sec(end)
	}
	return e
}

// coded returns an observation of a 60 s video: episodes 1 [0,30), 5 [30,60).
func coded(id, coder string, events ...annotate.Event) *annotate.Observation {
	o := &annotate.Observation{ID: id, Video: "v1", Coder: coder, Events: events,
		Episodes: []annotate.EpisodeMark{{Name: "1 Introduction", Start: 0}, {Name: "5 First reunion", Start: sec("30")}},
		Ratings:  []annotate.Rating{{Episode: "5 First reunion", Scale: "avoidance", Value: 3}}}
	annotate.SortEvents(o.Events)
	return o
}

func input() Input {
	a := coded("1", "alice", ev(1, "explore", "2", "20"), ev(2, "smile", "5", "5"), ev(3, "distress", "35", "open"), ev(4, "approach", "40", "40"))
	b := coded("2", "ben", ev(1, "explore", "2.5", "21"), ev(2, "distress", "36", "open"))
	c := coded("3", "alice", ev(1, "smile", "1", "1"))
	c.Video = "v2"
	return Input{
		Title:  "lab <study> & co",
		Scheme: annotate.DefaultScheme(),
		Observations: []Observation{
			{Obs: a, Video: "child01.mp4", End: sec("60")},
			{Obs: b, Video: "child01.mp4", End: sec("60")},
			{Obs: c, Video: "child02.mp4"},
		},
		// A real, if simple, agreement: how many events each coder coded.
		Agreement: func(obs []*annotate.Observation, s *annotate.Scheme, end annotate.Time) ([]Table, error) {
			t := Table{Caption: "Events per coder", Header: []string{"coder", "events"}, Note: "end " + end.Seconds()}
			for _, o := range obs {
				t.Rows = append(t.Rows, []string{o.Coder, strings.Repeat("|", len(o.Events))})
			}
			return []Table{t}, nil
		},
	}
}

func TestReportIsSelfContainedAndComplete(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, input()); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	if dir := os.Getenv("REPORT_KEEP"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "report.html"), buf.Bytes(), 0o644)
	}
	for _, want := range []string{
		"<title>lab &lt;study&gt; &amp; co — dyadcode report</title>", // escaped
		"Video child01.mp4", "Video child02.mp4",
		"Observation 1 — coder alice", "Observation 2 — coder ben", "Observation 3 — coder alice",
		"<caption>Events per coder</caption>", "<td>ben</td><td>||</td>", "end 60.000000",
		"comfort_seek_latency_first_s", "rating_avoidance",
		"video duration unknown", // observation 3 has no End
	} {
		if !strings.Contains(html, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// Agreement and comparison only for the video with two coders.
	if n := strings.Count(html, "<caption>Events per coder</caption>"); n != 1 {
		t.Errorf("%d agreement tables, want 1", n)
	}
	// Self-contained: no external resources.
	if m := regexp.MustCompile(`(?i)(src|href)="(https?:|//|file:)`).FindString(html); m != "" {
		t.Errorf("external reference %q", m)
	}
	if strings.Contains(html, "<script") || strings.Contains(html, "<link") {
		t.Error("report has scripts or links")
	}
	// 3 event plots + 1 comparison plot, each a decodable PNG.
	uris := regexp.MustCompile(`src="data:image/png;base64,([A-Za-z0-9+/=]+)"`).FindAllStringSubmatch(html, -1)
	if len(uris) != 4 {
		t.Fatalf("%d embedded images, want 4", len(uris))
	}
	for _, u := range uris {
		data, err := base64.StdEncoding.DecodeString(u[1])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := png.Decode(bytes.NewReader(data)); err != nil {
			t.Fatalf("embedded image is not a PNG: %v", err)
		}
	}
	// Alice's distress (35, open) in episode 5 has an approach at 40: 5 s.
	if !regexp.MustCompile(`<td>comfort_seek_latency_first_s</td><td>–</td><td>5</td>`).MatchString(html) {
		t.Error("comfort-seeking latency of alice not 5 s in episode 5")
	}
	// Ben's distress has no approach: censored, shown as such.
	if !strings.Contains(html, `<td class="censored">censored</td>`) {
		t.Error("no censored cell")
	}
	// The HTML parses.
	if _, err := exec.LookPath("xmllint"); err == nil {
		path := filepath.Join(t.TempDir(), "r.html")
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		// xmllint's parser is HTML 4: it flags HTML5 elements, nothing else
		// may be wrong.
		out, _ := exec.Command("xmllint", "--html", "--noout", path).CombinedOutput()
		for _, line := range strings.Split(string(out), "\n") {
			if strings.Contains(line, "parser error") && !regexp.MustCompile(`Tag (details|summary|nav) invalid`).MatchString(line) {
				t.Errorf("xmllint: %s\n%s", line, out)
				break
			}
		}
	}
	if dir := os.Getenv("REPORT_KEEP"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "report.html"), buf.Bytes(), 0o644)
	}
}

func TestReportShowsProblemsPerObservation(t *testing.T) {
	in := input()
	bad := coded("9", "carol", ev(1, "smile", "70", "70")) // after the 60 s video
	in.Observations = append(in.Observations, Observation{Obs: bad, Video: "child01.mp4", End: sec("60")})
	in.Agreement = func([]*annotate.Observation, *annotate.Scheme, annotate.Time) ([]Table, error) {
		return nil, errors.New("coders disagree on the video length")
	}
	var buf bytes.Buffer
	if err := Write(&buf, in); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	for _, want := range []string{"Agreement could not be computed: coders disagree", "Metrics could not be computed: observation 9"} {
		if !strings.Contains(html, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if err := Write(&buf, Input{}); err == nil {
		t.Error("report without a scheme succeeded")
	}
}

func TestAgreementTables(t *testing.T) {
	s := annotate.DefaultScheme()
	a := coded("1", "alice", ev(1, "explore", "2", "20"), ev(2, "smile", "5", "5"), ev(3, "distress", "35", "open"))
	b := coded("2", "ben", ev(1, "explore", "2", "20"), ev(2, "smile", "5", "5"), ev(3, "distress", "35", "open"))
	tables, err := Agreement([]*annotate.Observation{a, b}, s, sec("60"))
	if err != nil {
		t.Fatal(err)
	}
	var caps []string
	for _, tb := range tables {
		caps = append(caps, tb.Caption)
		for _, r := range tb.Rows {
			if len(r) != len(tb.Header) {
				t.Fatalf("%s: row %v has %d cells for %d columns", tb.Caption, r, len(r), len(tb.Header))
			}
		}
	}
	if want := "Time-slice agreement: alice (A, reference) vs ben|Per behaviour, whole session|Ratings"; strings.Join(caps, "|") != want {
		t.Fatalf("tables = %q\nwant %q", strings.Join(caps, "|"), want)
	}
	// Identical codings: κ 1 and 100 % over the session and both episodes.
	for _, r := range tables[0].Rows {
		if r[4] != "1.000" || r[5] != "100.0" {
			t.Errorf("scope %s: κ %s, %% %s; want 1.000, 100.0", r[0], r[4], r[5])
		}
	}
	if got := tables[0].Rows[0][:4]; strings.Join(got, ",") != "session,0,60,600" {
		t.Errorf("session row starts %v", got)
	}
	found := false
	for _, r := range tables[1].Rows {
		if r[0] == "explore" {
			found = true
			if r[1] != "180" || r[2] != "0" || r[3] != "0" {
				t.Errorf("explore slices both/A/B = %s/%s/%s, want 180/0/0", r[1], r[2], r[3])
			}
		}
	}
	if !found {
		t.Error("no explore row")
	}
	// Three coders add Fleiss κ and the pairs table.
	c := coded("3", "carol", ev(1, "explore", "2", "20"))
	tables, err = Agreement([]*annotate.Observation{a, b, c}, s, sec("60"))
	if err != nil {
		t.Fatal(err)
	}
	if h := tables[0].Header; h[len(h)-1] != "Fleiss κ" || tables[len(tables)-1].Caption != "Pairs of coders (time-slice κ)" {
		t.Errorf("three coders: header %v, last table %q", h, tables[len(tables)-1].Caption)
	}
}
