package main

import (
	"bytes"
	"encoding/csv"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
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
	if testing.Short() {
		t.Skip("starts Xvfb and the GUI binary")
	}
	for _, tool := range []string{"Xvfb", "xdotool"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed (scripts/install-deps installs it)", tool)
		}
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "dyadcode")
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if out, err := exec.Command(gobin, "build", "-tags", "migrated_fynedo", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	primary := copyFile(t, avsynctest.Reference.Path(t), filepath.Join(dir, "main.mp4")) // 25 fps
	side := copyFile(t, avsynctest.Later.Path(t), filepath.Join(dir, "side.mkv"))        // 30 fps, 3.4 s later
	proj := filepath.Join(dir, "study.dyad")
	home := filepath.Join(dir, "home")
	env := append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"XDG_DATA_HOME="+filepath.Join(home, ".local", "share"), "LANG=C.UTF-8")
	runBin := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			t.Fatalf("dyadcode %s: %v\n%s", strings.Join(args, " "), err, errb.String())
		}
		return out.String()
	}
	runBin("new", proj)
	runBin("add-video", proj, primary)

	display := startXvfb(t)
	env = append(env, "DISPLAY="+display)
	xdo := func(args ...string) {
		t.Helper()
		cmd := exec.Command("xdotool", args...)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("xdotool %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	logf, err := os.Create(filepath.Join(dir, "app.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	appLog := func() string { b, _ := os.ReadFile(logf.Name()); return string(b) }
	app := exec.Command(bin, "open", "--coder", "e2e", "--video", "main.mp4", proj)
	app.Env = env
	app.Stdout, app.Stderr = logf, logf
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	var waitErr error
	go func() { waitErr = app.Wait(); close(exited) }()
	t.Cleanup(func() {
		select {
		case <-exited:
		default:
			app.Process.Kill()
			<-exited
		}
	})
	waitWindow(t, env, "e2e", appLog)
	time.Sleep(1500 * time.Millisecond)
	keys := func(ks ...string) {
		t.Helper()
		xdo(append([]string{"key", "--delay", "250"}, ks...)...)
		time.Sleep(300 * time.Millisecond)
	}
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
		imp := exec.Command("import", "-window", "root", shot)
		imp.Env = env
		imp.Run()
	}
	keys("ctrl+q")
	select {
	case <-exited:
		if waitErr != nil {
			t.Fatalf("dyadcode open exited with %v\n%s", waitErr, appLog())
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("the window did not quit on Ctrl+Q\n%s", appLog())
	}

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
	out := runBin("export", proj)
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
