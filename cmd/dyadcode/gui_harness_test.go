package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// The GUI tests of issue 13 share one harness: the real binary (built once
// per test run), a real Xvfb screen of 1366×768 on a free display, and
// xdotool for keys and the mouse. What the window did is read back from the
// project file with the command line, from the app's log (every message
// the window shows is also logged) and from screenshots.

var guiBin struct {
	once sync.Once
	path string
	err  error
}

// guiBinary builds dyadcode once for all GUI tests of this run.
func guiBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("starts Xvfb and the GUI binary")
	}
	for _, tool := range []string{"Xvfb", "xdotool"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed (scripts/install-deps installs it)", tool)
		}
	}
	guiBin.once.Do(func() {
		dir, err := os.MkdirTemp("", "dyadcode-gui-bin")
		if err != nil {
			guiBin.err = err
			return
		}
		guiBin.path = filepath.Join(dir, "dyadcode")
		gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
		out, err := exec.Command(gobin, "build", "-tags", "migrated_fynedo", "-o", guiBin.path, ".").CombinedOutput()
		if err != nil {
			guiBin.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if guiBin.err != nil {
		t.Fatal(guiBin.err)
	}
	return guiBin.path
}

// guiEnv is a fresh home for one test: preferences and data never leak
// between tests or from the machine's user.
type guiEnv struct {
	t   *testing.T
	bin string
	dir string
	env []string
}

func newGUIEnv(t *testing.T) *guiEnv {
	t.Helper()
	bin := guiBinary(t)
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	env := append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"XDG_DATA_HOME="+filepath.Join(home, ".local", "share"), "LANG=C.UTF-8")
	return &guiEnv{t: t, bin: bin, dir: dir, env: env}
}

// cli runs the command line and returns its standard output; a failure
// fails the test.
func (g *guiEnv) cli(args ...string) string {
	g.t.Helper()
	out, errOut, err := g.try(args...)
	if err != nil {
		g.t.Fatalf("dyadcode %s: %v\n%s", strings.Join(args, " "), err, errOut)
	}
	return out
}

// try runs the command line and returns what it printed and its error.
func (g *guiEnv) try(args ...string) (string, string, error) {
	cmd := exec.Command(g.bin, args...)
	cmd.Env = g.env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	return out.String(), errb.String(), err
}

// events exports a project and returns its event rows as
// "coder behavior start-end", in file order.
func (g *guiEnv) events(proj string) []string {
	g.t.Helper()
	recs, err := csv.NewReader(strings.NewReader(g.cli("export", proj))).ReadAll()
	if err != nil || len(recs) == 0 {
		g.t.Fatalf("export of %s is not CSV: %v", proj, err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	var out []string
	for _, r := range recs[1:] {
		if k := r[col["kind"]]; k == "point" || k == "state" {
			out = append(out, fmt.Sprintf("%s %s %s-%s", r[col["coder"]], r[col["behavior"]], r[col["start_s"]], r[col["end_s"]]))
		}
	}
	return out
}

// guiApp is one running window.
type guiApp struct {
	*guiEnv
	display string
	log     string
	cmd     *exec.Cmd
	exited  chan struct{}
	waitErr error
}

// start opens the window with the given arguments on a new screen and
// waits until a window titled title is mapped.
func (g *guiEnv) start(title string, args ...string) *guiApp {
	g.t.Helper()
	a := &guiApp{guiEnv: g, display: startXvfb(g.t), log: filepath.Join(g.dir, fmt.Sprintf("app-%d.log", time.Now().UnixNano()))}
	a.env = append(slicesClone(g.env), "DISPLAY="+a.display)
	logf, err := os.Create(a.log)
	if err != nil {
		g.t.Fatal(err)
	}
	g.t.Cleanup(func() { logf.Close() })
	a.cmd = exec.Command(g.bin, args...)
	a.cmd.Env = a.env
	a.cmd.Stdout, a.cmd.Stderr = logf, logf
	if err := a.cmd.Start(); err != nil {
		g.t.Fatal(err)
	}
	a.exited = make(chan struct{})
	go func() { a.waitErr = a.cmd.Wait(); close(a.exited) }()
	g.t.Cleanup(func() {
		select {
		case <-a.exited:
		default:
			a.cmd.Process.Kill()
			<-a.exited
		}
	})
	waitWindow(g.t, a.env, title, a.Log)
	time.Sleep(1500 * time.Millisecond) // the video opens off the UI goroutine
	return a
}

func slicesClone(s []string) []string { return append([]string(nil), s...) }

// Log is what the app printed so far.
func (a *guiApp) Log() string { b, _ := os.ReadFile(a.log); return string(b) }

// xdo runs xdotool on the app's screen.
func (a *guiApp) xdo(args ...string) string {
	a.t.Helper()
	cmd := exec.Command("xdotool", args...)
	cmd.Env = a.env
	out, err := cmd.CombinedOutput()
	if err != nil {
		a.t.Fatalf("xdotool %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// keys presses keys one after another, then lets the window catch up.
func (a *guiApp) keys(ks ...string) {
	a.t.Helper()
	a.xdo(append([]string{"key", "--delay", "200"}, ks...)...)
	time.Sleep(300 * time.Millisecond)
}

// typeText types text as a user would.
func (a *guiApp) typeText(s string) {
	a.t.Helper()
	a.xdo("type", "--delay", "50", s)
	time.Sleep(200 * time.Millisecond)
}

// waitLog waits until the app's log contains want.
func (a *guiApp) waitLog(want string) {
	a.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(a.Log(), want) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	a.t.Fatalf("the window never said %q\napp log:\n%s", want, a.Log())
}

// shot saves a screenshot of the whole screen to path (ImageMagick's
// import); it is skipped silently when import is missing.
func (a *guiApp) shot(path string) {
	if _, err := exec.LookPath("import"); err != nil {
		return
	}
	cmd := exec.Command("import", "-window", "root", path)
	cmd.Env = a.env
	if out, err := cmd.CombinedOutput(); err != nil {
		a.t.Logf("screenshot %s: %v\n%s", path, err, out)
	}
}

// quit presses Ctrl+Q and waits for the process to end cleanly.
func (a *guiApp) quit() {
	a.t.Helper()
	a.keys("ctrl+q")
	select {
	case <-a.exited:
		if a.waitErr != nil {
			a.t.Fatalf("the window exited with %v\n%s", a.waitErr, a.Log())
		}
	case <-time.After(15 * time.Second):
		a.t.Fatalf("the window did not quit on Ctrl+Q\n%s", a.Log())
	}
}

// shots is where screenshots go: $DYADCODE_E2E_SHOTS when set (to look at
// them after the run), else the test's temporary directory.
func (g *guiEnv) shots() string {
	if d := os.Getenv("DYADCODE_E2E_SHOTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err == nil {
			return d
		}
	}
	return g.dir
}
