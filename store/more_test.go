package store

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"syscall"
	"testing"

	bolt "go.etcd.io/bbolt"

	"dyadcode/annotate"
)

func TestRollingBackups(t *testing.T) {
	p, v := newProject(t)
	o, _ := p.NewObservation(v.ID, "alice")
	path := p.Path()
	p.Close()
	var counts []int // events in the project at each open, newest last
	for i := range 6 {
		q, err := Open(path, Options{Backups: 3})
		if err != nil {
			t.Fatal(err)
		}
		counts = append(counts, i)
		ed := annotate.NewEditor(mustObs(t, q, o.ID), q.Scheme(), q, nil, nil)
		if _, err := ed.Tag("smile", annotate.Time(i)*annotate.Second); err != nil {
			t.Fatal(err)
		}
		q.Close()
	}
	// Opening an unchanged project twice adds one copy, not two.
	for range 2 {
		q, err := Open(path, Options{Backups: 3})
		if err != nil {
			t.Fatal(err)
		}
		q.Close()
	}
	counts = append(counts, 6)
	q, err := Open(path, Options{Backups: -1})
	if err != nil {
		t.Fatal(err)
	}
	backups, err := q.Backups()
	q.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(backups) != 3 {
		t.Fatalf("%d backups, want 3: %v", len(backups), backups)
	}
	want := counts[len(counts)-3:] // the newest three states
	for i, b := range backups {
		if filepath.Dir(b) != backupDir(path) {
			t.Errorf("backup %s not in %s", b, backupDir(path))
		}
		bp, err := Open(b, Options{ReadOnly: true})
		if err != nil {
			t.Fatalf("backup %s does not open: %v", b, err)
		}
		got := len(mustObs(t, bp, o.ID).Events)
		if err := bp.Check(); err != nil {
			t.Error(err)
		}
		bp.Close()
		if got != want[i] {
			t.Errorf("backup %d (%s) has %d events, want %d", i, filepath.Base(b), got, want[i])
		}
	}
}

func TestBackupFailureDoesNotBlockOpen(t *testing.T) {
	p, _ := newProject(t)
	path := p.Path()
	p.Close()
	// A file where the backup folder should be: the copy cannot be made.
	if err := os.WriteFile(backupDir(path), []byte("in the way"), 0o644); err != nil {
		t.Fatal(err)
	}
	q, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("open with backups impossible: %v", err)
	}
	if err := q.BackupError(); err == nil || !strings.Contains(err.Error(), backupDir(path)) {
		t.Errorf("BackupError = %v, want one naming the backup folder", err)
	}
	q.Close()
	// But an upgrade is not done without a copy of the old file.
	setSchema(t, path, 1)
	if q, err := Open(path, Options{}); err == nil || !strings.Contains(err.Error(), "not upgrading") {
		if q != nil {
			q.Close()
		}
		t.Errorf("upgrade without a backup: %v", err)
	}
	os.Remove(backupDir(path))
	q, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if q.BackupError() != nil {
		t.Error(q.BackupError())
	}
	q.Close()
}

func TestCompact(t *testing.T) {
	path := bigProject(t, 20000)
	p, err := Open(path, Options{Backups: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	want := mustObs(t, p, "2")
	if err := p.DeleteObservation("1"); err != nil {
		t.Fatal(err)
	}
	if err := p.PutCache("big", bytes.Repeat([]byte("x"), 1<<20)); err != nil {
		t.Fatal(err)
	}
	if err := p.PutCache("big", nil); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "compact.dyad")
	if err := p.Compact(dest); err != nil {
		t.Fatal(err)
	}
	if err := p.Compact(p.Path()); err == nil {
		t.Error("compacting onto the open project succeeded")
	}
	before, after := fileSize(t, path), fileSize(t, dest)
	if after >= before*3/4 {
		t.Errorf("compacted copy %d bytes, the project %d: expected much smaller", after, before)
	}
	t.Logf("%d -> %d bytes", before, after)
	c, err := Open(dest, Options{Backups: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Check(); err != nil {
		t.Error(err)
	}
	got := mustObs(t, c, "2")
	if !reflect.DeepEqual(got.Events, want.Events) {
		t.Error("events differ in the compacted copy")
	}
	infos, _ := c.Observations()
	if len(infos) != 1 {
		t.Errorf("%d observations", len(infos))
	}
	// IDs continue where the project left off.
	vs, _ := c.Videos()
	o, err := c.NewObservation(vs[0].ID, "dora")
	if err != nil || o.ID != "3" {
		t.Errorf("new observation in the copy: %v %v, want ID 3", o, err)
	}
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

func mustObs(t testing.TB, p *Project, id string) *annotate.Observation {
	t.Helper()
	o, err := p.Observation(id)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestBackup(t *testing.T) {
	p, v := newProject(t)
	if _, err := p.ImportObservation(v.ID, sampleObservation()); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	dest := filepath.Join(dir, "copy.dyad")
	if err := p.Backup(dest); err != nil {
		t.Fatal(err)
	}
	c, err := Open(dest, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := mustObs(t, c, "1"); len(got.Events) != 4 {
		t.Errorf("copy has %d events", len(got.Events))
	}
	c.Close()
	// A failing backup (dest is a folder) leaves nothing behind.
	folder := filepath.Join(dir, "afolder")
	os.Mkdir(folder, 0o755)
	if err := p.Backup(folder); err == nil {
		t.Error("backup onto a folder succeeded")
	}
	if err := p.Backup(filepath.Join(dir, "missing", "x.dyad")); err == nil {
		t.Error("backup into a missing folder succeeded")
	}
	if err := p.Backup(p.Path()); err == nil {
		t.Error("backup onto the project itself succeeded")
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if !reflect.DeepEqual(names, []string{"afolder", "copy.dyad"}) {
		t.Errorf("after failed backups the folder holds %v", names)
	}
}

func TestFingerprintAndRelocate(t *testing.T) {
	dir := t.TempDir()
	mk := func(name string, size int, seed byte) string {
		data := make([]byte, size)
		for i := range data {
			data[i] = byte(i*31) ^ seed
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	const mib = 1 << 20
	big := mk("big.mp4", 5*mib, 1)
	bigCopy := mk("big-copy.mp4", 5*mib, 1)
	small := mk("small.mp4", 1000, 2)
	fp := func(path string) string {
		f, size, err := Fingerprint(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi, _ := os.Stat(path); fi.Size() != size {
			t.Errorf("size %d", size)
		}
		return f
	}
	poke := func(path string, off int64) {
		f, _ := os.OpenFile(path, os.O_RDWR, 0)
		f.WriteAt([]byte{0xff}, off)
		f.Close()
	}
	fBig := fp(big)
	if fp(bigCopy) != fBig || len(fBig) != 64 {
		t.Fatalf("identical content gave different fingerprints")
	}
	if fp(small) == fBig {
		t.Fatal("different files, same fingerprint")
	}
	for _, c := range []struct {
		off     int64
		changes bool
	}{{10, true}, {5*mib/2 + 3, true}, {5*mib - 2, true}, {mib + mib/2, false}} {
		poke(bigCopy, c.off)
		if changed := fp(bigCopy) != fBig; changed != c.changes {
			t.Errorf("byte at %d changed: fingerprint changed %v, want %v (first, middle and last MiB are read)", c.off, changed, c.changes)
		}
		os.WriteFile(bigCopy, mustRead(t, big), 0o644)
	}
	if _, _, err := Fingerprint(filepath.Join(dir, "nope.mp4")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}

	p, err := Create(filepath.Join(t.TempDir(), "study.dyad"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	vBig, _ := p.AddVideo(annotate.Video{Path: big})
	vSmall, _ := p.AddVideo(annotate.Video{Path: small})
	stays := mk("stays.mp4", 2000, 3)
	vStays, _ := p.AddVideo(annotate.Video{Path: stays})
	// The lab moves the recordings; a decoy of the same size but other
	// content sits next to them.
	moved := filepath.Join(t.TempDir(), "moved", "2024")
	os.MkdirAll(moved, 0o755)
	os.Rename(big, filepath.Join(moved, "big.mp4"))
	os.Rename(small, filepath.Join(moved, "renamed.mp4"))
	decoy := make([]byte, 1000)
	os.WriteFile(filepath.Join(moved, "decoy.mp4"), decoy, 0o644)
	os.Remove(bigCopy)

	found, err := p.Relocate(filepath.Dir(moved))
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 2 || found[0].ID != vBig.ID || found[1].ID != vSmall.ID {
		t.Fatalf("found %+v", found)
	}
	for id, want := range map[string]string{vBig.ID: filepath.Join(moved, "big.mp4"), vSmall.ID: filepath.Join(moved, "renamed.mp4"), vStays.ID: stays} {
		if v, _ := p.Video(id); v.Path != want {
			t.Errorf("video %s now at %s, want %s", id, v.Path, want)
		}
	}
	if again, err := p.Relocate(moved); err != nil || len(again) != 0 {
		t.Errorf("nothing missing: %v %v", again, err)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestCache(t *testing.T) {
	p, v := newProject(t)
	if _, err := p.Cache(v.Fingerprint + "/index"); !errors.Is(err, ErrNotFound) {
		t.Errorf("empty cache: %v", err)
	}
	blob := bytes.Repeat([]byte{1, 2, 3}, 300000) // about a 2-hour frame index
	if err := p.PutCache(v.Fingerprint+"/index", blob); err != nil {
		t.Fatal(err)
	}
	q := reopen(t, p, Options{Backups: -1})
	got, err := q.Cache(v.Fingerprint + "/index")
	if err != nil || !bytes.Equal(got, blob) {
		t.Errorf("cache after reopen: %d bytes, %v", len(got), err)
	}
}

func TestSetScheme(t *testing.T) {
	p, v := newProject(t)
	o := sampleObservation()
	o.Events[3].Modifiers = []string{"cry"} // the open distress
	if _, err := p.ImportObservation(v.ID, o); err != nil {
		t.Fatal(err)
	}
	behavior := func(s *annotate.Scheme, code string) *annotate.Behavior {
		for i := range s.Behaviors {
			if s.Behaviors[i].Code == code {
				return &s.Behaviors[i]
			}
		}
		t.Fatalf("no %s", code)
		return nil
	}
	drop := func(code string) func(s *annotate.Scheme) {
		return func(s *annotate.Scheme) {
			s.Behaviors = slices.DeleteFunc(s.Behaviors, func(b annotate.Behavior) bool { return b.Code == code })
		}
	}
	refused := []struct {
		name string
		edit func(s *annotate.Scheme)
		want string
	}{
		{"remove a used code", drop("smile"), `behavior "smile" is used by 2 events`},
		{"state with durations to point", func(s *annotate.Scheme) { behavior(s, "explore").Kind = annotate.Point }, `"explore" cannot become a point: 1 of its events`},
		{"move to another subject", func(s *annotate.Scheme) { behavior(s, "smile").Subject = "stranger" }, `"smile" cannot move to subject "stranger": 2 events`},
		{"remove a used modifier", func(s *annotate.Scheme) { behavior(s, "distress").Modifiers = []string{"fuss"} }, `modifier "cry" of behavior "distress" is used by 1 events`},
		{"remove a marked episode", func(s *annotate.Scheme) { s.Episodes = s.Episodes[1:] }, `episode "1 Introduction" is marked 1 times`},
		{"remove a rated scale", func(s *annotate.Scheme) {
			s.Ratings = slices.DeleteFunc(s.Ratings, func(r annotate.RatingScale) bool { return r.Code == "avoidance" })
		}, `rating scale "avoidance" has 1 ratings`},
	}
	for _, c := range refused {
		s := p.Scheme()
		c.edit(s)
		if err := p.SetScheme(s); !errors.Is(err, ErrInUse) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want ErrInUse saying %s", c.name, err, c.want)
		}
	}
	bad := p.Scheme()
	bad.Behaviors[0].Key = bad.Behaviors[1].Key
	if err := p.SetScheme(bad); !errors.Is(err, annotate.ErrInvalidScheme) {
		t.Errorf("invalid scheme: %v", err)
	}
	if !reflect.DeepEqual(p.Scheme(), annotate.DefaultScheme()) {
		t.Fatal("a refused scheme was kept")
	}
	// Allowed: drop an unused code, add one, make a used point a state.
	s := p.Scheme()
	drop("vocalize")(s)
	behavior(s, "approach").Kind = annotate.State
	s.Behaviors = append(s.Behaviors, annotate.Behavior{Code: "point_at", Name: "Points", Subject: "child", Kind: annotate.Point, Key: "p", Color: "#000000"})
	if err := p.SetScheme(s); err != nil {
		t.Fatal(err)
	}
	q := reopen(t, p, Options{Backups: -1})
	if !reflect.DeepEqual(q.Scheme(), s) {
		t.Error("scheme differs after reopen")
	}
}

func TestAddMovedVideoReconnects(t *testing.T) {
	p, v := newProject(t)
	moved := filepath.Join(t.TempDir(), "child01.mp4")
	if err := os.Rename(v.Path, moved); err != nil {
		t.Fatal(err)
	}
	got, err := p.AddVideo(annotate.Video{Path: moved})
	if err != nil || got.ID != v.ID || got.Path != moved {
		t.Fatalf("adding the moved video: %+v %v", got, err)
	}
	if again, _ := p.Video(v.ID); again.Path != moved {
		t.Errorf("stored path %s", again.Path)
	}
	// A second copy while the first still exists does not take over.
	copyPath := filepath.Join(t.TempDir(), "copy.mp4")
	os.WriteFile(copyPath, mustRead(t, moved), 0o644)
	if got, _ := p.AddVideo(annotate.Video{Path: copyPath}); got.Path != moved {
		t.Errorf("a copy took over: %s", got.Path)
	}
}

func TestCheckFindsMisplacedEvent(t *testing.T) {
	p, v := newProject(t)
	p.ImportObservation(v.ID, sampleObservation())
	if err := p.Check(); err != nil {
		t.Fatal(err)
	}
	// Store an event under the wrong key, as a buggy writer would.
	err := p.update(func(tx *bolt.Tx) error {
		ob := tx.Bucket(bucketObservations).Bucket(u64(1))
		data, _ := encodeEvent(annotate.Event{ID: 50, Behavior: "smile", Start: sec("9"), End: sec("9")})
		return ob.Bucket(bucketEvents).Put(eventKey(sec("1"), 50), data)
	})
	if err != nil {
		t.Fatal(err)
	}
	err = p.Check()
	if err == nil || !strings.Contains(err.Error(), "event 50 stored under key") || !strings.Contains(err.Error(), "5 events stored, info says 4") {
		t.Errorf("Check: %v", err)
	}
}

// TestWriteFailureReadOnly: a commit that cannot be written returns the
// error, the editor keeps its state, the file is unchanged.
func TestWriteFailureReadOnly(t *testing.T) {
	p, v := newProject(t)
	p.ImportObservation(v.ID, sampleObservation())
	q := reopen(t, p, Options{ReadOnly: true})
	before := mustRead(t, q.Path())
	o := mustObs(t, q, "1")
	ed := annotate.NewEditor(o, q.Scheme(), q, nil, nil)
	if _, err := ed.Tag("smile", sec("3")); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("commit on a read-only project: %v", err)
	}
	if len(ed.Obs.Events) != 4 || ed.CanUndo() {
		t.Errorf("editor changed after a failed commit: %d events", len(ed.Obs.Events))
	}
	for name, err := range map[string]error{
		"video":    q.UpdateVideo(v),
		"position": q.SetPosition("1", 5),
		"cache":    q.PutCache("k", nil),
		"coder":    q.AddCoder("zed"),
		"delete":   q.DeleteObservation("1"),
	} {
		if !errors.Is(err, ErrReadOnly) {
			t.Errorf("%s on a read-only project: %v", name, err)
		}
	}
	if !bytes.Equal(before, mustRead(t, q.Path())) {
		t.Error("the file changed")
	}
}

// TestWriteFailureFullDisk puts a project on a tiny tmpfs, fills it, and
// checks that the commit that does not fit fails cleanly, nothing of it is
// saved, and the project works again once there is room. Needs root (to
// mount); skipped otherwise.
func TestWriteFailureFullDisk(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to mount a tmpfs")
	}
	mnt := filepath.Join(t.TempDir(), "mnt")
	os.Mkdir(mnt, 0o755)
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", mnt).Run() })

	video := filepath.Join(t.TempDir(), "v.mp4")
	os.WriteFile(video, []byte("video"), 0o644)
	p, err := Create(filepath.Join(mnt, "study.dyad"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	v, _ := p.AddVideo(annotate.Video{Path: video})
	o, _ := p.NewObservation(v.ID, "alice")
	ed := annotate.NewEditor(o, p.Scheme(), p, nil, nil)
	if _, err := ed.Tag("smile", sec("1")); err != nil {
		t.Fatal(err)
	}
	// Fill the disk.
	filler, _ := os.Create(filepath.Join(mnt, "filler"))
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
	// Edits big enough to need new pages.
	var failed error
	long := strings.Repeat("a long comment that needs room ", 200)
	for i := range 200 {
		if _, err := ed.Add(annotate.Event{Behavior: "smile", Start: sec("2") + annotate.Time(i), End: sec("2") + annotate.Time(i), Comment: long}); err != nil {
			failed = err
			break
		}
	}
	if !errors.Is(failed, syscall.ENOSPC) {
		t.Fatalf("commit on a full disk: %v, want ENOSPC", failed)
	}
	n := len(ed.Obs.Events)
	// A whole import that does not fit leaves no trace: no observation,
	// no coder.
	big := &annotate.Observation{Coder: "bigimport"}
	for i := range 3000 {
		big.Events = append(big.Events, annotate.Event{ID: annotate.EventID(i + 1), Behavior: "smile", Start: annotate.Time(i), End: annotate.Time(i), Comment: long[:200]})
	}
	if _, err := p.ImportObservation(v.ID, big); !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("import on a full disk: %v, want ENOSPC", err)
	}
	if infos, _ := p.Observations(); len(infos) != 1 {
		t.Errorf("%d observations after a failed import, want 1", len(infos))
	}
	if coders, _ := p.Coders(); slices.Contains(coders, "bigimport") {
		t.Error("the failed import's coder was added")
	}
	// A backup onto the full disk fails and leaves nothing.
	if err := p.Backup(filepath.Join(mnt, "copy.dyad")); err == nil {
		t.Error("backup onto a full disk succeeded")
	}
	if _, err := os.Stat(filepath.Join(mnt, "copy.dyad")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("failed backup left a file: %v", err)
	}
	if got := len(mustObs(t, p, o.ID).Events); got != n {
		t.Errorf("stored %d events, editor has %d", got, n)
	}
	os.Remove(filepath.Join(mnt, "filler"))
	if _, err := ed.Tag("smile", sec("100")); err != nil {
		t.Fatalf("after freeing space: %v", err)
	}
	q := reopen(t, p, Options{Backups: -1})
	got := mustObs(t, q, o.ID)
	if !reflect.DeepEqual(got.Events, ed.Obs.Events) {
		t.Errorf("after reopen %d events, editor %d", len(got.Events), len(ed.Obs.Events))
	}
	if err := q.Check(); err != nil {
		t.Error(err)
	}
	entries, _ := os.ReadDir(mnt)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") {
			t.Errorf("temp file %s left", e.Name())
		}
	}
}
