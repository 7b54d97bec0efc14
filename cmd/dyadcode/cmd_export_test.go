package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dyadcode/annotate"
)

// twoCoders makes a project whose video has two observations (carol: 1,
// dan: 2) and returns it with the files that were imported.
func twoCoders(t *testing.T) (dir, proj string, carol, dan []byte) {
	t.Helper()
	dir, proj, video, end := newStudy(t)
	s := annotate.DefaultScheme()
	carol = genCSV(t, s, "study", "child01.mp4", "1", "carol", 16, end)
	dan = genCSV(t, s, "study", "child01.mp4", "2", "dan", 24, end)
	for name, data := range map[string][]byte{"carol": carol, "dan": dan} {
		os.WriteFile(filepath.Join(dir, name+".csv"), data, 0o644)
	}
	cliOK(t, "import", proj, "--coder", "carol", "--video", video, filepath.Join(dir, "carol.csv"))
	cliOK(t, "import", proj, "--coder", "dan", "--video", "child01.mp4", filepath.Join(dir, "dan.csv"))
	return dir, proj, carol, dan
}

func TestExport(t *testing.T) {
	dir, proj, carol, dan := twoCoders(t)
	_, danRows, _ := strings.Cut(string(dan), "\n")
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"all to stdout", []string{"export", proj}, string(carol) + danRows},
		{"one", []string{"export", proj, "--observation", "2"}, string(dan)},
		{"several, in the order given", []string{"export", proj, "--observation", "2, 1"}, string(dan) + strings.SplitN(string(carol), "\n", 2)[1]},
		{"-o -", []string{"export", proj, "-o", "-", "--observation", "1"}, string(carol)},
		{"--format csv", []string{"export", "--format", "csv", proj, "--observation", "1"}, string(carol)},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := cliOK(t, c.args...); got != c.want {
				t.Errorf("%s", firstDiff([]byte(c.want), []byte(got)))
			}
		})
	}

	out := filepath.Join(dir, "out.csv")
	if got := cliOK(t, "export", proj, "-o", out); got != "" {
		t.Errorf("export -o printed %q", got)
	}
	if got := string(fileBytes(t, out)); got != string(carol)+danRows {
		t.Errorf("file: %s", firstDiff([]byte(string(carol)+danRows), []byte(got)))
	}

	// Failures write nothing: no partial file, an existing one kept.
	os.WriteFile(out, []byte("keep me"), 0o644)
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"export", proj, "--observation", "9", "-o", out}, 1, `no observation "9" (have 1, 2)`},
		{[]string{"export", proj, "-o", filepath.Join(dir, "no", "such", "dir.csv")}, 1, "dir.csv"},
		{[]string{"export", proj, "-o", filepath.Join(dir, "out.xlsx")}, 1, "cannot tell the format"},
		{[]string{"export", proj, "--format", "pdf"}, 2, `unknown format "pdf"`},
		{[]string{"export"}, 2, "need one project"},
		{[]string{"export", filepath.Join(dir, "none.dyad")}, 1, "no such project"},
	} {
		code, stdout, errs := cli(t, c.args...)
		if code != c.code || !strings.Contains(errs, c.msg) || stdout != "" {
			t.Errorf("%v: exit %d, stdout %d bytes, stderr %q; want %d with %q", c.args, code, len(stdout), errs, c.code, c.msg)
		}
	}
	if got := string(fileBytes(t, out)); got != "keep me" {
		t.Errorf("a failed export replaced the file: %q", got)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".out") || strings.HasPrefix(e.Name(), ".dir") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}
