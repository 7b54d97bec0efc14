package lab

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"dyadcode/annotate"
	"dyadcode/store/lab/pgtest"
)

// srv is the one PostgreSQL server of this test binary; each test takes a
// fresh database from it.
var srv *pgtest.Server

// childEnv marks a child process of the kill test.
const childEnv = "DYADCODE_LAB_CHILD"

func TestMain(m *testing.M) {
	// A child re-executed by the kill test talks to its parent's server.
	if os.Getenv(childEnv) != "" {
		os.Exit(m.Run())
	}
	var err error
	srv, err = pgtest.Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, "store/lab tests need a PostgreSQL server:", err)
		os.Exit(1)
	}
	code := m.Run()
	if err := srv.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "stop test server:", err)
	}
	os.Exit(code)
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func testScheme() *annotate.Scheme {
	return &annotate.Scheme{
		Name:     "ssp",
		Subjects: []annotate.Subject{{Code: "child", Name: "Child"}, {Code: "mother", Name: "Mother"}},
		Behaviors: []annotate.Behavior{
			{Code: "smile", Name: "Smile", Subject: "child", Kind: annotate.Point, Key: "s", Modifiers: []string{"big", "small"}},
			{Code: "cry", Name: "Cry", Subject: "child", Kind: annotate.State, Key: "c", Group: "affect"},
			{Code: "calm", Name: "Calm", Subject: "child", Kind: annotate.State, Key: "k", Group: "affect"},
			{Code: "touch", Name: "Touch", Subject: "mother", Kind: annotate.State, Key: "t"},
		},
		Episodes: []annotate.EpisodeDef{{Name: "1 Intro", Key: "1"}, {Name: "5 Reunion", Key: "5"}},
		Ratings:  []annotate.RatingScale{{Code: "proximity", Name: "Proximity seeking", Min: 1, Max: 7}},
	}
}

// fixture is a lab with an owner connection, a supervisor and two coders,
// each a real login role connecting over the unix socket.
type fixture struct {
	db                  string
	owner, sup, ali, bo *Lab
	roles               map[string]string // coder name -> role
	video               annotate.Video
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := ctxT(t)
	db := srv.NewDatabase(t)
	owner, err := Init(ctx, srv.AdminURL(db), "Test lab", testScheme())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(owner.Close)
	f := &fixture{db: db, owner: owner, roles: map[string]string{}}
	for _, c := range []struct {
		name string
		sup  bool
	}{{"supervisor", true}, {"alice", false}, {"bob", false}} {
		role := db + "_" + c.name
		if len(role) > 63 {
			role = role[len(role)-63:]
		}
		if err := owner.AddCoder(ctx, c.name, role, c.sup); err != nil {
			t.Fatal(err)
		}
		f.roles[c.name] = role
	}
	f.sup, f.ali, f.bo = f.open(t, "supervisor"), f.open(t, "alice"), f.open(t, "bob")
	f.video = annotate.Video{Path: "/lab/videos/s01.mp4", Fingerprint: "sha256:s01", Size: 1234,
		Duration: 2 * annotate.Hour, Rate: annotate.Rate{Num: 25, Den: 1}, Frames: 180000}
	if err := f.sup.AddVideo(ctx, f.video); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) url(name string) string { return srv.URL(f.db, f.roles[name]) }

func (f *fixture) open(t *testing.T, name string) *Lab {
	t.Helper()
	l, err := Open(ctxT(t), f.url(name))
	if err != nil {
		t.Fatalf("open as %s: %v", name, err)
	}
	t.Cleanup(l.Close)
	return l
}
