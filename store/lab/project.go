package lab

import (
	"context"
	"errors"
	"fmt"

	"dyadcode/annotate"
	"dyadcode/store"
)

// Project is a project file linked to a lab: its Outbox is the change logs
// of the linked coder's observations (store file format 4), its Inbox
// brings other coders' observations and the supervisor's scheme into it.
type Project struct {
	p    *store.Project
	lab  *Lab
	link store.LabLink
	// pending maps the UIDs of the last Pending batch to their
	// observation and log position, for Sent.
	pending map[string]logPos
	videos  map[string]annotate.Video // the lab's, by fingerprint, loaded when needed
	// skip holds observations whose copy diverged from the server's: their
	// changes stay in the project and are not offered again this sync.
	skip map[string]bool
	// SchemeErr is why the last Receive could not take the lab's scheme
	// (the project's coding does not fit it); the changes were received.
	SchemeErr error
}

type logPos struct {
	obs string
	seq uint64
}

// Link joins a project to a lab as coder: it checks the lab knows the
// coder under the role the URL logs in as, refuses a URL with a password,
// and stores the link. The lab's scheme must agree with the project's in
// behaviour codes and kinds; the project takes the lab's on the first sync.
func Link(ctx context.Context, p *store.Project, l *Lab, url, coder string) error {
	if err := CheckStorable(url); err != nil {
		return err
	}
	if me := l.Me(); me.Name != coder {
		return fmt.Errorf("%w: %s logs in as role %q, which the lab knows as coder %q, not %q", ErrNotMember, l.URL(), me.Role, me.Name, coder)
	}
	return p.SetLabLink(store.LabLink{URL: url, Coder: coder})
}

// OpenProject prepares a linked project for Sync against l.
func OpenProject(p *store.Project, l *Lab) (*Project, error) {
	link, err := p.LabLink()
	if err != nil {
		return nil, err
	}
	return &Project{p: p, lab: l, link: link}, nil
}

// Pending implements Outbox.
func (q *Project) Pending(n int) (Batch, error) {
	entries, err := q.p.Outbox(q.link.Coder, n, q.skip)
	if err != nil {
		return Batch{}, err
	}
	var b Batch
	q.pending = map[string]logPos{}
	seenVideo, seenObs := map[string]bool{}, map[string]bool{}
	for _, e := range entries {
		if !seenVideo[e.Video.Fingerprint] {
			seenVideo[e.Video.Fingerprint] = true
			b.Videos = append(b.Videos, e.Video)
		}
		if !seenObs[e.ObsUID] {
			seenObs[e.ObsUID] = true
			b.Observations = append(b.Observations, Observation{UID: e.ObsUID, Video: e.Video.Fingerprint, Coder: e.Coder, Created: e.Created})
		}
		var ch annotate.Change
		switch {
		case e.First != nil:
			ch = annotate.Change{Label: e.Entry.Op, After: e.First.Events, EpisodesAfter: e.First.Episodes, RatingsAfter: e.First.Ratings}
		case e.Entry.Change != nil:
			ch = *e.Entry.Change
		}
		b.Changes = append(b.Changes, Change{UID: e.Entry.UID, Obs: e.ObsUID, Coder: e.Coder, Op: e.Entry.Op, Committed: e.Entry.At, Change: ch, Prev: e.Prev})
		q.pending[e.Entry.UID] = logPos{e.ObsUID, e.Entry.Seq}
	}
	return b, nil
}

// Sent implements Outbox.
func (q *Project) Sent(uids []string) error {
	upTo := map[string]uint64{}
	for _, u := range uids {
		pos, ok := q.pending[u]
		if !ok {
			return fmt.Errorf("confirm %s: not in the last batch", u)
		}
		upTo[pos.obs] = max(upTo[pos.obs], pos.seq)
	}
	return q.p.ConfirmSent(upTo)
}

// Skip implements Skipper: the diverged observation's changes wait in the
// project while the others are pushed.
func (q *Project) Skip(obs string) {
	if q.skip == nil {
		q.skip = map[string]bool{}
	}
	q.skip[obs] = true
}

// Waiting implements Outbox.
func (q *Project) Waiting() (int, error) { return q.p.OutboxWaiting(q.link.Coder) }

// Cursor implements Inbox.
func (q *Project) Cursor() (Cursor, error) { return Cursor{Seq: q.link.Cursor}, nil }

// Receive implements Inbox: the scheme first (a newer revision replaces
// the project's unless the project's coding does not fit it: SchemeErr),
// then the changes, with the new cursor, in one transaction.
func (q *Project) Receive(p *Pulled) error {
	link := q.link
	q.SchemeErr = nil
	if p.SchemeRev != link.SchemeRev {
		if _, err := q.p.ChangeScheme(p.Scheme); err != nil {
			q.SchemeErr = fmt.Errorf("the lab's scheme (revision %d) was not taken: %w", p.SchemeRev, err)
		} else {
			link.SchemeRev = p.SchemeRev
		}
	}
	entries := make([]store.RemoteEntry, 0, len(p.Changes))
	for _, rc := range p.Changes {
		v, err := q.video(rc.Obs.Video)
		if err != nil {
			return err
		}
		ch := rc.Change.Change
		entries = append(entries, store.RemoteEntry{ObsUID: rc.Obs.UID, Coder: rc.Obs.Coder, Created: rc.Obs.Created, Video: v,
			Entry: store.LogEntry{UID: rc.UID, Op: rc.Op, At: rc.Committed, Change: &ch}})
	}
	link.Cursor = p.Next.Seq
	if err := q.p.ReceiveRemote(entries, link); err != nil {
		return err
	}
	q.link = link
	return nil
}

func (q *Project) video(fp string) (annotate.Video, error) {
	if v, ok := q.videos[fp]; ok {
		return v, nil
	}
	vs, err := q.lab.Videos(context.Background())
	if err != nil {
		return annotate.Video{}, err
	}
	q.videos = map[string]annotate.Video{}
	for _, v := range vs {
		q.videos[v.Fingerprint] = v
	}
	if v, ok := q.videos[fp]; ok {
		return v, nil
	}
	return annotate.Video{}, errors.New("video " + fp + " is not on the lab server")
}

// SyncProject pushes the project's outbox and pulls what the coder may
// see, once: `dyadcode lab sync` and the window's background sync.
func SyncProject(ctx context.Context, l *Lab, p *store.Project) (SyncResult, State, error) {
	q, err := OpenProject(p, l)
	if err != nil {
		return SyncResult{}, State{}, err
	}
	r, err := Sync(ctx, l, q, q)
	if err == nil {
		err = q.SchemeErr
	}
	w, werr := q.Waiting()
	if werr != nil && err == nil {
		err = werr
	}
	return r, StateAfter(err, w), err
}

// InitFromProject sets up a lab from a project: its name, scheme and
// videos' metadata (`dyadcode lab init URL --from PROJECT.dyad`).
func InitFromProject(ctx context.Context, url string, p *store.Project) (*Lab, error) {
	l, err := Init(ctx, url, p.Name(), p.Scheme())
	if err != nil {
		return nil, err
	}
	vs, err := p.Videos()
	if err != nil {
		l.Close()
		return nil, err
	}
	for _, v := range vs {
		if err := l.AddVideo(ctx, v); err != nil {
			l.Close()
			return nil, err
		}
	}
	return l, nil
}
