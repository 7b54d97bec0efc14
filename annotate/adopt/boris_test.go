package adopt

import (
	"bytes"
	"os"
	"testing"

	"dyadcode/annotate"
	"dyadcode/annotate/boris"
)

func TestAdoptBORIS(t *testing.T) {
	const file = "testdata/ssp.boris"
	res, err := FromFile(file)
	if err != nil {
		t.Fatal(err)
	}
	s := res.Scheme
	want := map[string]annotate.Behavior{
		"approach_mother": {Code: "approach_mother", Name: "Approach (mother)", Kind: annotate.Point, Key: "a", Color: "#1a2b3c", Description: "moves towards the mother"},
		"cry":             {Code: "cry", Name: "Cry", Kind: annotate.State, Key: "c", Modifiers: []string{"fuss", "cry"}},
		"play":            {Code: "play", Name: "Play", Kind: annotate.State, Key: "p", Modifiers: []string{"ball", "doll", "3"}},
		"look":            {Code: "look", Name: "Look", Kind: annotate.State},
		"sleep":           {Code: "sleep", Name: "Sleep", Kind: annotate.State, Key: "s", Group: "exclusive_1"},
		"awake":           {Code: "awake", Name: "Awake", Kind: annotate.State, Key: "w", Group: "exclusive_1"},
		"wave":            {Code: "wave", Name: "Wave", Kind: annotate.Point},
	}
	if len(s.Behaviors) != len(want) || len(s.Subjects) != 2 || s.Subjects[0] != (annotate.Subject{Code: "baby", Name: "Baby"}) {
		t.Fatalf("behaviours %+v subjects %+v", s.Behaviors, s.Subjects)
	}
	for _, b := range s.Behaviors {
		w := want[b.Code]
		if w.Color == "" {
			w.Color = b.Color // from the palette
		}
		if b.Code != w.Code || b.Name != w.Name || b.Kind != w.Kind || b.Key != w.Key || b.Color != w.Color || b.Group != w.Group ||
			b.Description != w.Description || len(b.Modifiers) != len(w.Modifiers) {
			t.Errorf("behaviour %q:\n got %+v\nwant %+v", b.Code, b, w)
			continue
		}
		for i := range b.Modifiers {
			if b.Modifiers[i] != w.Modifiers[i] {
				t.Errorf("behaviour %q: modifiers %q, want %q", b.Code, b.Modifiers, w.Modifiers)
			}
		}
	}
	contains(t, res.NotCarried,
		`testdata/ssp.boris: subject "Baby": key "1"`,
		`subject "Mother": description "primary caregiver"`,
		`behaviour "Look": key "A" is already behaviour "Approach (mother)"'s`,
		`behaviour "Wave": key "F13" is not a single character`,
		`behaviour "Cry": modifier "fuss"'s key "f"`,
		`behaviour "Play": numeric or external-data modifier sets become the fixed list of values the project uses (3)`,
		`behaviour "Play": modifier sets "toy" (multiple choice), "count" (numeric) become one list`,
		`behavioural category "affect" of Cry`,
		`exclusions among Cry, Play, Look: not every pair excludes the other (Play–Look do not)`,
		`exclusion of "Wave" and "Sleep": only states`,
		`independent variable "age" (text)`,
	)
	// The project's own observation imports with no unknown behaviour,
	// and exports to CSV with every event, modifier and comment.
	rep, err := boris.ReadReport(bytes.NewReader(mustRead(t, file)), file, s)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "CSV rows", roundTrip(t, s, rep.Transfers), []string{
		"baby/approach_mother point 1.000000-1.000000",
		"baby/cry state 2.000000-5.500000 [fuss] «calmed by mother»",
		"baby/play state 6.000000-9.000000 [ball|doll|3] «first toy»",
		"mother/look state 10.000000-",
		"baby/sleep state 11.000000-12.500000",
		"/wave point 13.250000-13.250000 «bye»",
	})
	contains(t, rep.NotCarried, `player 2's media side.mp4 (offset 1.5 s)`, `independent variables age=12m`)
}

// BORIS's own test project: adopting its ethogram is enough to import
// every observation.
func TestAdoptBORISReference(t *testing.T) {
	const path = "../../../shared/reference/boris/test.boris"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("reference project not present: %v", err)
	}
	res, err := From(path, data)
	if err != nil {
		t.Fatal(err)
	}
	trs, err := boris.Read(bytes.NewReader(data), path, res.Scheme)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, tr := range trs {
		n += len(tr.Obs.Events)
	}
	rows := roundTrip(t, res.Scheme, trs)
	if n == 0 || len(rows) != n {
		t.Fatalf("%d events, %d CSV rows", n, len(rows))
	}
	contains(t, res.NotCarried, `independent variable "c" (value from set: 111,222,333)`)
}
