package datavyu

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"dyadcode/annotate"
)

// BuildOPF zips entries as Datavyu does (db and project at the root).
func BuildOPF(t testing.TB, entries map[string][]byte) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"db", "project"} {
		if b, ok := entries[name]; ok {
			w, err := zw.Create(name)
			if err != nil {
				t.Fatal(err)
			}
			w.Write(b)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func fixture(t testing.TB) []byte {
	db, err := os.ReadFile("testdata/ssp_db")
	if err != nil {
		t.Fatal(err)
	}
	pr, err := os.ReadFile("testdata/ssp_project")
	if err != nil {
		t.Fatal(err)
	}
	return BuildOPF(t, map[string][]byte{"db": db, "project": pr})
}

func TestParseOPF(t *testing.T) {
	f, err := ParseOPF("ssp.opf", fixture(t))
	if err != nil {
		t.Fatal(err)
	}
	if f.Version != "#4" || len(f.Columns) != 4 || f.Video != "/Users/lab/ssp/baby7.mov" || f.Offset != 500*annotate.Millisecond ||
		len(f.OtherVideos) != 1 {
		t.Fatalf("%+v", f)
	}
	look := f.Columns[0]
	if look.Name != "ChildLook" || len(look.Args) != 2 || look.Args[1] != (Arg{Name: "note", Type: "TEXT"}) || len(look.Cells) != 3 {
		t.Fatalf("ChildLook %+v", look)
	}
	// Escaped comma inside a value, and the <target> placeholder is empty.
	if c := look.Cells[2]; c.Values[0] != "" || c.Values[1] != "peeks, then hides" || c.Onset != 9*annotate.Second {
		t.Errorf("cell %+v", c)
	}
	if f.Columns[1].Visible || f.Columns[2].Args[0].Type != "NOMINAL" {
		t.Errorf("columns %+v", f.Columns)
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct{ name, db, want string }{
		{"cell before any column", "#4\n00:00:01:000,00:00:02:000,(a)\n", `x/db:2: "00:00:01:000,00:00:02:000,(a)" is neither a column header nor a cell`},
		{"bad time", "#4\nA (MATRIX,true,)-c|NOMINAL\n00:00:01,00:00:02:000,(a)\n", `x/db:3: column "A": onset: "00:00:01" is not hours`},
		{"offset before onset", "#4\nA (MATRIX,true,)-c|NOMINAL\n00:00:05:000,00:00:02:000,(a)\n", "offset 00:00:02:000 is before onset"},
		{"huge hours", "#4\nA (MATRIX,true,)-c|NOMINAL\n99999999999:00:00:000,99999999999:00:00:000,(a)\n", "is not hours"},
		{"too many values", "#4\nA (MATRIX,true,)-c|NOMINAL\n00:00:01:000,00:00:02:000,(a,b)\n", "2 values for 1 arguments"},
		{"not datavyu", "hello\n", "neither a column header nor a cell"},
	}
	for _, c := range cases {
		_, err := ParseOPF("x", BuildOPF(t, map[string][]byte{"db": []byte(c.db)}))
		if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v", c.name, err)
		}
	}
	if _, err := ParseOPF("y.opf", []byte("PK not really")); !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "y.opf") {
		t.Errorf("not a zip: %v", err)
	}
	if _, err := ParseOPF("z.opf", BuildOPF(t, map[string][]byte{"project": []byte("!project\n")})); err == nil || !strings.Contains(err.Error(), `no "db"`) {
		t.Errorf("no db: %v", err)
	}
}

// A zip bomb: an entry that unpacks far beyond the limit is refused,
// naming the file, without unpacking it all.
func TestZipBomb(t *testing.T) {
	// testdata/bomb.opf: one "db" entry of 300 MiB of zeros, 300 KiB zipped.
	data, err := os.ReadFile("testdata/bomb.opf")
	if err != nil {
		t.Fatal(err)
	}
	_, err = ParseOPF("bomb.opf", data)
	if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "bomb.opf") || !strings.Contains(err.Error(), "zip bomb") {
		t.Fatalf("got %v", err)
	}
}

func TestReadUnknownColumns(t *testing.T) {
	f, err := ParseOPF("ssp.opf", fixture(t))
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.Read(annotate.DefaultScheme())
	if !errors.Is(err, ErrUnknown) || !strings.Contains(err.Error(), `ssp.opf:2: column "ChildLook" is not a behaviour of the scheme`) {
		t.Fatalf("got %v", err)
	}
	// The column without cells is not a problem.
	if strings.Contains(err.Error(), `"Empty"`) {
		t.Errorf("empty column reported: %v", err)
	}
}
