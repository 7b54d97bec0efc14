package demo

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"dyadcode/annotate"
	"dyadcode/assets"
	"dyadcode/store"
)

func openDemo(t *testing.T, path string) *store.Project {
	t.Helper()
	p, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// checkDemo asserts the demo project is complete: the video at its final
// place with the clip's timing, alice's and ben's observations.
func checkDemo(t *testing.T, dataDir, path string) {
	t.Helper()
	if want := filepath.Join(dataDir, "demo", "demo.dyad"); path != want {
		t.Fatalf("path %s, want %s", path, want)
	}
	p := openDemo(t, path)
	defer p.Close()
	if err := p.Check(); err != nil {
		t.Fatal(err)
	}
	vs, err := p.Videos()
	if err != nil || len(vs) != 1 {
		t.Fatalf("videos %v %v", vs, err)
	}
	v := vs[0]
	if v.Path != filepath.Join(dataDir, "demo", "session.mp4") || v.Duration != 60*annotate.Second ||
		v.Rate != (annotate.Rate{Num: 25, Den: 1}) || v.Frames != 1500 {
		t.Errorf("video %+v", v)
	}
	fp, size, err := store.Fingerprint(v.Path)
	if err != nil || fp != v.Fingerprint || size != v.Size {
		t.Errorf("video file does not match its record: %v", err)
	}
	infos, err := p.Observations()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, in := range infos {
		got = append(got, fmt.Sprintf("%s:%s:%d", in.ID, in.Coder, in.Events))
	}
	// 27 events each (36 lines minus header and 8 episode rows).
	if strings.Join(got, " ") != "1:alice:27 2:ben:27" {
		t.Errorf("observations %v", got)
	}
	entries, _ := os.ReadDir(filepath.Join(dataDir, "demo"))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("left over %s", e.Name())
		}
	}
}

func TestEnsure(t *testing.T) {
	data := t.TempDir()
	path, err := Ensure(data, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkDemo(t, data, path)
	clip, _ := assets.Demo.ReadFile("demo/session.mp4")
	video := filepath.Join(data, "demo", "session.mp4")

	// The user edits the demo: Ensure must keep it as it is.
	p, err := store.Open(path, store.Options{Backups: -1})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.DeleteObservation("2"); err != nil {
		t.Fatal(err)
	}
	p.Close()
	edited, _ := os.ReadFile(path)
	again, err := Ensure(data, nil)
	if err != nil || again != path {
		t.Fatalf("second Ensure: %s, %v", again, err)
	}
	if now, _ := os.ReadFile(path); !bytes.Equal(now, edited) {
		t.Fatal("Ensure rewrote an existing demo")
	}

	// A deleted video comes back; the project stays.
	if err := os.Remove(video); err != nil {
		t.Fatal(err)
	}
	if _, err := Ensure(data, nil); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(video); !bytes.Equal(got, clip) {
		t.Error("video not restored")
	}
	if now, _ := os.ReadFile(path); !bytes.Equal(now, edited) {
		t.Fatal("restoring the video rewrote the demo")
	}

	// Deleting the project brings a fresh one, and the build folder a
	// crashed process left behind goes (a fresh one may be another
	// process's build in progress and stays).
	stale, fresh := filepath.Join(data, "demo", ".build-1"), filepath.Join(data, "demo", ".build-2")
	os.MkdirAll(stale, 0o755)
	os.MkdirAll(fresh, 0o755)
	old := time.Now().Add(-time.Hour)
	os.Chtimes(stale, old, old)
	os.Remove(path)
	if path, err = Ensure(data, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("stale build folder kept")
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Error("recent build folder removed")
	}
	os.Remove(fresh)
	checkDemo(t, data, path)
}

func TestEnsureProbe(t *testing.T) {
	var probed string
	probe := func(p string) (annotate.Video, error) {
		probed = p
		return annotate.Video{Duration: annotate.MustSeconds("60"), Rate: annotate.Rate{Num: 25, Den: 1}, Frames: 1500}, nil
	}
	data := t.TempDir()
	path, err := Ensure(data, probe)
	if err != nil {
		t.Fatal(err)
	}
	checkDemo(t, data, path)
	if filepath.Base(probed) != "session.mp4" {
		t.Errorf("probe called with %q", probed)
	}
}

func TestEnsureUnwritable(t *testing.T) {
	// A file where the demo folder should be fails even for root (tests
	// run as root in CI, where permissions would not).
	data := t.TempDir()
	if err := os.WriteFile(filepath.Join(data, "demo"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Ensure(data, nil); err == nil || !strings.Contains(err.Error(), "demo") {
		t.Fatalf("Ensure with a file in the way: %v", err)
	}
}

// Several goroutines and several processes start at once (two windows
// opened together): all get the same complete demo.
func TestEnsureConcurrent(t *testing.T) {
	data := t.TempDir()
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = Ensure(data, nil)
		}()
	}
	cmds := make([]*exec.Cmd, 3)
	outs := make([]bytes.Buffer, len(cmds))
	for i := range cmds {
		cmds[i] = exec.Command(os.Args[0], "-test.run=^TestEnsureChild$")
		cmds[i].Env = append(os.Environ(), "DYADCODE_DEMO_CHILD="+data)
		cmds[i].Stdout, cmds[i].Stderr = &outs[i], &outs[i]
		if err := cmds[i].Start(); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	for i, c := range cmds {
		if err := c.Wait(); err != nil {
			t.Errorf("child %d: %v\n%s", i, err, outs[i].String())
		}
	}
	for _, err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	checkDemo(t, data, filepath.Join(data, "demo", "demo.dyad"))
}

// TestEnsureChild is the other process of TestEnsureConcurrent.
func TestEnsureChild(t *testing.T) {
	data := os.Getenv("DYADCODE_DEMO_CHILD")
	if data == "" {
		t.Skip("run by TestEnsureConcurrent")
	}
	if _, err := Ensure(data, nil); err != nil {
		t.Fatal(err)
	}
}

func TestDataDir(t *testing.T) {
	home, err := os.UserHomeDir()
	if err != nil {
		t.Skip("no home directory")
	}
	// The running OS's rule through the real environment.
	if runtime.GOOS == "windows" {
		t.Setenv("LOCALAPPDATA", `C:\Users\Zoë\AppData\Local`)
		if got, err := DataDir(); err != nil || got != `C:\Users\Zoë\AppData\Local\dyadcode` {
			t.Errorf("DataDir() = %s, %v", got, err)
		}
		return
	}
	for _, c := range []struct{ xdg, want string }{
		{"/srv/data", "/srv/data/dyadcode"},
		{"", filepath.Join(home, ".local", "share", "dyadcode")},
		{"relative/dir", filepath.Join(home, ".local", "share", "dyadcode")},
	} {
		t.Setenv("XDG_DATA_HOME", c.xdg)
		if got, err := DataDir(); err != nil || got != c.want {
			t.Errorf("XDG_DATA_HOME=%q: %s, %v; want %s", c.xdg, got, err, c.want)
		}
	}
}

// TestDataDirWindows: every OS's rule on any OS, Windows included: a
// Windows laptop keeps the data in %LOCALAPPDATA%, whatever the drive,
// share or user name looks like, and never in a Unix-style dot folder.
func TestDataDirWindows(t *testing.T) {
	noHome := func() (string, error) { return "", errors.New("no profile") }
	for _, c := range []struct {
		goos, env, home, want string
		wantErr               bool
	}{
		{goos: "windows", env: `C:\Users\Zoë\AppData\Local`, want: `C:\Users\Zoë\AppData\Local\dyadcode`},
		{goos: "windows", env: `D:\Profiles\ana\AppData\Local\`, want: `D:\Profiles\ana\AppData\Local\dyadcode`},
		{goos: "windows", env: `\\fileserver\home$\zoë\Local`, want: `\\fileserver\home$\zoë\Local\dyadcode`},
		// XDG_DATA_HOME means nothing on Windows.
		{goos: "windows", env: "", home: `C:\Users\Zoë`, want: `C:\Users\Zoë\AppData\Local\dyadcode`},
		{goos: "windows", env: `AppData\Local`, home: `C:\Users\jo`, want: `C:\Users\jo\AppData\Local\dyadcode`},
		{goos: "windows", env: "", wantErr: true},
		{goos: "linux", env: "/srv/data", home: "/home/zoë", want: "/srv/data/dyadcode"},
		{goos: "linux", env: "", home: "/home/zoë", want: "/home/zoë/.local/share/dyadcode"},
		{goos: "darwin", env: "rel", home: "/Users/zoë", want: "/Users/zoë/.local/share/dyadcode"},
	} {
		getenv := func(k string) string {
			if (c.goos == "windows" && k == "LOCALAPPDATA") || (c.goos != "windows" && k == "XDG_DATA_HOME") {
				return c.env
			}
			return ""
		}
		home := noHome
		if c.home != "" {
			home = func() (string, error) { return c.home, nil }
		}
		got, err := dataDir(c.goos, getenv, home)
		if (err != nil) != c.wantErr || got != c.want {
			t.Errorf("%s env %q home %q: %q, %v; want %q (error %v)", c.goos, c.env, c.home, got, err, c.want, c.wantErr)
		}
	}
}
