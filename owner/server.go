package owner

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sync"
)

// Request is a command line sent to the owner.
type Request struct {
	// Args are the command's arguments, without the program name.
	Args []string `json:"args"`
	// Dir is the client's working folder, against which relative paths
	// in Args are read.
	Dir string `json:"dir"`
	// Env is the part of the client's environment the command reads, as
	// KEY=value (weir's WEIR_* settings, NO_COLOR, …).
	Env []string `json:"env,omitempty"`
	// Terminal says the client's standard error is a terminal Width
	// columns wide, so the output may use colours.
	Terminal bool `json:"terminal,omitempty"`
	Width    int  `json:"width,omitempty"`
}

// Stdio are a command's standard streams.
type Stdio struct {
	In       io.Reader
	Out, Err io.Writer
}

// Exec runs one request's command with the given streams until it ends
// or ctx does, and returns its exit code. The owner calls it once per
// client, concurrently.
type Exec func(ctx context.Context, req Request, stdio Stdio) int

// Server is the owner's side: a socket beside the owned file.
type Server struct {
	// Builds is the owned file's one-build-at-a-time lock, for the
	// owner's own builds and the clients'.
	Builds *BuildLock

	file, path string
	ln         *net.UnixListener
	wg         sync.WaitGroup
	closeOnce  sync.Once
}

// Listen makes this process the owner of the warehouse file at file: it
// listens on SocketPath(file). A socket another live process listens on
// is an error naming the file; a stale one is replaced.
func Listen(file string) (*Server, error) {
	path := SocketPath(file)
	if c, err := net.Dial("unix", path); err == nil {
		c.Close()
		return nil, fmt.Errorf("another weir process already owns %s (it answers on %s); stop it first", file, path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("owning %s: %w", file, err)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("removing the stale socket %s: %w", path, err)
	}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		return nil, fmt.Errorf("owning %s: %w", file, err)
	}
	ln.SetUnlinkOnClose(true)
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("owning %s: %w", file, err)
	}
	return &Server{Builds: NewBuildLock(), file: file, path: path, ln: ln}, nil
}

// Path is the socket's path.
func (s *Server) Path() string { return s.path }

// Serve answers clients with exec until ctx ends or the server is
// closed, then waits for the commands in flight, which ctx's end
// cancels. It returns nil after either.
func (s *Server) Serve(ctx context.Context, exec Exec) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		<-ctx.Done()
		s.Close()
	}()
	defer s.wg.Wait()
	for {
		conn, err := s.ln.AcceptUnix()
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer conn.Close()
			serveConn(ctx, conn, exec)
		}()
	}
}

// Close stops listening and removes the socket; commands in flight go on
// until Serve's context ends.
func (s *Server) Close() error {
	var err error
	s.closeOnce.Do(func() { err = s.ln.Close() })
	return err
}

// serveConn runs the one command a connection carries.
func serveConn(ctx context.Context, conn net.Conn, exec Exec) {
	fc := newFrameConn(conn)
	kind, payload, err := fc.read()
	if err != nil || kind != frameRequest {
		return
	}
	var req Request
	if err := json.Unmarshal(payload, &req); err != nil {
		fmt.Fprintf(frameWriter{fc, frameStderr}, "Error: a request the owner cannot read: %v\n", err)
		writeExit(fc, 2)
		return
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	in := newRemoteStdin(fc)
	go readClient(fc, in, cancel)
	code := exec(ctx, req, Stdio{In: in, Out: frameWriter{fc, frameStdout}, Err: frameWriter{fc, frameStderr}})
	writeExit(fc, code)
}

func writeExit(fc *frameConn, code int) {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], uint32(int32(code)))
	fc.write(frameExit, b[:])
}

// readClient handles what the client sends while its command runs: input
// and a cancel. The connection closing cancels the command as well.
func readClient(fc *frameConn, in *remoteStdin, cancel context.CancelFunc) {
	defer in.pw.CloseWithError(io.ErrUnexpectedEOF)
	for {
		kind, payload, err := fc.read()
		if err != nil {
			cancel()
			return
		}
		switch kind {
		case frameCancel:
			cancel()
		case frameStdin:
			in.pw.Write(payload)
		case frameStdinEOF:
			in.pw.Close()
		}
	}
}

// remoteStdin is the client's standard input, asked for at the first
// read, so a command that never reads it costs nothing.
type remoteStdin struct {
	fc   *frameConn
	once sync.Once
	pr   *io.PipeReader
	pw   *io.PipeWriter
}

func newRemoteStdin(fc *frameConn) *remoteStdin {
	pr, pw := io.Pipe()
	return &remoteStdin{fc: fc, pr: pr, pw: pw}
}

func (r *remoteStdin) Read(p []byte) (int, error) {
	r.once.Do(func() { r.fc.write(frameWantStdin, nil) })
	return r.pr.Read(p)
}
