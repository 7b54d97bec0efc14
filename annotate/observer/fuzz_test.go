package observer

import (
	"bytes"
	"os"
	"testing"
)

// FuzzParseScheme: arbitrary .otx/.otb bytes never panic, and a parsed
// scheme has named behaviours.
func FuzzParseScheme(f *testing.F) {
	if b, err := os.ReadFile("testdata/ssp.otx"); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`<OTX><CDS_BEHAVIOR><CDS_ELE_NAME>g</CDS_ELE_NAME></CDS_BEHAVIOR><CDS_BEHAVIOR><CDS_ELE_ID>1</CDS_ELE_ID><CDS_ELE_NAME>a</CDS_ELE_NAME><CDS_ELE_PARENT_NAME>g</CDS_ELE_PARENT_NAME></CDS_BEHAVIOR></OTX>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseScheme("f.otx", data)
		if err != nil {
			return
		}
		for _, b := range s.Behaviors {
			if b.Name == "" {
				t.Fatal("a behaviour without a name")
			}
		}
	})
}

// FuzzReadEvents: arbitrary event exports never panic, and accepted ones
// are valid under the scheme.
func FuzzReadEvents(f *testing.F) {
	if b, err := os.ReadFile("testdata/ssp_events.txt"); err == nil {
		f.Add(b)
	}
	f.Add([]byte("Observation;Time_Relative_sf;Subject;Behavior;Modifier_1;Event_Type\no;1;Infant;Crying;low;State start\no;2;Infant;Crying;;State stop\n"))
	s := scheme()
	f.Fuzz(func(t *testing.T, data []byte) {
		trs, err := ReadEvents(bytes.NewReader(data), "f.txt", s)
		if err != nil {
			return
		}
		for _, tr := range trs {
			if err := tr.Obs.Validate(s); err != nil {
				t.Fatal(err)
			}
		}
	})
}
