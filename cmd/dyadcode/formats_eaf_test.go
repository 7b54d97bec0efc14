package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestInterchangeFormatsRegistered(t *testing.T) {
	cases := []struct {
		file, name  string
		read, write bool
	}{
		{"a.eaf", "eaf", true, true},
		{"A.EAF", "eaf", true, true},
		{"b.tsv", "boris", true, false},
		{"p.boris", "boris", true, false},
		{"c.sds", "sdis", false, true},
		{"c.sdis", "sdis", false, true},
	}
	for _, c := range cases {
		f, err := formatFor("", c.file)
		if err != nil || f.Name != c.name {
			t.Errorf("%s: got %v, %v; want %s", c.file, f, err, c.name)
			continue
		}
		if (f.Read != nil) != c.read || (f.Write != nil) != c.write {
			t.Errorf("%s: read %v write %v", c.name, f.Read != nil, f.Write != nil)
		}
		if g, err := formatFor(c.name, "whatever.csv"); err != nil || g.Name != f.Name {
			t.Errorf("--format %s: %v", c.name, err)
		}
	}
}

// A hand-written EAF file as ELAN would save it, coding the 2 s test video.
const eafELANFixture = `<?xml version="1.0" encoding="UTF-8"?>
<ANNOTATION_DOCUMENT AUTHOR="" DATE="2025-05-14T16:02:11+02:00" FORMAT="3.0" VERSION="3.0">
    <HEADER MEDIA_FILE="" TIME_UNITS="milliseconds">
        <MEDIA_DESCRIPTOR MEDIA_URL="file:///somewhere/child01.mp4" MIME_TYPE="video/mp4"/>
    </HEADER>
    <TIME_ORDER>
        <TIME_SLOT TIME_SLOT_ID="ts1" TIME_VALUE="0"/>
        <TIME_SLOT TIME_SLOT_ID="ts2" TIME_VALUE="120"/>
        <TIME_SLOT TIME_SLOT_ID="ts3" TIME_VALUE="480"/>
        <TIME_SLOT TIME_SLOT_ID="ts4" TIME_VALUE="520"/>
        <TIME_SLOT TIME_SLOT_ID="ts5" TIME_VALUE="1500"/>
        <TIME_SLOT TIME_SLOT_ID="ts6" TIME_VALUE="2000"/>
    </TIME_ORDER>
    <TIER ANNOTATOR="RA" LINGUISTIC_TYPE_REF="lt" PARTICIPANT="baby" TIER_ID="Child">
        <ANNOTATION>
            <ALIGNABLE_ANNOTATION ANNOTATION_ID="a1" TIME_SLOT_REF1="ts2" TIME_SLOT_REF2="ts5">
                <ANNOTATION_VALUE>Explores</ANNOTATION_VALUE>
            </ALIGNABLE_ANNOTATION>
        </ANNOTATION>
        <ANNOTATION>
            <ALIGNABLE_ANNOTATION ANNOTATION_ID="a2" TIME_SLOT_REF1="ts3" TIME_SLOT_REF2="ts4">
                <ANNOTATION_VALUE>smile</ANNOTATION_VALUE>
            </ALIGNABLE_ANNOTATION>
        </ANNOTATION>
    </TIER>
    <TIER ANNOTATOR="RA" LINGUISTIC_TYPE_REF="lt" TIER_ID="Episodes">
        <ANNOTATION>
            <ALIGNABLE_ANNOTATION ANNOTATION_ID="a3" TIME_SLOT_REF1="ts1" TIME_SLOT_REF2="ts6">
                <ANNOTATION_VALUE>1 Introduction</ANNOTATION_VALUE>
            </ALIGNABLE_ANNOTATION>
        </ANNOTATION>
    </TIER>
    <LINGUISTIC_TYPE GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="lt" TIME_ALIGNABLE="true"/>
</ANNOTATION_DOCUMENT>
`

// normEAF drops what legitimately differs between two exports of the same
// coding held in two observations: the modification date and the
// observation's ID.
func normEAF(b []byte) string {
	s := regexp.MustCompile(`DATE="[^"]*"`).ReplaceAllString(string(b), `DATE=""`)
	return regexp.MustCompile(`&quot;id&quot;:&quot;\d+&quot;`).ReplaceAllString(s, "ID")
}

func TestEAFImportExportEndToEnd(t *testing.T) {
	dir, proj, video, _ := newStudy(t)
	in := filepath.Join(dir, "ra.eaf")
	if err := os.WriteFile(in, []byte(eafELANFixture), 0o644); err != nil {
		t.Fatal(err)
	}
	out := cliOK(t, "import", proj, "--coder", "ra", "--video", video, in)
	if !strings.Contains(out, "imported observation 1: ra coding v1, 2 events, 1 episode marks") {
		t.Fatalf("import said %q", out)
	}

	first := filepath.Join(dir, "first.eaf")
	cliOK(t, "export", proj, "--observation", "1", "-o", first)
	doc := fileBytes(t, first)
	for _, want := range []string{
		`TIER_ID="child:explore"`, `PARTICIPANT="child"`, `ANNOTATOR="ra"`,
		`<PROPERTY NAME="dyadcode:video">child01.mp4</PROPERTY>`,
		`<PROPERTY NAME="dyadcode:end">2.000000</PROPERTY>`,
		`<PROPERTY NAME="dyadcode:rate">25/1</PROPERTY>`,
		`TIME_VALUE="120"`, `TIME_VALUE="1500"`, `TIME_VALUE="480"`, `TIME_VALUE="520"`, // smile: one 40 ms frame
	} {
		if !bytes.Contains(doc, []byte(want)) {
			t.Errorf("export lacks %s", want)
		}
	}
	if _, err := exec.LookPath("xmllint"); err == nil {
		if xsd := "../../annotate/eaf/testdata/EAFv3.0.xsd"; eafFileExists(xsd) {
			if b, err := exec.Command("xmllint", "--noout", "--schema", xsd, first).CombinedOutput(); err != nil {
				t.Errorf("exported EAF does not validate: %v\n%s", err, b)
			}
		}
	}

	// Import dyadcode's own export and export it again: the same file.
	cliOK(t, "import", proj, "--coder", "ra", "--video", "child01.mp4", first)
	second := filepath.Join(dir, "second.eaf")
	cliOK(t, "export", proj, "--observation", "2", "--format", "eaf", "-o", second)
	if a, b := normEAF(doc), normEAF(fileBytes(t, second)); a != b {
		t.Errorf("export → import → export differs:\n%s\n---\n%s", a, b)
	}

	// Both observations are of one video, so they share one file with
	// labelled tiers.
	both := cliOK(t, "export", proj, "--format", "eaf")
	if !strings.Contains(both, `TIER_ID="child:smile@ra#1"`) || !strings.Contains(both, `TIER_ID="child:smile@ra#2"`) {
		t.Errorf("two observations: tiers not labelled per observation:\n%s", both)
	}
}

func TestEAFExportSeveralVideosNamesRemedy(t *testing.T) {
	dir, proj, video, _ := newStudy(t)
	other := makeVideo(t, dir, "child02.mp4", 2, 7)
	cliOK(t, "add-video", proj, other)
	in := filepath.Join(dir, "ra.eaf")
	if err := os.WriteFile(in, []byte(eafELANFixture), 0o644); err != nil {
		t.Fatal(err)
	}
	cliOK(t, "import", proj, "--coder", "ra", "--video", video, in)
	cliOK(t, "import", proj, "--coder", "ra", "--video", other, in)
	code, _, errs := cli(t, "export", proj, "--format", "eaf", "-o", filepath.Join(dir, "x.eaf"))
	if code != 1 || !strings.Contains(errs, "one video") || !strings.Contains(errs, "--observation") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	if eafFileExists(filepath.Join(dir, "x.eaf")) {
		t.Error("a refused export left a file behind")
	}
}

func TestEAFImportUnknownTierWritesNothing(t *testing.T) {
	dir, proj, video, _ := newStudy(t)
	bad := strings.Replace(eafELANFixture, "<ANNOTATION_VALUE>smile</ANNOTATION_VALUE>", "<ANNOTATION_VALUE>giggle</ANNOTATION_VALUE>", 1)
	in := filepath.Join(dir, "bad.eaf")
	if err := os.WriteFile(in, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	before := fileBytes(t, proj)
	code, _, errs := cli(t, "import", proj, "--coder", "ra", "--video", video, in)
	if code != 1 || !strings.Contains(errs, in+":22:") || !strings.Contains(errs, `"giggle"`) {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	if !bytes.Equal(before, fileBytes(t, proj)) {
		t.Error("a refused import changed the project file")
	}
}

func eafFileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
