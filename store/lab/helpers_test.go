package lab

import (
	"crypto/rand"
	"encoding/hex"
	"reflect"
	"testing"
	"time"

	"dyadcode/annotate"
)

// journal stands in for the project file's outbox until store v3 gives
// changes their UIDs: it records every committed change with a fresh UID,
// as the project's outbox will. The editor is annotate's real one.
type journal struct {
	coder, video string
	changes      []Change
	last         string // UID of the last change, the next one's Prev
}

func (j *journal) Commit(obs string, op annotate.Op, ch annotate.Change) error {
	if op == annotate.OpUndo {
		ch = ch.Inverse() // as applied, as the project's log records it
	}
	uid := newUID()
	j.changes = append(j.changes, Change{UID: uid, Prev: j.last, Obs: obs, Coder: j.coder, Op: op.String(), Committed: time.Now(), Change: ch})
	j.last = uid
	return nil
}

func newUID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// coding is one coder's local observation with its outbox.
type coding struct {
	j   *journal
	ed  *annotate.Editor
	obs Observation
}

func newCoding(coder, video string) *coding {
	uid := newUID()
	o := &annotate.Observation{ID: uid, Video: video, Coder: coder, NextID: 1}
	j := &journal{coder: coder, video: video}
	return &coding{j: j, ed: annotate.NewEditor(o, testScheme(), j, nil, nil),
		obs: Observation{UID: uid, Video: video, Coder: coder, Created: time.Now()}}
}

// batch is everything not yet pushed from index from.
func (c *coding) batch(from int) Batch {
	return Batch{Observations: []Observation{c.obs}, Changes: c.j.changes[from:]}
}

// must(f())(t) fails the test when f fails, else returns f's value.
func must[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// codeSession makes a realistic little session: states, points with
// modifiers and comments, episode marks, a rating, an edit, an undo and a
// redo.
func codeSession(t testing.TB, c *coding, offset annotate.Time) {
	t.Helper()
	ed := c.ed
	must(ed.MarkEpisode("1 Intro", offset))(t)
	must(ed.Tag("cry", offset+2*annotate.Second))(t)
	must(ed.Tag("calm", offset+5*annotate.Second))(t) // stops cry
	ch := must(ed.Tag("smile", offset+6*annotate.Second))(t)
	must(ed.SetModifiers(ch.After[0].ID, []string{"big"}))(t)
	must(ed.ChangeComment(ch.After[0].ID, "laughs at the toy"))(t)
	must(ed.Tag("touch", offset+7*annotate.Second))(t)
	must(ed.Tag("touch", offset+9*annotate.Second))(t)
	must(ed.MarkEpisode("5 Reunion", offset+20*annotate.Second))(t)
	must(ed.Rate("5 Reunion", "proximity", 5))(t)
	must(ed.Rate("5 Reunion", "proximity", 6))(t)
	must(ed.Tag("smile", offset+21*annotate.Second))(t)
	must(ed.Undo())(t)
	must(ed.Redo())(t)
	must(ed.Undo())(t)
}

// sameCoding compares what matters of two observations: events, marks,
// ratings.
func sameCoding(t testing.TB, got, want *annotate.Observation) {
	t.Helper()
	norm := func(o *annotate.Observation) *annotate.Observation {
		c := &annotate.Observation{Events: append([]annotate.Event{}, o.Events...), Episodes: append([]annotate.EpisodeMark{}, o.Episodes...)}
		for i := range c.Events {
			if len(c.Events[i].Modifiers) == 0 {
				c.Events[i].Modifiers = nil
			}
		}
		annotate.SortEvents(c.Events)
		c.Ratings = append([]annotate.Rating{}, o.Ratings...)
		return c
	}
	g, w := norm(got), norm(want)
	if !reflect.DeepEqual(g.Events, w.Events) {
		t.Errorf("events differ:\n got %+v\nwant %+v", g.Events, w.Events)
	}
	if !reflect.DeepEqual(g.Episodes, w.Episodes) {
		t.Errorf("episode marks differ:\n got %+v\nwant %+v", g.Episodes, w.Episodes)
	}
	if !reflect.DeepEqual(g.Ratings, w.Ratings) {
		t.Errorf("ratings differ:\n got %+v\nwant %+v", g.Ratings, w.Ratings)
	}
}
