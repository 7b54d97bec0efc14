package eaf

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"dyadcode/annotate"
)

var sec = annotate.MustSeconds

// sample is an observation touching every feature of the format: points,
// closed and open states, modifiers, awkward comments, episodes, ratings.
func sample() annotate.Transfer {
	o := &annotate.Observation{
		ID: "7", Coder: "alice",
		Modified: time.Date(2026, 3, 4, 10, 11, 12, 0, time.UTC),
		Created:  time.Date(2026, 3, 4, 10, 11, 12, 0, time.UTC),
		Events: []annotate.Event{
			{ID: 1, Behavior: "explore", Subject: "child", Start: sec("1.000"), End: sec("5.250")},
			{ID: 2, Behavior: "smile", Subject: "child", Start: sec("2.040"), End: sec("2.040"), Comment: `big <grin> & "laugh"` + "\nsecond line"},
			{ID: 3, Behavior: "distress", Subject: "child", Start: sec("190.5"), End: sec("201.125"), Modifiers: []string{"fuss", "cry"}},
			{ID: 4, Behavior: "cg_leave", Subject: "caregiver", Start: sec("180.001"), End: sec("180.001")},
			{ID: 5, Behavior: "cg_soothe", Subject: "caregiver", Start: sec("300"), End: sec("300"), Open: true},
			{ID: 6, Behavior: "smile", Subject: "child", Start: sec("2.040"), End: sec("2.040")},
		},
		Episodes: []annotate.EpisodeMark{{Name: "1 Introduction", Start: 0}, {Name: "2 Caregiver and child", Start: sec("30")}},
		NextID:   7,
	}
	sch := annotate.DefaultScheme()
	if len(sch.Ratings) > 0 {
		r := sch.Ratings[0]
		ep := sch.Episodes[0].Name
		if len(r.Episodes) > 0 {
			ep = r.Episodes[0]
		}
		o.Ratings = []annotate.Rating{{Episode: ep, Scale: r.Code, Value: r.Min + 1}}
	}
	return annotate.Transfer{Project: "lab study", Video: "videos/session one.mp4", Obs: o, End: sec("320.5"), Rate: annotate.Rate{Num: 25, Den: 1}}
}

func write(t testing.TB, recs []annotate.Transfer, s *annotate.Scheme) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, recs, s); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return b.Bytes()
}

func TestRoundTripIsByteIdentical(t *testing.T) {
	s := annotate.DefaultScheme()
	in := sample()
	first := write(t, []annotate.Transfer{in}, s)
	got, err := Read(bytes.NewReader(first), "a.eaf", s)
	if err != nil {
		t.Fatalf("Read: %v\n%s", err, first)
	}
	if len(got) != 1 {
		t.Fatalf("got %d transfers, want 1", len(got))
	}
	g := got[0]
	if g.Project != in.Project || g.Video != in.Video || g.End != in.End || g.Rate != in.Rate {
		t.Errorf("metadata: got %q %q %v %v, want %q %q %v %v", g.Project, g.Video, g.End, g.Rate, in.Project, in.Video, in.End, in.Rate)
	}
	if g.Obs.ID != "7" || g.Obs.Coder != "alice" || !g.Obs.Modified.Equal(in.Obs.Modified) {
		t.Errorf("observation: got %q %q %v", g.Obs.ID, g.Obs.Coder, g.Obs.Modified)
	}
	// Every time in the sample is ms-exact, so the events must come back
	// exactly (IDs renumbered in start order).
	want := []annotate.Event{
		{ID: 1, Behavior: "explore", Subject: "child", Start: sec("1"), End: sec("5.25")},
		{ID: 2, Behavior: "smile", Subject: "child", Start: sec("2.04"), End: sec("2.04")},
		{ID: 3, Behavior: "smile", Subject: "child", Start: sec("2.04"), End: sec("2.04"), Comment: in.Obs.Events[1].Comment},
		{ID: 4, Behavior: "cg_leave", Subject: "caregiver", Start: sec("180.001"), End: sec("180.001")},
		{ID: 5, Behavior: "distress", Subject: "child", Start: sec("190.5"), End: sec("201.125"), Modifiers: []string{"fuss", "cry"}},
		{ID: 6, Behavior: "cg_soothe", Subject: "caregiver", Start: sec("300"), End: sec("300"), Open: true},
	}
	if !reflect.DeepEqual(g.Obs.Events, want) {
		t.Errorf("events:\n got %+v\nwant %+v", g.Obs.Events, want)
	}
	if !reflect.DeepEqual(g.Obs.Episodes, in.Obs.Episodes) {
		t.Errorf("episodes: got %+v want %+v", g.Obs.Episodes, in.Obs.Episodes)
	}
	if !reflect.DeepEqual(g.Obs.Ratings, in.Obs.Ratings) {
		t.Errorf("ratings: got %+v want %+v", g.Obs.Ratings, in.Obs.Ratings)
	}
	second := write(t, got, s)
	if !bytes.Equal(first, second) {
		t.Errorf("export → import → export differs:\n%s\n----\n%s", first, second)
	}
}

func TestExportShape(t *testing.T) {
	s := annotate.DefaultScheme()
	tr := sample()
	out := string(write(t, []annotate.Transfer{tr}, s))
	for _, want := range []string{
		`TIER_ID="child:smile"`,
		`PARTICIPANT="child"`,
		`ANNOTATOR="alice"`,
		`TIER_ID="episodes"`,
		`TIER_ID="child:distress/modifiers"`,
		`<ANNOTATION_VALUE>fuss|cry</ANNOTATION_VALUE>`,
		`TIER_ID="child:smile/comment"`,
		`<CONTROLLED_VOCABULARY CV_ID="behaviors">`,
		`<PROPERTY NAME="dyadcode:end">320.500000</PROPERTY>`,
		`<PROPERTY NAME="dyadcode:open">`,
		`MEDIA_URL="videos/session%20one.mp4"`,
		`RELATIVE_MEDIA_URL="./session%20one.mp4"`,
		`DATE="2026-03-04T10:11:12Z"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("export lacks %s", want)
		}
	}
	// A point at 2.040 s is one 40 ms frame at 25 fps; the open state runs
	// to the video end, 320.5 s.
	for _, want := range []string{`TIME_VALUE="2040"`, `TIME_VALUE="2080"`, `TIME_VALUE="320500"`} {
		if !strings.Contains(out, want) {
			t.Errorf("export lacks %s", want)
		}
	}
}

func TestPointFrameFromRate(t *testing.T) {
	s := annotate.DefaultScheme()
	cases := []struct {
		rate annotate.Rate
		end  string
	}{
		{annotate.Rate{}, `TIME_VALUE="1040"`},                      // unknown: 40 ms
		{annotate.Rate{Num: 30000, Den: 1001}, `TIME_VALUE="1033"`}, // 33.366 ms rounds to 33
		{annotate.Rate{Num: 50, Den: 1}, `TIME_VALUE="1020"`},
		{annotate.Rate{Num: 2000, Den: 1}, `TIME_VALUE="1001"`}, // 0.5 ms frames: at least 1 ms
	}
	for _, c := range cases {
		o := &annotate.Observation{Coder: "x", Events: []annotate.Event{{ID: 1, Behavior: "smile", Start: sec("1"), End: sec("1")}}}
		out := string(write(t, []annotate.Transfer{{Obs: o, Rate: c.rate}}, s))
		if !strings.Contains(out, c.end) {
			t.Errorf("rate %v: want point end %s in\n%s", c.rate, c.end, out)
		}
	}
}

func TestMillisecondRounding(t *testing.T) {
	s := annotate.DefaultScheme()
	cases := []struct{ in, want string }{
		{"1.0004", "1.000"},
		{"1.0005", "1.001"}, // half rounds up
		{"1.000499", "1.000"},
		{"2.999999", "3.000"},
		{"7.25", "7.25"}, // ms-exact: unchanged
		{"0", "0"},
	}
	for _, c := range cases {
		o := &annotate.Observation{Coder: "x", Events: []annotate.Event{{ID: 1, Behavior: "explore", Start: sec(c.in), End: sec(c.in) + annotate.Second}}}
		got, err := Read(bytes.NewReader(write(t, []annotate.Transfer{{Obs: o}}, s)), "r.eaf", s)
		if err != nil {
			t.Fatal(err)
		}
		e := got[0].Obs.Events[0]
		if e.Start != sec(c.want) || e.End != sec(c.want)+annotate.Second {
			t.Errorf("%s s came back as %s–%s, want %s", c.in, e.Start.Seconds(), e.End.Seconds(), c.want)
		}
	}
}

func xsdPath(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("xmllint"); err != nil {
		t.Skip("xmllint not installed (libxml2-utils)")
	}
	for _, p := range []string{"../../../shared/reference/elan/EAFv3.0.xsd", "/work/shared/reference/elan/EAFv3.0.xsd"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	t.Skip("EAFv3.0.xsd not found")
	return ""
}

func xmllint(t *testing.T, xsd, file string) {
	t.Helper()
	out, err := exec.Command("xmllint", "--noout", "--schema", xsd, file).CombinedOutput()
	if err != nil {
		t.Errorf("%s does not validate against EAF 3.0: %v\n%s", file, err, out)
	}
}

func TestExportValidatesAgainstEAF30(t *testing.T) {
	xsd := xsdPath(t)
	s := annotate.DefaultScheme()
	two := sample()
	two.Obs = &annotate.Observation{ID: "8", Coder: "ben", Events: []annotate.Event{{ID: 1, Behavior: "calm", Start: 0, End: sec("9.999")}}}
	empty := annotate.Transfer{Obs: &annotate.Observation{ID: "1"}}
	for name, recs := range map[string][]annotate.Transfer{
		"one.eaf":   {sample()},
		"two.eaf":   {sample(), two},
		"empty.eaf": {empty},
	} {
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, write(t, recs, s), 0o644); err != nil {
			t.Fatal(err)
		}
		xmllint(t, xsd, p)
	}
	// The hand-written ELAN fixture must be valid too, or the import test
	// would prove nothing about real ELAN files.
	xmllint(t, xsd, "testdata/elan_native.eaf")
}

func TestSeveralObservationsOneVideo(t *testing.T) {
	s := annotate.DefaultScheme()
	a := sample()
	b := sample()
	b.Obs = &annotate.Observation{ID: "9", Coder: "ben", Events: []annotate.Event{{ID: 4, Behavior: "smile", Start: sec("3"), End: sec("3")}}}
	c := sample()
	c.Obs = &annotate.Observation{ID: "10", Coder: "ben", Events: []annotate.Event{{ID: 1, Behavior: "vocalize", Start: sec("4"), End: sec("4")}}}
	first := write(t, []annotate.Transfer{a, b, c}, s)
	for _, want := range []string{`TIER_ID="child:smile@alice"`, `TIER_ID="child:smile@ben#9"`, `TIER_ID="child:vocalize@ben#10"`} {
		if !bytes.Contains(first, []byte(want)) {
			t.Errorf("export lacks %s", want)
		}
	}
	got, err := Read(bytes.NewReader(first), "m.eaf", s)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("got %d observations, want 3", len(got))
	}
	for i, want := range []struct{ id, coder string }{{"7", "alice"}, {"9", "ben"}, {"10", "ben"}} {
		if got[i].Obs.ID != want.id || got[i].Obs.Coder != want.coder {
			t.Errorf("observation %d: got %s/%s want %s/%s", i, got[i].Obs.ID, got[i].Obs.Coder, want.id, want.coder)
		}
	}
	if n := len(got[1].Obs.Events); n != 1 || got[1].Obs.Events[0].Start != sec("3") {
		t.Errorf("ben#9 events: %+v", got[1].Obs.Events)
	}
	if !bytes.Equal(first, write(t, got, s)) {
		t.Error("several observations: export → import → export differs")
	}
}

func TestWriteRefuses(t *testing.T) {
	s := annotate.DefaultScheme()
	other := sample()
	other.Video = "other.mp4"
	bad := sample()
	bad.Obs = &annotate.Observation{Events: []annotate.Event{{ID: 1, Behavior: "nope", Start: 0, End: 0}}}
	cases := []struct {
		name string
		recs []annotate.Transfer
		s    *annotate.Scheme
		want string
		is   error
	}{
		{"two videos", []annotate.Transfer{sample(), other}, s, "one video", ErrSeveralVideos},
		{"unknown code", []annotate.Transfer{bad}, s, `unknown behavior "nope"`, annotate.ErrUnknownCode},
		{"no scheme", []annotate.Transfer{sample()}, nil, "needs the coding scheme", nil},
		{"nothing", nil, s, "no observations", nil},
	}
	for _, c := range cases {
		var b bytes.Buffer
		err := Write(&b, c.recs, c.s)
		if err == nil || !strings.Contains(err.Error(), c.want) || (c.is != nil && !errors.Is(err, c.is)) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
		if b.Len() != 0 {
			t.Errorf("%s: wrote %d bytes despite the error", c.name, b.Len())
		}
	}
}

func TestReadELANNative(t *testing.T) {
	s := annotate.DefaultScheme()
	f, err := os.Open("testdata/elan_native.eaf")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := Read(f, "elan_native.eaf", s)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("got %d observations, want 1", len(got))
	}
	g := got[0]
	if g.Video != "/data/ssp/baby 12.mp4" || g.Obs.Coder != "RA2" {
		t.Errorf("video %q coder %q", g.Video, g.Obs.Coder)
	}
	want := []annotate.Event{
		{ID: 1, Behavior: "explore", Subject: "child", Start: sec("0.5"), End: sec("12.48")},
		{ID: 2, Behavior: "smile", Subject: "child", Start: sec("3.2"), End: sec("3.2"), Comment: "to mother"},
		{ID: 3, Behavior: "check_back", Subject: "child", Start: sec("6"), End: sec("6")},
		{ID: 4, Behavior: "cg_leave", Subject: "caregiver", Start: sec("180.04"), End: sec("180.04")},
		{ID: 5, Behavior: "distress", Subject: "child", Start: sec("181"), End: sec("200.5"), Modifiers: []string{"cry"}},
	}
	if !reflect.DeepEqual(g.Obs.Events, want) {
		t.Errorf("events:\n got %+v\nwant %+v", g.Obs.Events, want)
	}
	wantEp := []annotate.EpisodeMark{{Name: "1 Introduction", Start: 0}, {Name: "2 Caregiver and child", Start: sec("30")}}
	if !reflect.DeepEqual(g.Obs.Episodes, wantEp) {
		t.Errorf("episodes: %+v", g.Obs.Episodes)
	}
}

func TestReadReportsEveryProblemWithLine(t *testing.T) {
	s := annotate.DefaultScheme()
	native, err := os.ReadFile("testdata/elan_native.eaf")
	if err != nil {
		t.Fatal(err)
	}
	lineOf := func(doc, needle string) string {
		i := strings.Index(doc, needle)
		if i < 0 {
			t.Fatalf("fixture lacks %q", needle)
		}
		return "x.eaf:" + itoa(strings.Count(doc[:i], "\n")+1) + ":"
	}
	unknownTier := strings.Replace(string(native), `<TIER LINGUISTIC_TYPE_REF="default-lt" TIER_ID="default"/>`,
		"<TIER LINGUISTIC_TYPE_REF=\"default-lt\" TIER_ID=\"Gaze\">\n<ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID=\"a99\" TIME_SLOT_REF1=\"ts1\" TIME_SLOT_REF2=\"ts2\"><ANNOTATION_VALUE>left</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION></TIER>", 1)
	badValue := strings.Replace(string(native), `<ANNOTATION_VALUE>Smile</ANNOTATION_VALUE>`, `<ANNOTATION_VALUE>Grin</ANNOTATION_VALUE>`, 1)
	badValue = strings.Replace(badValue, `<ANNOTATION_VALUE>1 Introduction</ANNOTATION_VALUE>`, `<ANNOTATION_VALUE>Warm-up</ANNOTATION_VALUE>`, 1)
	badTime := strings.Replace(string(native), `TIME_VALUE="12480"`, `TIME_VALUE="-3"`, 1)
	backwards := strings.Replace(string(native), `TIME_VALUE="12480"`, `TIME_VALUE="100"`, 1)
	badMod := strings.Replace(string(native), `<ANNOTATION_VALUE>cry</ANNOTATION_VALUE>`, `<ANNOTATION_VALUE>howl</ANNOTATION_VALUE>`, 1)
	cases := []struct {
		name, doc string
		want      []string
		is        error
	}{
		{"unknown tier", unknownTier, []string{lineOf(unknownTier, `TIER_ID="Gaze"`), `tier "Gaze" matches no behaviour`}, ErrUnknown},
		{"unknown values", badValue, []string{lineOf(badValue, "Grin"), `"Grin" is not a behaviour of child`, lineOf(badValue, "Warm-up"), `"Warm-up" is not an episode`}, ErrUnknown},
		{"negative time", badTime, []string{lineOf(badTime, `TIME_VALUE="-3"`), "not a whole number of milliseconds"}, ErrMalformed},
		{"end before start", backwards, []string{"ends (100 ms) before it starts (500 ms)"}, ErrMalformed},
		{"unknown modifier", badMod, []string{lineOf(badMod, "howl"), `"howl" is not a modifier of "distress"`}, ErrUnknown},
		{"broken XML", "<ANNOTATION_DOCUMENT>\n<HEADER>\n<TIER>\n</ANNOTATION_DOCUMENT>\n", []string{"x.eaf:4:"}, ErrMalformed},
		{"not EAF", "<?xml version=\"1.0\"?>\n<html/>\n", []string{"x.eaf:2:", "not <ANNOTATION_DOCUMENT>"}, ErrMalformed},
		{"frames", strings.Replace(string(native), `TIME_UNITS="milliseconds"`, `TIME_UNITS="PAL-frames"`, 1), []string{"only milliseconds"}, ErrMalformed},
		{"empty", "", []string{"no XML element"}, ErrMalformed},
	}
	for _, c := range cases {
		got, err := Read(strings.NewReader(c.doc), "x.eaf", s)
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if got != nil {
			t.Errorf("%s: returned %d transfers along with the error", c.name, len(got))
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error lacks %q:\n%v", c.name, w, err)
			}
		}
		if !errors.Is(err, c.is) {
			t.Errorf("%s: error is not %v: %v", c.name, c.is, err)
		}
	}
}

func TestReadSchemeMismatch(t *testing.T) {
	// A file exported under a scheme where smile was a point, read under a
	// scheme where it became a state, must be refused, not reinterpreted.
	s := annotate.DefaultScheme()
	doc := write(t, []annotate.Transfer{sample()}, s)
	s2 := annotate.DefaultScheme()
	for i := range s2.Behaviors {
		if s2.Behaviors[i].Code == "smile" {
			s2.Behaviors[i].Kind = annotate.State
		}
	}
	_, err := Read(bytes.NewReader(doc), "k.eaf", s2)
	if err == nil || !strings.Contains(err.Error(), `holds points but "smile" is a state`) {
		t.Fatalf("got %v", err)
	}
	if !regexp.MustCompile(`k\.eaf:\d+:`).MatchString(err.Error()) {
		t.Errorf("no FILE:LINE in %v", err)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestWriteRefusesTimesBeyondEAF(t *testing.T) {
	s := annotate.DefaultScheme()
	o := &annotate.Observation{Events: []annotate.Event{{ID: 1, Behavior: "smile", Start: 50 * 24 * annotate.Hour, End: 50 * 24 * annotate.Hour}}}
	var b bytes.Buffer
	if err := Write(&b, []annotate.Transfer{{Obs: o}}, s); err == nil || !strings.Contains(err.Error(), "does not fit") {
		t.Fatalf("got %v", err)
	}
	if b.Len() != 0 {
		t.Error("wrote a partial file")
	}
}

// native builds a small ELAN-style document from tier XML, with time slots
// ts1..ts4 at 1, 2, 3 and 4 s.
func native(tiers string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<ANNOTATION_DOCUMENT AUTHOR="" DATE="2025-01-01T00:00:00Z" FORMAT="3.0" VERSION="3.0">
<HEADER MEDIA_FILE="" TIME_UNITS="milliseconds"/>
<TIME_ORDER><TIME_SLOT TIME_SLOT_ID="ts1" TIME_VALUE="1000"/><TIME_SLOT TIME_SLOT_ID="ts2" TIME_VALUE="2000"/><TIME_SLOT TIME_SLOT_ID="ts3" TIME_VALUE="3000"/><TIME_SLOT TIME_SLOT_ID="ts4" TIME_VALUE="4000"/></TIME_ORDER>
` + tiers + `
<LINGUISTIC_TYPE LINGUISTIC_TYPE_ID="lt" TIME_ALIGNABLE="true"/>
</ANNOTATION_DOCUMENT>
`
}

func aligned(id, t1, t2, value string) string {
	return `<ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="` + id + `" TIME_SLOT_REF1="` + t1 + `" TIME_SLOT_REF2="` + t2 + `"><ANNOTATION_VALUE>` + value + `</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION>`
}

func TestReadNativeVariants(t *testing.T) {
	s := annotate.DefaultScheme()
	t.Run("annotators become observations", func(t *testing.T) {
		doc := native(`<TIER ANNOTATOR="RA1" LINGUISTIC_TYPE_REF="lt" TIER_ID="smile R1">` + aligned("a1", "ts1", "ts2", "smile") + `</TIER>
<TIER ANNOTATOR="RA2" LINGUISTIC_TYPE_REF="lt" TIER_ID="smile R2">` + aligned("a2", "ts3", "ts4", "Smile") + `</TIER>`)
		got, err := Read(strings.NewReader(doc), "n.eaf", s)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Obs.Coder != "RA1" || got[1].Obs.Coder != "RA2" ||
			got[0].Obs.Events[0].Start != sec("1") || got[1].Obs.Events[0].Start != sec("3") {
			t.Fatalf("got %+v", got)
		}
	})
	t.Run("included-in notes attach to the annotation they lie in", func(t *testing.T) {
		doc := native(`<TIER LINGUISTIC_TYPE_REF="lt" TIER_ID="distress">` + aligned("a1", "ts1", "ts4", "") + `</TIER>
<TIER LINGUISTIC_TYPE_REF="lt" PARENT_REF="distress" TIER_ID="distress notes">` + aligned("a2", "ts2", "ts3", "hiccups") + `</TIER>`)
		got, err := Read(strings.NewReader(doc), "n.eaf", s)
		if err != nil {
			t.Fatal(err)
		}
		e := got[0].Obs.Events[0]
		if e.Behavior != "distress" || e.Start != sec("1") || e.End != sec("4") || e.Comment != "hiccups" {
			t.Fatalf("got %+v", e)
		}
	})
	t.Run("a subject tier refuses another subject's behaviour", func(t *testing.T) {
		doc := native(`<TIER LINGUISTIC_TYPE_REF="lt" TIER_ID="Caregiver">` + aligned("a1", "ts1", "ts2", "smile") + `</TIER>`)
		_, err := Read(strings.NewReader(doc), "n.eaf", s)
		if err == nil || !strings.Contains(err.Error(), `n.eaf:5: tier "Caregiver": value "smile" is not a behaviour of caregiver`) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("unaligned time slot with nothing after it", func(t *testing.T) {
		doc := strings.Replace(native(`<TIER LINGUISTIC_TYPE_REF="lt" TIER_ID="smile">`+aligned("a1", "ts1", "ts5", "")+`</TIER>`),
			`</TIME_ORDER>`, `<TIME_SLOT TIME_SLOT_ID="ts5"/></TIME_ORDER>`, 1)
		_, err := Read(strings.NewReader(doc), "n.eaf", s)
		if err == nil || !strings.Contains(err.Error(), "n.eaf:5:") || !strings.Contains(err.Error(), "no aligned slot after it") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("nothing to import", func(t *testing.T) {
		_, err := Read(strings.NewReader(native(`<TIER LINGUISTIC_TYPE_REF="lt" TIER_ID="default"/>`)), "n.eaf", s)
		if !errors.Is(err, ErrUnknown) || !strings.Contains(err.Error(), "no tiers with coding") {
			t.Fatalf("got %v", err)
		}
	})
}

func TestLabelsThatEndAlike(t *testing.T) {
	s := annotate.DefaultScheme()
	a := annotate.Transfer{Obs: &annotate.Observation{ID: "1", Coder: "b", Events: []annotate.Event{{ID: 1, Behavior: "smile", Start: sec("1"), End: sec("1")}}}}
	b := annotate.Transfer{Obs: &annotate.Observation{ID: "2", Coder: "a@b", Events: []annotate.Event{{ID: 1, Behavior: "smile", Start: sec("2"), End: sec("2")}}}}
	doc := write(t, []annotate.Transfer{a, b}, s)
	got, err := Read(bytes.NewReader(doc), "l.eaf", s)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[1].Obs.Coder != "a@b" || len(got[1].Obs.Events) != 1 || got[1].Obs.Events[0].Start != sec("2") {
		t.Fatalf("got %+v %+v", got[0].Obs, got[1].Obs)
	}
}

func TestReadHeaderPropertyProblems(t *testing.T) {
	s := annotate.DefaultScheme()
	doc := string(write(t, []annotate.Transfer{sample()}, s))
	line := func(d, needle string) string {
		return "h.eaf:" + strconv.Itoa(strings.Count(d[:strings.Index(d, needle)], "\n")+1) + ":"
	}
	cases := []struct{ name, from, to, want string }{
		{"rating out of range", `&quot;value&quot;:2}`, `&quot;value&quot;:9}`, "outside 1–7"},
		{"unknown scale", `proximity_seeking`, `charm`, `rating scale "charm" is not in the scheme`},
		{"open names nothing", `<PROPERTY NAME="dyadcode:open">a10</PROPERTY>`, `<PROPERTY NAME="dyadcode:open">a99</PROPERTY>`, `lists annotation "a99"`},
		{"bad end", `<PROPERTY NAME="dyadcode:end">320.500000</PROPERTY>`, `<PROPERTY NAME="dyadcode:end">soon</PROPERTY>`, `end time "soon"`},
		{"bad rate", `<PROPERTY NAME="dyadcode:rate">25/1</PROPERTY>`, `<PROPERTY NAME="dyadcode:rate">25</PROPERTY>`, `frame rate "25"`},
		{"newer version", `<PROPERTY NAME="dyadcode:version">1</PROPERTY>`, `<PROPERTY NAME="dyadcode:version">2</PROPERTY>`, "version \"2\" is not supported"},
	}
	for _, c := range cases {
		if !strings.Contains(doc, c.from) {
			t.Fatalf("%s: sample lacks %q", c.name, c.from)
		}
		d := strings.Replace(doc, c.from, c.to, 1)
		got, err := Read(strings.NewReader(d), "h.eaf", s)
		if err == nil || got != nil {
			t.Errorf("%s: got %v", c.name, err)
			continue
		}
		if want := line(d, c.to); !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: want %s … %s in\n%v", c.name, want, c.want, err)
		}
	}
}

// A dyadcode export whose dyadcode:* properties were stripped (say by a
// tool that rewrites headers) still imports from its tier names alone.
func TestReadOwnExportWithoutProperties(t *testing.T) {
	s := annotate.DefaultScheme()
	doc := string(write(t, []annotate.Transfer{sample()}, s))
	stripped := regexp.MustCompile(`(?m)^\s*<PROPERTY NAME="dyadcode:[^\n]*\n`).ReplaceAllString(doc, "")
	if strings.Contains(stripped, "dyadcode:") {
		t.Fatal("properties not stripped")
	}
	got, err := Read(strings.NewReader(stripped), "s.eaf", s)
	if err != nil {
		t.Fatal(err)
	}
	o := got[0].Obs
	if o.Coder != "alice" || len(o.Events) != 6 || len(o.Episodes) != 2 {
		t.Fatalf("got coder %q, %d events, %d episodes", o.Coder, len(o.Events), len(o.Episodes))
	}
	// The open mark is gone, so the state ends where the file shows it:
	// at the video's end.
	last := o.Events[5]
	if last.Behavior != "cg_soothe" || last.Open || last.End != sec("320.5") {
		t.Errorf("open state came back as %+v", last)
	}
	if o.Events[4].Behavior != "distress" || len(o.Events[4].Modifiers) != 2 {
		t.Errorf("modifiers lost: %+v", o.Events[4])
	}
}
