package lab

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"dyadcode/annotate"
)

func TestInitOpenVersions(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := ctxT(t)
	st, err := f.sup.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Name != "Test lab" || st.SchemaVersion != SchemaVersion || st.Coders != 3 || st.Videos != 1 {
		t.Errorf("status = %+v", st)
	}
	if m := f.ali.Me(); m.Name != "alice" || m.Supervisor {
		t.Errorf("alice is %+v", m)
	}
	if !f.sup.Me().Supervisor {
		t.Errorf("supervisor is %+v", f.sup.Me())
	}
	// Init again is harmless: nothing to migrate, the lab row stays.
	again, err := Init(ctx, srv.AdminURL(f.db), "other name", testScheme())
	if err != nil {
		t.Fatal(err)
	}
	again.Close()
	if st, _ := f.sup.Status(ctx); st.Name != "Test lab" {
		t.Errorf("re-init renamed the lab to %q", st.Name)
	}

	// A role that is not a member: the database refuses the connection
	// itself (CONNECT was revoked from PUBLIC).
	stranger := srv.Role(t, f.db+"_x", "pw")
	if _, err := Open(ctx, srv.URL(f.db, stranger)); err == nil {
		t.Error("a stranger opened the lab")
	}
	// An empty database is no lab.
	empty := srv.NewDatabase(t)
	if _, err := Open(ctx, srv.AdminURL(empty)); !errors.Is(err, ErrNotLab) {
		t.Errorf("open empty database: %v, want ErrNotLab", err)
	}
	// A newer schema is refused by name, by Open and by Init.
	srv.Exec(t, f.db, `INSERT INTO schema_version (version, name) VALUES (99, 'from the future')`)
	_, err = Open(ctx, f.url("alice"))
	if !errors.Is(err, ErrNewerSchema) || !strings.Contains(err.Error(), "99") {
		t.Errorf("open newer schema: %v", err)
	}
	if _, err := Init(ctx, srv.AdminURL(f.db), "x", testScheme()); !errors.Is(err, ErrNewerSchema) {
		t.Errorf("init over newer schema: %v", err)
	}
}

func TestPushPullRoundTrip(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := ctxT(t)
	c := newCoding("alice", f.video.Fingerprint)
	codeSession(t, c, 0)
	n, err := f.ali.Push(ctx, c.batch(0))
	if err != nil {
		t.Fatal(err)
	}
	if n != len(c.j.changes) {
		t.Errorf("pushed %d new of %d", n, len(c.j.changes))
	}
	// Pushing everything again (a retry after a lost reply) adds nothing.
	if n, err := f.ali.Push(ctx, c.batch(0)); err != nil || n != 0 {
		t.Errorf("second push: %d new, %v", n, err)
	}
	got, err := f.ali.Observation(ctx, c.obs.UID)
	if err != nil {
		t.Fatal(err)
	}
	sameCoding(t, got, c.ed.Obs)
	if got.Coder != "alice" || got.Video != f.video.Fingerprint {
		t.Errorf("header: %+v", got)
	}

	// The supervisor pulls alice's changes and rebuilds her coding.
	p, err := f.sup.Pull(ctx, Cursor{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Changes) != len(c.j.changes) || p.SchemeRev != 1 {
		t.Fatalf("supervisor pulled %d changes (rev %d), want %d", len(p.Changes), p.SchemeRev, len(c.j.changes))
	}
	rebuilt := &annotate.Observation{}
	for _, rc := range p.Changes {
		if err := rc.Change.Change.Apply(rebuilt); err != nil {
			t.Fatalf("apply pulled %s: %v", rc.Change.Change.Label, err)
		}
	}
	sameCoding(t, rebuilt, c.ed.Obs)
	// Nothing new after the cursor.
	if p2, err := f.sup.Pull(ctx, p.Next); err != nil || len(p2.Changes) != 0 {
		t.Errorf("pull from the end: %v, %d changes", err, len(p2.Changes))
	}

	// Bob sees nothing of alice's until the supervisor shares it.
	if p, _ := f.bo.Pull(ctx, Cursor{}); len(p.Changes) != 0 {
		t.Errorf("bob pulled %d of alice's unshared changes", len(p.Changes))
	}
	if _, err := f.bo.Observation(ctx, c.obs.UID); !errors.Is(err, ErrNotFound) {
		t.Errorf("bob loads alice's observation: %v", err)
	}
	if err := f.sup.Share(ctx, c.obs.UID); err != nil {
		t.Fatal(err)
	}
	if p, _ := f.bo.Pull(ctx, Cursor{}); len(p.Changes) != len(c.j.changes) {
		t.Errorf("bob pulled %d shared changes, want %d", len(p.Changes), len(c.j.changes))
	}
	// A coder cannot share.
	other := newCoding("bob", f.video.Fingerprint)
	codeSession(t, other, 0)
	must(f.bo.Push(ctx, other.batch(0)))(t)
	if err := f.ali.Share(ctx, other.obs.UID); !errors.Is(err, ErrDenied) {
		t.Errorf("alice shares bob's observation: %v", err)
	}
}

func TestPullPages(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := ctxT(t)
	c := newCoding("alice", f.video.Fingerprint)
	for i := range PullLimit + 10 {
		must(c.ed.Tag("smile", annotate.Time(i)*annotate.Second))(t)
	}
	must(f.ali.Push(ctx, c.batch(0)))(t)
	var cur Cursor
	total, pages := 0, 0
	for {
		p := must(f.ali.Pull(ctx, cur))(t)
		total += len(p.Changes)
		pages++
		cur = p.Next
		if !p.More {
			break
		}
	}
	if total != PullLimit+10 || pages != 2 {
		t.Errorf("pulled %d changes in %d pages", total, pages)
	}
}

// The roles are the database's: each statement here is issued directly as
// the member's own role, bypassing this package.
func TestRolesEnforcedByDatabase(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := ctxT(t)
	a := newCoding("alice", f.video.Fingerprint)
	codeSession(t, a, 0)
	must(f.ali.Push(ctx, a.batch(0)))(t)
	b := newCoding("bob", f.video.Fingerprint)
	codeSession(t, b, 0)
	must(f.bo.Push(ctx, b.batch(0)))(t)

	conn := func(name string) *pgx.Conn {
		c, err := pgx.Connect(ctx, f.url(name))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close(context.Background()) })
		return c
	}
	alice, sup := conn("alice"), conn("supervisor")
	scheme := `{"name":"x","subjects":[],"behaviors":[],"episodes":[]}`
	// Statements that must fail or touch no row, as alice.
	refused := []struct {
		name string
		sql  string
		args []any
	}{
		{"insert into bob's observation", `INSERT INTO events (obs, id, behavior, start_us, end_us) VALUES ($1, 999, 'smile', 0, 0)`, []any{b.obs.UID}},
		{"change bob's events", `UPDATE events SET comment = 'mine now' WHERE obs = $1`, []any{b.obs.UID}},
		{"delete bob's events", `DELETE FROM events WHERE obs = $1`, []any{b.obs.UID}},
		{"take over bob's observation", `UPDATE observations SET coder = 'alice' WHERE uid = $1`, []any{b.obs.UID}},
		{"create an observation as bob", `INSERT INTO observations (uid, video, coder, created, modified) VALUES ('forged', $1, 'bob', now(), now())`, []any{f.video.Fingerprint}},
		{"push a change as bob", `INSERT INTO changes (uid, obs, coder, op, body, committed) VALUES ('forged', $1, 'bob', 'do', '{}', now())`, []any{b.obs.UID}},
		{"push into bob's observation via dyad_push", `SELECT dyad_push(jsonb_build_array(jsonb_build_object('uid','x1','obs',$1::text,'coder','alice','op','do','committed',now(),'body','{}'::jsonb)))`, []any{b.obs.UID}},
		{"edit the scheme", `UPDATE lab SET scheme = $1::jsonb`, []any{scheme}},
		{"edit a scheme code table", `DELETE FROM scheme_behaviors`, nil},
		{"rewrite history", `DELETE FROM changes`, nil},
		{"rewrite own history", `UPDATE changes SET label = 'x'`, nil},
		{"assign herself a video", `INSERT INTO assignments (video, coder, reliability) VALUES ($1, 'alice', true)`, []any{f.video.Fingerprint}},
		{"make herself supervisor", `UPDATE coders SET supervisor = true WHERE name = 'alice'`, nil},
		{"share her own observation", `INSERT INTO shares (obs) VALUES ($1)`, []any{a.obs.UID}},
		{"change a video", `UPDATE videos SET duration_us = 1`, nil},
		{"bump the schema version", `INSERT INTO schema_version (version, name) VALUES (2, 'x')`, nil},
	}
	for _, r := range refused {
		tag, err := alice.Exec(ctx, r.sql, r.args...)
		if err == nil && tag.RowsAffected() > 0 && !strings.HasPrefix(r.sql, "SELECT") {
			t.Errorf("alice could %s (%d rows)", r.name, tag.RowsAffected())
		}
		if err == nil && strings.HasPrefix(r.sql, "SELECT") {
			t.Errorf("alice could %s", r.name)
		}
	}
	// Reads: alice sees her own observation and not bob's.
	var n int
	if err := alice.QueryRow(ctx, `SELECT count(*) FROM events WHERE obs = $1`, b.obs.UID).Scan(&n); err != nil || n != 0 {
		t.Errorf("alice reads %d of bob's events (%v)", n, err)
	}
	if err := alice.QueryRow(ctx, `SELECT count(*) FROM changes`).Scan(&n); err != nil || n != len(a.j.changes) {
		t.Errorf("alice reads %d changes, want her %d (%v)", n, len(a.j.changes), err)
	}
	// The supervisor reads everything but writes no one's coding.
	if err := sup.QueryRow(ctx, `SELECT count(*) FROM changes`).Scan(&n); err != nil || n != len(a.j.changes)+len(b.j.changes) {
		t.Errorf("supervisor reads %d changes (%v)", n, err)
	}
	for _, q := range []string{
		`DELETE FROM events WHERE obs = '` + a.obs.UID + `'`,
		// Taking over a coder's name would let the supervisor write as them.
		`UPDATE coders SET role = current_user WHERE name = 'alice'`,
		`INSERT INTO coders (name, role) VALUES ('ghost', current_user)`,
		`UPDATE lab SET scheme_rev = 0`,
		`UPDATE observations SET coder = 'supervisor'`,
	} {
		if tag, err := sup.Exec(ctx, q); err == nil && tag.RowsAffected() > 0 {
			t.Errorf("the supervisor could: %s", q)
		}
	}
	if tag, err := alice.Exec(ctx, `UPDATE observations SET last_change = '' WHERE uid = $1`, a.obs.UID); err == nil && tag.RowsAffected() > 0 {
		t.Error("alice rewrote her observation's last change")
	}
	// Nothing changed on the server.
	sameCoding(t, must(f.sup.Observation(ctx, b.obs.UID))(t), b.ed.Obs)
	sameCoding(t, must(f.sup.Observation(ctx, a.obs.UID))(t), a.ed.Obs)
	// And through the package, the refusals carry ErrDenied.
	if err := f.ali.SetScheme(ctx, testScheme()); !errors.Is(err, ErrDenied) {
		t.Errorf("alice sets the scheme: %v", err)
	}
	if err := f.ali.Assign(ctx, Assignment{Video: f.video.Fingerprint, Coder: "alice"}); !errors.Is(err, ErrDenied) {
		t.Errorf("alice assigns: %v", err)
	}
	forged := b.batch(0)
	forged.Changes = append([]Change(nil), forged.Changes...)
	forged.Changes[0].UID = newUID()
	forged.Changes[0].Coder = "alice"
	if _, err := f.ali.Push(ctx, forged); !errors.Is(err, ErrDenied) {
		t.Errorf("alice pushes into bob's observation: %v", err)
	}
	if err := f.sup.AddCoder(ctx, "mallory", f.db+"_m", false); err == nil {
		t.Error("the supervisor created a role; only the administrator may")
	}
}

func TestSupervisorAssigns(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := ctxT(t)
	for _, a := range []Assignment{{f.video.Fingerprint, "alice", true}, {f.video.Fingerprint, "bob", true}} {
		if err := f.sup.Assign(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	if got := must(f.sup.Assignments(ctx))(t); len(got) != 2 || !got[0].Reliability {
		t.Errorf("supervisor sees %+v", got)
	}
	if got := must(f.ali.Assignments(ctx))(t); len(got) != 1 || got[0].Coder != "alice" {
		t.Errorf("alice sees %+v", got)
	}
}

func TestSchemeChangeRefusedAtServer(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := ctxT(t)
	c := newCoding("alice", f.video.Fingerprint)
	codeSession(t, c, 0)
	must(f.ali.Push(ctx, c.batch(0)))(t)

	edit := func(change func(s *annotate.Scheme)) *annotate.Scheme {
		s := testScheme()
		change(s)
		return s
	}
	drop := func(code string) func(s *annotate.Scheme) {
		return func(s *annotate.Scheme) {
			for i, b := range s.Behaviors {
				if b.Code == code {
					s.Behaviors = append(s.Behaviors[:i], s.Behaviors[i+1:]...)
					return
				}
			}
		}
	}
	cases := []struct {
		name   string
		scheme *annotate.Scheme
		says   string // "" = allowed
	}{
		{"remove a used behaviour", edit(drop("cry")), `behavior 'cry' is used by 1 events`},
		{"make a used state a point", edit(func(s *annotate.Scheme) { s.Behaviors[3].Kind = annotate.Point }), `'touch' cannot become a point`},
		{"drop a used modifier", edit(func(s *annotate.Scheme) { s.Behaviors[0].Modifiers = []string{"small"} }), `modifier 'big'`},
		{"move a used code to another subject", edit(func(s *annotate.Scheme) { s.Behaviors[0].Subject = "mother" }), `cannot move to subject 'mother'`},
		{"remove a marked episode", edit(func(s *annotate.Scheme) { s.Episodes = s.Episodes[1:]; s.Ratings[0].Episodes = nil }), `episode '1 Intro' is marked 1 times`},
		{"remove a rated scale", edit(func(s *annotate.Scheme) { s.Ratings = nil }), `rating scale 'proximity' has 1 ratings`},
		{"add a behaviour and rename keys", edit(func(s *annotate.Scheme) {
			s.Behaviors = append(s.Behaviors, annotate.Behavior{Code: "gaze", Name: "Gaze", Kind: annotate.State, Key: "g"})
			s.Behaviors[0].Key = "x"
		}), ""},
		{"then remove the unused one", testScheme(), ""},
	}
	rev := int64(1)
	for _, tc := range cases {
		err := f.sup.SetScheme(ctx, tc.scheme)
		switch {
		case tc.says == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.says == "" && err == nil:
			rev++
		case !errors.Is(err, ErrSchemeInUse) || !strings.Contains(err.Error(), tc.says):
			t.Errorf("%s: %v, want ErrSchemeInUse saying %q", tc.name, err, tc.says)
		}
	}
	if _, got, _ := f.sup.Scheme(ctx); got != rev {
		t.Errorf("scheme revision %d, want %d", got, rev)
	}
	// Even the owner, writing SQL by hand, cannot get round the trigger.
	conn, err := pgx.Connect(ctx, srv.AdminURL(f.db))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `UPDATE lab SET scheme = jsonb_set(scheme, '{behaviors}', '[]')`); err == nil {
		t.Error("a raw UPDATE emptied the scheme under coded data")
	}
	if _, err := conn.Exec(ctx, `DELETE FROM scheme_behaviors WHERE code = 'smile'`); err == nil {
		t.Error("a raw DELETE removed a used code")
	}
	// Pull hands out the current scheme with its revision.
	p := must(f.ali.Pull(ctx, Cursor{}))(t)
	if p.SchemeRev != rev || len(p.Scheme.Behaviors) != 4 {
		t.Errorf("pulled scheme rev %d with %d behaviours", p.SchemeRev, len(p.Scheme.Behaviors))
	}
	// A pushed event with a code the scheme lacks is refused.
	bad := newCoding("alice", f.video.Fingerprint)
	bad.j.changes = []Change{{UID: newUID(), Obs: bad.obs.UID, Coder: "alice", Change: annotate.Change{Label: "x",
		After: []annotate.Event{{ID: 1, Behavior: "nonesuch"}}}}}
	if _, err := f.ali.Push(ctx, bad.batch(0)); err == nil {
		t.Error("an event with an unknown code reached the server")
	}
	// And a rating off its scale.
	bad.j.changes = []Change{{UID: newUID(), Obs: bad.obs.UID, Coder: "alice", Change: annotate.Change{Label: "x",
		RatingsAfter: []annotate.Rating{{Episode: "5 Reunion", Scale: "proximity", Value: 9}}}}}
	if _, err := f.ali.Push(ctx, bad.batch(0)); err == nil || !strings.Contains(err.Error(), "outside its scale") {
		t.Errorf("a rating off its scale: %v", err)
	}
}

// Names and comments that look like SQL are data: they go through
// parameters and JSON, never into statement text.
func TestSQLLookingText(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := ctxT(t)
	evil := []string{
		`Robert'); DROP TABLE events; --`,
		`x" OR 1=1; --`,
		`$$; DELETE FROM changes; $$`,
		`\'; TRUNCATE lab; --`,
		"tab\tnew\nline \u00e9\u4e2d NUL-free",
	}
	for i, name := range evil {
		role := f.db + "_e" + string(rune('a'+i))
		if err := f.owner.AddCoder(ctx, name, role, false); err != nil {
			t.Fatalf("add coder %q: %v", name, err)
		}
		l, err := Open(ctx, srv.URL(f.db, role))
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		if l.Me().Name != name {
			t.Errorf("coder name %q came back as %q", name, l.Me().Name)
		}
		c := newCoding(name, f.video.Fingerprint)
		ch := must(c.ed.Tag("smile", annotate.Second))(t)
		must(c.ed.ChangeComment(ch.After[0].ID, name))(t)
		c.obs.UID = "uid-" + name // a UID that looks like SQL too
		c.ed.Obs.ID = c.obs.UID
		for k := range c.j.changes {
			c.j.changes[k].Obs = c.obs.UID
		}
		if _, err := l.Push(ctx, c.batch(0)); err != nil {
			t.Fatalf("push as %q: %v", name, err)
		}
		got := must(l.Observation(ctx, c.obs.UID))(t)
		sameCoding(t, got, c.ed.Obs)
		if got.Coder != name {
			t.Errorf("coder %q stored as %q", name, got.Coder)
		}
	}
	// A video name with quotes, from a file name.
	if err := f.sup.AddVideo(ctx, annotate.Video{Path: `/v/it's "x"; DROP TABLE videos.mp4`, Fingerprint: "fp'2"}); err != nil {
		t.Fatal(err)
	}
	st := must(f.sup.Status(ctx))(t)
	if st.Coders != 3+len(evil) || st.Videos != 2 || st.Events != int64(len(evil)) {
		t.Errorf("status after SQL-looking input: %+v", st)
	}
}

// TLS with certificate verification and a password from a pgpass file:
// the URL a project file stores holds neither.
func TestTLSAndPassfile(t *testing.T) {
	f := newFixture(t)
	ctx := ctxT(t)
	role := f.roles["alice"]
	srv.Exec(t, "postgres", `ALTER ROLE `+pgx.Identifier{role}.Sanitize()+` PASSWORD 'correct horse'`)
	url := srv.TCPURL(f.db, role)
	if err := CheckStorable(url); err != nil {
		t.Fatalf("a password-free URL refused: %v", err)
	}
	pass := filepath.Join(t.TempDir(), "pgpass")
	if err := os.WriteFile(pass, []byte("localhost:*:*:"+role+":correct horse\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PGPASSFILE", pass)
	l, err := Open(ctx, url)
	if err != nil {
		t.Fatalf("open over TLS with verify-full: %v", err)
	}
	var ssl bool
	if err := l.pool.QueryRow(ctx, `SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()`).Scan(&ssl); err != nil || !ssl {
		t.Errorf("connection not encrypted: %v %v", ssl, err)
	}
	l.Close()
	// verify-full against a certificate that does not name the host.
	wrongHost := strings.Replace(url, "localhost:", "127.0.0.2:", 1)
	if _, err := Open(ctx, wrongHost); err == nil {
		t.Error("verify-full accepted a server at an address its certificate does not name")
	}
	// A password in the URL is refused for storing, and redacted.
	withPw := strings.Replace(url, role+"@", role+":s3cret@", 1)
	if err := CheckStorable(withPw); !errors.Is(err, ErrPasswordInURL) || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("CheckStorable(password URL) = %v", err)
	}
	if kv := "host=x user=y password=s3cret dbname=z"; strings.Contains(Redact(kv), "s3cret") || CheckStorable(kv) == nil {
		t.Errorf("Redact(%q) = %q, CheckStorable %v", kv, Redact(kv), CheckStorable(kv))
	}
	for _, ok := range []string{
		"postgres://alice@db1.lab.example,db2.lab.example/ssp?target_session_attrs=read-write&sslmode=verify-full",
		"postgresql://alice@db.lab.example:5432/ssp?sslrootcert=%2Fetc%2Flab%2Fca.crt&sslmode=verify-full",
		"service=ssp",
	} {
		if err := CheckStorable(ok); err != nil {
			t.Errorf("CheckStorable(%q) = %v", ok, err)
		}
	}
	if err := CheckStorable("postgres://alice@db/ssp?password=x"); err == nil {
		t.Error("a password in the query was accepted")
	}
	t.Setenv("PGPASSFILE", filepath.Join(t.TempDir(), "none"))
	if _, err := Open(ctx, url); err == nil {
		t.Error("connected without a password")
	}
}
