package adopt

import (
	"archive/zip"
	"bytes"
	"testing"

	"dyadcode/annotate/datavyu"
)

func opf(t *testing.T) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range []string{"db", "project"} {
		w, err := zw.Create(e)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(mustRead(t, "../datavyu/testdata/ssp_"+e))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestAdoptDatavyu(t *testing.T) {
	data := opf(t)
	res, err := From("ssp.opf", data)
	if err != nil {
		t.Fatal(err)
	}
	s := res.Scheme
	var got []string
	for _, b := range s.Behaviors {
		got = append(got, b.Code+"="+string(b.Kind)+"["+joinMods(b.Modifiers)+"]")
	}
	same(t, "behaviours", got, []string{
		"childlook=state[mom|toy]",
		"crying=state[level=fuss|level=cry|cause=door]",
		"smile=point[big]",
		"empty=state[]",
	})
	contains(t, res.NotCarried,
		`ssp.opf: column "ChildLook": text argument "note" becomes the event's comment`,
		`column "Crying": its 2 coded arguments become one list of modifiers named argument=value`,
		`column "Crying": hidden in Datavyu`,
		`video "/Users/lab/ssp/baby7_side.mov": only the first viewer's video`)
	f, err := datavyu.ParseOPF("ssp.opf", data)
	if err != nil {
		t.Fatal(err)
	}
	trs, err := f.Read(s)
	if err != nil {
		t.Fatal(err)
	}
	if trs[0].Video != "/Users/lab/ssp/baby7.mov" {
		t.Errorf("video %q", trs[0].Video)
	}
	// The track offset of 0.5 s is subtracted: times are the video's.
	same(t, "CSV rows", roundTrip(t, s, trs), []string{
		"/childlook state 0.500000-2.000000 [mom] «looks up»",
		"/smile point 2.500000-2.500000 [big]",
		"/childlook state 3.700000-5.500000 [toy]",
		"/smile point 5.000000-5.000000",
		"/childlook state 8.500000-9.500000 «peeks, then hides»",
		"/crying state 59.500000-66.550000 [level=fuss|cause=door]",
		"/crying state 79.500000-89.500000 [level=cry|cause=door]",
	})
}

func joinMods(m []string) string {
	out := ""
	for i, x := range m {
		if i > 0 {
			out += "|"
		}
		out += x
	}
	return out
}
