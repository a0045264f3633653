package owner

import (
	"bytes"
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// serveEcho owns file with a command that echoes its arguments and
// standard input, or waits for its cancel when told to.
func serveEcho(t *testing.T, file string) *Server {
	t.Helper()
	srv, err := Listen(file)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- srv.Serve(ctx, func(ctx context.Context, req Request, stdio Stdio) int {
			switch req.Args[0] {
			case "wait":
				io.WriteString(stdio.Err, "waiting\n")
				<-ctx.Done()
				io.WriteString(stdio.Out, "canceled\n")
				return 130
			case "cat":
				io.Copy(stdio.Out, stdio.In)
				return 0
			}
			io.WriteString(stdio.Out, strings.Join(req.Args, " ")+" in "+req.Dir)
			return 3
		})
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return srv
}

func run(t *testing.T, ctx context.Context, file string, req Request, in io.Reader) (int, string, string) {
	t.Helper()
	c, err := Dial(file)
	if err != nil || c == nil {
		t.Fatalf("Dial: %v, %v", c, err)
	}
	var out, errOut bytes.Buffer
	code, err := c.Run(ctx, req, Stdio{In: in, Out: &out, Err: &errOut})
	if err != nil {
		t.Fatal(err)
	}
	return code, out.String(), errOut.String()
}

func TestRunOutputAndExitCode(t *testing.T) {
	file := filepath.Join(t.TempDir(), "w.duckdb")
	serveEcho(t, file)
	code, out, _ := run(t, context.Background(), file, Request{Args: []string{"query", "x"}, Dir: "/d"}, nil)
	if code != 3 || out != "query x in /d" {
		t.Fatalf("got %d %q", code, out)
	}
	big := strings.Repeat("0123456789", 100_000)
	code, out, _ = run(t, context.Background(), file, Request{Args: []string{"cat"}}, strings.NewReader(big))
	if code != 0 || out != big {
		t.Fatalf("cat: code %d, %d bytes back of %d", code, len(out), len(big))
	}
}

func TestCancelReachesTheOwner(t *testing.T) {
	file := filepath.Join(t.TempDir(), "w.duckdb")
	serveEcho(t, file)
	ctx, cancel := context.WithCancel(context.Background())
	c, err := Dial(file)
	if err != nil || c == nil {
		t.Fatalf("Dial: %v, %v", c, err)
	}
	pr, pw := io.Pipe()
	go func() {
		buf := make([]byte, 8)
		pr.Read(buf) // "waiting": the command runs
		cancel()
		io.Copy(io.Discard, pr)
	}()
	var out bytes.Buffer
	code, err := c.Run(ctx, Request{Args: []string{"wait"}}, Stdio{Out: &out, Err: pw})
	if err != nil || code != 130 || out.String() != "canceled\n" {
		t.Fatalf("got %d %q %v", code, out.String(), err)
	}
}

func TestNoOwnerAndSecondOwner(t *testing.T) {
	file := filepath.Join(t.TempDir(), "w.duckdb")
	if c, err := Dial(file); c != nil || err != nil {
		t.Fatalf("Dial with no owner: %v, %v", c, err)
	}
	serveEcho(t, file)
	if _, err := Listen(file); err == nil || !strings.Contains(err.Error(), "already owns") {
		t.Fatalf("a second owner: %v", err)
	}
}

// TestStaleSocket leaves a socket nobody listens on, as an owner killed
// with SIGKILL does: Dial removes it and says there is no owner, and a
// new owner can listen.
func TestStaleSocket(t *testing.T) {
	file := filepath.Join(t.TempDir(), "w.duckdb")
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: SocketPath(file), Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	ln.SetUnlinkOnClose(false)
	ln.Close()
	if _, err := os.Stat(SocketPath(file)); err != nil {
		t.Fatal(err)
	}
	if c, err := Dial(file); c != nil || err != nil {
		t.Fatalf("Dial of a stale socket: %v, %v", c, err)
	}
	if _, err := os.Stat(SocketPath(file)); err == nil {
		t.Fatal("the stale socket is still there")
	}
	ln, _ = net.ListenUnix("unix", &net.UnixAddr{Name: SocketPath(file), Net: "unix"})
	ln.SetUnlinkOnClose(false)
	ln.Close()
	serveEcho(t, file) // replaces it
}

// TestLongPath puts the socket under the temporary folder when the
// file's path is too long for a unix socket beside it.
func TestLongPath(t *testing.T) {
	dir := filepath.Join(t.TempDir(), strings.Repeat("d", 60), strings.Repeat("e", 60))
	os.MkdirAll(dir, 0o755)
	file := filepath.Join(dir, "w.duckdb")
	if p := SocketPath(file); !strings.HasPrefix(p, os.TempDir()) || len(p) > maxSocketPath {
		t.Fatalf("socket path %s", p)
	}
	serveEcho(t, file)
	if code, _, _ := run(t, context.Background(), file, Request{Args: []string{"x"}}, nil); code != 3 {
		t.Fatalf("code %d", code)
	}
}

func TestBuildLockWaits(t *testing.T) {
	l := NewBuildLock()
	release, err := l.Acquire(context.Background(), "weir watch", nil)
	if err != nil {
		t.Fatal(err)
	}
	waited := make(chan string, 1)
	got := make(chan func(), 1)
	go func() {
		r, _ := l.Acquire(context.Background(), "a build", func(h string) { waited <- h })
		got <- r
	}()
	if h := <-waited; h != "weir watch" {
		t.Fatalf("told the holder is %q", h)
	}
	select {
	case <-got:
		t.Fatal("two holders at once")
	case <-time.After(50 * time.Millisecond):
	}
	release()
	(<-got)()
	ctx, cancel := context.WithCancel(context.Background())
	r, _ := l.Acquire(ctx, "x", nil)
	cancel()
	if _, err := l.Acquire(ctx, "y", nil); err == nil {
		t.Fatal("Acquire after ctx ended")
	}
	r()
}
