package lab

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"dyadcode/annotate"
	"dyadcode/store"
)

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
	cont := &coding{j: &journal{coder: "alice", last: o.j.last}, obs: o.obs}
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

// A client killed with SIGKILL at random points of its sync, 50 times:
// retries never duplicate a change and never lose one. Each round
// re-executes this test binary as a child that syncs a real project file
// (pushing small batches), killed while it pushes, confirms in the
// project, or starts.
func TestKillMidPush(t *testing.T) {
	t.Parallel() // it kills clients, not the server: it runs beside the others
	f := newFixture(t)
	ctx := ctxT(t)
	lp := newLaptop(t, f, "alice")
	o := must(lp.p.NewObservation(lp.vid, "alice"))(t)
	path := lp.p.Path()
	lp.p.Close()
	rng := rand.New(rand.NewPCG(1, 2))
	next := 0 // the next edit's instant, in 100 ms steps
	// codeMore commits n more edits, as the window does between syncs, so
	// every round starts with changes to push however fast the machine
	// pushed the previous ones.
	codeMore := func(n int) {
		p := must(store.Open(path, store.Options{Backups: -1}))(t)
		defer p.Close()
		ed := must(p.Editor(o.ID))(t)
		for range n {
			at := annotate.Time(next) * 100 * annotate.Millisecond
			next++
			switch rng.IntN(4) {
			case 0:
				must(ed.Tag("smile", at))(t)
			case 1:
				must(ed.Tag("touch", at))(t)
			case 2:
				must(ed.Tag("cry", at))(t)
			default:
				if ed.CanUndo() {
					must(ed.Undo())(t)
				}
			}
		}
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	child := func() *exec.Cmd {
		cmd := exec.Command(exe, "-test.run=^TestKillChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), childEnv+"=1", "LAB_URL="+f.url("alice"), "LAB_PROJECT="+path)
		return cmd
	}
	serverCount := func() int64 { return must(f.sup.Status(ctx))(t).Changes }
	project := func() (logged int64, waiting int) {
		p, err := store.Open(path, store.Options{ReadOnly: true, Backups: -1})
		if err != nil {
			t.Fatalf("the project after a kill: %v", err)
		}
		defer p.Close()
		for _, in := range must(p.Observations())(t) {
			if in.ID == o.ID {
				logged = int64(in.Changes)
			}
		}
		return logged, must(p.OutboxWaiting("alice"))(t)
	}
	// How long a child takes to push one round's edits on this machine
	// now: the kills are spread over that, so they land inside the push on
	// a fast idle machine as on a loaded one.
	const batch = 150
	codeMore(batch)
	began := time.Now()
	if out, err := child().CombinedOutput(); err != nil {
		t.Fatalf("calibrating sync: %v\n%s", err, out)
	}
	d := time.Since(began)
	var killed, unconfirmed int
	for round := range killRounds() {
		codeMore(batch)
		logged, _ := project()
		cmd := child()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(d/20 + time.Duration(rng.Int64N(int64(d*17/20))))
		cmd.Process.Signal(syscall.SIGKILL)
		err := cmd.Wait()
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.Sys().(syscall.WaitStatus).Signaled() {
			killed++ // killed while its round's changes were waiting
		}
		_, waiting := project()
		confirmed := logged - int64(waiting)
		n := serverCount()
		switch {
		case n < confirmed:
			t.Fatalf("round %d: the server has %d changes but the project confirmed %d", round, n, confirmed)
		case n > confirmed:
			unconfirmed++ // pushed, killed before confirming: the next round re-sends them
		}
		if n > logged {
			t.Fatalf("round %d: %d changes on the server, the log has %d", round, n, logged)
		}
	}
	if out, err := child().CombinedOutput(); err != nil {
		t.Fatalf("final sync: %v\n%s", err, out)
	}
	logged, waiting := project()
	if n := serverCount(); n != logged {
		t.Errorf("server has %d changes, want exactly %d", n, logged)
	}
	if waiting != 0 {
		t.Errorf("%d changes still waiting", waiting)
	}
	p := must(store.Open(path, store.Options{ReadOnly: true, Backups: -1}))(t)
	want := must(p.Observation(o.ID))(t)
	info := uidOf(t, p, o.ID)
	if err := p.Check(); err != nil {
		t.Errorf("the project after %d kills: %v", killed, err)
	}
	p.Close()
	sameCoding(t, must(f.sup.Observation(ctx, info.UID))(t), want)
	t.Logf("a child pushes %d edits in %v here; %d of %d children killed mid-sync; after %d kills the server had changes the project had not confirmed", batch, d.Round(time.Millisecond), killed, killRounds(), unconfirmed)
	if killed < killRounds()/2 {
		t.Errorf("only %d children were killed mid-sync; the test proved little", killed)
	}
}

// TestKillChild is the child of TestKillMidPush: sync the project.
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
	p, err := store.Open(os.Getenv("LAB_PROJECT"), store.Options{Backups: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	q, err := OpenProject(p, l)
	if err != nil {
		t.Fatal(err)
	}
	// Tiny batches: many pushes per child, so the kills land between and
	// inside them for all the rounds rather than after the outbox is empty.
	if _, err := syncBatches(ctx, l, q, nil, 5); err != nil {
		t.Fatal(err)
	}
}
