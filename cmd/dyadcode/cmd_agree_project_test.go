// Tests of `dyadcode agree PROJECT.dyad` on real project files.

package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dyadcode/annotate"
	"dyadcode/store"
)

// agreeProjectFile makes a real project holding the demo video (60 s) and
// four observations of it: alice, ben, carol and alice again.
func agreeProjectFile(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	video := filepath.Join(dir, "session.mp4")
	src, err := os.Open(filepath.Join("..", "..", "assets", "demo", "session.mp4"))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.Create(video)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "study.dyad")
	p, err := store.Create(path, annotate.DefaultScheme())
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	v, err := p.AddVideo(annotate.Video{Path: video, Duration: annotate.MustSeconds("60")})
	if err != nil {
		t.Fatal(err)
	}
	v.Duration = annotate.MustSeconds("60")
	if err := p.UpdateVideo(v); err != nil {
		t.Fatal(err)
	}
	sec := annotate.MustSeconds
	for i, coder := range []string{"alice", "ben", "carol", "alice"} {
		smile := []string{"2", "2.2", "2.4", "5"}[i]
		o := &annotate.Observation{Coder: coder,
			Episodes: []annotate.EpisodeMark{{Name: "1 Introduction", Start: 0}, {Name: "2 Caregiver and child", Start: sec("30")}},
			Events: []annotate.Event{
				{ID: 1, Behavior: "explore", Subject: "child", Start: sec("10"), End: sec("40")},
				{ID: 2, Behavior: "smile", Subject: "child", Start: sec(smile), End: sec(smile)},
			},
			Ratings: []annotate.Rating{{Episode: "5 First reunion", Scale: "avoidance", Value: 2 + i%2}},
			NextID:  3,
		}
		if _, err := p.ImportObservation(v.ID, o); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

func TestAgreeProject(t *testing.T) {
	path := agreeProjectFile(t)
	t.Run("two coders by name, duration from the video", func(t *testing.T) {
		code, out, errs := runAgreeCmd(t, path, "--video", "session.mp4", "--coders", "ben,carol", "--format", "json")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		r := decodeAgree(t, out)
		if strings.Join(r.Params.Coders, ",") != "ben,carol" || r.Params.End != 60 || r.Params.NSlices != 600 {
			t.Errorf("params %+v", r.Params)
		}
		if e := r.Events.PerBehavior["child:smile"]; e.Agreements != 1 || !approx(e.MeanAbs, 0.2) {
			t.Errorf("smile %+v", e)
		}
		if k := r.PerBehavior["child:explore"]; k.N11 != 300 || k.Kappa == nil || *k.Kappa != 1 {
			t.Errorf("explore %+v", k)
		}
		if len(r.Episodes) != 2 {
			t.Errorf("episodes %+v", r.Episodes)
		}
	})
	t.Run("the same coder twice by observation ID", func(t *testing.T) {
		code, out, errs := runAgreeCmd(t, path, "--video", "session.mp4", "--coders", "1,4", "--format", "json")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		r := decodeAgree(t, out)
		if strings.Join(r.Params.Coders, ",") != "alice#1,alice#4" {
			t.Errorf("coders %v", r.Params.Coders)
		}
		if e := r.Events.PerBehavior["child:smile"]; e.Agreements != 0 || e.Omissions != 1 || e.Commissions != 1 {
			t.Errorf("smile %+v", e)
		}
	})
	t.Run("every observation of the video: Fleiss over four", func(t *testing.T) {
		code, out, errs := runAgreeCmd(t, path, "--video", "session.mp4", "--format", "json")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		r := decodeAgree(t, out)
		if r.Fleiss == nil || r.Fleiss.Coders != 4 || len(r.Params.Coders) != 4 {
			t.Errorf("fleiss %+v, coders %v", r.Fleiss, r.Params.Coders)
		}
	})
	t.Run("text report", func(t *testing.T) {
		code, out, errs := runAgreeCmd(t, path, "--video", "session.mp4", "--coders", "ben,carol")
		if code != 0 || !strings.Contains(out, "A (reference) = ben, B = carol") || !strings.Contains(out, "avoidance") {
			t.Errorf("exit %d, stderr %s, out:\n%s", code, errs, out)
		}
	})
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown coder", []string{"--video", "session.mp4", "--coders", "ben,dora"}, `no observation of`},
		{"coder who coded twice", []string{"--video", "session.mp4", "--coders", "alice,ben"}, "observations 1, 4"},
		{"unknown video", []string{"--video", "other.mp4"}, "other.mp4"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, errs := runAgreeCmd(t, append([]string{path}, c.args...)...)
			if code != 1 || !strings.Contains(errs, c.want) {
				t.Errorf("exit %d, stderr %q, want %q", code, errs, c.want)
			}
		})
	}
}
