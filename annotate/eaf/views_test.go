package eaf

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"dyadcode/annotate"
)

// A session exports every view as a MEDIA_DESCRIPTOR; ELAN's TIME_ORIGIN
// (media time = annotation time + origin) is minus the view's offset, the
// primary stays first (the media the observation is of), the file stays
// valid EAF 3.0 and reads back with session times.
func TestExportViews(t *testing.T) {
	s := annotate.DefaultScheme()
	tr := sample()
	tr.Views = []annotate.ViewFile{
		{Video: "side camera.mkv", Offset: sec("-1.25")},
		{Video: "/lab/door.mp4", Offset: sec("2.0004")},
	}
	data := write(t, []annotate.Transfer{tr}, s)
	doc, err := Parse(bytes.NewReader(data), "views.eaf")
	if err != nil {
		t.Fatal(err)
	}
	var got []Media
	for _, m := range doc.Media {
		got = append(got, Media{Relative: m.Relative, Origin: m.Origin, MIME: m.MIME})
	}
	want := []Media{
		{Relative: "./session%20one.mp4", MIME: "video/mp4"},
		{Relative: "./side%20camera.mkv", MIME: "video/*", Origin: sec("1.25")},
		{Relative: "./door.mp4", MIME: "video/mp4", Origin: sec("-2")},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("media %+v\nwant %+v", got, want)
	}
	if doc.PrimaryMedia() != 0 {
		t.Fatalf("primary media %d", doc.PrimaryMedia())
	}
	back, err := Read(bytes.NewReader(data), "views.eaf", s)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back[0].Obs.Events[0].Start, tr.Obs.Events[0].Start) {
		t.Fatalf("times moved: %v", back[0].Obs.Events[0])
	}
	p := filepath.Join(t.TempDir(), "views.eaf")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	xmllint(t, xsdPath(t), p)
}
