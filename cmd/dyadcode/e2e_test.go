package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"dyadcode/media/mediatest"
)

// TestGUIEndToEnd starts the real binary under Xvfb on a fresh project,
// codes with xdotool key presses (play, pause, go to a frame, point tags, a
// state on and off, frame steps, undo), quits with Ctrl+Q, and checks that
// `dyadcode export` holds exactly the expected events at the expected
// frames. Tags are made while paused, after an explicit go-to, so the
// frames are deterministic whatever the machine's speed.
func TestGUIEndToEnd(t *testing.T) {
	g := newGUIEnv(t)
	video := mediatest.Copy(t, mediatest.H264LongGOP, g.dir, "session.mp4") // 10 s, 25 fps, B-frames, audio
	proj := filepath.Join(g.dir, "study.dyad")
	g.cli("new", proj)
	g.cli("add-video", proj, video)
	app := g.start("e2e", "open", "--coder", "e2e", "--video", "session.mp4", proj)
	keys, xdo, appLog := app.keys, app.xdo, app.Log

	keys("space") // play
	time.Sleep(700 * time.Millisecond)
	keys("space") // pause
	keys("s")     // seek_comfort wherever playback stopped: proves it played
	keys("ctrl+g")
	xdo("type", "--delay", "60", "#10")
	keys("Return")                  // now on frame 10
	keys("a")                       // approach at frame 10
	keys("Right", "Right")          // frame 12
	keys("m", "e")                  // smile, explore starts at 12
	keys("Right", "Right", "Right") // frame 15
	keys("e", "c")                  // explore stops at 15, check_back at 15
	keys("Left", "v")               // vocalize at 14 ...
	keys("ctrl+z")                  // ... undone
	if shot := os.Getenv("DYADCODE_E2E_SHOT"); shot != "" {
		app.shot(shot)
	}
	app.quit()

	out := g.cli("export", proj)
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("export is not CSV: %v\n%s", err, out)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	var got []string
	played := false
	for _, r := range recs[1:] {
		kind := r[col["kind"]]
		if kind != "point" && kind != "state" {
			continue
		}
		if r[col["behavior"]] == "seek_comfort" {
			// Where playback was paused depends on the machine's speed;
			// that it moved at all is what the test asks.
			at, err := strconv.ParseFloat(r[col["start_s"]], 64)
			played = err == nil && at > 0.2 && at < 10
			continue
		}
		got = append(got, fmt.Sprintf("%s %s %s-%s", r[col["coder"]], r[col["behavior"]], r[col["start_s"]], r[col["end_s"]]))
	}
	if !played {
		t.Errorf("no seek_comfort tag after play and pause, or at a frame playback cannot have reached:\n%s", out)
	}
	want := []string{
		"e2e approach 0.400000-0.400000",
		"e2e explore 0.480000-0.600000",
		"e2e smile 0.480000-0.480000",
		"e2e check_back 0.600000-0.600000",
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("exported events:\n%s\nwant:\n%s\napp log:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"), appLog())
	}
}

// startXvfb starts a virtual screen and returns its display (":N"); it is
// stopped when the test ends. Xvfb picks a free display number itself
// (-displayfd) and writes it once it accepts connections, so two tests (or
// two developers' test runs) starting screens at once cannot take the same
// number, and the display is ready when this returns.
func startXvfb(t *testing.T) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	x := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1366x768x24", "-nolisten", "tcp")
	x.ExtraFiles = []*os.File{w}
	if err := x.Start(); err != nil {
		w.Close()
		t.Fatalf("Xvfb: %v", err)
	}
	w.Close()
	done := make(chan struct{})
	go func() { x.Wait(); close(done) }()
	t.Cleanup(func() { x.Process.Kill(); <-done })
	line := make(chan string, 1)
	go func() {
		b, _ := bufio.NewReader(r).ReadString('\n')
		line <- strings.TrimSpace(b)
	}()
	select {
	case n := <-line:
		if n == "" {
			t.Fatal("Xvfb exited without naming a display")
		}
		return ":" + n
	case <-time.After(30 * time.Second):
		t.Fatal("Xvfb named no display within 30 s")
	}
	return ""
}

// waitWindow waits until a window whose title contains name is mapped.
func waitWindow(t *testing.T, env []string, name string, appLog func() string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		cmd := exec.Command("xdotool", "search", "--onlyvisible", "--name", name)
		cmd.Env = env
		if out, err := cmd.Output(); err == nil && len(bytes.TrimSpace(out)) > 0 {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("no window titled %q appeared\n%s", name, appLog())
}
