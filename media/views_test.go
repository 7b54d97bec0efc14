package media

import (
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"dyadcode/media/mediatest"
	"dyadcode/mediatime"
)

// side30 is a second camera: 30 fps, another size and GOP than the
// primary, 8 s.
var side30 = mediatest.Spec{Name: "side30", Ext: ".mkv", Frames: 240, Args: []string{
	"-f", "lavfi", "-i", "testsrc2=size=400x224:rate=30",
	"-frames:v", "240", "-c:v", "libx264", "-preset", "ultrafast", "-bf", "2", "-g", "45", "-pix_fmt", "yuv420p", "-an"}}

// probeTimes is ffprobe's list of a file's frame times in µs from its
// first frame, display order: the reference for "its frame at t".
func probeTimes(t *testing.T, path string) []mediatime.Time {
	st := mediatest.ProbeStream(t, path)
	pts := mediatest.SortedPTS(mediatest.ProbeFrames(t, path))
	out := make([]mediatime.Time, len(pts))
	for i, p := range pts {
		d := (p - pts[0]) * 1_000_000 * st.TimeBaseNum
		// rounded to the nearest microsecond, as FFmpeg rescales
		out[i] = mediatime.Time((2*d + st.TimeBaseDen) / (2 * st.TimeBaseDen))
	}
	return out
}

// expected is the frame the rule gives, from ffprobe's times: the last
// with time <= t - offset, -1 outside the recording.
func expected(times []mediatime.Time, dur, vt mediatime.Time) int64 {
	if vt < 0 || vt >= dur {
		return -1
	}
	n := int64(-1)
	for i, x := range times {
		if x <= vt {
			n = int64(i)
		}
	}
	return n
}

type sessionView struct {
	spec   mediatest.Spec
	path   string
	offset mediatime.Time
	times  []mediatime.Time
	w, h   int
}

// lastFrames records the last ViewFrame of each view (image copied).
type lastFrames struct {
	mu  sync.Mutex
	got map[int]ViewFrame
}

func (l *lastFrames) attach(s *Session) {
	l.got = map[int]ViewFrame{}
	s.OnFrame(func(f ViewFrame) {
		if f.Frame.Image != nil {
			img := *f.Frame.Image
			img.Pix = append([]byte(nil), img.Pix...)
			f.Frame.Image = &img
		}
		l.mu.Lock()
		l.got[f.View] = f
		l.mu.Unlock()
	})
}

func (l *lastFrames) of(i int) ViewFrame {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.got[i]
}

func openTestSession(t *testing.T) (*Session, []sessionView, *lastFrames) {
	t.Helper()
	views := []sessionView{
		{spec: mediatest.H264LongGOP},                                         // 25 fps, 320x240, 10 s
		{spec: side30, offset: 1_300_017},                                     // 30 fps, 400x224, starts 1.300017 s in
		{spec: mediatest.Rotated, offset: -mediatime.MustSeconds("0.512345")}, // 30 fps, rotated, started earlier
	}
	var srcs []ViewSource
	for i := range views {
		v := &views[i]
		v.path = mediatest.Path(t, v.spec)
		v.times = probeTimes(t, v.path)
		srcs = append(srcs, ViewSource{Path: v.path, Offset: v.offset})
	}
	s, err := OpenSession(srcs, SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	for i := range views {
		views[i].w, views[i].h = s.Info(i).DisplaySize()
	}
	rec := &lastFrames{}
	rec.attach(s)
	return s, views, rec
}

// checkRule compares every view at session time at with ffmpeg's decode
// of that view at at - offset.
func checkRule(t *testing.T, s *Session, views []sessionView, rec *lastFrames, at mediatime.Time) {
	t.Helper()
	for i, v := range views {
		dur := s.Index(i).Duration()
		want := expected(v.times, dur, at-v.offset)
		n, st, _ := s.Shown(i)
		if n != want {
			t.Errorf("session %s: view %d (%s) shows frame %d (%v), ffprobe's frame at %s is %d",
				at.Seconds(), i, v.spec.Name, n, st, (at - v.offset).Seconds(), want)
			continue
		}
		got := rec.of(i)
		if want < 0 {
			if got.State == ViewShowing || got.Frame.Image != nil {
				t.Errorf("session %s: view %d delivered a picture outside its recording", at.Seconds(), i)
			}
			continue
		}
		if got.Frame.Index != want || got.Frame.Image == nil {
			t.Errorf("session %s: view %d delivered frame %d, want %d", at.Seconds(), i, got.Frame.Index, want)
			continue
		}
		ref := ffmpegFrame(t, v.path, want, v.w, v.h)
		if d := meanAbsDiff(got.Frame.Image.Pix, ref); d != 0 {
			t.Errorf("session %s: view %d frame %d differs from ffmpeg's by %.3f", at.Seconds(), i, want, d)
		}
	}
}

// TestSessionFrameExact: at random session times, after seeks, steps of
// either view, playback and a nudge, every view shows the frame ffmpeg
// decodes from it at t - offset.
func TestSessionFrameExact(t *testing.T) {
	s, views, rec := openTestSession(t)
	rng := rand.New(rand.NewPCG(16, 5))
	times := []mediatime.Time{0, views[1].offset - 1, views[1].offset, 2*mediatime.Second - 512345}
	for range 6 {
		times = append(times, mediatime.Time(rng.Int64N(int64(s.End()))))
	}
	for _, at := range times {
		if err := s.Seek(at); err != nil {
			t.Fatal(err)
		}
		checkRule(t, s, views, rec, at)
	}

	// Stepping the primary moves it one frame; the others follow the rule.
	s.Seek(3 * mediatime.Second)
	n0, _, _ := s.Shown(0)
	if err := s.Step(1); err != nil {
		t.Fatal(err)
	}
	if n, _, _ := s.Shown(0); n != n0+1 {
		t.Fatalf("primary stepped from %d to %d", n0, n)
	}
	checkRule(t, s, views, rec, s.Time())

	// The 30 fps view steps: its own frame +1, the 25 fps primary follows.
	s.SetStepper(1)
	n1, _, _ := s.Shown(1)
	for k := 1; k <= 3; k++ {
		if err := s.Step(1); err != nil {
			t.Fatal(err)
		}
		if n, _, _ := s.Shown(1); n != n1+int64(k) {
			t.Fatalf("side view step %d: frame %d, want %d", k, n, n1+int64(k))
		}
		checkRule(t, s, views, rec, s.Time())
	}
	s.Step(-2)
	if n, _, _ := s.Shown(1); n != n1+1 {
		t.Fatalf("side view stepped back to %d, want %d", n, n1+1)
	}
	checkRule(t, s, views, rec, s.Time())

	// A nudge shows the new frame at once.
	if err := s.SetOffset(1, views[1].offset+mediatime.Time(33_334)); err != nil {
		t.Fatal(err)
	}
	views[1].offset += 33_334
	checkRule(t, s, views, rec, s.Time())
	if n, _, _ := s.Shown(1); n != n1 {
		t.Fatalf("after a one-frame nudge the side view shows %d, want %d", n, n1)
	}

	// Play, change speed, jump while playing, pause: every view is on the
	// rule's frame for the time the clock stopped at.
	s.SetStepper(0)
	s.Seek(mediatime.Second)
	s.Play()
	time.Sleep(300 * time.Millisecond)
	s.SetSpeed(0.5)
	time.Sleep(200 * time.Millisecond)
	if err := s.Seek(5 * mediatime.Second); err != nil {
		t.Fatal(err)
	}
	s.SetSpeed(2)
	time.Sleep(300 * time.Millisecond)
	s.Pause()
	at := s.Time()
	if at <= 5*mediatime.Second {
		t.Fatalf("the clock did not run after the jump: %s", at.Seconds())
	}
	checkRule(t, s, views, rec, at)
	for i := range views {
		t.Logf("view %d: %d delivered, %d dropped", i, s.Delivered(i), s.Dropped(i))
	}
}

func TestRuleFrameStates(t *testing.T) {
	ix := &Index{PTS: []mediatime.Time{0, 40_000, 80_000}, FrameDur: 40_000}
	tests := []struct {
		off, t mediatime.Time
		n      int64
		st     ViewState
	}{
		{0, 0, 0, ViewShowing},
		{0, 39_999, 0, ViewShowing},
		{0, 40_000, 1, ViewShowing},
		{0, 119_999, 2, ViewShowing},
		{0, 120_000, -1, ViewEnded},
		{1_000_000, 999_999, -1, ViewNotYet},
		{1_000_000, 1_040_000, 1, ViewShowing},
		{-80_000, 0, 2, ViewShowing},
		{-80_000, 40_000, -1, ViewEnded},
	}
	for _, tt := range tests {
		n, st := RuleFrame(ix, tt.off, tt.t)
		if n != tt.n || st != tt.st {
			t.Errorf("offset %d, t %d: %d %v, want %d %v", tt.off, tt.t, n, st, tt.n, tt.st)
		}
	}
}

// Follow shows the rule's frames without the session's clock; the latest
// time given wins.
func TestSessionFollow(t *testing.T) {
	s, views, rec := openTestSession(t)
	for _, at := range []mediatime.Time{mediatime.Second, 2 * mediatime.Second, 2_345_678} {
		s.Follow(at, 1)
	}
	at := mediatime.Time(2_345_678)
	for i := 1; i < len(views); i++ {
		want, wantSt := RuleFrame(s.Index(i), views[i].offset, at)
		waitFor(t, "view follows", func() bool {
			f := rec.of(i)
			return f.At == at && f.State == wantSt && f.Frame.Index == want
		})
	}
	if s.Time() != 0 || s.Delivered(0) != 0 {
		t.Fatalf("Follow moved the clock or the primary: %s, %d frames", s.Time().Seconds(), s.Delivered(0))
	}
}
