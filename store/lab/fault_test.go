package lab

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"dyadcode/annotate"
)

// fileOutbox is an outbox kept in files the way a crash-safe one must be:
// the changes, and a count of those confirmed that is replaced atomically
// (temp file, fsync, rename) after each confirmation. The kill test's
// children push from it and die at random points.
type fileOutbox struct {
	dir     string
	batch   Batch // headers and every change
	sentNum int
}

func writeOutbox(dir string, b Batch) error {
	data, err := json.Marshal(b)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "changes.json"), data, 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "sent"), []byte("0"), 0o644)
}

func readOutbox(dir string) (*fileOutbox, error) {
	data, err := os.ReadFile(filepath.Join(dir, "changes.json"))
	if err != nil {
		return nil, err
	}
	o := &fileOutbox{dir: dir}
	if err := json.Unmarshal(data, &o.batch); err != nil {
		return nil, err
	}
	s, err := os.ReadFile(filepath.Join(dir, "sent"))
	if err != nil {
		return nil, err
	}
	o.sentNum, err = strconv.Atoi(string(s))
	return o, err
}

func (o *fileOutbox) Pending(n int) (Batch, error) {
	rest := o.batch.Changes[o.sentNum:]
	if len(rest) == 0 {
		return Batch{}, nil
	}
	return Batch{Videos: o.batch.Videos, Observations: o.batch.Observations, Changes: rest[:min(n, len(rest))]}, nil
}

func (o *fileOutbox) Sent(uids []string) error {
	for i, u := range uids {
		if o.batch.Changes[o.sentNum+i].UID != u {
			return fmt.Errorf("confirmed %s out of order", u)
		}
	}
	o.sentNum += len(uids)
	tmp := filepath.Join(o.dir, "sent.tmp")
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(strconv.Itoa(o.sentNum)); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(o.dir, "sent"))
}

func (o *fileOutbox) Waiting() (int, error) { return len(o.batch.Changes) - o.sentNum, nil }

// memOutbox is an outbox over a coding's journal.
type memOutbox struct {
	c    *coding
	sent int
}

func (o *memOutbox) Pending(n int) (Batch, error) {
	rest := o.c.j.changes[o.sent:]
	if len(rest) == 0 {
		return Batch{}, nil
	}
	return Batch{Observations: []Observation{o.c.obs}, Changes: rest[:min(n, len(rest))]}, nil
}
func (o *memOutbox) Sent(uids []string) error { o.sent += len(uids); return nil }
func (o *memOutbox) Waiting() (int, error)    { return len(o.c.j.changes) - o.sent, nil }

// memInbox applies pulled changes to copies of other laptops'
// observations, skipping changes it made itself.
type memInbox struct {
	cur    Cursor
	own    func(uid string) bool
	copies map[string]*annotate.Observation
	rev    int64
}

func (in *memInbox) Cursor() (Cursor, error) { return in.cur, nil }
func (in *memInbox) Receive(p *Pulled) error {
	in.rev = p.SchemeRev
	for _, rc := range p.Changes {
		if in.own(rc.UID) {
			continue
		}
		o := in.copies[rc.Obs.UID]
		if o == nil {
			o = &annotate.Observation{ID: rc.Obs.UID, Video: rc.Obs.Video, Coder: rc.Obs.Coder}
			in.copies[rc.Obs.UID] = o
		}
		if err := rc.Change.Change.Apply(o); err != nil {
			return fmt.Errorf("change %s: %w", rc.UID, err)
		}
	}
	in.cur = p.Next
	return nil
}

func ownOf(cs ...*coding) func(string) bool {
	return func(uid string) bool {
		for _, c := range cs {
			for _, ch := range c.j.changes {
				if ch.UID == uid {
					return true
				}
			}
		}
		return false
	}
}

// The server stops while two coders keep coding: their edits keep landing
// in the working copy, sync reports the server unreachable with the count
// waiting, and once the server is back one sync each brings everything
// over exactly once.
func TestServerStoppedWhileCoding(t *testing.T) {
	f := newFixture(t)
	ctx := ctxT(t)
	a, b := newCoding("alice", f.video.Fingerprint), newCoding("bob", f.video.Fingerprint)
	ao, bo := &memOutbox{c: a}, &memOutbox{c: b}
	codeSession(t, a, 0)
	codeSession(t, b, 0)
	if _, err := Sync(ctx, f.ali, ao, nil); err != nil {
		t.Fatal(err)
	}

	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}
	stopped := true
	defer func() {
		if stopped {
			srv.Restart()
		}
	}()
	for round := range 3 {
		codeSession(t, a, annotate.Time(round+1)*annotate.Minute)
		codeSession(t, b, annotate.Time(round+1)*annotate.Minute)
		for _, s := range []struct {
			l   *Lab
			out Outbox
		}{{f.ali, ao}, {f.bo, bo}} {
			qctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			_, err := Sync(qctx, s.l, s.out, nil)
			cancel()
			if !errors.Is(err, ErrUnreachable) {
				t.Fatalf("sync with the server down: %v, want ErrUnreachable", err)
			}
			w, _ := s.out.Waiting()
			if st := StateAfter(err, w); !st.Unreachable || st.Waiting == 0 {
				t.Errorf("state %v", st)
			}
		}
	}
	if w, _ := ao.Waiting(); w != 3*15 {
		t.Errorf("alice has %d changes waiting, want 45", w)
	}
	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	stopped = false
	for _, s := range []struct {
		l   *Lab
		out Outbox
		c   *coding
	}{{f.ali, ao, a}, {f.bo, bo, b}} {
		r, err := Sync(ctx, s.l, s.out, nil)
		if err != nil {
			t.Fatalf("sync after restart: %v", err)
		}
		if w, _ := s.out.Waiting(); w != 0 || r.New != r.Pushed {
			t.Errorf("after restart: %+v, %d waiting", r, w)
		}
		if StateAfter(nil, 0).String() != "synced" {
			t.Error("state label")
		}
		sameCoding(t, must(f.sup.Observation(ctx, s.c.obs.UID))(t), s.c.ed.Obs)
	}
	st := must(f.sup.Status(ctx))(t)
	if want := int64(len(a.j.changes) + len(b.j.changes)); st.Changes != want {
		t.Errorf("server has %d changes, want %d", st.Changes, want)
	}
}

// The same coder on two laptops: each codes, syncs, and receives the
// other's work; a laptop then continues the other's observation, and both
// end with the server's state.
func TestTwoLaptopsOneCoder(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := ctxT(t)
	home, office := f.open(t, "alice"), f.ali
	h, o := newCoding("alice", f.video.Fingerprint), newCoding("alice", f.video.Fingerprint)
	codeSession(t, h, 0)
	codeSession(t, o, 0)
	hin := &memInbox{own: ownOf(h), copies: map[string]*annotate.Observation{}}
	oin := &memInbox{own: ownOf(o), copies: map[string]*annotate.Observation{}}
	hout, oout := &memOutbox{c: h}, &memOutbox{c: o}
	must(Sync(ctx, home, hout, hin))(t)
	must(Sync(ctx, office, oout, oin))(t)
	must(Sync(ctx, home, hout, hin))(t)
	if got := hin.copies[o.obs.UID]; got == nil {
		t.Fatal("home did not receive the office observation")
	} else {
		sameCoding(t, got, o.ed.Obs)
	}
	if got := oin.copies[h.obs.UID]; got == nil {
		t.Fatal("office did not receive the home observation")
	} else {
		sameCoding(t, got, h.ed.Obs)
	}

	// At home, alice continues the observation she began at the office.
	cont := &coding{j: &journal{coder: "alice"}, obs: o.obs}
	cont.ed = annotate.NewEditor(hin.copies[o.obs.UID], testScheme(), cont.j, nil, nil)
	must(cont.ed.Tag("smile", 50*annotate.Second))(t)
	must(cont.ed.Tag("touch", 51*annotate.Second))(t)
	hin.own = ownOf(h, cont)
	must(Sync(ctx, home, &memOutbox{c: cont}, hin))(t)
	// Both sync again (pushing nothing new twice) and the office applies
	// the home changes to its own observation.
	must(Sync(ctx, office, oout, oin))(t)
	server := must(f.sup.Observation(ctx, o.obs.UID))(t)
	sameCoding(t, server, hin.copies[o.obs.UID])
	officeView := o.ed.Obs
	for _, ch := range cont.j.changes {
		if err := ch.Change.Apply(officeView); err != nil {
			t.Fatal(err)
		}
	}
	sameCoding(t, server, officeView)
	if st := must(f.sup.Status(ctx))(t); st.Observations != 2 {
		t.Errorf("server has %d observations, want 2", st.Observations)
	}
}

// killRounds is how many times the kill test SIGKILLs a pushing client.
func killRounds() int {
	if testing.Short() {
		return 10
	}
	return 50
}

// A client killed with SIGKILL at random points of its pushes, 50 times:
// the retries never duplicate a change and never lose one. Each round
// re-executes this test binary as a child that pushes from a file outbox.
func TestKillMidPush(t *testing.T) {
	f := newFixture(t)
	ctx := ctxT(t)
	c := newCoding("alice", f.video.Fingerprint)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 6000 {
		at := annotate.Time(i) * 100 * annotate.Millisecond
		switch rng.IntN(4) {
		case 0:
			must(c.ed.Tag("smile", at))(t)
		case 1:
			must(c.ed.Tag("touch", at))(t)
		case 2:
			must(c.ed.Tag("cry", at))(t)
		default:
			if c.ed.CanUndo() {
				must(c.ed.Undo())(t)
			}
		}
	}
	dir := t.TempDir()
	if err := writeOutbox(dir, c.batch(0)); err != nil {
		t.Fatal(err)
	}
	total := len(c.j.changes)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	child := func() *exec.Cmd {
		cmd := exec.Command(exe, "-test.run=^TestKillChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), childEnv+"=1", "LAB_URL="+f.url("alice"), "LAB_OUTBOX="+dir)
		return cmd
	}
	serverCount := func() int64 {
		return must(f.sup.Status(ctx))(t).Changes
	}
	var killedMidway, unconfirmed int
	for round := range killRounds() {
		cmd := child()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(30+rng.IntN(250)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		err := cmd.Wait()
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.Sys().(syscall.WaitStatus).Signaled() {
			killedMidway++
		}
		ob, err := readOutbox(dir)
		if err != nil {
			t.Fatalf("round %d: outbox: %v", round, err)
		}
		n := serverCount()
		switch {
		case n < int64(ob.sentNum):
			t.Fatalf("round %d: the server has %d changes but %d were confirmed", round, n, ob.sentNum)
		case n > int64(ob.sentNum):
			unconfirmed++ // pushed, killed before confirming: the next round re-sends them
		}
		if n > int64(total) {
			t.Fatalf("round %d: %d changes on the server, only %d exist", round, n, total)
		}
	}
	// A last child runs to the end.
	if out, err := child().CombinedOutput(); err != nil {
		t.Fatalf("final push: %v\n%s", err, out)
	}
	if n := serverCount(); n != int64(total) {
		t.Errorf("server has %d changes, want exactly %d", n, total)
	}
	sameCoding(t, must(f.sup.Observation(ctx, c.obs.UID))(t), c.ed.Obs)
	t.Logf("%d kills of %d rounds landed mid-run; after %d the server had changes the client had not confirmed", killedMidway, killRounds(), unconfirmed)
	if killedMidway == 0 {
		t.Error("no child was killed while pushing; the test proved nothing")
	}
}

// TestKillChild is the child of TestKillMidPush: push the outbox in small
// batches until it is empty.
func TestKillChild(t *testing.T) {
	if os.Getenv(childEnv) == "" {
		t.Skip("runs only as TestKillMidPush's child")
	}
	ctx := context.Background()
	l, err := Open(ctx, os.Getenv("LAB_URL"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ob, err := readOutbox(os.Getenv("LAB_OUTBOX"))
	if err != nil {
		t.Fatal(err)
	}
	for {
		b, _ := ob.Pending(40)
		if len(b.Changes) == 0 {
			return
		}
		if _, err := l.Push(ctx, b); err != nil {
			t.Fatal(err)
		}
		uids := make([]string, len(b.Changes))
		for i, c := range b.Changes {
			uids[i] = c.UID
		}
		if err := ob.Sent(uids); err != nil {
			t.Fatal(err)
		}
	}
}
