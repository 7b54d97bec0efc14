package app

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dyadcode/annotate"
	"dyadcode/media/mediatest"
	"dyadcode/store"
)

// newProject makes an empty project in a fresh folder and returns it open
// with the folder.
func newProject(t *testing.T) (*store.Project, string) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "study.dyad")
	if err := CreateProject(path, nil); err != nil {
		t.Fatal(err)
	}
	p, err := OpenProject(path, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p, dir
}

func write(t *testing.T, path string, data []byte) string {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestAddVideoRules: the rules of adding a video that the window and the
// command line share, on real files: a real H.264 MP4 made by ffmpeg, its
// first 64 bytes (a damaged video), a text file, an empty file, a folder and
// a project.
func TestAddVideoRules(t *testing.T) {
	p, dir := newProject(t)
	video := mediatest.Copy(t, mediatest.NoAudio, dir, "session.mp4")
	data, err := os.ReadFile(video)
	if err != nil {
		t.Fatal(err)
	}
	head := write(t, filepath.Join(dir, "head.mp4"), data[:64])
	text := write(t, filepath.Join(dir, "notes.mp4"), []byte("this is not a video\n"))
	empty := write(t, filepath.Join(dir, "empty.mp4"), nil)
	other := filepath.Join(dir, "other.dyad")
	if err := CreateProject(other, nil); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, path string
		want       error
		msg        string
	}{
		{"project", other, ErrProjectNotVideo, "other.dyad is a dyadcode project"},
		{"itself", p.Path(), ErrProjectNotVideo, "study.dyad is a dyadcode project"},
		{"folder", dir, ErrNotRegular, "is not a regular file"},
		{"text", text, ErrNotCodable, "not a media file"},
		{"empty", empty, ErrNotCodable, "(0 bytes)"},
		{"missing", filepath.Join(dir, "gone.mp4"), os.ErrNotExist, "gone.mp4"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := AddVideo(p, Media{}, c.path)
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("AddVideo(%s) = %v; want %v saying %q", c.path, err, c.want, c.msg)
			}
			if vs, _ := p.Videos(); len(vs) != 0 {
				t.Errorf("a refused file was recorded: %+v", vs)
			}
		})
	}

	a, err := AddVideo(p, Media{}, head)
	if err != nil || !a.New || a.Warning == nil || !strings.Contains(a.Warning.Error(), "head.mp4") || a.Video.Duration != 0 {
		t.Fatalf("damaged video: %+v, %v; want recorded with a warning naming it", a, err)
	}

	a, err = AddVideo(p, Media{}, video)
	if err != nil || !a.New || a.Warning != nil {
		t.Fatalf("good video: %+v, %v", a, err)
	}
	if a.Video.Frames != 75 || a.Video.Rate != (annotate.Rate{Num: 25, Den: 1}) || a.Video.Duration != 3*annotate.Second {
		t.Errorf("probed %d frames at %v, %s s; want 75 at 25/1, 3 s", a.Video.Frames, a.Video.Rate, a.Video.Duration.Seconds())
	}
	again, err := AddVideo(p, Media{}, video)
	if err != nil || again.New || again.Video.ID != a.Video.ID {
		t.Errorf("the same video again: %+v, %v; want the known %s", again, err, a.Video.ID)
	}
}

// TestAddVideoReprobesAndRelocates: a known video whose timing is unknown
// (added without a prober) is probed when added again, and one whose file
// moved is pointed at its new place.
func TestAddVideoReprobesAndRelocates(t *testing.T) {
	p, dir := newProject(t)
	video := mediatest.Copy(t, mediatest.NoAudio, dir, "session.mp4")
	a, err := AddVideo(p, nil, video)
	if err != nil || a.Video.Duration != 0 {
		t.Fatalf("without a prober: %+v, %v", a, err)
	}
	moved := filepath.Join(dir, "renamed.mp4")
	if err := os.Rename(video, moved); err != nil {
		t.Fatal(err)
	}
	b, err := AddVideo(p, Media{}, moved)
	if err != nil || b.New || b.MovedFrom != a.Video.Path || b.Video.Frames != 75 {
		t.Fatalf("again after the move: %+v, %v; want v1 moved and probed", b, err)
	}
	stored, err := p.Video(a.Video.ID)
	if err != nil || stored.Path != moved || stored.Frames != 75 {
		t.Errorf("stored %+v, %v; want %s with 75 frames", stored, err, moved)
	}

	// Relocate finds a video by content in a folder, and names what is
	// still missing.
	sub := filepath.Join(dir, "drive")
	os.Mkdir(sub, 0o755)
	if err := os.Rename(moved, filepath.Join(sub, "x.mp4")); err != nil {
		t.Fatal(err)
	}
	res, err := Relocate(p, sub)
	if err != nil || len(res.Found) != 1 || len(res.Missing) != 0 {
		t.Fatalf("Relocate: %+v, %v", res, err)
	}
	if _, err := Relocate(p, p.Path()); !errors.Is(err, ErrNotFolder) {
		t.Errorf("Relocate onto a file: %v", err)
	}
}

// TestOutputChecks: no output (export, report, frame) replaces a project
// or a video, whatever the name says, and the file keeps every byte; other
// files are replaced whole.
func TestOutputChecks(t *testing.T) {
	p, dir := newProject(t)
	mp4 := mediatest.Copy(t, mediatest.NoAudio, dir, "session.mp4")
	mkv := mediatest.Copy(t, mediatest.VP9WebM, dir, "clip.csv") // a WebM named like a CSV
	avi := mediatest.Copy(t, mediatest.MPEG4AVI, dir, "clip.avi")
	ts := mediatest.Copy(t, mediatest.MPEGTS, dir, "clip.ts")
	old := write(t, filepath.Join(dir, "old.csv"), []byte("old\n"))
	p.Close()
	for _, c := range []struct {
		path string
		want error
	}{
		{p.Path(), ErrOutputIsProject},
		{mp4, ErrOutputIsVideo},
		{mkv, ErrOutputIsVideo},
		{avi, ErrOutputIsVideo},
		{ts, ErrOutputIsVideo},
		{old, nil},
		{filepath.Join(dir, "new.csv"), nil},
	} {
		before, _ := os.ReadFile(c.path)
		err := WriteFile(c.path, func(w io.Writer) error { _, err := w.Write([]byte("a,b\n")); return err })
		after, _ := os.ReadFile(c.path)
		switch {
		case c.want != nil:
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.path) {
				t.Errorf("WriteFile(%s) = %v; want %v naming the file", c.path, err, c.want)
			}
			if !bytes.Equal(before, after) {
				t.Errorf("refused WriteFile changed %s", c.path)
			}
		case err != nil || string(after) != "a,b\n":
			t.Errorf("WriteFile(%s) = %v, wrote %q", c.path, err, after)
		}
	}
}

// TestExportCSVRefusesProject: the window's CSV export goes through the
// same checks: exporting onto the project itself is refused and the
// project is unchanged.
func TestExportCSVRefusesProject(t *testing.T) {
	p, dir := newProject(t)
	if _, err := AddVideo(p, Media{}, mediatest.Copy(t, mediatest.NoAudio, dir, "session.mp4")); err != nil {
		t.Fatal(err)
	}
	if _, err := p.NewObservation("v1", "alice"); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(p.Path())
	if _, err := ExportCSV(p, p.Path(), nil); !errors.Is(err, ErrOutputIsProject) {
		t.Errorf("ExportCSV onto the project: %v", err)
	}
	if after, _ := os.ReadFile(p.Path()); !bytes.Equal(before, after) {
		t.Error("the refused export changed the project")
	}
	out := filepath.Join(dir, "study.csv")
	if n, err := ExportCSV(p, out, nil); err != nil || n != 1 {
		t.Errorf("ExportCSV: %d, %v", n, err)
	}
}

// TestObservationFor: one observation per coder and video, resumed when
// asked again; a coder's name is required and trimmed.
func TestObservationFor(t *testing.T) {
	p, dir := newProject(t)
	if _, err := AddVideo(p, Media{}, mediatest.Copy(t, mediatest.NoAudio, dir, "session.mp4")); err != nil {
		t.Fatal(err)
	}
	id, created, err := ObservationFor(p, "session.mp4", " alice ")
	if err != nil || !created {
		t.Fatalf("first: %s, %v, %v", id, created, err)
	}
	again, created, err := ObservationFor(p, "v1", "alice")
	if err != nil || created || again != id {
		t.Errorf("again: %s, %v, %v; want %s resumed", again, created, err, id)
	}
	if _, _, err := ObservationFor(p, "session.mp4", "  "); !errors.Is(err, ErrNoCoder) {
		t.Errorf("no coder: %v", err)
	}
	if _, _, err := ObservationFor(p, "missing.mp4", "alice"); !errors.Is(err, store.ErrNotFound) || !strings.Contains(err.Error(), "missing.mp4") {
		t.Errorf("no such video: %v", err)
	}
}
