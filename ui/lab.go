package ui

// The window's background sync with a lab server (package store/lab): a
// project linked with `dyadcode lab join` is synced when it opens and
// every minute while it is open, and the window's title shows the state:
// "lab: synced", "lab: N changes waiting", "lab: server unreachable". The
// coder never waits for the network: every key press is committed to the
// project file as before, and a sync only reads what is committed.

import (
	"context"
	"sync"
	"time"

	"fyne.io/fyne/v2"

	"dyadcode/app"
	"dyadcode/store"
)

// labSyncEvery is how often an open, linked project syncs.
const labSyncEvery = time.Minute

// labSync is the running background sync of one open project.
type labSync struct {
	cancel context.CancelFunc
	wg     sync.WaitGroup
	mu     sync.Mutex // one sync at a time
	state  string     // the title's label; touched on the UI goroutine only
}

// startLabSync starts syncing the open project if it is linked to a lab.
func (s *shell) startLabSync() {
	if s.proj == nil {
		return
	}
	if _, err := s.proj.LabLink(); err != nil {
		return // not linked: nothing to show
	}
	ctx, cancel := context.WithCancel(context.Background())
	l := &labSync{cancel: cancel, state: "lab: syncing…"}
	s.lab = l
	p := s.proj
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		t := time.NewTicker(labSyncEvery)
		defer t.Stop()
		for {
			s.syncLab(ctx, l, p)
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
}

// syncLab syncs once and hands the state to the window.
func (s *shell) syncLab(ctx context.Context, l *labSync, p *store.Project) {
	l.mu.Lock()
	_, st, err := app.LabSyncOpen(ctx, p)
	l.mu.Unlock()
	if ctx.Err() != nil {
		return // the project is closing
	}
	label := "lab: " + st.String()
	if err != nil && !st.Unreachable {
		fyne.LogError("lab sync of "+p.Path(), err)
		label = "lab: sync failed, " + st.String()
	}
	s.sched.uiDo(func() {
		if s.lab == l {
			l.state = label
			s.updateTitle()
		}
	})
}

// stopLabSync stops the background sync and waits for one in flight, so
// the project can be closed under it.
func (s *shell) stopLabSync() {
	if s.lab == nil {
		return
	}
	s.lab.cancel()
	s.lab.wg.Wait()
	s.lab = nil
}

// labLabel is the lab state for the title, "" for an unlinked project.
func (s *shell) labLabel() string {
	if s.lab == nil {
		return ""
	}
	return s.lab.state
}
