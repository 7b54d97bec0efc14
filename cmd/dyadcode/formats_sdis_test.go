package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSDISExportEndToEnd(t *testing.T) {
	dir, proj, video, _ := newStudy(t)
	in := filepath.Join(dir, "visit1.tsv")
	if err := os.WriteFile(in, []byte(borisRows("\t")), 0o644); err != nil {
		t.Fatal(err)
	}
	cliOK(t, "import", proj, "--coder", "ra", "--video", video, in)
	out := filepath.Join(dir, "study.sds")
	cliOK(t, "export", proj, "-o", out)
	doc := string(fileBytes(t, out))
	for _, want := range []string{
		"\nTimed approach explore ",
		"% observation 1, coder ra, video child01.mp4\n<ra obs 1 child01.mp4> ,0\n",
		"explore,200-1520\nsmile,480\ndistress,1600-2000\ndistress_cry,1600-2000\n,2000/\n",
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("SDIS export lacks %q:\n%s", want, doc)
		}
	}
	if got := cliOK(t, "export", proj, "--format", "sdis"); got != doc {
		t.Error("--format sdis to standard output differs from -o study.sds")
	}
	code, _, errs := cli(t, "import", proj, "--coder", "x", "--video", video, out)
	if code != 2 || !strings.Contains(errs, "export-only") {
		t.Errorf("importing SDIS: exit %d, %q", code, errs)
	}
}
