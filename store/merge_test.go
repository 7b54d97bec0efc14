package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"dyadcode/annotate"
	"dyadcode/annotate/csvio"
)

// machine is a project file as one coder's laptop has it.
type machine struct {
	path   string
	videos map[string]annotate.Video // by label
}

// writeVideo writes a stand-in recording whose content (and so
// fingerprint) is given by label; the same label on two machines is the
// same recording under different paths.
func writeVideo(t testing.TB, dir, name, label string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("recording "+label+strings.Repeat(".", 1000)), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// newMachine creates a project in its own directory with the given videos
// (label -> file name there), each lasting 10 minutes.
func newMachine(t testing.TB, name string, scheme *annotate.Scheme, videos map[string]string) *machine {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	os.MkdirAll(dir, 0o755)
	p, err := Create(filepath.Join(dir, name+".dyad"), scheme)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	m := &machine{path: p.Path(), videos: map[string]annotate.Video{}}
	labels := make([]string, 0, len(videos))
	for l := range videos {
		labels = append(labels, l)
	}
	slices.Sort(labels)
	for _, label := range labels {
		v, err := p.AddVideo(annotate.Video{Path: writeVideo(t, dir, videos[label], label)})
		if err != nil {
			t.Fatal(err)
		}
		v.Duration = 600 * annotate.Second
		if err := p.UpdateVideo(v); err != nil {
			t.Fatal(err)
		}
		m.videos[label] = v
	}
	return m
}

func (m *machine) open(t testing.TB) *Project {
	t.Helper()
	p, err := Open(m.path, Options{Backups: -1})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// code makes an observation of video label by coder through the real
// editor, the way the coding window does: episodes, states (one stopped by
// its exclusive partner), points, modifiers, a comment, a rating, and an
// undone edit left on the redo stack. seed shifts the times.
func (m *machine) code(t testing.TB, label, coder string, seed int) string {
	t.Helper()
	p := m.open(t)
	defer p.Close()
	o, err := p.NewObservation(m.videos[label].ID, coder)
	if err != nil {
		t.Fatal(err)
	}
	ed, err := p.Editor(o.ID)
	if err != nil {
		t.Fatal(err)
	}
	base := annotate.Time(seed) * annotate.Second
	s := annotate.Second
	var last annotate.Change
	do := func(ch annotate.Change, err error) annotate.EventID {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		last = ch
		if len(ch.After) > 0 {
			return ch.After[len(ch.After)-1].ID
		}
		return 0
	}
	do(ed.MarkEpisode("1 Introduction", 0))
	do(ed.Tag("explore", base+1*s))
	smile := do(ed.Tag("smile", base+2*s))
	distress := do(ed.Tag("distress", base+3*s))
	do(ed.SetModifiers(distress, []string{"cry"}))
	do(ed.Tag("calm", base+5*s)) // stops distress
	do(ed.Tag("explore", base+6*s))
	do(ed.MarkEpisode("5 First reunion", base+10*s))
	do(ed.Rate("5 First reunion", "avoidance", 1+seed%7))
	do(ed.ChangeComment(smile, "seen by "+coder))
	do(ed.Tag("vocalize", base+7*s))
	if _, err := ed.Undo(); err != nil {
		t.Fatal(err)
	}
	_ = last
	return o.ID
}

// exportCSV is every observation of the project as the CSV export writes
// it.
func exportCSV(t testing.TB, p *Project) []byte {
	t.Helper()
	infos, err := p.Observations()
	if err != nil {
		t.Fatal(err)
	}
	var recs []annotate.Transfer
	for _, oi := range infos {
		tr, err := p.Transfer(oi.ID)
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, tr)
	}
	var buf bytes.Buffer
	if err := csvio.Write(&buf, recs, p.Scheme()); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// obsContent is an observation with what a merge must carry over, without
// the project-local IDs.
type obsContent struct {
	Coder, Fingerprint string
	Events             []annotate.Event
	Episodes           []annotate.EpisodeMark
	Ratings            []annotate.Rating
	Undo, Redo         []annotate.Change
	Log                []LogEntry
	UID, Head          string
}

func content(t testing.TB, p *Project, id string) obsContent {
	t.Helper()
	o, err := p.Observation(id)
	if err != nil {
		t.Fatal(err)
	}
	v, err := p.Video(o.Video)
	if err != nil {
		t.Fatal(err)
	}
	undo, redo, err := p.History(id)
	if err != nil {
		t.Fatal(err)
	}
	log, err := p.Log(id, 0)
	if err != nil {
		t.Fatal(err)
	}
	infos, _ := p.Observations()
	var uid, head string
	for _, oi := range infos {
		if oi.ID == id {
			uid, head = oi.UID, oi.Head
		}
	}
	return obsContent{o.Coder, v.Fingerprint, o.Events, o.Episodes, o.Ratings, undo, redo, log, uid, head}
}

// asJSON compares values as the file stores them (nil and empty alike).
func asJSON(v any) string {
	data, _ := json.Marshal(v)
	return string(data)
}

func mustMerge(t testing.TB, p *Project, from ...string) *MergeReport {
	t.Helper()
	rep, err := p.Merge(from...)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func ids(mos []MergedObservation) []string {
	var out []string
	for _, mo := range mos {
		out = append(out, mo.ID)
	}
	return out
}

// TestMergeThreeMachines: alice, ben and carol code on their own laptops,
// each with their own copy of the shared recording (at different paths)
// and a recording of their own; a supervisor merges the three files into
// the lab project, which has the shared recording and an observation of
// its own already.
func TestMergeThreeMachines(t *testing.T) {
	scheme := annotate.DefaultScheme()
	a := newMachine(t, "alice", scheme, map[string]string{"shared": "videos/session.mp4", "a": "videos/a.mp4"})
	b := newMachine(t, "ben", scheme, map[string]string{"shared": "x/rec1.mp4", "b": "b.mp4"})
	c := newMachine(t, "carol", scheme, map[string]string{"c": "c.mp4", "shared": "shared.mp4"})
	a.code(t, "shared", "alice", 0)
	a.code(t, "a", "alice", 3)
	b.code(t, "shared", "ben", 1)
	b.code(t, "b", "ben", 4)
	c.code(t, "shared", "carol", 2)
	c.code(t, "c", "carol", 5)
	func() { // carol also imported a CSV (no history) and added a coder
		p := c.open(t)
		defer p.Close()
		if _, err := p.ImportObservation(c.videos["c"].ID, &annotate.Observation{Coder: "carol", Events: []annotate.Event{
			{Behavior: "approach", Subject: "child", Start: sec("4"), End: sec("4"), Comment: "imported"},
		}}); err != nil {
			t.Fatal(err)
		}
		if err := p.AddCoder("dave"); err != nil {
			t.Fatal(err)
		}
	}()
	lab := newMachine(t, "lab", scheme, map[string]string{"shared": "archive/ss-01.mp4"})
	lab.code(t, "shared", "supervisor", 6)

	p := lab.open(t)
	defer p.Close()
	sources := []string{a.path, b.path, c.path}
	srcBytes := map[string][]byte{}
	for _, s := range sources {
		srcBytes[s], _ = os.ReadFile(s)
	}
	rep := mustMerge(t, p, sources...)
	if len(rep.Added) != 7 || len(rep.Replaced)+len(rep.Diverged)+len(rep.Unchanged) != 0 {
		t.Fatalf("report %+v, want 7 added", rep)
	}
	if got := slices.Sorted(slices.Values(rep.Coders)); !reflect.DeepEqual(got, []string{"alice", "ben", "carol", "dave"}) {
		t.Errorf("coders added %v", got)
	}
	if len(rep.Videos) != 3 {
		t.Errorf("videos added %+v, want a, b and c (the shared one matched by content)", rep.Videos)
	}
	videos, _ := p.Videos()
	if len(videos) != 4 || videos[0].Path != lab.videos["shared"].Path {
		t.Errorf("videos after merge %+v", videos)
	}
	// Each merged observation is its source's, field for field, under the
	// target's video with the same content.
	for _, mo := range rep.Added {
		q, err := Open(mo.From, Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		want := content(t, q, mo.FromID)
		q.Close()
		if got := content(t, p, mo.ID); !reflect.DeepEqual(got, want) {
			t.Errorf("observation %s from %s: merged\n%+v\nwant\n%+v", mo.FromID, mo.From, got, want)
		}
	}
	for _, s := range sources {
		if after, _ := os.ReadFile(s); !bytes.Equal(after, srcBytes[s]) {
			t.Errorf("merge changed its source %s", s)
		}
	}
	if err := p.Check(); err != nil {
		t.Fatal(err)
	}
	export := exportCSV(t, p)
	for _, coder := range []string{"alice", "ben", "carol", "supervisor", "seen by ben", "imported"} {
		if !bytes.Contains(export, []byte(coder)) {
			t.Errorf("export lacks %q", coder)
		}
	}

	// Again, in another order and with a source twice: nothing changes.
	rep = mustMerge(t, p, c.path, a.path, b.path, a.path)
	if rep.Changed() || len(rep.Unchanged) != 7+2 {
		t.Fatalf("second merge: %+v", rep)
	}
	if again := exportCSV(t, p); !bytes.Equal(again, export) {
		t.Errorf("second merge changed the export:\n%s\nwas\n%s", again, export)
	}
	// The merged history is live: the coder's undone edit can be redone
	// and the merged observation edited further.
	id := rep.Unchanged[0].ID
	ed, err := p.Editor(id)
	if err != nil {
		t.Fatal(err)
	}
	if ed.RedoLabel() != "add vocalize" || ed.UndoLabel() != "comment" {
		t.Errorf("merged history: undo %q redo %q", ed.UndoLabel(), ed.RedoLabel())
	}
	undo, redo, _ := p.History(id)
	redone, err := ed.Redo()
	if err != nil {
		t.Fatal(err)
	}
	// New history entries go after the merged ones, which stay as they were.
	undo2, redo2, _ := p.History(id)
	if asJSON(undo2) != asJSON(append(slices.Clone(undo), redone)) || len(redo2) != len(redo)-1 {
		t.Errorf("history after redo on a merged observation:\nundo %s\nwas  %s\nredone %s\nredo %s / %s", asJSON(undo2), asJSON(undo), asJSON(redone), asJSON(redo2), asJSON(redo))
	}
	if _, err := ed.Undo(); err != nil {
		t.Fatal(err)
	}
	if undo3, _, _ := p.History(id); asJSON(undo3) != asJSON(undo) {
		t.Errorf("history after undo on a merged observation:\nundo %+v\nwas  %+v", undo3, undo)
	}
	if err := p.Check(); err != nil {
		t.Fatal(err)
	}
}

// TestMergeDescendAndDiverge: a newer copy of an observation replaces the
// older one only when it descends from it; copies edited apart are both
// kept and reported.
func TestMergeDescendAndDiverge(t *testing.T) {
	scheme := annotate.DefaultScheme()
	a := newMachine(t, "alice", scheme, map[string]string{"s": "s.mp4"})
	obsID := a.code(t, "s", "alice", 0)
	// alice copies her project to a USB stick and goes on coding there.
	later := filepath.Join(t.TempDir(), "alice-later.dyad")
	func() {
		p := a.open(t)
		defer p.Close()
		if err := p.Backup(later); err != nil {
			t.Fatal(err)
		}
	}()
	tag := func(path, code string, at string) {
		t.Helper()
		p, err := Open(path, Options{Backups: -1})
		if err != nil {
			t.Fatal(err)
		}
		defer p.Close()
		ed, err := p.Editor(obsID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ed.Tag(code, sec(at)); err != nil {
			t.Fatal(err)
		}
	}
	tag(later, "approach", "20")

	lab := newMachine(t, "lab", scheme, nil)
	p := lab.open(t)
	defer p.Close()
	rep := mustMerge(t, p, a.path)
	if len(rep.Added) != 1 {
		t.Fatalf("first merge %+v", rep)
	}
	id := rep.Added[0].ID
	rep = mustMerge(t, p, later)
	if len(rep.Replaced) != 1 || rep.Replaced[0].ID != id || !reflect.DeepEqual(rep.Replaced[0].Others, []string{id}) || len(rep.Added)+len(rep.Diverged) != 0 {
		t.Fatalf("merging the later copy: %+v, want it to replace observation %s", rep, id)
	}
	q, _ := Open(later, Options{ReadOnly: true})
	want := content(t, q, obsID)
	q.Close()
	if got := content(t, p, id); !reflect.DeepEqual(got, want) {
		t.Errorf("replaced observation differs from the later copy")
	}
	// The older copy does not undo the newer one.
	if rep = mustMerge(t, p, a.path); rep.Changed() || len(rep.Unchanged) != 1 || rep.Unchanged[0].ID != id {
		t.Fatalf("merging the older copy again: %+v", rep)
	}
	if got := content(t, p, id); !reflect.DeepEqual(got, want) {
		t.Errorf("older copy changed the newer one")
	}

	// Meanwhile alice also went on in the original: the two copies diverged.
	tag(a.path, "smile", "30")
	rep = mustMerge(t, p, a.path)
	if len(rep.Diverged) != 1 || !reflect.DeepEqual(rep.Diverged[0].Others, []string{id}) || len(rep.Added)+len(rep.Replaced) != 0 {
		t.Fatalf("merging a diverged copy: %+v", rep)
	}
	other := rep.Diverged[0].ID
	infos, _ := p.Observations()
	if len(infos) != 2 || infos[0].UID != infos[1].UID || infos[0].Head == infos[1].Head {
		t.Fatalf("after divergence: %+v", infos)
	}
	// Both copies stay put on every further merge of either.
	if rep = mustMerge(t, p, a.path, later); rep.Changed() || len(rep.Unchanged) != 2 {
		t.Fatalf("merging both copies again: %+v", rep)
	}
	// A later state of the original replaces only its own copy.
	tag(a.path, "vocalize", "31")
	rep = mustMerge(t, p, a.path)
	if len(rep.Replaced) != 1 || rep.Replaced[0].ID != other {
		t.Fatalf("merging the original's later state: %+v, want it to replace %s", rep, other)
	}
	if got := content(t, p, id); !reflect.DeepEqual(got, want) {
		t.Errorf("the other copy changed")
	}
	if err := p.Check(); err != nil {
		t.Fatal(err)
	}
}

// TestMergeRefusals: what Merge refuses writes nothing to the target (its
// bytes are compared) and names the source.
func TestMergeRefusals(t *testing.T) {
	scheme := annotate.DefaultScheme()
	good := newMachine(t, "good", scheme, map[string]string{"s": "s.mp4"})
	good.code(t, "s", "alice", 0)

	// Another lab's scheme: smile dropped, approach made a state, a new
	// state; names and keys changed too, which do not count.
	other := scheme.Clone()
	var bs []annotate.Behavior
	for _, b := range other.Behaviors {
		switch b.Code {
		case "smile":
			continue
		case "approach":
			b.Kind = annotate.State
		case "explore":
			b.Name, b.Key = "Exploring the room", "x"
		}
		bs = append(bs, b)
	}
	other.Behaviors = append(bs, annotate.Behavior{Code: "cling", Name: "Clings", Subject: "child", Kind: annotate.State, Key: "j", Color: "#123456"})
	mismatch := newMachine(t, "mismatch", other, map[string]string{"s": "s.mp4"})
	func() {
		p := mismatch.open(t)
		defer p.Close()
		if _, err := p.ImportObservation(mismatch.videos["s"].ID, &annotate.Observation{Coder: "ben", Events: []annotate.Event{
			{Behavior: "cling", Subject: "child", Start: sec("1"), End: sec("2")},
		}}); err != nil {
			t.Fatal(err)
		}
	}()

	// Same codes and kinds, but a modifier the target's scheme lacks: the
	// observation using it fails the domain checks.
	extra := scheme.Clone()
	for i := range extra.Behaviors {
		if extra.Behaviors[i].Code == "distress" {
			extra.Behaviors[i].Modifiers = append(extra.Behaviors[i].Modifiers, "whimper")
		}
	}
	invalid := newMachine(t, "invalid", extra, map[string]string{"s": "s.mp4"})
	func() {
		p := invalid.open(t)
		defer p.Close()
		if _, err := p.ImportObservation(invalid.videos["s"].ID, &annotate.Observation{Coder: "carol", Events: []annotate.Event{
			{Behavior: "distress", Subject: "child", Start: sec("1"), End: sec("2"), Modifiers: []string{"whimper"}},
		}}); err != nil {
			t.Fatal(err)
		}
	}()

	// A truncated copy, a copy with a damaged event record, a text file.
	dir := t.TempDir()
	data, _ := os.ReadFile(good.path)
	truncated := filepath.Join(dir, "truncated.dyad")
	os.WriteFile(truncated, data[:len(data)/2], 0o644)
	badEvent := filepath.Join(dir, "bad-event.dyad")
	os.WriteFile(badEvent, data, 0o644)
	db, err := bolt.Open(badEvent, 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bolt.Tx) error {
		evb := tx.Bucket(bucketObservations).Bucket(u64(1)).Bucket(bucketEvents)
		k, _ := evb.Cursor().First()
		return evb.Put(clone(k), []byte{1, 0xff})
	})
	db.Close()
	// Copies whose coding the domain forbids, written past the store's
	// checks: distress running into calm (an exclusive group), and explore
	// ending after the 10-minute recording.
	overlap := rewriteEvent(t, good.path, filepath.Join(dir, "overlap.dyad"), "distress", func(e *annotate.Event) { e.End = sec("6") })
	outside := rewriteEvent(t, good.path, filepath.Join(dir, "outside.dyad"), "explore", func(e *annotate.Event) { e.End = sec("700") })
	text := filepath.Join(dir, "notes.dyad")
	os.WriteFile(text, []byte("not a project\n"), 0o644)

	lab := newMachine(t, "lab", scheme, map[string]string{"s": "s.mp4"})
	lab.code(t, "s", "supervisor", 2)

	cases := []struct {
		name    string
		from    []string
		is      error
		message []string
	}{
		{"scheme mismatch", []string{good.path, mismatch.path}, ErrSchemeMismatch, []string{mismatch.path,
			`behaviour "approach" is a point here but a state there`,
			`behaviour "cling" (state) is only in the project merged from`,
			`behaviour "smile" (point) is missing from the project merged from`}},
		{"domain check", []string{good.path, invalid.path}, nil, []string{invalid.path, `no modifier "whimper"`}},
		{"exclusive overlap", []string{good.path, overlap}, annotate.ErrExclusiveOverlap, []string{overlap, "distress"}},
		{"outside the video", []string{outside}, annotate.ErrOutsideVideo, []string{outside, "explore"}},
		{"truncated", []string{good.path, truncated}, ErrNotProject, []string{truncated, "truncated"}},
		{"damaged event", []string{good.path, badEvent}, ErrNotProject, []string{badEvent, "damaged", "event key"}},
		{"not a project", []string{text, good.path}, ErrNotProject, []string{text}},
		{"missing", []string{good.path, filepath.Join(dir, "gone.dyad")}, os.ErrNotExist, []string{"gone.dyad"}},
		{"itself", []string{lab.path}, nil, []string{"into itself"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before, _ := os.ReadFile(lab.path)
			p := lab.open(t)
			rep, err := p.Merge(tc.from...)
			p.Close()
			if err == nil {
				t.Fatalf("merge succeeded: %+v", rep)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %v, want %v", err, tc.is)
			}
			for _, m := range tc.message {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("error %q lacks %q", err, m)
				}
			}
			if after, _ := os.ReadFile(lab.path); !bytes.Equal(before, after) {
				t.Error("a refused merge changed the target file")
			}
		})
	}
	// The mismatch lists exactly the three behaviours.
	p := lab.open(t)
	defer p.Close()
	_, err = p.Merge(mismatch.path)
	var sm *SchemeMismatchError
	if !errors.As(err, &sm) || sm.File != mismatch.path || len(sm.Diffs) != 3 {
		t.Fatalf("mismatch error %#v", err)
	}
	want := []BehaviorDiff{{"approach", "point", "state"}, {"cling", "", "state"}, {"smile", "point", ""}}
	if !reflect.DeepEqual(sm.Diffs, want) {
		t.Errorf("diffs %+v, want %+v", sm.Diffs, want)
	}
}

// rewriteEvent copies project src to dst and changes, with bbolt directly,
// the first event of observation 1 coding behavior.
func rewriteEvent(t *testing.T, src, dst, behavior string, change func(*annotate.Event)) string {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(dst, data, 0o644)
	db, err := bolt.Open(dst, 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error {
		evb := tx.Bucket(bucketObservations).Bucket(u64(1)).Bucket(bucketEvents)
		c := evb.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			e, err := decodeEvent(v)
			if err != nil || e.Behavior != behavior {
				continue
			}
			change(&e)
			enc, _ := encodeEvent(e)
			return evb.Put(eventKey(e.Start, e.ID), enc)
		}
		return fmt.Errorf("no %s event", behavior)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// TestMergeCoderSpelling: "Dana" on the lab's machine and "dana " on a
// laptop are one coder; the lab's spelling is kept.
func TestMergeCoderSpelling(t *testing.T) {
	a := newMachine(t, "laptop", annotate.DefaultScheme(), map[string]string{"s": "s.mp4"})
	a.code(t, "s", "dana ", 0)
	lab := newMachine(t, "lab", annotate.DefaultScheme(), nil)
	p := lab.open(t)
	defer p.Close()
	if err := p.AddCoder("Dana"); err != nil {
		t.Fatal(err)
	}
	rep := mustMerge(t, p, a.path)
	if len(rep.Coders) != 0 || len(rep.Added) != 1 {
		t.Fatalf("report %+v", rep)
	}
	o, _ := p.Observation(rep.Added[0].ID)
	coders, _ := p.Coders()
	if o.Coder != "Dana" || !reflect.DeepEqual(coders, []string{"Dana"}) {
		t.Errorf("coder %q, coders %q; want the lab's spelling", o.Coder, coders)
	}
}

// TestMergeSourceOpenElsewhere: a source open for writing in another
// process (a coder still at work) is refused naming it.
func TestMergeSourceOpenElsewhere(t *testing.T) {
	a := newMachine(t, "alice", annotate.DefaultScheme(), map[string]string{"s": "s.mp4"})
	a.code(t, "s", "alice", 0)
	lab := newMachine(t, "lab", annotate.DefaultScheme(), nil)
	stop := holdOpen(t, "hold", a.path)
	defer stop()
	p, err := Open(lab.path, Options{Backups: -1, LockTimeout: 300e6})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	before, _ := os.ReadFile(lab.path)
	_, err = p.Merge(a.path)
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), a.path) {
		t.Errorf("merge of a project open elsewhere: %v", err)
	}
	if after, _ := os.ReadFile(lab.path); !bytes.Equal(before, after) {
		t.Error("target changed")
	}
}

// TestMergeFormat2Source: a project file from an older dyadcode (format 2)
// is merged as it is, without upgrading it; once the file is upgraded
// (or another copy of it is), its observations are the same ones.
func TestMergeFormat2Source(t *testing.T) {
	old := copyFixture(t, "v2.dyad", "old.dyad")
	before, _ := os.ReadFile(old)
	lab := newMachine(t, "lab", annotate.DefaultScheme(), nil)
	p := lab.open(t)
	defer p.Close()
	rep := mustMerge(t, p, old)
	if len(rep.Added) != 2 || len(rep.Videos) != 2 || len(rep.Coders) != 2 {
		t.Fatalf("merge of a format 2 file: %+v", rep)
	}
	if after, _ := os.ReadFile(old); !bytes.Equal(before, after) {
		t.Fatal("merge changed (upgraded?) its format 2 source")
	}
	undo, redo, _ := p.History(rep.Added[0].ID)
	if len(undo) != 8 || len(redo) != 1 {
		t.Errorf("history of the merged format 2 observation: %d undo, %d redo", len(undo), len(redo))
	}
	// The same file upgraded in place is the same observations.
	q, err := Open(old, Options{Backups: -1})
	if err != nil {
		t.Fatal(err)
	}
	q.Close()
	if rep = mustMerge(t, p, old); rep.Changed() || len(rep.Unchanged) != 2 {
		t.Fatalf("merging the upgraded file: %+v", rep)
	}
	ed, _ := p.Editor(rep.Unchanged[0].ID)
	if _, err := ed.Redo(); err != nil { // the comment undone before the upgrade
		t.Fatal(err)
	}
	if err := p.Check(); err != nil {
		t.Fatal(err)
	}
}

// mergeDigest describes a project's content for comparing states: every
// observation's identity and log head, and the CSV export.
func mergeDigest(t testing.TB, path string) string {
	t.Helper()
	p, err := Open(path, Options{Backups: -1})
	if err != nil {
		t.Fatalf("open after merge: %v", err)
	}
	defer p.Close()
	if err := p.Check(); err != nil {
		t.Fatal(err)
	}
	infos, _ := p.Observations()
	coders, _ := p.Coders()
	videos, _ := p.Videos()
	var b strings.Builder
	fmt.Fprintln(&b, coders, len(videos))
	for _, oi := range infos {
		fmt.Fprintln(&b, oi.ID, oi.UID, oi.Changes, oi.Head, oi.Events)
	}
	b.Write(exportCSV(t, p))
	return b.String()
}

// mergeChild is the child process of TestMergeCrash: it merges the
// sources listed in DYAD_MERGE_SOURCES into the project and says "merged".
func mergeChild(path string) error {
	p, err := Open(path, Options{Backups: -1})
	if err != nil {
		return err
	}
	defer p.Close()
	if _, err := p.Merge(filepath.SplitList(os.Getenv("DYAD_MERGE_SOURCES"))...); err != nil {
		return err
	}
	fmt.Println("merged")
	return nil
}

// bigObservation is n valid events 100 ms apart: points, and every tenth
// an explore state of 50 ms.
func bigObservation(coder string, n int) *annotate.Observation {
	o := &annotate.Observation{Coder: coder, Episodes: []annotate.EpisodeMark{{Name: "1 Introduction", Start: 0}}}
	points := []string{"smile", "vocalize", "approach", "check_back"}
	for i := range n {
		at := annotate.Time(i) * 100 * annotate.Millisecond
		e := annotate.Event{Behavior: points[i%len(points)], Subject: "child", Start: at, End: at}
		if i%10 == 0 {
			e.Behavior, e.End = "explore", at+50*annotate.Millisecond
		}
		o.Events = append(o.Events, e)
	}
	return o
}

// bigMachines makes k projects with obs imported observations of n events
// each (and one coded through the editor), over a shared recording and
// one of their own.
func bigMachines(t testing.TB, k, obs, n int) []string {
	t.Helper()
	var paths []string
	for i := range k {
		name := fmt.Sprintf("coder%d", i)
		m := newMachine(t, name, annotate.DefaultScheme(), map[string]string{"shared": "shared.mp4", "own": name + ".mp4"})
		p := m.open(t)
		for j := range obs {
			label := []string{"shared", "own"}[j%2]
			if _, err := p.ImportObservation(m.videos[label].ID, bigObservation(name, n)); err != nil {
				t.Fatal(err)
			}
		}
		p.Close()
		m.code(t, "shared", name, i)
		paths = append(paths, m.path)
	}
	return paths
}

// TestMergeCrash kills a process in the middle of merging three projects
// at random moments (about 20 times) and checks that the target is each
// time either as it was or fully merged, and sound.
func TestMergeCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test spawns 20 processes")
	}
	sources := bigMachines(t, 3, 3, 2000)
	lab := newMachine(t, "lab", annotate.DefaultScheme(), map[string]string{"shared": "ss.mp4"})
	lab.code(t, "shared", "supervisor", 9)
	before := mergeDigest(t, lab.path)
	pristine, err := os.ReadFile(lab.path)
	if err != nil {
		t.Fatal(err)
	}
	ref := filepath.Join(t.TempDir(), filepath.Base(lab.path)) // the export names the project
	os.WriteFile(ref, pristine, 0o644)
	p, err := Open(ref, Options{Backups: -1})
	if err != nil {
		t.Fatal(err)
	}
	mustMerge(t, p, sources...)
	p.Close()
	after := mergeDigest(t, ref)
	if after == before {
		t.Fatal("the merge changes nothing; the test would prove nothing")
	}

	run := func(kill time.Duration) (done bool, took time.Duration) {
		t.Helper()
		if err := os.WriteFile(lab.path, pristine, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), childEnv+"=merge", "DYAD_STORE_PATH="+lab.path,
			"DYAD_MERGE_SOURCES="+strings.Join(sources, string(filepath.ListSeparator)))
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		start := time.Now()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if kill > 0 {
			time.Sleep(kill)
			cmd.Process.Signal(syscall.SIGKILL)
		}
		err := cmd.Wait()
		took = time.Since(start)
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && !ws.Signaled() && err != nil {
			t.Fatalf("merge child failed: %v\n%s", err, stderr.String())
		}
		return strings.Contains(stdout.String(), "merged"), took
	}
	done, full := run(0)
	if !done {
		t.Fatal("an uninterrupted merge in a child did not finish")
	}
	if got := mergeDigest(t, lab.path); got != after {
		t.Fatalf("an uninterrupted merge in a child did not give the reference result:\n%.2000s\nwant\n%.2000s", got, after)
	}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 3))
	var asBefore, asAfter int
	for round := range 20 {
		kill := time.Duration(rng.Int64N(int64(full))) + time.Millisecond
		run(kill)
		switch mergeDigest(t, lab.path) {
		case before:
			asBefore++
		case after:
			asAfter++
		default:
			t.Fatalf("round %d: killed after %v the target is neither as it was nor fully merged", round, kill)
		}
	}
	t.Logf("uninterrupted merge in a child: %v; 20 kills: %d left the target as it was, %d fully merged", full, asBefore, asAfter)
}

// BenchmarkMerge3x20x5000 merges three projects of 20 observations of
// 5,000 events each into an empty project.
func BenchmarkMerge3x20x5000(b *testing.B) {
	sources := bigMachines(b, 3, 20, 5000)
	dir := b.TempDir()
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		p, err := Create(filepath.Join(dir, fmt.Sprintf("lab%d.dyad", i)), nil)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		rep, err := p.Merge(sources...)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if len(rep.Added) != 63 {
			b.Fatalf("added %d", len(rep.Added))
		}
		p.Close()
		os.Remove(p.Path())
		b.StartTimer()
	}
}
