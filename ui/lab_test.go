package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"dyadcode/annotate"
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
	// The first sync runs on its own goroutine when the project opens; a
	// loaded machine can take longer than waitFor's 10 s for a connection.
	for deadline := time.Now().Add(time.Minute); !strings.HasSuffix(title(), "lab: synced"); time.Sleep(10 * time.Millisecond) {
		pump()
		if time.Now().After(deadline) {
			t.Fatalf("no first sync: the title is %q", title())
		}
	}
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

	// The supervisor's read-only agreement view on the lab's live data:
	// bob's coding arrives on the server by another route, and the view
	// compares it with alice's.
	bobRole := db + "_bob"
	if err := admin.AddCoder(ctx, "bob", bobRole, false); err != nil {
		t.Fatal(err)
	}
	bob, err := lab.Open(ctx, srv.URL(db, bobRole))
	if err != nil {
		t.Fatal(err)
	}
	defer bob.Close()
	alices := must(admin.Observations(ctx))
	fp := alices[0].Video
	ch := annotate.Change{Label: "add", After: append([]annotate.Event(nil), h.view().ed.Obs.Events...)}
	if _, err := bob.Push(ctx, lab.Batch{Observations: []lab.Observation{{UID: "bob-1", Video: fp, Coder: "bob", Created: time.Now()}},
		Changes: []lab.Change{{UID: "bob-c1", Obs: "bob-1", Coder: "bob", Op: "do", Committed: time.Now(), Change: ch}}}); err != nil {
		t.Fatal(err)
	}
	url := srv.AdminURL(db)
	h.s.openLabAgreement(url)
	pump()
	r := must(app.LoadLabReview(ctx, url))
	if c := labChoices(r); len(c) != 1 || len(c[0].Observations) != 2 {
		t.Fatalf("lab choices: %+v", c)
	}
	before := len(h.s.app.Driver().AllWindows())
	h.s.compareOnLab(url, r, fp, []string{alices[0].UID, "bob-1"})
	pump()
	var titles []string
	for _, w := range h.s.app.Driver().AllWindows() {
		titles = append(titles, w.Title())
	}
	if len(titles) != before+1 || !strings.Contains(strings.Join(titles, "|"), "Agreement — session.mp4 (lab, read-only)") {
		t.Errorf("windows after comparing on the lab: %q", titles)
	}
	if err := app.CheckLabURL("postgres://x:pw@h/db"); err == nil {
		t.Error("a URL with a password would be remembered")
	}
	h.s.quit() // stops the sync before the project closes
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
