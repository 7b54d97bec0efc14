package adopt

import (
	"archive/zip"
	"bytes"
	"errors"
	"strings"
	"testing"

	"dyadcode/annotate/observer"
)

func TestAdoptObserver(t *testing.T) {
	otx := mustRead(t, "../observer/testdata/ssp.otx")
	// .otb is the same document zipped, as Observer XT saves it.
	var otb bytes.Buffer
	zw := zip.NewWriter(&otb)
	w, _ := zw.Create("ssp.otx")
	w.Write(otx)
	zw.Close()
	for name, data := range map[string][]byte{"ssp.otx": otx, "ssp.otb": otb.Bytes()} {
		t.Run(name, func(t *testing.T) {
			res, err := From(name, data)
			if err != nil {
				t.Fatal(err)
			}
			s := res.Scheme
			var got []string
			for _, b := range s.Behaviors {
				got = append(got, b.Code+"="+string(b.Kind)+" key="+b.Key+" group="+b.Group+" ["+joinMods(b.Modifiers)+"]")
			}
			same(t, "behaviours", got, []string{
				"crying=state key=c group=affect [low|high]",
				"content=state key=n group=affect []",
				"holding=state key=h group= []",
				"touch=point key=t group= [hand|face|low|high]",
				"reach_grab=point key= group= []",
			})
			if s.Name != "SSP Observer pilot" || len(s.Subjects) != 2 || s.Subjects[0].Name != "Infant" {
				t.Errorf("name %q subjects %+v", s.Name, s.Subjects)
			}
			contains(t, res.NotCarried,
				name+`: subject "Infant": key "i"`,
				`behaviour "Holding": stop key "x"`,
				`behaviour "Reach & grab": key "Ctrl+R" is not a single character`,
				`behaviour "Touch": modifier groups Body part, Intensity become one list`,
				`modifier group "Intensity": key "1"`,
				`behaviour group "Contact"`,
				`decided from stop keys and mutually exclusive groups: Crying=state, Content=state, Holding=state, Touch=point, Reach & grab=point`,
				`independent variable "Age group" (TEXT)`)
			// Observer's event export of the same scheme imports with no
			// unknown behaviour.
			trs, err := observer.ReadEvents(bytes.NewReader(mustRead(t, "../observer/testdata/ssp_events.txt")), "ssp_events.txt", s)
			if err != nil {
				t.Fatal(err)
			}
			same(t, "CSV rows", roundTrip(t, s, trs), []string{
				"infant/crying state 2.500000-6.500000 [high] «after door»",
				"mother/touch point 3.000000-3.000000 [hand|low]",
				`mother/holding state 7.250000- «picks up, "gently"»`,
			})
		})
	}
}

func TestObserverHostile(t *testing.T) {
	bomb := `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<OTX><CDS_BEHAVIOR><CDS_ELE_NAME>&lol3;</CDS_ELE_NAME><CDS_ELE_PARENT_NAME>g</CDS_ELE_PARENT_NAME></CDS_BEHAVIOR></OTX>`
	_, err := From("bomb.otx", []byte(bomb))
	if !errors.Is(err, observer.ErrMalformed) || !strings.Contains(err.Error(), "bomb.otx:3") {
		t.Fatalf("entity bomb: %v", err)
	}
	_, err = From("empty.otx", []byte(`<OTX/>`))
	if !errors.Is(err, observer.ErrMalformed) || !strings.Contains(err.Error(), "no behaviours") {
		t.Fatalf("no behaviours: %v", err)
	}
}
