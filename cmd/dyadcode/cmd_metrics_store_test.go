// Tests of metrics, plot and report on real project files.

package main

import (
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"dyadcode/annotate"
	"dyadcode/store"
)

// metricsProject makes a real project with a real 2 s video, recorded as
// 100 s long so the hand-computed times of the metrics tests apply, and
// two coders' observations of it.
func metricsProject(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	video := filepath.Join(dir, "child01.mp4")
	if out, err := exec.Command("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=duration=2:size=64x48:rate=10",
		"-pix_fmt", "yuv420p", video).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v\n%s", err, out)
	}
	path := filepath.Join(dir, "study.dyad")
	p, err := store.Create(path, annotate.DefaultScheme())
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	v, err := p.AddVideo(annotate.Video{Path: video, Duration: annotate.MustSeconds("100")})
	if err != nil {
		t.Fatal(err)
	}
	v.Duration = annotate.MustSeconds("100")
	if err := p.UpdateVideo(v); err != nil {
		t.Fatal(err)
	}
	sec := annotate.MustSeconds
	for _, coder := range []string{"alice", "ben"} {
		o := &annotate.Observation{Coder: coder,
			Episodes: []annotate.EpisodeMark{{Name: "1 Introduction", Start: sec("10")}, {Name: "2 Caregiver and child", Start: sec("30")},
				{Name: "4 First separation", Start: sec("50")}, {Name: "5 First reunion", Start: sec("70")}},
			Events: []annotate.Event{
				{ID: 1, Behavior: "explore", Subject: "child", Start: sec("20"), End: sec("35")},
				{ID: 2, Behavior: "distress", Subject: "child", Start: sec("55"), End: sec("55"), Open: true},
				{ID: 3, Behavior: "approach", Subject: "child", Start: sec("60"), End: sec("60")},
			},
			Ratings: []annotate.Rating{{Episode: "5 First reunion", Scale: "avoidance", Value: 2}},
			NextID:  4,
		}
		if coder == "ben" {
			o.Events[0].End = sec("36")
		}
		if _, err := p.ImportObservation(v.ID, o); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

func readMetricsCSV(t *testing.T, text string) [][]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		t.Fatalf("output is not CSV: %v\n%s", err, text)
	}
	return recs
}

// cell finds the value of column col in the row of (observation, episode).
func metricsCell(t *testing.T, recs [][]string, obs, episode, col string) string {
	t.Helper()
	ci := -1
	for i, h := range recs[0] {
		if h == col {
			ci = i
		}
	}
	if ci < 0 {
		t.Fatalf("no column %s", col)
	}
	for _, r := range recs[1:] {
		if r[1] == obs && r[3] == episode {
			return r[ci]
		}
	}
	t.Fatalf("no row %s/%s", obs, episode)
	return ""
}

func TestMetricsCommand(t *testing.T) {
	path := metricsProject(t)
	code, out, errs := runMetricsCmd(t, "metrics", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	recs := readMetricsCSV(t, out)
	if got := strings.Join(recs[0][:7], ","); got != "video,observation,coder,episode,episode_start_s,episode_end_s,approach_count" {
		t.Fatalf("header starts %s", got)
	}
	if len(recs) != 1+2*5 { // 2 observations × (4 episodes + session)
		t.Fatalf("%d lines, want 11", len(recs))
	}
	for _, c := range []struct{ obs, ep, col, want string }{
		{"1", "1 Introduction", "explore_total_s", "10"},
		{"2", "2 Caregiver and child", "explore_total_s", "6"},
		{"1", "5 First reunion", "distress_total_s", "30"}, // open: runs to the video's 100 s
		{"1", "5 First reunion", "distress_latency_s", ""},
		{"1", "5 First reunion", "distress_latency_censored", "1"},
		{"1", "4 First separation", "comfort_seek_latency_first_s", "5"},
		{"2", "5 First reunion", "rating_avoidance", "2"},
		{"1", "session", "episode_end_s", "100"},
	} {
		if got := metricsCell(t, recs, c.obs, c.ep, c.col); got != c.want {
			t.Errorf("obs %s %s %s = %q, want %q", c.obs, c.ep, c.col, got, c.want)
		}
	}
	if recs[1][0] != "child01.mp4" || recs[1][2] != "alice" {
		t.Errorf("first row names video %q coder %q", recs[1][0], recs[1][2])
	}

	// --long to a file, one observation
	file := filepath.Join(t.TempDir(), "long.csv")
	if code, _, errs := runMetricsCmd(t, "metrics", path, "--long", "--observation", "2", "-o", file); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	long := readMetricsCSV(t, string(data))
	if strings.Join(long[0], ",") != "video,observation,coder,episode,measure,value,censored" {
		t.Fatalf("long header %v", long[0])
	}
	wideCols := len(recs[0]) - 6
	if len(long) != 1+5*wideCols {
		t.Fatalf("%d long lines, want %d", len(long), 1+5*wideCols)
	}
	found := false
	for _, r := range long[1:] {
		if r[1] != "2" {
			t.Fatalf("observation %s in a --observation 2 export", r[1])
		}
		if r[3] == "5 First reunion" && r[4] == "distress_latency_s" {
			found = true
			if r[5] != "" || r[6] != "1" {
				t.Errorf("censored latency written as %q censored %q", r[5], r[6])
			}
		}
	}
	if !found {
		t.Error("no distress latency line")
	}
}

func TestMetricsCommandErrors(t *testing.T) {
	path := metricsProject(t)
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"metrics"}, 2, "need a project"},
		{[]string{"metrics", path, "--observation", "9"}, 1, `no observation "9" (have 1, 2)`},
		{[]string{"metrics", filepath.Join(t.TempDir(), "none.dyad")}, 1, "none.dyad"},
		{[]string{"metrics", path, "--scheme", "x.json"}, 2, "--scheme is for CSV input"},
		{[]string{"metrics", path, "-o", filepath.Join(t.TempDir(), "no", "such", "dir.csv")}, 1, "dir.csv"},
	} {
		code, _, errs := runMetricsCmd(t, c.args...)
		if code != c.code || !strings.Contains(errs, c.msg) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d with %q", c.args, code, errs, c.code, c.msg)
		}
	}
}
