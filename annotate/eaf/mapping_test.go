package eaf

import (
	"errors"
	"os"
	"strings"
	"testing"

	"dyadcode/annotate"
)

// A tier nothing recognises is the one question import asks; a mapping
// file answers it, in JSON or CSV.
func TestMappingAnswersTheAmbiguousTier(t *testing.T) {
	s := annotate.DefaultScheme()
	file := doc(slots("1000", "2000", "3000", "4000"),
		`<TIER LINGUISTIC_TYPE_REF="lt" PARTICIPANT="Baby 7" TIER_ID="Gaze RA1">`+aligned("a1", "t1", "t2", "yes")+aligned("a2", "t3", "t4", "")+`</TIER>
<TIER LINGUISTIC_TYPE_REF="assoc" PARENT_REF="Gaze RA1" TIER_ID="Quality">`+ref("q1", "a1", "brief")+`</TIER>
<TIER LINGUISTIC_TYPE_REF="lt" TIER_ID="Transcript">`+aligned("w1", "t1", "t4", "mama")+`</TIER>`)
	d, err := Parse(strings.NewReader(file), "m.eaf")
	if err != nil {
		t.Fatal(err)
	}
	sg := d.Suggest(s, nil)
	var ambiguous []string
	for _, x := range sg {
		if x.Ambiguous {
			ambiguous = append(ambiguous, x.Tier)
		}
	}
	if strings.Join(ambiguous, ",") != "Gaze RA1,Quality,Transcript" {
		t.Errorf("ambiguous %q", ambiguous)
	}
	if _, err := d.Import(s, nil); !errors.Is(err, ErrUnknown) || !strings.Contains(err.Error(), `m.eaf:4: tier "Gaze RA1" matches no behaviour`) {
		t.Fatalf("without a mapping: %v", err)
	}
	for name, text := range map[string]string{
		"map.json": `{"tiers": [
			{"tier": "Gaze RA1", "role": "behavior", "behavior": "Eye contact with caregiver", "subject": "Child"},
			{"tier": "Quality", "role": "comment"},
			{"tier": "Transcript", "role": "ignore"}]}`,
		"map.csv": "tier,role,behavior,subject\nGaze RA1,behavior,eye_contact,child\nQuality,comment,,\nTranscript,ignore\n",
	} {
		m, err := ParseMapping(strings.NewReader(text), name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		// "yes" is neither the behaviour nor a modifier of it: still asked.
		if _, err := d.Import(s, m); err == nil || !strings.Contains(err.Error(), `value "yes" is neither "eye_contact" nor modifiers of it`) {
			t.Fatalf("%s: %v", name, err)
		}
	}
	d2, _ := Parse(strings.NewReader(strings.Replace(file, ">yes<", "><", 1)), "m.eaf")
	m, _ := ParseMapping(strings.NewReader("tier,role,behavior,subject\nGaze RA1,behavior,eye_contact,child\nQuality,comment,,\nTranscript,ignore\n"), "map.csv")
	got, err := d2.Import(s, m)
	if err != nil {
		t.Fatal(err)
	}
	if g := summarize(got[0]); strings.Join(g, "; ") != "child/eye_contact 1.000000-2.000000 «brief»; child/eye_contact 3.000000-4.000000" {
		t.Errorf("got %q", g)
	}
}

func TestParseMappingErrors(t *testing.T) {
	cases := []struct{ text, want string }{
		{`{"tiers": [{"tier": "a", "role": "behaviour"}]}`, `entry 1 (tier "a"): invalid tier mapping: role "behaviour" is not behavior, values`},
		{`{"tiers": [{"tier": "a", "role": "behavior"}]}`, "role behavior needs a behavior"},
		{`{"tiers": [{"tier": "a", "role": "ignore"}, {"tier": "a", "role": "ignore"}]}`, "tier listed twice"},
		{`{"tiers": [], "extra": 1}`, `unknown field "extra"`},
		{"name,what\na,b\n", "the header needs a tier and a role column"},
	}
	for _, c := range cases {
		if _, err := ParseMapping(strings.NewReader(c.text), "bad.map"); !errors.Is(err, ErrMapping) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "bad.map") {
			t.Errorf("%q: got %v", c.text, err)
		}
	}
	// Checked against the file and the scheme at import.
	b, _ := os.ReadFile("testdata/elan30.eaf")
	d, err := Parse(strings.NewReader(string(b)), "elan30.eaf")
	if err != nil {
		t.Fatal(err)
	}
	m, _ := ParseMapping(strings.NewReader(`{"tiers": [{"tier": "Nope", "role": "ignore"}, {"tier": "Child", "role": "values", "subject": "martian"}, {"tier": "Mum", "role": "comment"}]}`), "x.json")
	_, err = d.Import(annotate.DefaultScheme(), m)
	for _, want := range []string{`tier "Nope"): invalid tier mapping: the file has no such tier`, `subject "martian" is not in the scheme`, `a comment tier must be a child tier`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want %q in %v", want, err)
		}
	}
}
