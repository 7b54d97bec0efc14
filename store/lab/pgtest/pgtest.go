// Package pgtest starts a real, throw-away PostgreSQL server for tests: the
// Debian `postgresql` package's own binaries, `initdb` into a temporary
// directory and `postgres` listening on a unix socket in that directory and
// on a free loopback port (with TLS, from a certificate made here), torn
// down by Stop. One server serves a whole test binary (start it in
// TestMain); each test takes a fresh database from NewDatabase.
//
// PostgreSQL refuses to run as root. When the tests run as root (CI, a
// fresh container) the server binaries run as the `postgres` system user the
// package creates (or `nobody` without it), in a directory that user owns;
// a developer's ordinary account runs them as itself. The server is a direct
// child started with a parent-death signal, so a test binary killed by the
// go tool's timeout does not leave a postmaster behind.
package pgtest

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// ErrNoServer: the PostgreSQL server binaries are not installed.
var ErrNoServer = errors.New("PostgreSQL server binaries not found (install the Debian package postgresql; scripts/install-deps does)")

// Superuser is the role initdb creates; tests connect as it over the unix
// socket (trust authentication there) to create databases and roles.
const Superuser = "dyadtest"

// Server is a running test server.
type Server struct {
	Dir     string // data directory's parent; also the unix socket directory
	Port    int    // loopback TCP port (TLS available) and the socket's number
	CAFile  string // the certificate the server presents, for sslrootcert
	bin     string
	data    string
	cred    *syscall.Credential
	cmd     *exec.Cmd
	done    chan struct{}
	mu      sync.Mutex
	counter atomic.Int64
	log     string
	durable bool
}

// binDir finds the server binaries: $PG_BINDIR, then the newest
// /usr/lib/postgresql/N/bin, then PATH.
func binDir() (string, error) {
	if d := os.Getenv("PG_BINDIR"); d != "" {
		return d, nil
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	best, bestV := "", -1
	for _, m := range matches {
		v, err := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(m))))
		if err == nil && v > bestV {
			best, bestV = filepath.Dir(m), v
		}
	}
	if best != "" {
		return best, nil
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", ErrNoServer
}

// serverUser is who runs the server: nil (ourselves) unless we are root.
func serverUser() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), NoSetGroups: true}, nil
	}
	return nil, errors.New("running as root and neither a postgres nor a nobody user exists to run the server as")
}

// Options for StartWith.
type Options struct {
	// Durable keeps PostgreSQL's defaults: every commit flushed to disk
	// (fsync, synchronous_commit, full_page_writes). Tests run without,
	// since a test's data need not survive a power cut; benchmarks that
	// report figures for a lab's server run with.
	Durable bool
}

// Start initialises a cluster in a new temporary directory and starts it,
// without durability (see Options.Durable).
func Start() (*Server, error) { return StartWith(Options{}) }

// StartWith is Start with options.
func StartWith(opt Options) (*Server, error) {
	bin, err := binDir()
	if err != nil {
		return nil, err
	}
	cred, err := serverUser()
	if err != nil {
		return nil, err
	}
	// A short path: a unix socket path is limited to 107 bytes.
	dir, err := os.MkdirTemp("", "dyadpg-")
	if err != nil {
		return nil, err
	}
	s := &Server{Dir: dir, bin: bin, data: filepath.Join(dir, "data"), cred: cred, log: filepath.Join(dir, "server.log"), durable: opt.Durable}
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	if err := s.initdb(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := s.Restart(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return s, nil
}

func (s *Server) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(s.bin, name), args...)
	cmd.Env = append(os.Environ(), "LC_ALL=C", "TZ=UTC")
	cmd.Dir = s.Dir
	if s.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
	}
	return cmd
}

func (s *Server) initdb() error {
	cmd := s.command("initdb", "-D", s.data, "-U", Superuser, "--auth-local=trust", "--auth-host=scram-sha-256",
		"-E", "UTF8", "--no-sync", "--locale=C")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("initdb in %s: %w\n%s", s.data, err, out)
	}
	// The server presents a certificate for localhost and 127.0.0.1, so a
	// client can connect with sslmode=verify-full as a lab's would.
	certPEM, keyPEM, err := selfSigned()
	if err != nil {
		return err
	}
	for name, data := range map[string][]byte{"server.crt": certPEM, "server.key": keyPEM} {
		p := filepath.Join(s.data, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			return err
		}
		if s.cred != nil {
			if err := os.Chown(p, int(s.cred.Uid), int(s.cred.Gid)); err != nil {
				return err
			}
		}
	}
	s.CAFile = filepath.Join(s.Dir, "ca.crt")
	if err := os.WriteFile(s.CAFile, certPEM, 0o644); err != nil {
		return err
	}
	if s.cred != nil {
		// The test (root) reads it; the server user needs nothing of it.
		_ = os.Chmod(s.CAFile, 0o644)
	}
	return nil
}

func selfSigned() (certPEM, keyPEM []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "localhost"},
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Restart starts the server again after Stop (the fault tests stop it
// while coders keep coding). The first start picks a free port; later
// starts reuse it, so clients' URLs stay valid.
func (s *Server) Restart() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		return errors.New("pgtest: server already running")
	}
	if s.Port == 0 {
		p, err := freePort()
		if err != nil {
			return err
		}
		s.Port = p
	}
	logf, err := os.OpenFile(s.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer logf.Close()
	args := []string{"-D", s.data, "-p", strconv.Itoa(s.Port),
		"-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=" + s.Dir,
		"-c", "ssl=on", "-c", "max_connections=200", "-c", "shared_buffers=64MB"}
	if !s.durable {
		args = append(args, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	}
	cmd := s.command("postgres", args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	// SIGQUIT is PostgreSQL's immediate shutdown: if the test binary dies,
	// the postmaster goes with it.
	cmd.SysProcAttr.Pdeathsig = syscall.SIGQUIT
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start postgres: %w", err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	s.cmd, s.done = cmd, done
	deadline := time.Now().Add(60 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		conn, err := pgx.Connect(ctx, s.AdminURL("postgres"))
		cancel()
		if err == nil {
			conn.Close(context.Background())
			return nil
		}
		select {
		case <-done:
			s.cmd = nil
			out, _ := os.ReadFile(s.log)
			return fmt.Errorf("postgres exited at start: %s", tail(out))
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("postgres did not accept connections within 60 s: %w", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func tail(b []byte) string {
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}

// Stop shuts the server down fast (SIGINT: PostgreSQL's "fast" mode, which
// disconnects clients) and waits for it. The data directory stays for
// Restart; Close removes it.
func (s *Server) Stop() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return nil
	}
	_ = s.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-s.done:
	case <-time.After(30 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
	s.cmd = nil
	return nil
}

// Close stops the server and removes its directory.
func (s *Server) Close() error {
	err := s.Stop()
	if rerr := os.RemoveAll(s.Dir); err == nil {
		err = rerr
	}
	return err
}

// Log returns the server's log, for a failing test's message.
func (s *Server) Log() string {
	b, _ := os.ReadFile(s.log)
	return tail(b)
}

// URL is a connection URL to database db as role over the unix socket.
func (s *Server) URL(db, role string) string {
	q := url.Values{"host": {s.Dir}, "port": {strconv.Itoa(s.Port)}, "sslmode": {"disable"}}
	return (&url.URL{Scheme: "postgres", User: url.User(role), Path: "/" + db, RawQuery: q.Encode()}).String()
}

// TCPURL is a URL over the loopback port with sslmode=verify-full against
// the server's certificate; the role needs a password (scram-sha-256).
func (s *Server) TCPURL(db, role string) string {
	q := url.Values{"sslmode": {"verify-full"}, "sslrootcert": {s.CAFile}}
	return (&url.URL{Scheme: "postgres", User: url.User(role), Host: "localhost:" + strconv.Itoa(s.Port), Path: "/" + db, RawQuery: q.Encode()}).String()
}

// AdminURL connects to db as the superuser.
func (s *Server) AdminURL(db string) string { return s.URL(db, Superuser) }

// NewDatabase creates a fresh, empty database for one test and returns
// its name; it is dropped when the test ends.
func (s *Server) NewDatabase(t testing.TB) string {
	t.Helper()
	name := fmt.Sprintf("t%d_%s", s.counter.Add(1), sanitize(t.Name()))
	if len(name) > 60 {
		name = name[:60]
	}
	s.Exec(t, "postgres", "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, s.AdminURL("postgres"))
		if err != nil {
			return // the server is gone; Close removes everything
		}
		defer conn.Close(ctx)
		conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
	})
	return name
}

// Role creates a login role (cluster-wide, so tests name it uniquely) with
// a password for TCP connections, and returns its name.
func (s *Server) Role(t testing.TB, name, password string) string {
	t.Helper()
	s.Exec(t, "postgres", fmt.Sprintf("CREATE ROLE %s LOGIN PASSWORD '%s'",
		pgx.Identifier{name}.Sanitize(), strings.ReplaceAll(password, "'", "''")))
	return name
}

// Exec runs SQL as the superuser in db, failing the test on error.
func (s *Server) Exec(t testing.TB, db, sql string, args ...any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.AdminURL(db))
	if err != nil {
		t.Fatalf("connect to %s: %v", db, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func sanitize(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}
