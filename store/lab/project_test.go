package lab

import (
	"errors"
	"path/filepath"
	"slices"
	"testing"

	"dyadcode/annotate"
	"dyadcode/store"
)

// laptop is a real project file on one coder's laptop, linked to the lab.
type laptop struct {
	p   *store.Project
	l   *Lab
	vid string
}

func newLaptop(t *testing.T, f *fixture, coder string) *laptop {
	t.Helper()
	path := filepath.Join(t.TempDir(), coder+".dyad")
	p, err := store.Create(path, testScheme())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	v := f.video
	v.Path = "/home/" + coder + "/videos/s01.mp4" // another machine's path, the same fingerprint
	v, err = p.AddVideo(v)
	if err != nil {
		t.Fatal(err)
	}
	l := f.open(t, coder)
	if err := Link(ctxT(t), p, l, f.url(coder), coder); err != nil {
		t.Fatal(err)
	}
	return &laptop{p: p, l: l, vid: v.ID}
}

// code opens a new observation and codes a session into it, each edit
// committed to the project file as the window does.
func (lp *laptop) code(t *testing.T, coder string, offset annotate.Time) string {
	t.Helper()
	o, err := lp.p.NewObservation(lp.vid, coder)
	if err != nil {
		t.Fatal(err)
	}
	lp.more(t, o.ID, offset)
	return o.ID
}

func (lp *laptop) more(t *testing.T, id string, offset annotate.Time) {
	t.Helper()
	ed, err := lp.p.Editor(id)
	if err != nil {
		t.Fatal(err)
	}
	codeSession(t, &coding{ed: ed}, offset)
}

func (lp *laptop) sync(t *testing.T) SyncResult {
	t.Helper()
	r, st, err := SyncProject(ctxT(t), lp.l, lp.p)
	if err != nil {
		t.Fatalf("sync %s: %v", lp.p.Path(), err)
	}
	if st.String() != "synced" {
		t.Errorf("state after sync: %v", st)
	}
	return r
}

func uidOf(t *testing.T, p *store.Project, id string) store.ObservationInfo {
	t.Helper()
	infos, err := p.Observations()
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range infos {
		if in.ID == id {
			return in
		}
	}
	t.Fatalf("no observation %s in %s", id, p.Path())
	return store.ObservationInfo{}
}

func byUID(t *testing.T, p *store.Project, uid string) (*annotate.Observation, store.ObservationInfo) {
	t.Helper()
	infos, err := p.Observations()
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range infos {
		if in.UID == uid {
			return must(p.Observation(in.ID))(t), in
		}
	}
	t.Fatalf("no observation with UID %s in %s", uid, p.Path())
	return nil, store.ObservationInfo{}
}

// Project files sync through the lab: a coder's observation reaches the
// server and the supervisor's project with the same UID and change log
// (hash chain head), nothing is sent twice, and the copy checks clean.
func TestProjectSync(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := ctxT(t)
	alice, bob, sup := newLaptop(t, f, "alice"), newLaptop(t, f, "bob"), newLaptop(t, f, "supervisor")
	aid := alice.code(t, "alice", 0)
	bid := bob.code(t, "bob", annotate.Second)
	ainfo := uidOf(t, alice.p, aid)
	if r := alice.sync(t); r.Pushed != int(ainfo.Changes) || r.New != r.Pushed {
		t.Errorf("alice's first sync: %+v, want %d pushed", r, ainfo.Changes)
	}
	if r := alice.sync(t); r.Pushed != 0 {
		t.Errorf("second sync pushed %d again", r.Pushed)
	}
	bob.sync(t)
	sameCoding(t, must(f.sup.Observation(ctx, ainfo.UID))(t), must(alice.p.Observation(aid))(t))

	// The supervisor's project receives both observations.
	if r := sup.sync(t); r.Pulled == 0 {
		t.Fatal("the supervisor pulled nothing")
	}
	got, info := byUID(t, sup.p, ainfo.UID)
	sameCoding(t, got, must(alice.p.Observation(aid))(t))
	if info.Changes != ainfo.Changes || info.Head != ainfo.Head {
		t.Errorf("the supervisor's copy has log %d/%s, alice's %d/%s", info.Changes, info.Head, ainfo.Changes, ainfo.Head)
	}
	binfo := uidOf(t, bob.p, bid)
	got, _ = byUID(t, sup.p, binfo.UID)
	sameCoding(t, got, must(bob.p.Observation(bid))(t))
	if err := sup.p.Check(); err != nil {
		t.Errorf("the supervisor's project after sync: %v", err)
	}
	// The supervisor's project does not push other coders' work.
	if w, _ := sup.p.OutboxWaiting("supervisor"); w != 0 {
		t.Errorf("supervisor has %d waiting", w)
	}

	// Alice codes on; only the new entries travel.
	alice.more(t, aid, annotate.Minute)
	if r := alice.sync(t); r.Pushed != 15 || r.New != 15 {
		t.Errorf("incremental sync: %+v, want 15", r)
	}
	sup.sync(t)
	got, _ = byUID(t, sup.p, ainfo.UID)
	sameCoding(t, got, must(alice.p.Observation(aid))(t))

	// A scheme change by the supervisor reaches the coders' projects.
	s := testScheme()
	s.Behaviors = append(s.Behaviors, annotate.Behavior{Code: "gaze", Name: "Gaze", Kind: annotate.State, Key: "g"})
	if err := f.sup.SetScheme(ctx, s); err != nil {
		t.Fatal(err)
	}
	bob.sync(t)
	if _, ok := bob.p.Scheme().Behavior("gaze"); !ok {
		t.Error("bob's project did not take the lab's new scheme")
	}
}

// A project whose observations existed before it was linked (and one
// imported with events) sends them whole: the first log entry carries the
// observation's first state.
func TestProjectSyncExistingWork(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := ctxT(t)
	alice := newLaptop(t, f, "alice")
	imported, err := alice.p.ImportObservation(alice.vid, &annotate.Observation{Coder: "alice",
		Events:   []annotate.Event{{ID: 7, Behavior: "smile", Subject: "child", Start: annotate.Second, End: annotate.Second, Comment: "imported"}},
		Episodes: []annotate.EpisodeMark{{Name: "1 Intro", Start: 0}}})
	if err != nil {
		t.Fatal(err)
	}
	alice.more(t, imported.ID, annotate.Minute)
	alice.sync(t)
	info := uidOf(t, alice.p, imported.ID)
	sameCoding(t, must(f.sup.Observation(ctx, info.UID))(t), must(alice.p.Observation(imported.ID))(t))
}

// tags commits point and state tags at the given times, as key presses.
func (lp *laptop) tags(t *testing.T, id string, at ...annotate.Time) {
	t.Helper()
	ed := must(lp.p.Editor(id))(t)
	for _, a := range at {
		must(ed.Tag("smile", a))(t)
	}
}

// The same coder on two laptops with real project files. Sequential
// work moves between them: the office codes and syncs, home receives it
// and codes on, the office receives that. Edits of one observation on both
// laptops apart (both offline) cannot be merged, since each copy numbers
// new events itself: the server refuses the second copy's changes naming
// the observation, they stay waiting in its project, and everything else
// still syncs.
func TestProjectTwoLaptops(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := ctxT(t)
	office, home := newLaptop(t, f, "alice"), newLaptop(t, f, "alice")
	oid := office.code(t, "alice", 0)
	uid := uidOf(t, office.p, oid).UID
	office.sync(t)
	home.sync(t)
	hcopy, _ := byUID(t, home.p, uid)
	sameCoding(t, hcopy, must(office.p.Observation(oid))(t))

	// Sequential: home continues, the office picks it up and continues.
	home.tags(t, hcopy.ID, 100*annotate.Second, 101*annotate.Second)
	if r := home.sync(t); r.New != 2 {
		t.Errorf("home pushed %+v, want 2 new", r)
	}
	office.sync(t)
	office.tags(t, oid, 150*annotate.Second)
	office.sync(t)
	home.sync(t)
	server := must(f.sup.Observation(ctx, uid))(t)
	sameCoding(t, must(office.p.Observation(oid))(t), server)
	hcopy, _ = byUID(t, home.p, uid)
	sameCoding(t, hcopy, server)
	for _, lp := range []*laptop{office, home} {
		if w := must(lp.p.OutboxWaiting("alice"))(t); w != 0 {
			t.Errorf("%s: %d waiting", lp.p.Path(), w)
		}
		if err := lp.p.Check(); err != nil {
			t.Errorf("%s: %v", lp.p.Path(), err)
		}
	}

	// Apart: both edit the observation before syncing; home also codes a
	// new observation, which must still reach the server.
	home.tags(t, hcopy.ID, 200*annotate.Second)
	other := home.code(t, "alice", 300*annotate.Second)
	office.tags(t, oid, 201*annotate.Second)
	office.sync(t)
	_, st, err := SyncProject(ctx, home.l, home.p)
	var de *DivergedError
	if !errors.As(err, &de) || de.Obs != uid || !errors.Is(err, ErrDiverged) {
		t.Fatalf("home's sync after editing apart: %v, want ErrDiverged naming %s", err, uid)
	}
	if st.Waiting != 1 {
		t.Errorf("state %v, want the diverged change waiting", st)
	}
	sameCoding(t, must(f.sup.Observation(ctx, uid))(t), must(office.p.Observation(oid))(t))
	ouid := uidOf(t, home.p, other).UID
	sameCoding(t, must(f.sup.Observation(ctx, ouid))(t), must(home.p.Observation(other))(t))
	if ev := must(home.p.Observation(hcopy.ID))(t).Events; !slices.ContainsFunc(ev, func(e annotate.Event) bool { return e.Start == 200*annotate.Second }) {
		t.Error("home's diverged edit was lost from its project")
	}
}
