package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dyadcode/annotate"
	"dyadcode/store"
)

func TestScheme(t *testing.T) {
	dir, proj, _, _ := twoCoders(t)

	show := cliOK(t, "scheme", proj)
	for _, w := range []string{"Strange Situation (Ainsworth)", "subjects: child, caregiver, stranger", "KEY", "distress", "fuss|cry|scream", "[group affect]", "5 First reunion", "proximity_seeking"} {
		if !strings.Contains(show, w) {
			t.Errorf("scheme listing lacks %q", w)
		}
	}

	// --export writes what the project holds, readable by --scheme and --import.
	file := filepath.Join(dir, "scheme.json")
	cliOK(t, "scheme", proj, "--export", file)
	want, _ := annotate.DefaultScheme().MarshalIndent()
	if got := fileBytes(t, file); !bytes.Equal(got, want) {
		t.Errorf("exported scheme differs from the default:\n%s", got)
	}
	if got := cliOK(t, "scheme", proj, "--export", "-"); got != string(want) {
		t.Error("--export - differs from the file")
	}

	// Adding a behaviour is fine.
	s := annotate.DefaultScheme()
	s.Name = "Strange Situation + gaze"
	s.Behaviors = append(s.Behaviors, annotate.Behavior{Code: "gaze_stranger", Name: "Looks at stranger", Subject: "child", Kind: annotate.State, Key: "g", Color: "#123456"})
	added := filepath.Join(dir, "added.json")
	data, _ := s.MarshalIndent()
	os.WriteFile(added, data, 0o644)
	if out := cliOK(t, "scheme", proj, "--import", added); !strings.Contains(out, `"Strange Situation + gaze" (14 behaviours`) {
		t.Errorf("import said %q", out)
	}
	p, err := store.Open(proj, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := p.Scheme().Behavior("gaze_stranger"); !ok {
		t.Error("imported scheme not stored")
	}
	p.Close()

	// Removing a code in use, or an invalid scheme, changes nothing.
	s.Behaviors = s.Behaviors[1:] // drops approach, which the observations use
	removed := filepath.Join(dir, "removed.json")
	data, _ = s.MarshalIndent()
	os.WriteFile(removed, data, 0o644)
	invalid := filepath.Join(dir, "invalid.json")
	os.WriteFile(invalid, []byte(`{"name":"x","subjects":[],"behaviors":[{"code":"A b","kind":"point"}],"episodes":[]}`), 0o644)
	// smile made a state while the observations hold smile points.
	ps := annotate.DefaultScheme()
	for i := range ps.Behaviors {
		if ps.Behaviors[i].Code == "smile" {
			ps.Behaviors[i].Kind = annotate.State
		}
	}
	pointToState := filepath.Join(dir, "smile-state.json")
	data, _ = ps.MarshalIndent()
	os.WriteFile(pointToState, data, 0o644)
	unknownField := filepath.Join(dir, "typo.json")
	os.WriteFile(unknownField, []byte(`{"name":"x","behaviours":[]}`), 0o644)
	before := fileBytes(t, proj)
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"scheme", proj, "--import", removed}, 1, "would break coded data:\napproach: behaviour removed, but 4 events code it (carol, dan)"},
		{[]string{"scheme", proj, "--import", pointToState}, 1, "would break coded data:\nsmile: point → state"},
		{[]string{"scheme", proj, "--undo", "--import", added}, 2, "--undo alone"},
		{[]string{"scheme", proj, "--import", invalid}, 1, `invalid.json: invalid coding scheme: behavior 1: code "A b"`},
		{[]string{"scheme", proj, "--import", unknownField}, 1, `unknown field "behaviours"`},
		{[]string{"scheme", proj, "--import", filepath.Join(dir, "none.json")}, 1, "none.json"},
		{[]string{"scheme", proj, "--import", added, "--export", file}, 2, "not both"},
		{[]string{"scheme"}, 2, "need one project"},
	} {
		code, _, errs := cli(t, c.args...)
		if code != c.code || !strings.Contains(errs, c.msg) {
			t.Errorf("%v: exit %d, stderr %q; want %d with %q", c.args, code, errs, c.code, c.msg)
		}
	}
	if !bytes.Equal(fileBytes(t, proj), before) {
		t.Error("a refused scheme import changed the project")
	}

	// --undo puts back the scheme the import replaced; a second --undo has
	// nothing left to put back.
	if out := cliOK(t, "scheme", proj, "--undo"); !strings.Contains(out, `"Strange Situation (Ainsworth)" again (13 behaviours`) {
		t.Errorf("undo said %q", out)
	}
	if got := cliOK(t, "scheme", proj, "--export", "-"); got != string(want) {
		t.Errorf("after --undo the scheme is not the default again:\n%s", got)
	}
	if code, _, errs := cli(t, "scheme", proj, "--undo"); code != 1 || errs == "" {
		t.Errorf("a second --undo: exit %d, stderr %q; want 1 saying there is nothing to undo", code, errs)
	}
}
