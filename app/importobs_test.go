package app

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dyadcode/media/mediatest"
)

const csvHeader = "project,video,observation,coder,subject,behavior,kind,start_s,end_s,duration_s,episode,modifiers,comment\n"

// TestImportRules: what Import refuses before writing anything (the
// project file keeps every byte and no video is added), the choices it
// leaves to the caller as sentinel errors, and a good import.
func TestImportRules(t *testing.T) {
	p, dir := newProject(t)
	video := mediatest.Copy(t, mediatest.NoAudio, dir, "session.mp4") // 3 s
	write := func(name, rows string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(csvHeader+rows), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	good := write("good.csv", "study,session.mp4,1,carol,child,smile,point,1.000000,1.000000,0.000000,,,\n")
	noCoder := write("nocoder.csv", "study,session.mp4,1,,child,smile,point,1.000000,1.000000,0.000000,,,\n")
	noVideo := write("novideo.csv", "study,,1,carol,child,smile,point,1.000000,1.000000,0.000000,,,\n")
	two := write("two.csv", "study,session.mp4,1,carol,child,smile,point,1.000000,1.000000,0.000000,,,\n"+
		"study,session.mp4,2,dan,child,smile,point,1.500000,1.500000,0.000000,,,\n")
	unknown := write("unknown.csv", "study,session.mp4,1,carol,child,giggle,point,1.000000,1.000000,0.000000,,,\n")
	late := write("late.csv", "study,session.mp4,1,carol,child,smile,point,9.000000,9.000000,0.000000,,,\n")
	sdis := filepath.Join(dir, "out.sds")
	for _, c := range []struct {
		name string
		req  ImportRequest
		want error  // a sentinel, or nil for "refused with msg"
		msg  string // in the error
	}{
		{"no coder", ImportRequest{File: noCoder, Video: video}, ErrNeedCoder, "nocoder.csv"},
		{"no video", ImportRequest{File: noVideo, Coder: "carol"}, ErrNeedVideo, "novideo.csv"},
		{"several observations", ImportRequest{File: two, Video: video}, ErrPickObservation, "1 (carol), 2 (dan)"},
		{"export-only format", ImportRequest{File: sdis, Video: video}, ErrExportOnly, "sdis"},
		{"unknown behaviour", ImportRequest{File: unknown, Video: video}, nil, "giggle"},
		{"past the video's end", ImportRequest{File: late, Video: video}, nil, "after the end of"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before, _ := os.ReadFile(p.Path())
			_, err := Import(p, Media{}, c.req)
			if err == nil || (c.want != nil && !errors.Is(err, c.want)) || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("Import = %v; want %v saying %q", err, c.want, c.msg)
			}
			if after, _ := os.ReadFile(p.Path()); !bytes.Equal(before, after) {
				t.Error("a refused import changed the project file")
			}
			if obs, _ := p.Observations(); len(obs) != 0 {
				t.Errorf("a refused import stored %d observations", len(obs))
			}
			if vs, _ := p.Videos(); len(vs) != 0 {
				t.Errorf("a refused import recorded the video: %+v", vs)
			}
		})
	}
	res, err := Import(p, Media{}, ImportRequest{File: two, Video: video, Pick: "2"})
	if err != nil || res.Obs.Coder != "dan" || len(res.Obs.Events) != 1 || res.Video.Frames != 75 {
		t.Fatalf("pick 2: %+v, %v", res, err)
	}
	res, err = Import(p, Media{}, ImportRequest{File: good, Coder: "erin", Video: "session.mp4"})
	if err != nil || res.Obs.Coder != "erin" || res.AddedVideo {
		t.Fatalf("good: %+v, %v", res, err)
	}
}
