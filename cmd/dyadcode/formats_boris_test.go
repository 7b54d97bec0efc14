package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// borisRows is a BORIS 8 tabular export ("Export events") of the 2 s test
// video, one observation, in the separator given.
func borisRows(sep string) string {
	rows := [][]string{
		{"Observation id", "Observation date", "Description", "Observation duration", "Observation type", "Source", "Time offset (s)", "Media duration (s)", "FPS", "Subject", "Behavior", "Behavioral category", "Modifier #1", "Behavior type", "Time", "Media file name", "Image index", "Image file path", "Comment"},
		{"visit 1", "2025-05-14 16:02:11", "", "2.000", "Media file(s)", "player #1:child01.mp4", "0.0", "2.000", "25.000", "child", "Explores", "", "", "START", "0.200", "child01.mp4", "5", "NA", ""},
		{"visit 1", "2025-05-14 16:02:11", "", "2.000", "Media file(s)", "player #1:child01.mp4", "0.0", "2.000", "25.000", "child", "smile", "", "", "POINT", "0.480", "child01.mp4", "12", "NA", "to mum"},
		{"visit 1", "2025-05-14 16:02:11", "", "2.000", "Media file(s)", "player #1:child01.mp4", "0.0", "2.000", "25.000", "child", "Explores", "", "", "STOP", "1.520", "child01.mp4", "38", "NA", ""},
		{"visit 1", "2025-05-14 16:02:11", "", "2.000", "Media file(s)", "player #1:child01.mp4", "0.0", "2.000", "25.000", "child", "distress", "", "cry", "START", "1.600", "child01.mp4", "40", "NA", ""},
	}
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(r, sep) + "\r\n")
	}
	return b.String()
}

func TestBORISImportEndToEnd(t *testing.T) {
	dir, proj, video, _ := newStudy(t)
	tsv := filepath.Join(dir, "visit1.tsv")
	csv := filepath.Join(dir, "visit1.csv")
	if err := os.WriteFile(tsv, []byte(borisRows("\t")), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(csv, []byte(borisRows(",")), 0o644); err != nil {
		t.Fatal(err)
	}
	// .tsv is BORIS by its extension; a BORIS .csv needs --format boris.
	out := cliOK(t, "import", proj, "--coder", "ra", "--video", video, tsv)
	if !strings.Contains(out, "imported observation 1: ra coding v1, 3 events") {
		t.Fatalf("import said %q", out)
	}
	out = cliOK(t, "import", proj, "--coder", "rb", "--video", video, csv, "--format", "boris")
	if !strings.Contains(out, "imported observation 2: rb coding v1, 3 events") {
		t.Fatalf("import said %q", out)
	}
	// The two imports hold the same coding: their CSV exports differ only
	// in the observation and coder columns.
	one := cliOK(t, "export", proj, "--observation", "1")
	two := cliOK(t, "export", proj, "--observation", "2")
	if strings.ReplaceAll(two, ",2,rb,", ",1,ra,") != one {
		t.Errorf("TSV and CSV imports differ:\n%s\n%s", one, two)
	}
	for _, want := range []string{
		",1,ra,child,explore,state,0.200000,1.520000,1.320000,",
		",1,ra,child,smile,point,0.480000,",
		"to mum",
		",1,ra,child,distress,state,1.600000,,", // still running: no end
	} {
		if !strings.Contains(one, want) {
			t.Errorf("export lacks %q:\n%s", want, one)
		}
	}
}

func TestBORISImportUnknownBehavioursWritesNothing(t *testing.T) {
	dir, proj, video, _ := newStudy(t)
	doc := strings.ReplaceAll(borisRows("\t"), "\tExplores\t", "\tplays\t")
	doc = strings.Replace(doc, "\tsmile\t", "\tgrin\t", 1)
	in := filepath.Join(dir, "bad.tsv")
	if err := os.WriteFile(in, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	before := fileBytes(t, proj)
	code, _, errs := cli(t, "import", proj, "--coder", "ra", "--video", video, in)
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{in + `:2: unknown behaviour "plays" (also on line 4)`, in + `:3: unknown behaviour "grin"`} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if !bytes.Equal(before, fileBytes(t, proj)) {
		t.Error("a refused import changed the project file")
	}
}

// A BORIS project file with one observation imports by its extension; its
// float times ("0.48000000000000004") come in exact to the microsecond.
func TestBORISProjectImportEndToEnd(t *testing.T) {
	dir, proj, video, _ := newStudy(t)
	in := filepath.Join(dir, "lab.boris")
	doc := `{"project_name": "lab", "subjects_conf": {"0": {"key": "1", "name": "child"}},
 "behaviors_conf": {"0": {"type": "State event", "key": "e", "code": "explore"}, "1": {"type": "Point event", "key": "m", "code": "smile"}},
 "observations": {"visit 1": {"type": "MEDIA", "date": "2025-05-14T16:02:11", "file": {"1": ["child01.mp4"], "2": []}, "time offset": 0.0,
   "media_info": {"length": {"child01.mp4": 2.0}, "fps": {"child01.mp4": 25.0}},
   "events": [[0.2, "child", "explore", "", ""], [0.48000000000000004, "child", "smile", "", "to mum"], [1.52, "child", "explore", "", ""]]}}}`
	if err := os.WriteFile(in, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	out := cliOK(t, "import", proj, "--coder", "ra", "--video", video, in)
	if !strings.Contains(out, "imported observation 1: ra coding v1, 2 events") {
		t.Fatalf("import said %q", out)
	}
	csv := cliOK(t, "export", proj)
	for _, want := range []string{",child,explore,state,0.200000,1.520000,1.320000,", ",child,smile,point,0.480000,"} {
		if !strings.Contains(csv, want) {
			t.Errorf("export lacks %q:\n%s", want, csv)
		}
	}
}
