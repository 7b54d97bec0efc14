package store

import (
	"sync"
	"testing"

	"dyadcode/annotate"
)

// TestConcurrentUse: the app commits edits from the UI goroutine while
// others list observations, read caches and save the position; run with
// -race.
func TestConcurrentUse(t *testing.T) {
	p, v := newProject(t)
	o, err := p.NewObservation(v.ID, "alice")
	if err != nil {
		t.Fatal(err)
	}
	id := o.ID // the editor rewrites *o
	ed := annotate.NewEditor(o, p.Scheme(), p, nil, nil)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := p.Observations(); err != nil {
					t.Error(err)
				}
				if _, err := p.Observation(id); err != nil {
					t.Error(err)
				}
				_ = p.Scheme()
				if err := p.SetPosition(id, 5); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	for i := range 50 {
		if _, err := ed.Tag("smile", annotate.Time(i)*annotate.Second); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
	if got := mustObs(t, p, id); len(got.Events) != 50 {
		t.Errorf("%d events", len(got.Events))
	}
	if err := p.Check(); err != nil {
		t.Error(err)
	}
}
