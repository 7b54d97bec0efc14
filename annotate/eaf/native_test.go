package eaf

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"dyadcode/annotate"
)

// summarize renders events and marks as one comparable line each.
func summarize(tr annotate.Transfer) []string {
	var out []string
	for _, m := range tr.Obs.Episodes {
		out = append(out, fmt.Sprintf("episode %s @%s", m.Name, m.Start.Seconds()))
	}
	for _, e := range tr.Obs.Events {
		s := fmt.Sprintf("%s/%s %s-%s", e.Subject, e.Behavior, e.Start.Seconds(), e.End.Seconds())
		if len(e.Modifiers) > 0 {
			s += " [" + strings.Join(e.Modifiers, "|") + "]"
		}
		if e.Comment != "" {
			s += " «" + e.Comment + "»"
		}
		out = append(out, s)
	}
	return out
}

// The fixtures are laid out as ELAN 4.x–6.x writes EAF 2.7, 2.8 and 3.0:
// an Episodes tier with a Time_Subdivision child whose inner slots are
// unaligned, a CV-backed behaviour tier (in Dutch where the format has
// multilingual vocabularies), Symbolic_Association modifier and comment
// tiers, a comment on the modifier (a chain of two references), a
// Symbolic_Subdivision tier, three media with TIME_ORIGIN (the front
// camera at +2 s is the observation's video), and ELAN's empty "default".
func TestReadELANVersions(t *testing.T) {
	want := []string{
		"episode 5 First reunion @7.000000",
		"episode 6 Child alone @13.000000",
		// 5 s … 11 s subdivided in three: ELAN puts the two unaligned
		// slots at 7 s and 9 s; everything moves by TIME_ORIGIN 2 s.
		"child/explore 7.000000-9.000000",
		"child/eye_contact 9.000000-11.000000",
		"child/explore 11.000000-13.000000",
		"child/distress 14.000000-17.000000 [cry] «after the door closed / loud»",
		"child/smile 22.000000-22.000000",
		// Explores 24–30 s, subdivided symbolically in two halves.
		"child/explore 26.000000-32.000000",
		"child/smile 26.000000-26.000000",
		"child/vocalize 29.000000-29.000000",
		"caregiver/cg_leave 33.000000-33.000000",
	}
	for _, f := range []string{"elan27.eaf", "elan28.eaf", "elan30.eaf"} {
		t.Run(f, func(t *testing.T) {
			fh, err := os.Open("testdata/" + f)
			if err != nil {
				t.Fatal(err)
			}
			defer fh.Close()
			got, err := Read(fh, f, annotate.DefaultScheme())
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 {
				t.Fatalf("%d observations", len(got))
			}
			if got[0].Video != "/lab/ssp/baby7_front.mp4" || got[0].Obs.Coder != "RA1" {
				t.Errorf("video %q coder %q", got[0].Video, got[0].Obs.Coder)
			}
			if g := summarize(got[0]); strings.Join(g, "\n") != strings.Join(want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(g, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

func TestParseTemplate(t *testing.T) {
	fh, err := os.Open("testdata/ssp_template.etf")
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	d, err := Parse(fh, "ssp_template.etf")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Tiers) != 9 || len(d.Vocabularies) != 2 || d.Constraint(d.Tier("Child detail")) != "Symbolic_Subdivision" {
		t.Fatalf("tiers %d, vocabularies %d", len(d.Tiers), len(d.Vocabularies))
	}
	e, ok := d.TierCV(d.Tier("Child")).Entry("", "glimlach")
	if !ok || e.ID != "cve_smile" || e.Values[0].Value != "Smile" {
		t.Fatalf("entry %+v %v", e, ok)
	}
	_, err = d.Import(annotate.DefaultScheme(), nil)
	if !errors.Is(err, ErrUnknown) || !strings.Contains(err.Error(), "no tiers with coding") {
		t.Fatalf("import of a template: %v", err)
	}
}

func slots(vals ...string) string {
	var b strings.Builder
	b.WriteString("<TIME_ORDER>")
	for i, v := range vals {
		if v == "" {
			fmt.Fprintf(&b, `<TIME_SLOT TIME_SLOT_ID="t%d"/>`, i+1)
		} else {
			fmt.Fprintf(&b, `<TIME_SLOT TIME_SLOT_ID="t%d" TIME_VALUE="%s"/>`, i+1, v)
		}
	}
	b.WriteString("</TIME_ORDER>")
	return b.String()
}

func doc(timeOrder, tiers string) string {
	return `<ANNOTATION_DOCUMENT AUTHOR="" DATE="2025-01-01T00:00:00Z" FORMAT="3.0" VERSION="3.0">
<HEADER MEDIA_FILE="" TIME_UNITS="milliseconds"/>
` + timeOrder + "\n" + tiers + `
<LINGUISTIC_TYPE LINGUISTIC_TYPE_ID="lt" TIME_ALIGNABLE="true"/>
<LINGUISTIC_TYPE CONSTRAINTS="Time_Subdivision" LINGUISTIC_TYPE_ID="sub" TIME_ALIGNABLE="true"/>
<LINGUISTIC_TYPE CONSTRAINTS="Symbolic_Association" LINGUISTIC_TYPE_ID="assoc" TIME_ALIGNABLE="false"/>
<LINGUISTIC_TYPE CONSTRAINTS="Included_In" LINGUISTIC_TYPE_ID="incl" TIME_ALIGNABLE="true"/>
</ANNOTATION_DOCUMENT>`
}

func ref(id, to, value string) string {
	return `<ANNOTATION><REF_ANNOTATION ANNOTATION_ID="` + id + `" ANNOTATION_REF="` + to + `"><ANNOTATION_VALUE>` + value + `</ANNOTATION_VALUE></REF_ANNOTATION></ANNOTATION>`
}

func TestUnalignedInterpolation(t *testing.T) {
	cases := []struct {
		name  string
		slots []string
		tiers string
		want  map[string][2]annotate.Time // annotation -> start, end (ms)
	}{
		{"a run of three unaligned slots, ELAN's integer steps",
			[]string{"1000", "", "", "", "2001"},
			`<TIER LINGUISTIC_TYPE_REF="lt" TIER_ID="p">` + aligned("p1", "t1", "t5", "") + `</TIER>
<TIER LINGUISTIC_TYPE_REF="sub" PARENT_REF="p" TIER_ID="c">` + aligned("c1", "t1", "t2", "") + aligned("c2", "t2", "t3", "") + aligned("c3", "t3", "t4", "") + aligned("c4", "t4", "t5", "") + `</TIER>`,
			// (2001-1000)/4 = 250 in whole ms, as ELAN computes it.
			map[string][2]annotate.Time{"c1": {1000, 1250}, "c2": {1250, 1500}, "c3": {1500, 1750}, "c4": {1750, 2001}}},
		{"nested subdivisions: the parent's unaligned slot is placed first",
			[]string{"0", "", "", "1200"},
			`<TIER LINGUISTIC_TYPE_REF="lt" TIER_ID="p">` + aligned("p1", "t1", "t4", "") + `</TIER>
<TIER LINGUISTIC_TYPE_REF="sub" PARENT_REF="p" TIER_ID="c">` + aligned("c1", "t1", "t2", "") + aligned("c2", "t2", "t4", "") + `</TIER>
<TIER LINGUISTIC_TYPE_REF="sub" PARENT_REF="c" TIER_ID="g">` + aligned("g1", "t2", "t3", "") + aligned("g2", "t3", "t4", "") + `</TIER>`,
			map[string][2]annotate.Time{"c1": {0, 600}, "c2": {600, 1200}, "g1": {600, 900}, "g2": {900, 1200}}},
		{"an unaligned slot no chain reaches sits between its TIME_ORDER neighbours",
			[]string{"100", "", "500"},
			`<TIER LINGUISTIC_TYPE_REF="lt" TIER_ID="p">` + aligned("p1", "t1", "t3", "") + `</TIER>
<TIER LINGUISTIC_TYPE_REF="incl" PARENT_REF="p" TIER_ID="i">` + aligned("i1", "t2", "t3", "") + `</TIER>`,
			map[string][2]annotate.Time{"i1": {300, 500}}},
		{"symbolic association inherits, through a chain of references",
			[]string{"100", "500"},
			`<TIER LINGUISTIC_TYPE_REF="lt" TIER_ID="p">` + aligned("p1", "t1", "t2", "") + `</TIER>
<TIER LINGUISTIC_TYPE_REF="assoc" PARENT_REF="p" TIER_ID="a">` + ref("a1", "p1", "") + `</TIER>
<TIER LINGUISTIC_TYPE_REF="assoc" PARENT_REF="a" TIER_ID="b">` + ref("b1", "a1", "") + `</TIER>`,
			map[string][2]annotate.Time{"a1": {100, 500}, "b1": {100, 500}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := Parse(strings.NewReader(doc(slots(c.slots...), c.tiers)), "u.eaf")
			if err != nil {
				t.Fatal(err)
			}
			for id, w := range c.want {
				a := d.annIdx[id].a
				if a.Start != w[0]*annotate.Millisecond || a.End != w[1]*annotate.Millisecond {
					t.Errorf("%s: %d–%d µs, want %d–%d ms", id, a.Start, a.End, w[0], w[1])
				}
			}
		})
	}
}

func TestReferenceProblems(t *testing.T) {
	cases := []struct{ name, tiers, want string }{
		{"a loop of references",
			`<TIER LINGUISTIC_TYPE_REF="assoc" PARENT_REF="p" TIER_ID="a">` + ref("r1", "r2", "x") + ref("r2", "r3", "y") + ref("r3", "r1", "z") + `</TIER>
<TIER LINGUISTIC_TYPE_REF="lt" TIER_ID="p"/>`,
			`c.eaf:4: malformed EAF: reference annotations r1 → r2 → r3 → r1 refer to each other in a loop`},
		{"a reference to nothing",
			`<TIER LINGUISTIC_TYPE_REF="lt" TIER_ID="p"/><TIER LINGUISTIC_TYPE_REF="assoc" PARENT_REF="p" TIER_ID="a">` + ref("r1", "gone", "x") + `</TIER>`,
			`refers to annotation "gone", which does not exist`},
		{"tiers that are each other's parent",
			`<TIER LINGUISTIC_TYPE_REF="assoc" PARENT_REF="b" TIER_ID="a"/><TIER LINGUISTIC_TYPE_REF="assoc" PARENT_REF="a" TIER_ID="b"/>`,
			`tiers "a" → "b" are each other's parents`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Read(strings.NewReader(doc(slots("0"), c.tiers)), "c.eaf", annotate.DefaultScheme())
			if err == nil || got != nil || !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
		})
	}
}

// Each annotator of an ELAN file is an observation whose ID is the
// annotator, so `dyadcode import --observation RA2` picks one.
func TestAnnotatorIsObservationID(t *testing.T) {
	d := native(`<TIER ANNOTATOR="RA1" LINGUISTIC_TYPE_REF="lt" TIER_ID="smile R1">` + aligned("a1", "ts1", "ts2", "smile") + `</TIER>
<TIER ANNOTATOR="RA2" LINGUISTIC_TYPE_REF="lt" TIER_ID="smile R2">` + aligned("a2", "ts3", "ts4", "smile") + `</TIER>`)
	got, err := Read(strings.NewReader(d), "n.eaf", annotate.DefaultScheme())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Obs.ID != "RA1" || got[1].Obs.ID != "RA2" {
		t.Fatalf("IDs %q %q", got[0].Obs.ID, got[1].Obs.ID)
	}
}
