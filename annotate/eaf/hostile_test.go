package eaf

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"dyadcode/annotate"
)

// Hostile files get a clear error naming the file, quickly, without
// growing memory.
func TestHostileEAF(t *testing.T) {
	many := `<ANNOTATION_DOCUMENT><HEADER ` + strings.Repeat(`a="1" `, 0) + `/>`
	var attrs strings.Builder
	for i := 0; i < 100; i++ {
		attrs.WriteString(` A` + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + `="1"`)
	}
	cases := []struct{ name, doc, want string }{
		{"entity bomb", `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<ANNOTATION_DOCUMENT><HEADER/><TIME_ORDER/><TIER TIER_ID="&lol3;"/></ANNOTATION_DOCUMENT>`, "h.eaf:3: malformed EAF"},
		{"external entity", `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><ANNOTATION_DOCUMENT><HEADER/><TIER TIER_ID="&x;"/></ANNOTATION_DOCUMENT>`, "malformed EAF"},
		{"many attributes", `<ANNOTATION_DOCUMENT><HEADER` + attrs.String() + `/></ANNOTATION_DOCUMENT>`, "attributes (at most 64 are read)"},
		{"deep nesting", `<ANNOTATION_DOCUMENT>` + strings.Repeat("<x>", 100) + strings.Repeat("</x>", 100) + `</ANNOTATION_DOCUMENT>`, "nested deeper than 64"},
		{"huge time value", native(`<TIER LINGUISTIC_TYPE_REF="lt" TIER_ID="smile">` + aligned("a1", "ts1", "ts2", "") + `</TIER>`), ""},
		{"huge time origin", strings.Replace(native(""), `<HEADER MEDIA_FILE="" TIME_UNITS="milliseconds"/>`, `<HEADER TIME_UNITS="milliseconds"><MEDIA_DESCRIPTOR MEDIA_URL="file:///a.mp4" MIME_TYPE="video/mp4" TIME_ORIGIN="99999999999999999999"/></HEADER>`, 1), `TIME_ORIGIN "99999999999999999999"`},
		{"not EAF", `<html/>`, "root element is <html>"},
		{"binary", "\x00\x01\x02", "malformed EAF"},
		{"start tag only", many, "never closed"},
	}
	cases[4].doc = strings.Replace(cases[4].doc, `TIME_VALUE="2000"`, `TIME_VALUE="184467440737095516160"`, 1)
	cases[4].want = `TIME_VALUE "184467440737095516160" is not a whole number of milliseconds`
	for _, c := range cases {
		got, err := Read(strings.NewReader(c.doc), "h.eaf", annotate.DefaultScheme())
		if err == nil || got != nil || !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "h.eaf") {
			t.Errorf("%s: got %v", c.name, err)
		}
	}
}

// A file beyond the size bound fails with an error, not an endless read.
func TestHugeFileRefused(t *testing.T) {
	_, err := parseTreeN(&zeroes{}, "big.eaf", 1<<16)
	if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "big.eaf") || !strings.Contains(err.Error(), "MiB an EAF file may have") {
		t.Fatalf("got %v", err)
	}
}

// zeroes is an endless supply of whitespace inside a comment.
type zeroes struct{ done int }

func (z *zeroes) Read(p []byte) (int, error) {
	if z.done == 0 && len(p) >= 4 {
		copy(p, "<!--")
		z.done = 4
		return 4, nil
	}
	for i := range p {
		p[i] = ' '
	}
	z.done += len(p)
	return len(p), nil
}

// FuzzParse feeds arbitrary bytes to the document reader and the
// importer: no panic, and a parsed document has every annotation placed
// in order.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"elan27.eaf", "elan28.eaf", "elan30.eaf", "ssp_template.etf"} {
		if b, err := os.ReadFile("testdata/" + name); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(doc(slots("0", "", "", "90"), `<TIER LINGUISTIC_TYPE_REF="lt" TIER_ID="p">`+aligned("p1", "t1", "t4", "")+`</TIER><TIER LINGUISTIC_TYPE_REF="sub" PARENT_REF="p" TIER_ID="c">`+aligned("c1", "t1", "t2", "smile")+aligned("c2", "t2", "t3", "")+aligned("c3", "t3", "t4", "")+`</TIER>`)))
	s := annotate.DefaultScheme()
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse(bytes.NewReader(data), "fuzz.eaf")
		if err != nil {
			return
		}
		for _, tr := range d.Tiers {
			for _, a := range tr.Anns {
				if a.Start < 0 || a.End < a.Start {
					t.Fatalf("annotation %s placed at %d–%d", a.ID, a.Start, a.End)
				}
			}
		}
		d.Suggest(s, nil)
		if got, err := d.Import(s, nil); err == nil {
			for _, g := range got {
				if err := g.Obs.Validate(s); err != nil {
					t.Fatalf("imported an invalid observation: %v", err)
				}
			}
		}
	})
}

func FuzzParseMapping(f *testing.F) {
	f.Add([]byte(`{"tiers": [{"tier": "Baby gaze", "role": "values", "subject": "child"}]}`))
	f.Add([]byte("tier,role,behavior,subject\nMum,behavior,smile,caregiver\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseMapping(bytes.NewReader(data), "m.json")
		if err != nil {
			return
		}
		var b bytes.Buffer
		if err := m.WriteJSON(&b); err != nil {
			t.Fatal(err)
		}
		again, err := ParseMapping(&b, "again.json")
		if err != nil || len(again.Tiers) != len(m.Tiers) {
			t.Fatalf("a mapping does not read back: %v", err)
		}
	})
}
