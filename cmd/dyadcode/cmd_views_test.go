package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"dyadcode/annotate"
	"dyadcode/media/avsync/avsynctest"
	"dyadcode/store"
)

// A session from the command line: a second camera found by its sound,
// a third refused for lack of shared sound and then given by hand, nudges,
// and every output carrying the views while event times stay session time.
func TestAddViewAndNudge(t *testing.T) {
	dir := t.TempDir()
	proj := filepath.Join(dir, "study.dyad")
	cliOK(t, "new", proj)
	ref := avsynctest.Reference.Path(t)
	later := avsynctest.Later.Path(t)
	other := avsynctest.OtherRoom.Path(t)
	cliOK(t, "add-video", proj, ref)
	p, err := store.Open(proj, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	o, err := p.NewObservation("v1", "dana")
	if err != nil {
		t.Fatal(err)
	}
	ed, _ := p.Editor(o.ID)
	if _, err := ed.Tag("smile", annotate.MustSeconds("3.5")); err != nil {
		t.Fatal(err)
	}
	p.Close()

	out := cliOK(t, "add-view", proj, "--observation", "1", later)
	m := regexp.MustCompile(`offset found from the sound: ([-+0-9.]+) s \(confidence ([0-9.]+)\)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("add-view said %q", out)
	}
	found, _ := strconv.ParseFloat(m[1], 64)
	if truth := avsynctest.Offset(avsynctest.Reference, avsynctest.Later); math.Abs(found-truth) > 0.010 {
		t.Fatalf("found offset %.4f, truth %.4f", found, truth)
	}

	// No shared sound: refused, named, nothing added to the session.
	code, _, errs := cli(t, "add-view", proj, "--observation", "1", other)
	if code == 0 || !strings.Contains(errs, "too little sound") || !strings.Contains(errs, "--offset") {
		t.Fatalf("unrelated recording: exit %d, %q", code, errs)
	}
	out = cliOK(t, "add-view", proj, "--observation", "1", other, "--offset", "-0.75")
	if !strings.Contains(out, "at offset -0.750000 s") {
		t.Fatalf("given offset: %q", out)
	}
	if code, _, errs := cli(t, "add-view", proj, "--observation", "1", ref); code == 0 || !strings.Contains(errs, "already in the session") {
		t.Fatalf("the primary again: exit %d, %q", code, errs)
	}

	// Nudges: one frame of the 30 fps view, then -10 ms.
	session := func() []annotate.View {
		p, err := store.Open(proj, store.Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer p.Close()
		o, err := p.Observation("1")
		if err != nil {
			t.Fatal(err)
		}
		return o.Views
	}
	before := session()[0].Offset
	cliOK(t, "nudge-view", proj, "--observation", "1", "--view", "v2", "--frames", "1")
	out = cliOK(t, "nudge-view", proj, "--observation", "1", "--view", "v2", "--ms", "-10")
	after := session()[0].Offset
	if after-before != 33_333-10_000 {
		t.Fatalf("nudged %d µs, want one 30 fps frame minus 10 ms (%q)", after-before, out)
	}
	if code, _, _ := cli(t, "nudge-view", proj, "--observation", "1", "--view", "v2", "--ms", "5"); code != 2 {
		t.Fatalf("a 5 ms nudge: exit %d, want a usage error", code)
	}

	// Lists.
	out = cliOK(t, "observations", proj)
	if !strings.Contains(out, "VIEWS") || !strings.Contains(out, "v2 +3.4") || !strings.Contains(out, "v3 -0.750s") {
		t.Fatalf("observations:\n%s", out)
	}
	out = cliOK(t, "probe", proj)
	if !strings.Contains(out, "3 view(s)") || !strings.Contains(out, "primary, the time base") || !strings.Contains(out, "offset -0.750000 s") {
		t.Fatalf("probe project:\n%s", out)
	}

	// Exports: CSV in session time, ELAN with every view.
	csvPath := filepath.Join(dir, "out.csv")
	cliOK(t, "export", proj, "-o", csvPath)
	csv, _ := os.ReadFile(csvPath)
	if !strings.Contains(string(csv), "3.5") {
		t.Fatalf("CSV lost the session time 3.5:\n%s", csv)
	}
	eafPath := filepath.Join(dir, "out.eaf")
	cliOK(t, "export", proj, "-o", eafPath, "--format", "eaf")
	eaf, _ := os.ReadFile(eafPath)
	if n := strings.Count(string(eaf), "<MEDIA_DESCRIPTOR"); n != 3 {
		t.Fatalf("%d media descriptors, want 3:\n%s", n, eaf)
	}
	if !strings.Contains(string(eaf), `TIME_ORIGIN="750"`) || !strings.Contains(string(eaf), filepath.Base(later)) {
		t.Fatalf("EAF header:\n%s", eaf[:min(len(eaf), 1500)])
	}
	htmlPath := filepath.Join(dir, "report.html")
	cliOK(t, "report", proj, "-o", htmlPath)
	html, _ := os.ReadFile(htmlPath)
	if !strings.Contains(string(html), "Views: ") || !strings.Contains(string(html), filepath.Base(other)+" at -0.750000 s") {
		t.Fatalf("the report does not list the views")
	}
}

// bench views runs on two real cameras and reports per-view figures (the
// numbers themselves are reported, never asserted).
func TestBenchViewsShape(t *testing.T) {
	a := avsynctest.Reference.Path(t)
	b := avsynctest.Later.Path(t)
	out := cliOK(t, "bench", "views", a, b, "--play", "1", "--offset", "0,3.4", "--json")
	var r struct {
		Alone, Together struct {
			Views []struct {
				File  string  `json:"file"`
				FPS   float64 `json:"fps"`
				Shown int64   `json:"frames_shown"`
			} `json:"views"`
			Goal float64 `json:"goal_ms"`
		}
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if len(r.Alone.Views) != 1 || len(r.Together.Views) != 2 || r.Together.Views[1].FPS != 30 || r.Together.Goal != 40 {
		t.Fatalf("figures %+v", r)
	}
	if r.Together.Views[0].Shown == 0 {
		t.Fatalf("the primary showed nothing: %s", out)
	}
	if code, _, _ := cli(t, "bench", "views", a); code != 2 {
		t.Fatalf("one view: exit %d, want a usage error", code)
	}
}
