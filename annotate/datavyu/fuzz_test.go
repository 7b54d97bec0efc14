package datavyu

import (
	"os"
	"testing"

	"dyadcode/annotate"
)

// FuzzParseDB: arbitrary spreadsheet text never panics, and what parses
// has cells in order and imports (under a scheme made of its columns)
// into valid observations.
func FuzzParseDB(f *testing.F) {
	if b, err := os.ReadFile("testdata/ssp_db"); err == nil {
		f.Add(b)
	}
	f.Add([]byte("#4\nA (MATRIX,true,)-x|NOMINAL,y|TEXT\n00:00:01:000,00:00:02:000,(a\\,b,c\\))\n"))
	f.Add([]byte("#4\nB (TEXT,false,)\n00:00:00:000,00:00:00:000,hello\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fl, err := ParseDB("f/db", data)
		if err != nil {
			return
		}
		s := &annotate.Scheme{}
		for i, c := range fl.Columns {
			for _, cell := range c.Cells {
				if cell.Offset < cell.Onset || cell.Onset < 0 {
					t.Fatalf("cell %+v out of order", cell)
				}
			}
			b := annotate.Behavior{Code: "c" + string(rune('a'+i%26)) + string(rune('a'+i/26%26)), Name: c.Name, Kind: annotate.State}
			for _, cell := range c.Cells {
				for ai, v := range cell.Values {
					if v != "" && ai < len(c.Args) && IsNominal(c.Args[ai]) {
						m := ModifierName(c, ai, v)
						dup := false
						for _, x := range b.Modifiers {
							dup = dup || x == m
						}
						if !dup {
							b.Modifiers = append(b.Modifiers, m)
						}
					}
				}
			}
			s.Behaviors = append(s.Behaviors, b)
		}
		if trs, err := fl.Read(s); err == nil {
			for _, tr := range trs {
				if err := tr.Obs.Validate(s); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
}

// FuzzParseOPF: arbitrary archives never panic.
func FuzzParseOPF(f *testing.F) {
	f.Add(fixture(f))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ParseOPF("f.opf", data)
	})
}
