package adopt

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"dyadcode/annotate"
	"dyadcode/annotate/csvio"
)

func TestCode(t *testing.T) {
	for in, want := range map[string]string{
		"Approach (mother)": "approach_mother",
		"Smile":             "smile",
		"  eye-contact ":    "eye_contact",
		"2 Hands":           "b_2_hands",
		"Überraschung":      "berraschung",
		"???":               "behavior",
	} {
		if got := Code(in, "b_", "behavior"); got != want {
			t.Errorf("Code(%q) = %q, want %q", in, got, want)
		}
	}
}

// roundTrip exports the transfers through csvio, as a lab would after
// importing, and renders each row as "subject/behavior kind start-end
// [modifiers] «comment»" so every event, modifier and comment is checked
// with its time.
func roundTrip(t *testing.T, s *annotate.Scheme, trs []annotate.Transfer) []string {
	t.Helper()
	var buf bytes.Buffer
	if err := csvio.Write(&buf, trs, s); err != nil {
		t.Fatalf("CSV export: %v", err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range recs[1:] {
		// project,video,observation,coder,subject,behavior,kind,start_s,end_s,duration_s,episode,modifiers,comment
		line := fmt.Sprintf("%s/%s %s %s-%s", r[4], r[5], r[6], r[7], r[8])
		if r[11] != "" {
			line += " [" + r[11] + "]"
		}
		if r[12] != "" {
			line += " «" + r[12] + "»"
		}
		out = append(out, line)
	}
	return out
}

func same(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\ngot\n  %s\nwant\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func contains(t *testing.T, lost []string, wants ...string) {
	t.Helper()
	all := strings.Join(lost, "\n")
	for _, w := range wants {
		if !strings.Contains(all, w) {
			t.Errorf("not-carried list lacks %q:\n%s", w, all)
		}
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestFromRefusesOtherFiles(t *testing.T) {
	_, err := From("scheme.json", []byte("{}"))
	if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "scheme.json") {
		t.Fatalf("got %v", err)
	}
}

// A project that adopts a BORIS ethogram keeps its Strange Situation
// episodes and ratings; episode keys an adopted behaviour took are freed.
func TestInto(t *testing.T) {
	res, err := FromFile("testdata/ssp.boris")
	if err != nil {
		t.Fatal(err)
	}
	cur := annotate.DefaultScheme()
	cur.Episodes[0].Key = "a" // the adopted "Approach (mother)" has key a
	cur.Measures = []byte(`[{"name": "soothing_latency", "from": "distress", "to": "cg_soothe"}]`)
	s := Into(cur, res)
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if len(s.Episodes) != len(cur.Episodes) || len(s.Ratings) != len(cur.Ratings) || s.Episodes[0].Key != "" || len(s.Behaviors) != 7 {
		t.Fatalf("episodes %+v ratings %+v", s.Episodes, s.Ratings)
	}
	contains(t, res.NotCarried, `episode "1 Introduction": key "a" is an adopted behaviour's`, "derived measures name its own behaviours and are not kept")
	if len(s.Measures) != 0 {
		t.Error("derived measures of the old behaviours kept")
	}
	// ELAN brings its own episodes: the current ones it lacks are named.
	el, err := FromFile("../eaf/testdata/elan30.eaf")
	if err != nil {
		t.Fatal(err)
	}
	s = Into(cur, el)
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	contains(t, el.NotCarried, `episode "7 Stranger returns" of the current scheme is not in the adopted one`)
}
