package main

// Error paths of the commands on bad input: each case asserts the exit
// code, that stderr names the file and the problem, and that files already
// saved (the project, an existing output) keep every byte.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"dyadcode/media/mediatest"
	"dyadcode/store"
)

// damagedProjects writes project files that are not sound projects, each
// next to a real one, and returns them by name.
func damagedProjects(t *testing.T, dir, good string) map[string]string {
	t.Helper()
	data := fileBytes(t, good)
	files := map[string][]byte{
		"text.dyad":      []byte("participant,notes\nchild01,fine\n"),
		"empty.dyad":     nil,
		"truncated.dyad": data[:(highWater(t, data)-1)*4096],
		"header.dyad":    data[:4096],
	}
	// Zeroed middle: the meta pages survive, the tree pages do not.
	zeroed := bytes.Clone(data)
	for i := 2 * 4096; i < len(zeroed); i++ {
		zeroed[i] = 0
	}
	files["zeroed.dyad"] = zeroed
	out := map[string]string{}
	for name, b := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		out[name] = p
	}
	return out
}

// highWater is the number of pages a bbolt file uses, from its newer meta
// page (page 0 or 1: magic at offset 16, pgid at 48, txid at 56; bbolt's
// layout at 4 KiB pages). Bbolt grows files ahead of use, so only a cut
// below this mark loses live pages: cutting at half the size may lose
// nothing at all.
func highWater(t *testing.T, data []byte) int {
	t.Helper()
	var hwm, txid uint64
	for m := 0; m < 2; m++ {
		meta := data[m*4096+16:]
		if binary.LittleEndian.Uint32(meta) != 0xED0CDAED {
			t.Fatalf("meta page %d: not a bbolt meta page", m)
		}
		if tx := binary.LittleEndian.Uint64(meta[48:]); tx >= txid {
			txid, hwm = tx, binary.LittleEndian.Uint64(meta[40:])
		}
	}
	if hwm < 3 {
		t.Fatalf("bbolt high-water mark %d", hwm)
	}
	return int(hwm)
}

func TestCommandsOnDamagedProject(t *testing.T) {
	dir, proj, video, _ := newStudy(t)
	csvIn := filepath.Join(dir, "in.csv")
	os.WriteFile(csvIn, []byte("behavior,start_s,end_s\nsmile,1,1\n"), 0o644)
	for name, path := range damagedProjects(t, dir, proj) {
		for _, args := range [][]string{
			{"export", path},
			{"observations", path},
			{"add-video", path, video},
			{"import", path, "--coder", "dan", "--video", video, csvIn},
			{"scheme", path},
			{"backup", path, "-o", filepath.Join(dir, "copy-"+name)},
			{"metrics", path},
		} {
			t.Run(name+"/"+args[0], func(t *testing.T) {
				before := fileBytes(t, path)
				code, stdout, errs := cli(t, args...)
				if code != 1 {
					t.Errorf("exit %d, want 1; stdout %q stderr %q", code, stdout, errs)
				}
				if !strings.Contains(errs, path) {
					t.Errorf("stderr does not name %s: %q", path, errs)
				}
				if !strings.Contains(errs, "not a dyadcode project") && !strings.Contains(errs, "damaged") && !strings.Contains(errs, "truncated") {
					t.Errorf("stderr does not say what is wrong: %q", errs)
				}
				if !bytes.Equal(fileBytes(t, path), before) {
					t.Error("the command changed the damaged file")
				}
				if _, err := os.Stat(filepath.Join(dir, "copy-"+name)); err == nil {
					t.Error("backup of a damaged project left a copy")
				}
			})
		}
	}
}

// A project open in another window (a writer holding bbolt's lock): every
// command says so by name and exits 1, and the project is unchanged.
func TestCommandsOnProjectAlreadyOpen(t *testing.T) {
	dir, proj, video, _ := newStudy(t)
	csvIn := filepath.Join(dir, "in.csv")
	os.WriteFile(csvIn, []byte("behavior,start_s,end_s\nsmile,1,1\n"), 0o644)
	before := fileBytes(t, proj)
	// store.Open takes flock(2) on its own open file, so this holder and
	// the command's Open conflict just as two processes do.
	holder, err := store.Open(proj, store.Options{Backups: -1})
	if err != nil {
		t.Fatal(err)
	}
	held := true
	defer func() {
		if held {
			holder.Close()
		}
	}()
	for _, args := range [][]string{
		{"import", proj, "--coder", "dan", "--video", video, csvIn},
		{"export", proj, "-o", filepath.Join(dir, "out.csv")},
	} {
		t.Run(args[0], func(t *testing.T) {
			code, _, errs := cli(t, args...)
			if code != 1 || !strings.Contains(errs, "project "+proj+" is already open") {
				t.Errorf("exit %d, stderr %q; want 1 saying %s is already open", code, errs, proj)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "out.csv")); err == nil {
		t.Error("export of a locked project wrote its output")
	}
	holder.Close()
	held = false
	if !bytes.Equal(fileBytes(t, proj), before) {
		t.Error("the project changed")
	}
	// Once the other window closes, the same command works.
	cliOK(t, "import", proj, "--coder", "dan", "--video", video, csvIn)
}

// Damaged or missing video. probe and frame fail naming the file; a
// missing file is refused by add-video with the project unchanged, while a
// file FFmpeg cannot read is recorded by design (path, size, fingerprint)
// with a warning that names it and says why.
func TestCommandsOnDamagedVideo(t *testing.T) {
	dir, proj, video, _ := newStudy(t)
	data := fileBytes(t, video)
	text := filepath.Join(dir, "notes.mp4")
	os.WriteFile(text, []byte("this is not a video\n"), 0o644)
	empty := filepath.Join(dir, "empty.mp4")
	os.WriteFile(empty, nil, 0o644)
	head := filepath.Join(dir, "head.mp4")
	os.WriteFile(head, data[:64], 0o644)
	missing := filepath.Join(dir, "missing.mp4")
	before := fileBytes(t, proj)
	for _, c := range []struct {
		args []string
		file string
		code int
		msg  string
	}{
		{[]string{"add-video", proj, missing}, missing, 1, "no such file"},
		{[]string{"probe", text}, text, 1, "not a media file"},
		{[]string{"probe", head}, head, 1, ""},
		{[]string{"probe", missing}, missing, 1, "no such file"},
		{[]string{"frame", text, "--index", "0", "-o", filepath.Join(dir, "f1.png")}, text, 1, "not a media file"},
		{[]string{"frame", head, "--index", "0", "-o", filepath.Join(dir, "f2.png")}, head, 1, ""},
		{[]string{"frame", missing, "--index", "0", "-o", filepath.Join(dir, "f3.png")}, missing, 1, "no such file"},
	} {
		t.Run(c.args[0]+"/"+filepath.Base(c.file), func(t *testing.T) {
			code, _, errs := cli(t, c.args...)
			if code != c.code || !strings.Contains(errs, c.file) || !strings.Contains(errs, c.msg) {
				t.Errorf("exit %d, stderr %q; want %d naming %s with %q", code, errs, c.code, c.file, c.msg)
			}
		})
	}
	for _, f := range []string{"f1.png", "f2.png", "f3.png"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			t.Errorf("frame of a bad video wrote %s", f)
		}
	}
	if !bytes.Equal(fileBytes(t, proj), before) {
		t.Error("a failed add-video changed the project")
	}
	// What is no video at all is refused; a damaged video is recorded with
	// a warning, since it can be coded up to the damage.
	for _, f := range []struct{ path, msg string }{
		{text, "not a media file"},
		{empty, "(0 bytes)"}, // the size is the fact; the wording around it is the media layer's
	} {
		code, out, errs := cli(t, "add-video", proj, f.path)
		if code != 1 || out != "" || !strings.Contains(errs, "video "+f.path+" cannot be coded") || !strings.Contains(errs, f.msg) {
			t.Errorf("add-video %s: exit %d, stdout %q, stderr %q; want 1 saying %q", f.path, code, out, errs, f.msg)
		}
		if !bytes.Equal(fileBytes(t, proj), before) {
			t.Errorf("a refused add-video of %s changed the project", f.path)
		}
	}
	code, out, errs := cli(t, "add-video", proj, head)
	if code != 0 || !strings.Contains(out, "added") || !strings.Contains(errs, "warning: cannot read the duration and frame rate of "+head) || !strings.Contains(errs, "truncated or damaged") {
		t.Errorf("add-video %s: exit %d, stdout %q, stderr %q; want 0 with a warning", head, code, out, errs)
	}
	if n := len(projectVideos(t, proj)); n != 2 {
		t.Errorf("%d videos after adding the damaged video, want 2", n)
	}
}

// Malformed interchange files through `dyadcode import`: refused as a
// whole, the file named, the project unchanged.
func TestImportMalformedInterchange(t *testing.T) {
	dir, proj, video, _ := newStudy(t)
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(body), 0o644)
		return p
	}
	cases := []struct {
		name string
		file string
		msg  string
	}{
		{"csv quote", write("quote.csv", "behavior,start_s,end_s\n\"smile,1,1\n"), "quote.csv:2:"},
		{"csv no header", write("nohdr.csv", "smile,1,1\n"), "nohdr.csv:1: header"},
		{"csv empty", write("empty.csv", ""), "empty file"},
		{"csv binary", write("bin.csv", "\x00\x01\x02PK\x03\x04"), "bin.csv:1: header: unknown column"},
		{"eaf not xml", write("broken.eaf", "<ANNOTATION_DOCUMENT><TIME_ORDER>"), "malformed EAF"},
		{"eaf empty", write("empty.eaf", ""), "malformed EAF"},
		{"eaf wrong root", write("other.eaf", "<?xml version=\"1.0\"?><html></html>"), "not <ANNOTATION_DOCUMENT>"},
		{"boris tsv garbage", write("garbage.tsv", "this\tis\nnot\tboris\n"), "malformed BORIS export"},
		{"boris project not json", write("proj.boris", "{\"observations\": "), "not a BORIS project"},
	}
	before := fileBytes(t, proj)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, errs := cli(t, "import", proj, "--coder", "dan", "--video", video, c.file)
			if code != 1 || stdout != "" {
				t.Errorf("exit %d, stdout %q; want 1 and no output", code, stdout)
			}
			if !strings.Contains(errs, c.file) || !strings.Contains(errs, c.msg) {
				t.Errorf("stderr %q; want it to name %s and say %q", errs, c.file, c.msg)
			}
			if !bytes.Equal(fileBytes(t, proj), before) {
				t.Fatal("the project file changed")
			}
		})
	}
}

// Export and backup into a place that cannot be written: a clear error,
// nothing half-written, an existing file kept. (CI runs as root, where a
// read-only directory is writable, so the unwritable place is a path
// through a regular file, which fails for root too.)
func TestOutputToUnwritablePath(t *testing.T) {
	dir, proj, _, _ := twoCoders(t)
	plain := filepath.Join(dir, "plain")
	os.WriteFile(plain, []byte("a file, not a directory"), 0o644)
	existing := filepath.Join(dir, "existing.dyad")
	os.WriteFile(existing, []byte("an older copy the user keeps"), 0o644)
	before := fileBytes(t, proj)
	for _, c := range []struct {
		name string
		args []string
		code int
		msgs []string
	}{
		{"export under a file", []string{"export", proj, "-o", filepath.Join(plain, "out.csv")}, 1, []string{filepath.Join(plain, "out.csv"), "not a directory"}},
		{"export missing dir", []string{"export", proj, "-o", filepath.Join(dir, "nodir", "out.csv")}, 1, []string{filepath.Join(dir, "nodir", "out.csv"), "no such file or directory"}},
		{"backup under a file", []string{"backup", proj, "-o", filepath.Join(plain, "c.dyad")}, 1, []string{filepath.Join(plain, "c.dyad")}},
		{"backup missing dir", []string{"backup", proj, "-o", filepath.Join(dir, "nodir", "c.dyad")}, 1, []string{filepath.Join(dir, "nodir", "c.dyad")}},
		{"backup onto existing", []string{"backup", proj, "-o", existing}, 1, []string{existing, "exists; use --force"}},
		{"backup onto a directory", []string{"backup", proj, "-o", dir, "--force"}, 1, []string{dir}},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, errs := cli(t, c.args...)
			if code != c.code {
				t.Errorf("exit %d, want %d; stdout %q stderr %q", code, c.code, stdout, errs)
			}
			for _, m := range c.msgs {
				if !strings.Contains(errs, m) {
					t.Errorf("stderr lacks %q: %q", m, errs)
				}
			}
		})
	}
	if got := string(fileBytes(t, existing)); got != "an older copy the user keeps" {
		t.Errorf("backup without --force changed the existing file: %q", got)
	}
	if !bytes.Equal(fileBytes(t, proj), before) {
		t.Error("the project changed")
	}
	if _, err := os.Stat(filepath.Join(dir, "nodir")); err == nil {
		t.Error("a failed command created the missing directory")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") || strings.Contains(e.Name(), ".tmp") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}

// A full disk: export and backup onto a tiny tmpfs that is full fail
// naming the file and the problem, keep an existing export, and leave no
// half-written file behind. Needs root to mount (CI runs as root).
func TestOutputToFullDisk(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to mount a tmpfs")
	}
	dir, proj, _, _ := twoCoders(t)
	mnt := filepath.Join(dir, "mnt")
	os.Mkdir(mnt, 0o755)
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", mnt).Run() })
	old := filepath.Join(mnt, "out.csv")
	os.WriteFile(old, []byte("last week's export"), 0o644)
	filler, err := os.Create(filepath.Join(mnt, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 4096)
	for {
		if _, err := filler.Write(chunk); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			break
		}
	}
	filler.Close()
	before := fileBytes(t, proj)
	for _, c := range []struct {
		args []string
		file string
	}{
		{[]string{"export", proj, "-o", old}, old},
		{[]string{"backup", proj, "-o", filepath.Join(mnt, "copy.dyad")}, filepath.Join(mnt, "copy.dyad")},
	} {
		t.Run(c.args[0], func(t *testing.T) {
			code, _, errs := cli(t, c.args...)
			if code != 1 || !strings.Contains(errs, c.file) || !strings.Contains(errs, "no space left on device") {
				t.Errorf("exit %d, stderr %q; want 1 naming %s and saying the disk is full", code, errs, c.file)
			}
		})
	}
	if got := string(fileBytes(t, old)); got != "last week's export" {
		t.Errorf("a failed export replaced the existing file: %q", got)
	}
	entries, _ := os.ReadDir(mnt)
	for _, e := range entries {
		if e.Name() != "out.csv" && e.Name() != "filler" {
			t.Errorf("left on the full disk: %s", e.Name())
		}
	}
	if !bytes.Equal(fileBytes(t, proj), before) {
		t.Error("the project changed")
	}
}

// No command's output may replace a project: with --format csv, export
// onto the project's own path used to swap all its coding for a CSV and
// exit 0. Each writer refuses, naming the file, and the project keeps
// every byte.
func TestOutputNeverReplacesProject(t *testing.T) {
	dir, proj, _, _ := twoCoders(t)
	video := filepath.Join(dir, "child01.mp4")
	other := filepath.Join(dir, "other.dyad")
	cliOK(t, "new", other)
	for _, target := range []string{proj, other} {
		before := fileBytes(t, target)
		for _, args := range [][]string{
			{"export", proj, "--format", "csv", "-o", target},
			{"export", proj, "--format", "eaf", "--observation", "1", "-o", target},
			{"metrics", proj, "-o", target},
			{"report", proj, "-o", target},
			{"scheme", proj, "--export", target},
			{"frame", video, "--index", "0", "-o", target},
			{"proxy", video, "-o", target},
		} {
			t.Run(args[0]+"/"+filepath.Base(target), func(t *testing.T) {
				code, _, errs := cli(t, args...)
				if code != 1 || !strings.Contains(errs, target+": it is a dyadcode project; refusing to replace it") {
					t.Errorf("%v: exit %d, stderr %q; want 1 refusing to replace %s", args, code, errs, target)
				}
				if !bytes.Equal(fileBytes(t, target), before) {
					t.Fatalf("%v replaced the project %s", args, target)
				}
			})
		}
	}
	// A damaged project is still a project: not replaced either.
	damaged := filepath.Join(dir, "damaged.dyad")
	data := fileBytes(t, proj)
	os.WriteFile(damaged, data[:len(data)/2], 0o644)
	if code, _, errs := cli(t, "export", proj, "--format", "csv", "-o", damaged); code != 1 || !strings.Contains(errs, "refusing to replace") {
		t.Errorf("export onto a truncated project: exit %d, %q", code, errs)
	}
	// Ordinary files are still replaced.
	plain := filepath.Join(dir, "old.csv")
	os.WriteFile(plain, []byte("old"), 0o644)
	cliOK(t, "export", proj, "-o", plain)
	if string(fileBytes(t, plain)) == "old" {
		t.Error("export did not replace an ordinary file")
	}
}

// Nor may a CSV, report or PNG replace a video: `frame v.mp4 --index 0 -o
// v.mp4` and `export --format csv -o v.mp4` used to destroy the recording
// and exit 0. Copies of real files in every container the check knows.
func TestOutputNeverReplacesVideo(t *testing.T) {
	dir, proj, _, _ := twoCoders(t)
	src := filepath.Join(dir, "child01.mp4")
	for _, s := range []mediatest.Spec{mediatest.FastStart, mediatest.H264LongGOP, mediatest.MJPEGMOV, mediatest.VP9WebM, mediatest.MPEG4AVI, mediatest.MPEGTS} {
		data := fileBytes(t, mediatest.Path(t, s))
		target := filepath.Join(dir, s.Name+s.Ext)
		if err := os.WriteFile(target, data, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{
			{"export", proj, "--format", "csv", "-o", target},
			{"metrics", proj, "-o", target},
			{"frame", src, "--index", "0", "-o", target},
		} {
			t.Run(s.Name+"/"+args[0], func(t *testing.T) {
				code, _, errs := cli(t, args...)
				if code != 1 || !strings.Contains(errs, target+": it is a video; refusing to replace it") {
					t.Errorf("%v: exit %d, stderr %q; want 1 refusing to replace %s", args, code, errs, target)
				}
				if !bytes.Equal(fileBytes(t, target), data) {
					t.Fatalf("%v replaced the video %s", args, target)
				}
			})
		}
	}
	// A proxy may still replace an older proxy.
	old := filepath.Join(dir, "proxy.mp4")
	cliOK(t, "proxy", src, "-o", old)
	cliOK(t, "proxy", src, "-o", old, "--gop", "5")
}

// The same with the lock held by a genuinely separate process: flock(1)
// (util-linux, Essential on Debian/Ubuntu) takes the flock(2) lock bbolt
// uses, as another dyadcode would; --no-fork keeps one process, so killing
// it releases the lock.
func TestCommandsOnProjectOpenInAnotherProcess(t *testing.T) {
	dir, proj, video, _ := newStudy(t)
	csvIn := filepath.Join(dir, "in.csv")
	os.WriteFile(csvIn, []byte("behavior,start_s,end_s\nsmile,1,1\n"), 0o644)
	before := fileBytes(t, proj)
	holder := exec.Command("flock", "--exclusive", "--no-fork", proj, "sh", "-c", "echo locked; exec sleep 60")
	stdout, err := holder.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := holder.Start(); err != nil {
		t.Fatalf("flock(1) from util-linux: %v", err)
	}
	defer func() { holder.Process.Kill(); holder.Wait() }()
	line := make([]byte, 7)
	if _, err := io.ReadFull(stdout, line); err != nil || string(line) != "locked\n" {
		t.Fatalf("flock did not take the lock: %q %v", line, err)
	}
	for _, args := range [][]string{
		{"import", proj, "--coder", "dan", "--video", video, csvIn},
		{"observations", proj},
	} {
		code, out, errs := cli(t, args...)
		if code != 1 || out != "" || !strings.Contains(errs, "project "+proj+" is already open") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 1 saying %s is already open", args, code, out, errs, proj)
		}
	}
	holder.Process.Kill()
	holder.Wait()
	if !bytes.Equal(fileBytes(t, proj), before) {
		t.Error("the project changed")
	}
	cliOK(t, "import", proj, "--coder", "dan", "--video", video, csvIn)
}
