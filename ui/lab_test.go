package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"dyadcode/app"
	"dyadcode/store"
	"dyadcode/store/lab"
	"dyadcode/store/lab/pgtest"
)

// The window syncs a linked project in the background against a real
// PostgreSQL server and shows the state in its title: synced after coding
// and a sync, unreachable with the count waiting while the server is down
// (coding goes on), synced again once it is back.
func TestLabBackgroundSync(t *testing.T) {
	srv, err := pgtest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	path := makeProject(t)
	db := srv.NewDatabase(t)
	p, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	admin, err := lab.InitFromProject(ctx, srv.AdminURL(db), p)
	p.Close()
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	role := db + "_alice"
	if err := admin.AddCoder(ctx, "alice", role, false); err != nil {
		t.Fatal(err)
	}
	if err := app.LabJoin(ctx, path, srv.URL(db, role), "alice"); err != nil {
		t.Fatal(err)
	}

	h := openCoding(t, path)
	title := func() string { return h.s.win.Title() }
	waitFor(t, "the first sync", func() bool { return strings.HasSuffix(title(), "lab: synced") })
	syncNow := func() {
		h.s.syncLab(ctx, h.s.lab, h.s.proj)
		pump()
	}
	h.typeKeys("a")
	h.right(2)
	h.typeKeys("c")
	syncNow()
	if !strings.HasSuffix(title(), "lab: synced") {
		t.Errorf("after coding and a sync the title is %q", title())
	}
	if st := must(admin.Status(ctx)); st.Events != 2 {
		t.Errorf("the server has %d events, want 2", st.Events)
	}

	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}
	h.right(2)
	h.typeKeys("a")
	syncNow()
	if !strings.HasSuffix(title(), "lab: server unreachable, 1 change waiting") {
		t.Errorf("with the server down the title is %q", title())
	}
	if got := len(h.view().ed.Obs.Events); got != 3 {
		t.Errorf("coding offline: %d events, want 3", got)
	}
	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	syncNow()
	if !strings.HasSuffix(title(), "lab: synced") {
		t.Errorf("after the server came back the title is %q", title())
	}
	if st := must(admin.Status(ctx)); st.Events != 3 {
		t.Errorf("the server has %d events, want 3", st.Events)
	}
	h.s.quit() // stops the sync before the project closes
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
