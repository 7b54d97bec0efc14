package adopt

import (
	"bytes"
	"strings"
	"testing"

	"dyadcode/annotate"
	"dyadcode/annotate/eaf"
)

// ELAN files of each version, as ELAN lays them out (see the eaf
// package's fixtures): adopt the tiers, import the same file with the
// mapping adoption gives, export CSV.
func TestAdoptELAN(t *testing.T) {
	want := []string{
		"/5 First reunion episode 7.000000-13.000000",
		"baby_7/explore state 7.000000-9.000000",
		"baby_7/eye_contact state 9.000000-11.000000",
		"baby_7/explores state 11.000000-13.000000",
		"/6 Child alone episode 13.000000-",
		"baby_7/distressed_crying state 14.000000-17.000000 [cry] «after the door closed / loud»",
		"baby_7/smile point 22.000000-22.000000",
		"baby_7/explores state 26.000000-32.000000",
		"baby_7/smile point 26.000000-26.000000",
		// The second half of Explores 26–32 s, symbolically subdivided.
		"baby_7/vocalization state 29.000000-32.000000",
		"mother/caregiver_leaves point 33.000000-33.000000",
	}
	for _, f := range []string{"elan27.eaf", "elan28.eaf", "elan30.eaf"} {
		t.Run(f, func(t *testing.T) {
			path := "../eaf/testdata/" + f
			data := mustRead(t, path)
			res, err := From(path, data)
			if err != nil {
				t.Fatal(err)
			}
			s := res.Scheme
			var codes []string
			for _, b := range s.Behaviors {
				codes = append(codes, b.Code+":"+string(b.Kind)+":"+b.Subject)
			}
			if got := strings.Join(codes, " "); got != "explore:state:baby_7 eye_contact:state:baby_7 explores:state:baby_7 distressed_crying:state:baby_7 smile:point:baby_7 vocalization:state:baby_7 caregiver_leaves:point:mother" {
				t.Errorf("behaviours %s", got)
			}
			if d, _ := s.Behavior("distressed_crying"); strings.Join(d.Modifiers, ",") != "fuss,cry" || d.Name != "Distressed / crying" {
				t.Errorf("distress %+v", d)
			}
			if len(s.Episodes) != 2 || s.Episodes[1].Name != "6 Child alone" {
				t.Errorf("episodes %+v", s.Episodes)
			}
			contains(t, res.NotCarried, `tier "default": ELAN's empty default tier`,
				`linked media "/lab/ssp/baby7_side.mp4" (video/mp4): an observation is of one video, /lab/ssp/baby7_front.mp4`,
				`linked media "/lab/ssp/baby7_front.wav" (audio/x-wav)`)
			if f != "elan27.eaf" {
				contains(t, res.NotCarried, `vocabulary "child-behaviours": entry names in nld are not kept (the scheme uses eng)`)
			}
			trs, err := eaf.ReadMapped(bytes.NewReader(data), path, s, res.Mapping)
			if err != nil {
				t.Fatal(err)
			}
			got := roundTrip(t, s, trs)
			same(t, "CSV rows", got, want)
		})
	}
}

func TestAdoptELANTemplate(t *testing.T) {
	res, err := FromFile("../eaf/testdata/ssp_template.etf")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range res.Scheme.Behaviors {
		got = append(got, b.Name+"="+string(b.Kind))
	}
	// Without annotations every value is a state; tiers with neither
	// vocabulary nor values are one behaviour each.
	if strings.Join(got, ", ") != "Child gaze=state, Distressed / crying=state, Smile=state, Explores=state, Child detail=state, Mum=state" {
		t.Errorf("behaviours %s", strings.Join(got, ", "))
	}
	if d, _ := res.Scheme.FindBehavior("Smile"); strings.Join(d.Modifiers, ",") != "fuss,cry" || d.Key == "" {
		t.Errorf("smile %+v", d)
	}
	roles := map[string]eaf.Role{}
	for _, tr := range res.Mapping.Tiers {
		roles[tr.Tier] = tr.Role
	}
	if roles["Child gaze"] != eaf.RoleBehavior || roles["Child modifiers"] != eaf.RoleModifiers || roles["Modifier notes"] != eaf.RoleComment || roles["default"] != eaf.RoleIgnore {
		t.Errorf("roles %v", roles)
	}
	if err := res.Scheme.Validate(); err != nil {
		t.Fatal(err)
	}
	_ = annotate.Point
}

// After adopting, the same file imports without its mapping too: a
// vocabulary child tier named for nothing ("Intensity") is recognised by
// its values being modifiers.
func TestAdoptedELANImportsWithoutMapping(t *testing.T) {
	path := "../eaf/testdata/elan30.eaf"
	data := []byte(strings.ReplaceAll(string(mustRead(t, path)), `TIER_ID="Child modifiers"`, `TIER_ID="Intensity"`))
	data = []byte(strings.ReplaceAll(string(data), `PARENT_REF="Child modifiers"`, `PARENT_REF="Intensity"`))
	res, err := From("renamed.eaf", data)
	if err != nil {
		t.Fatal(err)
	}
	withMap, err := eaf.ReadMapped(bytes.NewReader(data), "renamed.eaf", res.Scheme, res.Mapping)
	if err != nil {
		t.Fatal(err)
	}
	without, err := eaf.Read(bytes.NewReader(data), "renamed.eaf", res.Scheme)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "with and without the mapping", roundTrip(t, res.Scheme, without), roundTrip(t, res.Scheme, withMap))
}
