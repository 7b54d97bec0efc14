package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dyadcode/annotate"
)

// laptop makes a project in its own folder with its own copy of video
// (same content, another path) and one imported observation by coder.
func laptop(t *testing.T, name, video, coder string, n int, end annotate.Time, extra ...string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	os.MkdirAll(dir, 0o755)
	proj := filepath.Join(dir, name+".dyad")
	cliOK(t, append([]string{"new", proj}, extra...)...)
	data, err := os.ReadFile(video)
	if err != nil {
		t.Fatal(err)
	}
	copyPath := filepath.Join(dir, "recording.mp4")
	os.WriteFile(copyPath, data, 0o644)
	csv := filepath.Join(dir, coder+".csv")
	os.WriteFile(csv, genCSV(t, annotate.DefaultScheme(), name, "recording.mp4", "1", coder, n, end), 0o644)
	cliOK(t, "import", proj, "--coder", coder, "--video", copyPath, csv)
	return proj
}

func TestMerge(t *testing.T) {
	dir, lab, video, end := newStudy(t)
	alice := laptop(t, "alice", video, "alice", 16, end)
	ben := laptop(t, "ben", video, "ben", 24, end)
	// ben also coded a recording the lab does not have.
	own := makeVideo(t, filepath.Dir(ben), "child02.mp4", 1, 9)
	os.WriteFile(filepath.Join(dir, "ben2.csv"), genCSV(t, annotate.DefaultScheme(), "ben", "child02.mp4", "2", "ben", 8, annotate.MustSeconds("1")), 0o644)
	cliOK(t, "import", ben, "--coder", "ben", "--video", own, filepath.Join(dir, "ben2.csv"))
	aliceBytes := fileBytes(t, alice)

	out := cliOK(t, "merge", lab, alice, ben)
	for _, want := range []string{
		"added coder alice", "added coder ben",
		"added video v2 " + own + " (from ben.dyad)",
		"added observation 1: alice coding child01.mp4, 16 events (observation 1 of alice.dyad)",
		"added observation 2: ben coding child01.mp4, 24 events (observation 1 of ben.dyad)",
		"added observation 3: ben coding child02.mp4, 8 events (observation 2 of ben.dyad)",
	} {
		if !strings.Contains(out, want+"\n") {
			t.Errorf("merge said\n%s\nwant a line %q", out, want)
		}
	}
	if !bytes.Equal(fileBytes(t, alice), aliceBytes) {
		t.Error("merge changed a project it merged from")
	}
	export := cliOK(t, "export", lab)
	if !strings.Contains(export, "alice") || !strings.Contains(export, "child02.mp4") {
		t.Errorf("export after merge:\n%s", export)
	}
	// Again: nothing new, the export byte for byte the same.
	out = cliOK(t, "merge", lab, ben, alice)
	if !strings.Contains(out, "3 observation(s) the project has already") || !strings.Contains(out, "nothing new") || strings.Contains(out, "added") {
		t.Errorf("second merge said\n%s", out)
	}
	if again := cliOK(t, "export", lab); again != export {
		t.Errorf("second merge changed the export")
	}

	// A lab with another scheme: nothing merged, every difference listed.
	other := annotate.DefaultScheme()
	var keep []annotate.Behavior
	for _, b := range other.Behaviors {
		if b.Code == "cg_soothe" {
			continue
		}
		if b.Code == "approach" {
			b.Kind = annotate.State
		}
		keep = append(keep, b)
	}
	other.Behaviors = keep
	data, _ := other.MarshalIndent()
	schemeFile := filepath.Join(dir, "other.json")
	os.WriteFile(schemeFile, data, 0o644)
	otherProj := filepath.Join(dir, "other.dyad")
	cliOK(t, "new", otherProj, "--scheme", schemeFile)
	before := fileBytes(t, lab)
	code, out, errs := cli(t, "merge", lab, otherProj)
	if code != 1 || out != "" ||
		!strings.Contains(errs, otherProj+" codes with another scheme than the project, nothing was merged") ||
		!strings.Contains(errs, `behaviour "approach" is a point here but a state there`) ||
		!strings.Contains(errs, `behaviour "cg_soothe" (state) is missing from the project merged from`) ||
		!strings.Contains(errs, "Make the coding schemes agree") {
		t.Errorf("merge of another scheme: exit %d\nstdout %q\nstderr %s", code, out, errs)
	}
	if !bytes.Equal(fileBytes(t, lab), before) {
		t.Error("a refused merge changed the project")
	}

	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"merge", lab}, 2, "need the project to merge into and at least one"},
		{[]string{"merge", lab, lab}, 1, "cannot be merged into itself"},
		{[]string{"merge", lab, filepath.Join(dir, "nowhere.dyad")}, 1, "nowhere.dyad"},
		{[]string{"merge", filepath.Join(dir, "nowhere.dyad"), alice}, 1, "no such project"},
		{[]string{"merge", lab, video}, 1, video},
	} {
		code, _, errs := cli(t, c.args...)
		if code != c.code || !strings.Contains(errs, c.msg) {
			t.Errorf("%v: exit %d, stderr %q; want %d with %q", c.args, code, errs, c.code, c.msg)
		}
	}
	if !bytes.Equal(fileBytes(t, lab), before) {
		t.Error("a refused merge changed the project")
	}
}
