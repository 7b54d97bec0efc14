package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"dyadcode/store/lab/pgtest"
)

// The lab commands against a real PostgreSQL server this test starts: a
// lab made from a project, two coders' laptops joining and syncing, and
// export, agree and metrics reading the lab URL as they read the project.
func TestLabCommands(t *testing.T) {
	srv, err := pgtest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	dir, proj, _, _ := twoCoders(t)
	db := srv.NewDatabase(t)
	admin := srv.AdminURL(db)
	cliOK(t, "lab", "init", admin, "--from", proj)
	for _, m := range []struct{ name, flag string }{{"carol", ""}, {"dan", ""}, {"sam", "--supervisor"}} {
		args := []string{"lab", "add-coder", admin, m.name, "--role", db + "_" + m.name}
		if m.flag != "" {
			args = append(args, m.flag)
		}
		cliOK(t, args...)
	}
	url := func(who string) string { return srv.URL(db, db+"_"+who) }

	// Each coder's laptop has a copy of the project and pushes their own
	// observation only.
	for _, who := range []string{"carol", "dan"} {
		laptop := filepath.Join(dir, who+".dyad")
		data, err := os.ReadFile(proj)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(laptop, data, 0o644)
		cliOK(t, "lab", "join", laptop, url(who), "--coder", who)
		if out := cliOK(t, "lab", "sync", laptop); !strings.Contains(out, "synced") || !strings.Contains(out, "new to the server") {
			t.Errorf("sync said %q", out)
		}
		if out := cliOK(t, "lab", "sync", laptop); !strings.HasPrefix(out, "pushed 0 changes") {
			t.Errorf("second sync said %q", out)
		}
	}
	if out := cliOK(t, "lab", "status", url("sam")); !strings.Contains(out, "observations: 2") || !strings.Contains(out, "sam (supervisor)") {
		t.Errorf("status as the supervisor:\n%s", out)
	}
	if out := cliOK(t, "lab", "status", url("carol")); !strings.Contains(out, "observations: 1") {
		t.Errorf("status as carol (sees her own only):\n%s", out)
	}

	// export reads the lab as it reads the project: the same rows, but
	// for the observation column (UIDs on the server).
	dropID := func(csv string) []string {
		var rows []string
		for _, line := range strings.Split(strings.TrimSpace(csv), "\n") {
			f := strings.Split(line, ",")
			if len(f) > 2 {
				f = slices.Delete(f, 2, 3)
			}
			rows = append(rows, strings.Join(f, ","))
		}
		slices.Sort(rows)
		return rows
	}
	fromProject, fromLab := cliOK(t, "export", proj), cliOK(t, "export", url("sam"))
	if got, want := dropID(fromLab), dropID(fromProject); !slices.Equal(got, want) {
		t.Errorf("export from the lab differs from the project's:\n%s", firstDiff([]byte(strings.Join(want, "\n")), []byte(strings.Join(got, "\n"))))
	}
	// agree on live data gives the project's report.
	a := cliOK(t, "agree", proj, "--video", "child01.mp4", "--coders", "carol,dan")
	b := cliOK(t, "agree", url("sam"), "--video", "child01.mp4", "--coders", "carol,dan")
	if a != b {
		t.Errorf("agree on the lab differs:\n%s", firstDiff([]byte(a), []byte(b)))
	}
	if out := cliOK(t, "metrics", url("sam")); !strings.Contains(out, "carol") || !strings.Contains(out, "dan") {
		t.Errorf("metrics on the lab:\n%s", out)
	}
	html := filepath.Join(dir, "lab-report.html")
	cliOK(t, "report", url("sam"), "-o", html)
	if data, err := os.ReadFile(html); err != nil || !strings.Contains(string(data), "carol") {
		t.Errorf("report on the lab: %v", err)
	}
	// The same analysis; only the title names the observations, by
	// project ID there and by UID on the server.
	afterTitle := func(s string) string { _, rest, _ := strings.Cut(s, "\n"); return rest }
	if a, b := afterTitle(cliOK(t, "sequential", proj)), afterTitle(cliOK(t, "sequential", url("sam"))); a != b {
		t.Errorf("sequential on the lab differs:\n%s", firstDiff([]byte(a), []byte(b)))
	}

	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"lab", "join", proj, strings.Replace(url("carol"), "@", ":pw@", 1), "--coder", "carol"}, 1, "contains a password"},
		{[]string{"lab", "join", proj, url("carol"), "--coder", "dan"}, 1, "not a member"},
		{[]string{"lab", "sync", proj}, 1, "not linked to a lab"},
		{[]string{"lab", "init", admin}, 2, "--from"},
		{[]string{"lab", "frobnicate"}, 2, "unknown lab action"},
		{[]string{"export", url("nobody")}, 1, "nobody"},
	} {
		code, _, errs := cli(t, c.args...)
		if code != c.code || !strings.Contains(errs, c.msg) {
			t.Errorf("%v: exit %d, stderr %q; want %d with %q", c.args, code, errs, c.code, c.msg)
		}
	}
}
