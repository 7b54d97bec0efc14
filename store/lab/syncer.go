package lab

import (
	"context"
	"errors"
	"fmt"
)

// Outbox is the working copy's queue of committed changes the server has
// not confirmed yet, oldest first. A change enters it in the same local
// transaction that commits the edit, so a crash cannot separate the two;
// it leaves only after the server has it. Between the two a crash may
// push a change twice, which the server ignores by UID.
type Outbox interface {
	// Pending returns up to n of the oldest unconfirmed changes, with the
	// videos and observation headers they need.
	Pending(n int) (Batch, error)
	// Sent drops changes the server has confirmed, by UID.
	Sent(uids []string) error
	// Waiting counts the unconfirmed changes.
	Waiting() (int, error)
}

// Inbox takes what a Pull brings into the working copy.
type Inbox interface {
	// Cursor is where the last Receive left off.
	Cursor() (Cursor, error)
	// Receive applies the pulled scheme and changes and stores p.Next as
	// the new cursor, all in one local transaction. It skips changes it
	// already has (its own, by UID).
	Receive(p *Pulled) error
}

// Skipper is an Outbox that can leave an observation out of the rest of a
// sync: Sync skips an observation whose copy diverged from the server's
// (ErrDiverged) and pushes the others.
type Skipper interface {
	Skip(obs string)
}

// PushBatch is how many changes one Push carries: big enough that a
// coder's backlog after a day offline goes in seconds, small enough that
// one transaction stays short.
const PushBatch = 500

// SyncResult says what one Sync did.
type SyncResult struct {
	Pushed int // changes sent and confirmed
	New    int // of those, new to the server (the rest were retries)
	Pulled int // changes received
}

// Sync pushes the whole outbox, then pulls until there is nothing more.
// It stops at the first error; what was confirmed stays confirmed, so the
// next Sync continues where this one stopped. in may be nil (push only).
func Sync(ctx context.Context, l *Lab, out Outbox, in Inbox) (SyncResult, error) {
	return syncBatches(ctx, l, out, in, PushBatch)
}

// syncBatches is Sync with pushes of batch changes (the kill test pushes
// small batches so its kills land between and inside many pushes).
func syncBatches(ctx context.Context, l *Lab, out Outbox, in Inbox, batch int) (SyncResult, error) {
	var r SyncResult
	var diverged []error
	for {
		b, err := out.Pending(batch)
		if err != nil {
			return r, fmt.Errorf("sync: read outbox: %w", err)
		}
		if len(b.Changes) == 0 && len(b.Observations) == 0 && len(b.Videos) == 0 {
			break
		}
		n, err := l.Push(ctx, b)
		var de *DivergedError
		if sk, ok := out.(Skipper); ok && errors.As(err, &de) && de.Obs != "" {
			sk.Skip(de.Obs)
			diverged = append(diverged, err)
			continue
		}
		if err != nil {
			return r, err
		}
		uids := make([]string, len(b.Changes))
		for i, c := range b.Changes {
			uids[i] = c.UID
		}
		if err := out.Sent(uids); err != nil {
			return r, fmt.Errorf("sync: mark %d changes sent: %w", len(uids), err)
		}
		r.Pushed += len(uids)
		r.New += n
		if len(b.Changes) == 0 {
			break // headers only: nothing more to confirm
		}
	}
	if in == nil {
		return r, errors.Join(diverged...)
	}
	for {
		cur, err := in.Cursor()
		if err != nil {
			return r, fmt.Errorf("sync: read cursor: %w", err)
		}
		p, err := l.Pull(ctx, cur)
		if err != nil {
			return r, err
		}
		if err := in.Receive(p); err != nil {
			return r, fmt.Errorf("sync: apply pulled changes: %w", err)
		}
		r.Pulled += len(p.Changes)
		if !p.More {
			return r, errors.Join(diverged...)
		}
	}
}

// State is what the window shows about a working copy's sync.
type State struct {
	Waiting     int  // changes not yet on the server
	Unreachable bool // the last attempt could not reach the server
}

// String is the state label: "synced", "N changes waiting", or "server
// unreachable" (with the count when there is one).
func (s State) String() string {
	switch {
	case s.Unreachable && s.Waiting > 0:
		return fmt.Sprintf("server unreachable, %d %s waiting", s.Waiting, plural(s.Waiting))
	case s.Unreachable:
		return "server unreachable"
	case s.Waiting > 0:
		return fmt.Sprintf("%d %s waiting", s.Waiting, plural(s.Waiting))
	}
	return "synced"
}

func plural(n int) string {
	if n == 1 {
		return "change"
	}
	return "changes"
}

// StateAfter is the state after a Sync that returned err, with waiting
// changes left in the outbox.
func StateAfter(err error, waiting int) State {
	return State{Waiting: waiting, Unreachable: errors.Is(err, ErrUnreachable)}
}
