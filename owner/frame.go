package owner

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"sync"
)

// Frame kinds. A connection carries one command: the client sends the
// request, then standard input when asked and a cancel at Ctrl-C; the
// owner sends output frames and, last, the exit code.
const (
	frameRequest   = 'q' // client: the Request, as JSON
	frameStdin     = 'i' // client: a chunk of standard input
	frameStdinEOF  = 'I' // client: standard input ended
	frameCancel    = 'c' // client: stop the command (Ctrl-C)
	frameStdout    = 'o' // owner: a chunk of standard output
	frameStderr    = 'e' // owner: a chunk of standard error
	frameWantStdin = 'r' // owner: the command reads standard input
	frameExit      = 'x' // owner: the exit code, as 4 bytes; the last frame
)

// maxFrame bounds a frame's payload, so a confused peer cannot make the
// other allocate without limit.
const maxFrame = 16 << 20

// frameConn reads and writes frames; writes from several goroutines take
// turns.
type frameConn struct {
	r  *bufio.Reader
	mu sync.Mutex
	w  io.Writer
}

func newFrameConn(rw io.ReadWriter) *frameConn {
	return &frameConn{r: bufio.NewReader(rw), w: rw}
}

// write sends one frame.
func (c *frameConn) write(kind byte, payload []byte) error {
	var head [5]byte
	head[0] = kind
	binary.BigEndian.PutUint32(head[1:], uint32(len(payload)))
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, err := c.w.Write(head[:]); err != nil {
		return err
	}
	_, err := c.w.Write(payload)
	return err
}

// read receives one frame.
func (c *frameConn) read() (kind byte, payload []byte, err error) {
	var head [5]byte
	if _, err := io.ReadFull(c.r, head[:]); err != nil {
		return 0, nil, err
	}
	n := binary.BigEndian.Uint32(head[1:])
	if n > maxFrame {
		return 0, nil, fmt.Errorf("frame of %d bytes is over the limit of %d", n, maxFrame)
	}
	payload = make([]byte, n)
	if _, err := io.ReadFull(c.r, payload); err != nil {
		return 0, nil, err
	}
	return head[0], payload, nil
}

// frameWriter is an io.Writer sending each write as a frame of one kind.
type frameWriter struct {
	c    *frameConn
	kind byte
}

func (w frameWriter) Write(p []byte) (int, error) {
	for rest := p; len(rest) > 0; {
		n := min(len(rest), maxFrame)
		if err := w.c.write(w.kind, rest[:n]); err != nil {
			return len(p) - len(rest), err
		}
		rest = rest[n:]
	}
	return len(p), nil
}
