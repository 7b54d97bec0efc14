package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"dyadcode/annotate"
	"dyadcode/store"
)

// cli runs `dyadcode args...` in-process.
func cli(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &cmdEnv{stdin: strings.NewReader(""), stdout: &out, stderr: &errb})
	return code, out.String(), errb.String()
}

// cliOK runs a command that must succeed and returns its stdout.
func cliOK(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errs := cli(t, args...)
	if code != 0 {
		t.Fatalf("dyadcode %s: exit %d\nstderr: %s", strings.Join(args, " "), code, errs)
	}
	return out
}

// makeVideo writes a real H.264 video of the given length with the ffmpeg
// CLI; seed varies the picture so two videos have different content.
func makeVideo(t *testing.T, dir, name string, seconds, seed int) string {
	t.Helper()
	path := filepath.Join(dir, name)
	src := fmt.Sprintf("testsrc=duration=%d:size=64x48:rate=25,drawbox=x=%d:y=0:w=4:h=4:color=red:t=fill", seconds, seed%60)
	if out, err := exec.Command("ffmpeg", "-v", "error", "-f", "lavfi", "-i", src, "-pix_fmt", "yuv420p", "-y", path).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v\n%s", err, out)
	}
	return path
}

func fileBytes(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestNew(t *testing.T) {
	dir := t.TempDir()
	custom := annotate.DefaultScheme()
	custom.Name = "Reunion only"
	custom.Behaviors = custom.Behaviors[:3]
	data, err := custom.MarshalIndent()
	if err != nil {
		t.Fatal(err)
	}
	schemeFile := filepath.Join(dir, "reunion.json")
	badScheme := filepath.Join(dir, "bad.json")
	os.WriteFile(schemeFile, data, 0o644)
	os.WriteFile(badScheme, []byte(`{"name":"x","subjects":[{"code":"child"}],"behaviors":[{"code":"a","kind":"point","key":"q"},{"code":"b","kind":"sometimes","key":"q"}]}`), 0o644)

	for _, c := range []struct {
		name   string
		args   []string
		code   int
		out    string // in stdout (exit 0) or stderr
		scheme string // scheme name stored, when created
	}{
		{"default scheme", []string{"new", filepath.Join(dir, "a.dyad")}, 0, "created", "Strange Situation (Ainsworth)"},
		{"scheme file", []string{"new", filepath.Join(dir, "b.dyad"), "--scheme", schemeFile}, 0, `"Reunion only" (3 behaviours`, "Reunion only"},
		{"exists", []string{"new", filepath.Join(dir, "a.dyad")}, 1, "exists", ""},
		{"not .dyad", []string{"new", filepath.Join(dir, "c.db")}, 2, "project files end in .dyad", ""},
		{"no name", []string{"new"}, 2, "need one project file name", ""},
		{"bad scheme", []string{"new", filepath.Join(dir, "d.dyad"), "--scheme", badScheme}, 1, "bad.json", ""},
		{"missing scheme", []string{"new", filepath.Join(dir, "e.dyad"), "--scheme", filepath.Join(dir, "none.json")}, 1, "none.json", ""},
		{"help", []string{"new", "--help"}, 0, "usage: dyadcode new PROJECT.dyad", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			var prior []byte // a file already there must keep every byte
			if len(c.args) > 1 {
				prior, _ = os.ReadFile(c.args[1])
			}
			code, out, errs := cli(t, c.args...)
			if code != c.code {
				t.Fatalf("exit %d, want %d; stderr %s", code, c.code, errs)
			}
			if prior != nil && !bytes.Equal(fileBytes(t, c.args[1]), prior) {
				t.Errorf("a failing new changed the existing %s", c.args[1])
			}
			if text := out + errs; !strings.Contains(text, c.out) {
				t.Errorf("output %q lacks %q", text, c.out)
			}
			if c.scheme != "" {
				p, err := store.Open(c.args[1], store.Options{ReadOnly: true})
				if err != nil {
					t.Fatal(err)
				}
				defer p.Close()
				if got := p.Scheme().Name; got != c.scheme {
					t.Errorf("scheme %q, want %q", got, c.scheme)
				}
			}
			if c.code != 0 && len(c.args) > 1 && !strings.HasSuffix(c.args[1], "a.dyad") {
				if _, err := os.Stat(c.args[1]); err == nil {
					t.Errorf("%s was created by a failing command", c.args[1])
				}
			}
		})
	}
	// The bad scheme's problems are all named.
	_, _, errs := cli(t, "new", filepath.Join(dir, "f.dyad"), "--scheme", badScheme)
	for _, w := range []string{`kind "sometimes"`, `key "q" is already used`} {
		if !strings.Contains(errs, w) {
			t.Errorf("stderr lacks %q: %s", w, errs)
		}
	}
	// --help prints the synopsis on stderr and exits 0.
	_, _, errs = cli(t, "new", "--help")
	if !strings.Contains(errs, "usage: dyadcode new PROJECT.dyad [--scheme FILE.json]") {
		t.Errorf("help: %s", errs)
	}
}
