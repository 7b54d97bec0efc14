package store

// Tests that need a second, real process: the lock between processes and
// the crash test. The test binary re-executes itself with DYAD_STORE_CHILD
// set (the standard Go pattern); TestMain then runs the child's part instead
// of the tests.

import (
	"bufio"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"dyadcode/annotate"
)

const childEnv = "DYAD_STORE_CHILD"

func TestMain(m *testing.M) {
	if mode := os.Getenv(childEnv); mode != "" {
		if err := child(mode, os.Getenv("DYAD_STORE_PATH")); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(3)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// child is the second process. "hold" and "hold-ro" open the project
// (read-write or read-only), say "open" and wait for stdin to close;
// "add" adds smiles through the real Editor forever, printing each event's
// ID once its Commit has returned.
func child(mode, path string) error {
	switch mode {
	case "hold", "hold-ro":
		p, err := Open(path, Options{ReadOnly: mode == "hold-ro", Backups: -1})
		if err != nil {
			return err
		}
		defer p.Close()
		fmt.Println("open")
		bufio.NewReader(os.Stdin).ReadString('\n') // until the parent closes stdin
		return nil
	case "add":
		backups, _ := strconv.Atoi(os.Getenv("DYAD_STORE_BACKUPS"))
		p, err := Open(path, Options{Backups: backups})
		if err != nil {
			return err
		}
		ed, err := p.Editor("1")
		if err != nil {
			return err
		}
		out := bufio.NewWriter(os.Stdout)
		for i := 0; ; i++ {
			ch, err := ed.Tag("smile", annotate.Time(len(ed.Obs.Events))*annotate.Millisecond)
			if err != nil {
				return err
			}
			// Unbuffered in effect: flushed at once, so the parent has
			// every ID whose commit returned.
			fmt.Fprintln(out, ch.After[0].ID)
			out.Flush()
		}
	case "merge":
		return mergeChild(path)
	}
	return fmt.Errorf("unknown mode %q", mode)
}

// startChild runs the test binary as a child in mode on path; its stdout
// is returned as a line reader.
func startChild(t *testing.T, mode, path string) (*exec.Cmd, *bufio.Scanner, func()) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+mode, "DYAD_STORE_PATH="+path)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stop := func() {
		stdin.Close()
		if err := cmd.Wait(); err != nil {
			t.Errorf("child %s: %v\n%s", mode, err, stderr.String())
		}
	}
	return cmd, bufio.NewScanner(stdout), stop
}

// holdOpen starts a child holding the project open and waits until it has.
func holdOpen(t *testing.T, mode, path string) (stop func()) {
	t.Helper()
	cmd, lines, stop := startChild(t, mode, path)
	if !lines.Scan() || lines.Text() != "open" {
		cmd.Process.Kill()
		stop()
		t.Fatalf("child %s did not open the project", mode)
	}
	return stop
}

func TestLockBetweenProcesses(t *testing.T) {
	p, _ := newProject(t)
	path := p.Path()
	p.Close()

	stop := holdOpen(t, "hold", path)
	for _, opt := range []Options{{}, {ReadOnly: true}} {
		start := time.Now()
		q, err := Open(path, opt)
		took := time.Since(start)
		if err == nil {
			q.Close()
			t.Fatalf("Open (read-only %v) succeeded while another process has the project open", opt.ReadOnly)
		}
		if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "project "+path+" is already open") {
			t.Errorf("read-only %v: error %q, want ErrLocked saying the project is already open", opt.ReadOnly, err)
		}
		if took >= 3*time.Second {
			t.Errorf("read-only %v: gave up after %v, want under 3 s", opt.ReadOnly, took)
		}
	}
	stop()

	// Readers share: a second reader opens, a writer does not.
	stop = holdOpen(t, "hold-ro", path)
	r, err := Open(path, Options{ReadOnly: true, LockTimeout: 500 * time.Millisecond})
	if err != nil {
		t.Errorf("a second reader could not open: %v", err)
	} else {
		if _, err := r.Observations(); err != nil {
			t.Error(err)
		}
		r.Close()
	}
	if w, err := Open(path, Options{LockTimeout: 300 * time.Millisecond}); !errors.Is(err, ErrLocked) {
		if err == nil {
			w.Close()
		}
		t.Errorf("writer while a reader holds the project: %v, want ErrLocked", err)
	}
	stop()

	// Once the other process is gone the project opens at once.
	q, err := Open(path, Options{LockTimeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	q.Close()
}

// TestCrash kills a process adding events at random moments and checks
// that every event it reported saved is in the file, and the file is sound.
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test spawns 50 processes")
	}
	p, v := newProject(t)
	if _, err := p.NewObservation(v.ID, "alice"); err != nil {
		t.Fatal(err)
	}
	path := p.Path()
	p.Close()

	const rounds = 50
	acked := map[annotate.EventID]bool{}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 2))
	deadline := time.Now().Add(50 * time.Second)
	round := 0
	for ; round < rounds && time.Now().Before(deadline); round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		// Every other round the child makes its rolling backup on open,
		// so some kills land in the middle of a backup copy.
		backups := []string{"-1", "3"}[round%2]
		cmd.Env = append(os.Environ(), childEnv+"=add", "DYAD_STORE_PATH="+path, "DYAD_STORE_BACKUPS="+backups)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		got := make(chan []annotate.EventID)
		go func() {
			var ids []annotate.EventID
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				n, err := strconv.ParseUint(sc.Text(), 10, 64)
				if err == nil {
					ids = append(ids, annotate.EventID(n))
				}
			}
			got <- ids
		}()
		// Anywhere from before the child has opened the file to well
		// into its loop of commits.
		time.Sleep(time.Duration(rng.IntN(120)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		ids := <-got
		err = cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && !ws.Signaled() {
			t.Fatalf("round %d: child ended by itself (%v): %s", round, err, stderr.String())
		}
		for _, id := range ids {
			acked[id] = true
		}

		q, err := Open(path, Options{Backups: -1})
		if err != nil {
			t.Fatalf("round %d: reopen after SIGKILL: %v", round, err)
		}
		o, err := q.Observation("1")
		if err != nil {
			t.Fatal(err)
		}
		have := map[annotate.EventID]bool{}
		for _, e := range o.Events {
			have[e.ID] = true
		}
		for id := range acked {
			if !have[id] {
				t.Fatalf("round %d: event %d was reported saved but is missing after the kill", round, id)
			}
		}
		if extra := len(have) - len(acked); extra < 0 || extra > round+1 {
			t.Fatalf("round %d: %d events stored but never acknowledged; at most one per kill may be", round, extra)
		}
		// The event and its undo entry are one transaction: never one
		// without the other.
		undo, _, err := q.History("1")
		if err != nil {
			t.Fatal(err)
		}
		if len(undo) != min(len(o.Events), MaxHistory) {
			t.Fatalf("round %d: %d events but %d undo entries", round, len(o.Events), len(undo))
		}
		if err := q.Check(); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		q.Close()
	}
	if round < rounds {
		t.Errorf("only %d rounds in the time budget", round)
	}
	if len(acked) < rounds {
		t.Errorf("only %d events acknowledged over %d rounds: the kills came too early to test much", len(acked), round)
	}
	t.Logf("%d rounds, %d events acknowledged and found", round, len(acked))
	// One more open with backups clears temp files of copies cut short and
	// keeps only the last three, each a sound project.
	q, err := Open(path, Options{Backups: 3})
	if err != nil {
		t.Fatal(err)
	}
	q.Close()
	entries, _ := os.ReadDir(backupDir(path))
	if len(entries) == 0 || len(entries) > 3 {
		t.Errorf("%d entries in the backup folder, want 1 to 3", len(entries))
	}
	for _, e := range entries {
		b, err := Open(filepath.Join(backupDir(path), e.Name()), Options{ReadOnly: true})
		if err != nil {
			t.Errorf("backup %s: %v", e.Name(), err)
			continue
		}
		if err := b.Check(); err != nil {
			t.Error(err)
		}
		b.Close()
	}
}
