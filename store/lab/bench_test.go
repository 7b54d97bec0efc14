package lab

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"dyadcode/annotate"
	"dyadcode/annotate/agreement"
	"dyadcode/store/lab/pgtest"
)

// benchLab starts a durable server (fsync on, as a lab's would run) with
// a lab of n coders and a supervisor.
func benchLab(b *testing.B, n int) (*pgtest.Server, string, []*Lab, *Lab, annotate.Video) {
	b.Helper()
	s, err := pgtest.StartWith(pgtest.Options{Durable: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	ctx := context.Background()
	db := s.NewDatabase(b)
	owner, err := Init(ctx, s.AdminURL(db), "bench", testScheme())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(owner.Close)
	open := func(name string, sup bool) *Lab {
		role := fmt.Sprintf("%s_%s", db, name)
		if err := owner.AddCoder(ctx, name, role, sup); err != nil {
			b.Fatal(err)
		}
		l, err := Open(ctx, s.URL(db, role))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(l.Close)
		return l
	}
	sup := open("sup", true)
	v := annotate.Video{Path: "s01.mp4", Fingerprint: "sha256:bench", Duration: 2 * annotate.Hour, Rate: annotate.Rate{Num: 25, Den: 1}}
	if err := sup.AddVideo(ctx, v); err != nil {
		b.Fatal(err)
	}
	coders := make([]*Lab, n)
	for i := range coders {
		coders[i] = open(fmt.Sprintf("coder%02d", i), false)
	}
	return s, db, coders, sup, v
}

// BenchmarkSync20Coders: 20 coders, 5,000 events each (one committed change
// per event, as key presses are), push their outboxes concurrently to the
// one server on this machine over its unix socket. Reported: seconds until
// every change is on the server, and changes per second.
func BenchmarkSync20Coders(b *testing.B) {
	const coders, events = 20, 5000
	_, _, labs, sup, v := benchLab(b, coders)
	ctx := context.Background()
	var total time.Duration
	var pushed int64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		outs := make([]*memOutbox, coders)
		for k := range outs {
			c := newCoding(fmt.Sprintf("coder%02d", k), v.Fingerprint)
			codes := []string{"smile", "touch", "cry", "calm"}
			for e := 0; c.ed.Obs.Events == nil || len(c.ed.Obs.Events) < events; e++ {
				if _, err := c.ed.Tag(codes[e%len(codes)], annotate.Time(e)*annotate.Second); err != nil {
					b.Fatal(err)
				}
			}
			outs[k] = &memOutbox{c: c}
		}
		before, _ := sup.Status(ctx)
		b.StartTimer()
		start := time.Now()
		var wg sync.WaitGroup
		errs := make(chan error, coders)
		for k := range outs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := Sync(ctx, labs[k], outs[k], nil); err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		total += time.Since(start)
		b.StopTimer()
		close(errs)
		for err := range errs {
			b.Fatal(err)
		}
		after, _ := sup.Status(ctx)
		want := int64(0)
		for _, o := range outs {
			want += int64(len(o.c.j.changes))
		}
		if after.Changes-before.Changes != want {
			b.Fatalf("server has %d new changes, want %d", after.Changes-before.Changes, want)
		}
		pushed += want
		b.StartTimer()
	}
	b.ReportMetric(total.Seconds()/float64(b.N), "s/all-on-server")
	b.ReportMetric(float64(pushed)/total.Seconds(), "changes/s")
}

// twoHourSession codes a 2-hour session the way a careful coder does:
// states and points every 0.5–2.5 s, about 5,000 events. The second coder
// is the first with onsets jittered by up to ±0.3 s (but for the exclusive
// distress/calm states) and 5% of events
// missed, as a reliability pair looks.
func twoHourSession(b *testing.B, coder string, video string, seed uint64, of *annotate.Observation) *coding {
	c := newCoding(coder, video)
	rng := rand.New(rand.NewPCG(seed, 7))
	must(c.ed.MarkEpisode("1 Intro", 0))(b)
	must(c.ed.MarkEpisode("5 Reunion", annotate.Hour))(b)
	if of == nil {
		codes := []string{"smile", "touch", "cry", "calm", "smile"}
		for t := annotate.Time(0); t < 2*annotate.Hour; t += annotate.Time(500+rng.IntN(2000)) * annotate.Millisecond {
			must(c.ed.Tag(codes[rng.IntN(len(codes))], t))(b)
		}
		return c
	}
	for _, e := range of.Events {
		if rng.IntN(20) == 0 {
			continue
		}
		j := annotate.Time(rng.IntN(600)-300) * annotate.Millisecond
		if e.Behavior == "cry" || e.Behavior == "calm" {
			j = 0 // an exclusive group's states may not overlap
		}
		e.Start, e.End = max(0, e.Start+j), max(0, e.End+j)
		if e.End < e.Start {
			e.End = e.Start
		}
		must(c.ed.Add(e))(b)
	}
	return c
}

// BenchmarkAgreeOnServer: `agree` on a lab for one 2-hour double-coded
// session: both observations read from the server (as the supervisor, so
// row-level security is in the path) and compared. Goal: under 1 s.
func BenchmarkAgreeOnServer(b *testing.B) {
	_, _, labs, sup, v := benchLab(b, 2)
	ctx := context.Background()
	a := twoHourSession(b, "coder00", v.Fingerprint, 1, nil)
	c := twoHourSession(b, "coder01", v.Fingerprint, 2, a.ed.Obs)
	for i, x := range []*coding{a, c} {
		if _, err := Sync(ctx, labs[i], &memOutbox{c: x}, nil); err != nil {
			b.Fatal(err)
		}
	}
	s, _, err := sup.Scheme(ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		oa, err := sup.Observation(ctx, a.obs.UID)
		if err != nil {
			b.Fatal(err)
		}
		oc, err := sup.Observation(ctx, c.obs.UID)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := agreement.Compare([]*annotate.Observation{oa, oc}, nil, s, agreement.Options{End: v.Duration}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(a.ed.Obs.Events)), "events/coder")
}
