package main

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dyadcode/annotate"
	"dyadcode/media/avsync/avsynctest"
	"dyadcode/store"
)

// TestGUIViewsEndToEnd drives the real binary under Xvfb: Alt+A adds a
// second camera (typed path), the offset found from the sound is kept
// with Return, Alt+Right nudges it one of its frames, a behaviour is
// tagged while both views play, Ctrl+Q quits; the project holds the
// nudged offset and `dyadcode export` the tag at a session time (a
// frame time of the 25 fps primary, not shifted by the view's offset).
func TestGUIViewsEndToEnd(t *testing.T) {
	g := newGUIEnv(t)
	primary := copyFile(t, avsynctest.Reference.Path(t), filepath.Join(g.dir, "main.mp4")) // 25 fps
	side := copyFile(t, avsynctest.Later.Path(t), filepath.Join(g.dir, "side.mkv"))        // 30 fps, 3.4 s later
	proj := filepath.Join(g.dir, "study.dyad")
	g.cli("new", proj)
	g.cli("add-video", proj, primary)
	app := g.start("e2e", "open", "--coder", "e2e", "--video", "main.mp4", proj)
	keys, xdo, appLog := app.keys, app.xdo, app.Log

	keys("alt+a")
	xdo("type", "--delay", "20", side)
	keys("Return")              // find the offset from the sound
	time.Sleep(8 * time.Second) // decode and correlate both soundtracks
	keys("Return")              // keep it
	time.Sleep(time.Second)
	keys("alt+Right") // nudge one 30 fps frame
	keys("space")     // play both
	time.Sleep(1500 * time.Millisecond)
	keys("s") // seek_comfort while both play
	keys("space")
	if shot := os.Getenv("DYADCODE_E2E_SHOT"); shot != "" {
		app.shot(shot)
	}
	app.quit()

	p, err := store.Open(proj, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	o, err := p.Observation("1")
	p.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Views) != 1 {
		t.Fatalf("session %v, want one further view\n%s", o.Views, appLog())
	}
	truth := avsynctest.Offset(avsynctest.Reference, avsynctest.Later) + 1.0/30
	if got := o.Views[0].Offset.Float(); math.Abs(got-truth) > 0.010 {
		t.Errorf("view offset %.4f s, want the found offset plus one 30 fps frame, %.4f s", got, truth)
	}
	out := g.cli("export", proj)
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("export is not CSV: %v\n%s", err, out)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	tagged := false
	for _, r := range recs[1:] {
		if r[col["behavior"]] != "seek_comfort" {
			continue
		}
		at, err := annotate.ParseSeconds(r[col["start_s"]])
		// Session time is the primary's frame time: a multiple of 40 ms.
		tagged = err == nil && at > 200*annotate.Millisecond && at%(40*annotate.Millisecond) == 0
		if !tagged {
			t.Errorf("seek_comfort at %s: not a frame time of the primary (session time)", r[col["start_s"]])
		}
	}
	if !tagged {
		t.Errorf("no seek_comfort tag while playing:\n%s\n%s", out, appLog())
	}
}

func copyFile(t *testing.T, from, to string) string {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return to
}
