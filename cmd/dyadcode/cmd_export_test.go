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
		{"--excel: a UTF-8 BOM, then the same bytes", []string{"export", proj, "--excel", "--observation", "1"}, "\xEF\xBB\xBF" + string(carol)},
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

// BenchmarkExport100k is `dyadcode export PROJECT -o FILE` of one
// observation of 100,000 events: open, load from bbolt, write the CSV
// atomically.
func BenchmarkExport100k(b *testing.B) {
	dir := b.TempDir()
	proj := filepath.Join(dir, "big.dyad")
	video := filepath.Join(dir, "v.mp4")
	os.WriteFile(video, []byte("a stand-in file: export needs the video's record, not its frames"), 0o644)
	benchCLI(b, "new", proj)
	benchCLI(b, "add-video", proj, video)
	file := filepath.Join(dir, "big.csv")
	var buf strings.Builder
	buf.WriteString("behavior,start_s,end_s,comment\n")
	s := annotate.DefaultScheme()
	for i := 0; i < 100_000; i++ {
		bh := s.Behaviors[i%len(s.Behaviors)]
		start := annotate.Time(i) * 40_000
		end := start
		if bh.Kind == annotate.State {
			end += 20_000
		}
		buf.WriteString(bh.Code + "," + start.Seconds() + "," + end.Seconds() + ",c\n")
	}
	os.WriteFile(file, []byte(buf.String()), 0o644)
	benchCLI(b, "import", proj, "--coder", "carol", "--video", video, file)
	out := filepath.Join(dir, "out.csv")
	b.ResetTimer()
	for b.Loop() {
		benchCLI(b, "export", proj, "-o", out)
	}
	b.StopTimer()
	if fi, err := os.Stat(out); err != nil || fi.Size() < 100_000*50 {
		b.Fatalf("export wrote %v, %v", fi, err)
	}
}

func benchCLI(b *testing.B, args ...string) {
	b.Helper()
	var out, errb strings.Builder
	if code := run(args, &cmdEnv{stdin: strings.NewReader(""), stdout: &out, stderr: &errb}); code != 0 {
		b.Fatalf("%v: exit %d: %s", args, code, errb.String())
	}
}
