package adopt

import (
	"os"
	"testing"
)

// FuzzFrom: whatever a file of any adoptable kind holds, adoption never
// panics and every scheme it returns is valid.
func FuzzFrom(f *testing.F) {
	seeds := map[string]string{
		".boris": "testdata/ssp.boris",
		".eaf":   "../eaf/testdata/elan30.eaf",
		".etf":   "../eaf/testdata/ssp_template.etf",
		".otx":   "../observer/testdata/ssp.otx",
	}
	exts := []string{".boris", ".eaf", ".etf", ".otx", ".otb", ".opf"}
	for i, ext := range exts {
		if p, ok := seeds[ext]; ok {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(uint8(i), b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, kind uint8, data []byte) {
		res, err := From("f"+exts[int(kind)%len(exts)], data)
		if err != nil {
			return
		}
		if err := res.Scheme.Validate(); err != nil {
			t.Fatalf("invalid adopted scheme: %v", err)
		}
	})
}
