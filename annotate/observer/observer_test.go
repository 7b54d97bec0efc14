package observer

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"dyadcode/annotate"
)

func TestParseScheme(t *testing.T) {
	data, err := os.ReadFile("testdata/ssp.otx")
	if err != nil {
		t.Fatal(err)
	}
	s, err := ParseScheme("ssp.otx", data)
	if err != nil {
		t.Fatal(err)
	}
	if s.Project != "SSP Observer pilot" || len(s.Behaviors) != 5 || len(s.Groups) != 2 || !s.Groups[0].Exclusive || s.Groups[1].Exclusive {
		t.Fatalf("%+v", s)
	}
	touch := s.Behaviors[3]
	if touch.Name != "Touch" || touch.State || !touch.Inferred || strings.Join(touch.ModifierGroups, ",") != "40,30" {
		t.Errorf("touch %+v", touch)
	}
	if m, _ := s.Modifier("40"); strings.Join(m.Values, ",") != "hand,face" {
		t.Errorf("modifier group %+v", m)
	}
	if s.Behaviors[4].Name != "Reach & grab" {
		t.Errorf("entity in a name: %q", s.Behaviors[4].Name)
	}
}

func TestParseSchemeErrors(t *testing.T) {
	var two bytes.Buffer
	zw := zip.NewWriter(&two)
	for _, n := range []string{"a.otx", "b.otx"} {
		w, _ := zw.Create(n)
		w.Write([]byte("<x/>"))
	}
	zw.Close()
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"s.otb", two.Bytes(), "holds one .otx document, this one 2 entries"},
		{"old.otb", []byte("\x00\x01NOLDUS binary"), "not the zip archive of an .otx document, the only .otb layout publicly described"},
		{"s.otx", []byte("<OTX><CDS_BEHAVIOR>"), "s.otx:1: malformed Observer XT file"},
		{"s.otx", []byte(""), "no XML element"},
		{"s.otx", []byte("<OTX><CDS_BEHAVIOR><CDS_ELE_NAME>&undefined;</CDS_ELE_NAME></CDS_BEHAVIOR></OTX>"), "malformed"},
	}
	for _, c := range cases {
		if _, err := ParseScheme(c.name, c.data); !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %q: got %v", c.name, c.data, err)
		}
	}
}

func scheme() *annotate.Scheme {
	return &annotate.Scheme{Subjects: []annotate.Subject{{Code: "infant", Name: "Infant"}, {Code: "mother", Name: "Mother"}},
		Behaviors: []annotate.Behavior{
			{Code: "crying", Name: "Crying", Kind: annotate.State, Modifiers: []string{"low", "high"}},
			{Code: "touch", Name: "Touch", Kind: annotate.Point, Modifiers: []string{"hand", "face", "low", "high"}},
			{Code: "holding", Name: "Holding", Kind: annotate.State},
		}}
}

func TestReadEventsErrors(t *testing.T) {
	head := "Observation;Time_Relative_sf;Subject;Behavior;Modifier_1;Event_Type;Comment\n"
	cases := []struct{ doc, want string }{
		{"Observation,Behavior\n", `no "time_relative_sf" column`},
		{head + "o;1.0;Infant;Laugh;;Point;\n", `e.txt:2: unknown behaviour "Laugh"`},
		{head + "o;1.0;Baby;Touch;;Point;\n", `unknown subject "Baby"`},
		{head + "o;1.0;Infant;Touch;foot;Point;\n", `unknown modifier "foot" of "touch"`},
		{head + "o;x;Infant;Touch;;Point;\n", `Time_Relative_sf "x"`},
		{head + "o;1.0;Infant;Crying;;State stop;\n", "State stop of \"crying\" without a State start"},
		{head + "o;1.0;Infant;Touch;;State start;\n", `"touch" is a point in the scheme but a state in Observer`},
		{head + "o;1.0;Infant;Touch;;Mark;\n", `Event_Type "Mark"`},
		{head, "a header but no events"},
	}
	for _, c := range cases {
		_, err := ReadEvents(strings.NewReader(c.doc), "e.txt", scheme())
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want %q", c.doc, err, c.want)
		}
	}
}
