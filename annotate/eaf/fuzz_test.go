package eaf

import (
	"bytes"
	"os"
	"testing"

	"dyadcode/annotate"
)

// FuzzRead feeds arbitrary bytes to the importer: it must never panic, and
// whatever it accepts must export, re-import and re-export identically.
func FuzzRead(f *testing.F) {
	s := annotate.DefaultScheme()
	if native, err := os.ReadFile("testdata/elan_native.eaf"); err == nil {
		f.Add(native)
	}
	var b bytes.Buffer
	if err := Write(&b, []annotate.Transfer{sample()}, s); err == nil {
		f.Add(b.Bytes())
	}
	f.Add([]byte(`<ANNOTATION_DOCUMENT><HEADER/><TIME_ORDER/></ANNOTATION_DOCUMENT>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Read(bytes.NewReader(data), "fuzz.eaf", s)
		if err != nil {
			if got != nil {
				t.Fatalf("returned transfers with error %v", err)
			}
			return
		}
		var one bytes.Buffer
		if err := Write(&one, got, s); err != nil {
			t.Fatalf("accepted input does not export: %v", err)
		}
		again, err := Read(bytes.NewReader(one.Bytes()), "again.eaf", s)
		if err != nil {
			t.Fatalf("own export does not import: %v\n%s", err, one.Bytes())
		}
		var two bytes.Buffer
		if err := Write(&two, again, s); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(one.Bytes(), two.Bytes()) {
			t.Fatalf("export → import → export differs:\n%s\n---\n%s", one.Bytes(), two.Bytes())
		}
	})
}
