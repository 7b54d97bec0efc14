package app

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dyadcode/annotate"
	"dyadcode/annotate/eaf"
)

func TestAdoptScheme(t *testing.T) {
	// With no current scheme the bundled Strange Situation episodes stay.
	s, lost, err := AdoptScheme("../annotate/adopt/testdata/ssp.boris", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Episodes) != len(annotate.DefaultScheme().Episodes) || len(s.Behaviors) != 7 || len(lost) == 0 {
		t.Fatalf("episodes %d behaviours %d lost %d", len(s.Episodes), len(s.Behaviors), len(lost))
	}
	if _, _, err := AdoptScheme("scheme.json", nil); err == nil || !strings.Contains(err.Error(), "scheme.json") {
		t.Errorf("not a tool's file: %v", err)
	}
}

func TestELANTiersAndMapping(t *testing.T) {
	sugs, err := ELANTiers("../annotate/eaf/testdata/elan30.eaf", annotate.DefaultScheme())
	if err != nil {
		t.Fatal(err)
	}
	ambiguous := func(sugs []eaf.Suggestion) (n int) {
		for _, sg := range sugs {
			if sg.Ambiguous {
				n++
			}
		}
		return n
	}
	// The fixture's tiers all say something to the Strange Situation
	// scheme (its Dutch vocabulary values included).
	if len(sugs) != 9 || ambiguous(sugs) != 0 {
		t.Errorf("%d tiers, %d ambiguous", len(sugs), ambiguous(sugs))
	}
	dir := t.TempDir()
	odd := filepath.Join(dir, "odd.eaf")
	os.WriteFile(odd, []byte(`<ANNOTATION_DOCUMENT><HEADER/><TIME_ORDER><TIME_SLOT TIME_SLOT_ID="t1" TIME_VALUE="0"/><TIME_SLOT TIME_SLOT_ID="t2" TIME_VALUE="5"/></TIME_ORDER>`+
		`<TIER LINGUISTIC_TYPE_REF="lt" TIER_ID="Gaze RA1"><ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a1" TIME_SLOT_REF1="t1" TIME_SLOT_REF2="t2"><ANNOTATION_VALUE>yes</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION></TIER></ANNOTATION_DOCUMENT>`), 0o644)
	if sugs, err := ELANTiers(odd, annotate.DefaultScheme()); err != nil || ambiguous(sugs) != 1 || sugs[0].Values[0] != "yes" {
		t.Errorf("odd tier: %+v %v", sugs, err)
	}
	bad := filepath.Join(dir, "map.json")
	os.WriteFile(bad, []byte(`{"tiers": [{"tier": "x", "role": "sideways"}]}`), 0o644)
	if _, err := ReadMapping(bad); !errors.Is(err, eaf.ErrMapping) || !strings.Contains(err.Error(), "map.json") {
		t.Errorf("bad mapping: %v", err)
	}
	if _, err := ReadMapping(filepath.Join(dir, "none.csv")); err == nil || !strings.Contains(err.Error(), "none.csv") {
		t.Errorf("missing mapping: %v", err)
	}
}

func TestFormatsIncludeMigrationReaders(t *testing.T) {
	for _, c := range []struct{ name, path, want string }{
		{"", "x.opf", "datavyu"},
		{"observer", "events.txt", "observer"},
	} {
		f, err := FormatFor(c.name, c.path)
		if err != nil || f.Name != c.want || f.Read == nil {
			t.Errorf("%q %q: %v %v", c.name, c.path, f, err)
		}
	}
}
