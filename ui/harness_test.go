package ui

import (
	"path/filepath"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"dyadcode/annotate"
	"dyadcode/app"
	"dyadcode/media/mediatest"
	"dyadcode/store"
)

// The tests run the backends' hand-offs on the test goroutine: uiDo
// queues, pump runs the queue. Fyne's test driver would otherwise run
// fyne.Do inline on the player's goroutine, racing with the test.
var (
	queueMu sync.Mutex
	queue   []func()
)

// testSched is the scheduler every test window gets: uiDo queues for
// pump, spawn runs at once.
var testSched = &scheduler{
	uiDo: func(f func()) {
		queueMu.Lock()
		queue = append(queue, f)
		queueMu.Unlock()
	},
	spawn: func(f func()) { f() },
}

// pump runs what the backends handed to the UI so far.
func pump() {
	for {
		queueMu.Lock()
		q := queue
		queue = nil
		queueMu.Unlock()
		if len(q) == 0 {
			return
		}
		for _, f := range q {
			f()
		}
	}
}

// waitFor pumps until cond holds or 10 s pass.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		pump()
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// makeProject makes a project file with the default scheme and one real
// video (75 frames at 25 fps, made with the ffmpeg CLI), probed by the
// media engine.
func makeProject(t testing.TB) string {
	t.Helper()
	return makeProjectWith(t, mediatest.NoAudio, 75, annotate.Rate{Num: 25, Den: 1})
}

func makeProjectWith(t testing.TB, spec mediatest.Spec, frames int64, rate annotate.Rate) string {
	t.Helper()
	dir := t.TempDir()
	video := mediatest.Copy(t, spec, dir, "session.mp4")
	path := filepath.Join(dir, "study.dyad")
	p, err := store.Create(path, annotate.DefaultScheme())
	if err != nil {
		t.Fatal(err)
	}
	v, err := app.Media{}.Probe(video)
	if err != nil {
		t.Fatal(err)
	}
	if v.Frames != frames || v.Rate != rate {
		t.Fatalf("probe of the test video: %d frames at %v, want %d at %v", v.Frames, v.Rate, frames, rate)
	}
	if _, err := p.AddVideo(v); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

type harness struct {
	t    testing.TB
	path string
	s    *shell
}

// openCoding opens the window on coder alice's observation of the video
// and waits until the video is attached (or known to be unplayable).
func openCoding(t testing.TB, path string) *harness {
	t.Helper()
	a := test.NewApp()
	s, err := load(a, Options{Engine: app.Media{}, sched: testSched, Project: path, Coder: "alice", Video: "session.mp4", DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, path: path, s: s}
	t.Cleanup(func() {
		if !s.closed {
			s.quit()
		}
	})
	if s.view == nil {
		t.Fatalf("no coding view opened")
	}
	s.win.Resize(fyne.NewSize(1366, 740))
	waitFor(t, "the video to open", func() bool { return s.view.player != nil || s.view.why != "opening the video…" })
	if s.view.player == nil {
		t.Fatalf("the video did not open: %s", s.view.why)
	}
	waitFor(t, "the first frame", func() bool { return s.view.img.Image != nil })
	return h
}

func (h *harness) view() *codingView { return h.s.view }

// typeKeys presses printable keys (behaviour and episode keys).
func (h *harness) typeKeys(s string) {
	test.TypeOnCanvas(h.s.win.Canvas(), s)
	pump()
}

// press presses a non-printing key and, for a transport key, waits until
// the frame it asks for is on screen.
func (h *harness) press(k fyne.KeyName) {
	h.t.Helper()
	v := h.view()
	before := v.cur.Index
	h.s.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: k})
	want := int64(-1)
	switch k {
	case fyne.KeyRight:
		want = min(before+1, v.video.Frames-1)
	case fyne.KeyLeft:
		want = max(before-1, 0)
	}
	if want >= 0 {
		waitFor(h.t, "the stepped frame", func() bool { return v.cur.Index == want })
	}
	pump()
}

// right steps n frames forward.
func (h *harness) right(n int) {
	for range n {
		h.press(fyne.KeyRight)
	}
}

// shortcut types a Ctrl shortcut.
func (h *harness) shortcut(sc fyne.Shortcut) {
	h.s.win.Canvas().(fyne.Shortcutable).TypedShortcut(sc)
	pump()
}

// reopen quits the window and reads the observation back from the file.
func (h *harness) reopen() *annotate.Observation {
	h.t.Helper()
	h.s.quit()
	p, err := store.Open(h.path, store.Options{ReadOnly: true})
	if err != nil {
		h.t.Fatal(err)
	}
	defer p.Close()
	infos, err := p.Observations()
	if err != nil || len(infos) != 1 {
		h.t.Fatalf("observations in %s: %v %v", h.path, infos, err)
	}
	o, err := p.Observation(infos[0].ID)
	if err != nil {
		h.t.Fatal(err)
	}
	return o
}

// frameTime is frame n's time in the 25 fps test video.
func frameTime(n int64) annotate.Time { return annotate.Time(n) * 40 * annotate.Millisecond }

func ctrlShortcut(k fyne.KeyName) fyne.Shortcut {
	return &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierControl}
}
