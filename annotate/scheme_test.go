package annotate

import (
	"errors"
	"strings"
	"testing"
)

func TestDefaultScheme(t *testing.T) {
	s := DefaultScheme()
	if len(s.Episodes) != 8 {
		t.Fatalf("%d episodes, want the 8 of the Strange Situation", len(s.Episodes))
	}
	for i, name := range []string{"1 Introduction", "2 Caregiver and child", "3 Stranger joins", "4 First separation",
		"5 First reunion", "6 Child alone", "7 Stranger returns", "8 Second reunion"} {
		if s.Episodes[i].Name != name {
			t.Errorf("episode %d = %q, want %q", i+1, s.Episodes[i].Name, name)
		}
	}
	want := map[string]Kind{
		"approach": Point, "explore": State, "check_back": Point, "seek_comfort": Point,
		"distress": State, "smile": Point, "vocalize": Point, "eye_contact": State,
		"cg_leave": Point, "cg_return": Point, "cg_soothe": State,
	}
	for code, kind := range want {
		b, ok := s.Behavior(code)
		if !ok || b.Kind != kind {
			t.Errorf("behavior %s: %+v, %v; want kind %s", code, b, ok, kind)
		}
	}
	if got := s.SubjectCodes(); strings.Join(got, ",") != "child,caregiver,stranger" {
		t.Errorf("subjects %v", got)
	}
	tgt, ok := s.ForKey("D")
	if !ok || tgt.Behavior == nil || tgt.Behavior.Code != "distress" {
		t.Errorf("key D -> %+v", tgt)
	}
	tgt, ok = s.ForKey("5")
	if !ok || tgt.Episode == nil || tgt.Episode.Name != "5 First reunion" {
		t.Errorf("key 5 -> %+v", tgt)
	}
}

func TestSchemeValidateNamesEveryProblem(t *testing.T) {
	s := &Scheme{
		Subjects: []Subject{{Code: "child"}, {Code: "child"}, {Code: "Bad Code"}},
		Behaviors: []Behavior{
			{Code: "smile", Subject: "child", Kind: Point, Key: "s"},
			{Code: "smile", Subject: "child", Kind: Point, Key: "m"},
			{Code: "cry", Subject: "ghost", Kind: State, Key: "S"},
			{Code: "look", Kind: "sometimes", Key: "space"},
			{Code: "wave", Kind: Point, Group: "g", Color: "red"},
		},
		Episodes: []EpisodeDef{{Name: "A", Key: "m"}, {Name: "A"}},
		Ratings:  []RatingScale{{Code: "r", Min: 7, Max: 1, Episodes: []string{"Z"}}},
	}
	err := s.Validate()
	if !errors.Is(err, ErrInvalidScheme) {
		t.Fatalf("err = %v", err)
	}
	for _, frag := range []string{
		`subject "child" is defined twice`,
		`code "Bad Code"`,
		`behavior code "smile" is defined twice`,
		`unknown subject "ghost"`,
		`key "S" is already used by behavior "smile"`,
		`kind "sometimes"`,
		`key "space" is not a single character`,
		`only states can be in an exclusive group`,
		`colour "red"`,
		`episode "A": key "m" is already used`,
		`episode "A" is defined twice`,
		`min 7 must be below max 1`,
		`unknown episode "Z"`,
	} {
		if !strings.Contains(err.Error(), frag) {
			t.Errorf("validation does not mention %q:\n%v", frag, err)
		}
	}
}

func TestParseSchemeRefusesUnknownFields(t *testing.T) {
	_, err := ParseScheme([]byte(`{"name":"x","behaviours":[]}`))
	if !errors.Is(err, ErrInvalidScheme) || !strings.Contains(err.Error(), "behaviours") {
		t.Fatalf("err = %v", err)
	}
}

func TestSchemeJSONRoundTrip(t *testing.T) {
	s := DefaultScheme()
	data, err := s.MarshalIndent()
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseScheme(data)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := back.MarshalIndent()
	if string(again) != string(data) {
		t.Error("scheme JSON does not round-trip")
	}
	c := s.Clone()
	c.Behaviors[0].Name = "changed"
	if s.Behaviors[0].Name == "changed" {
		t.Error("Clone shares memory with the original")
	}
}

func TestRatingAnchors(t *testing.T) {
	s := DefaultScheme()
	for _, r := range s.Ratings {
		for _, v := range []int{1, 3, 5, 7} {
			if r.Anchor(v) == "" {
				t.Errorf("%s: no description of %d", r.Code, v)
			}
		}
		if r.Anchor(4) != "" {
			t.Errorf("%s: 4 described, Ainsworth's scales describe the odd points", r.Code)
		}
	}
	s.Ratings[0].Anchors = append(s.Ratings[0].Anchors, RatingAnchor{Value: 9, Text: "x"}, RatingAnchor{Value: 7, Text: " "})
	err := s.Validate()
	for _, want := range []string{"anchor 9 is outside 1–7", "anchor 7 described twice"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate = %v, want %q", err, want)
		}
	}
}
