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
	"syscall"
)

// Client is a connection to the owner of a warehouse file.
type Client struct {
	conn net.Conn
}

// Dial connects to the owner of the warehouse file at file. With no
// owner it returns nil and no error: open the file directly. A socket
// whose owner is gone (killed) is removed on the way.
func Dial(file string) (*Client, error) {
	path := SocketPath(file)
	before, err := os.Stat(path)
	if err != nil {
		return nil, nil
	}
	conn, err := net.Dial("unix", path)
	if err == nil {
		return &Client{conn: conn}, nil
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		// Nobody listens: the owner died without removing its socket.
		// Remove it unless a new owner has just put its own there.
		if after, err := os.Stat(path); err == nil && os.SameFile(before, after) {
			os.Remove(path)
		}
		return nil, nil
	}
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	return nil, fmt.Errorf("reaching the owner of %s at %s: %w", file, path, err)
}

// Run sends req, copies the command's output to stdio until it ends and
// returns its exit code. When ctx ends the owner is asked to stop the
// command, and Run still waits for its last output and exit code. Run
// closes the client.
func (c *Client) Run(ctx context.Context, req Request, stdio Stdio) (int, error) {
	defer c.conn.Close()
	fc := newFrameConn(c.conn)
	data, err := json.Marshal(req)
	if err != nil {
		return 0, err
	}
	if err := fc.write(frameRequest, data); err != nil {
		return 0, fmt.Errorf("sending the command to its owner: %w", err)
	}
	stop := context.AfterFunc(ctx, func() { fc.write(frameCancel, nil) })
	defer stop()
	for {
		kind, payload, err := fc.read()
		if err != nil {
			return 0, fmt.Errorf("the weir process owning the warehouse went away before the command ended: %w", err)
		}
		switch kind {
		case frameStdout:
			stdio.Out.Write(payload)
		case frameStderr:
			stdio.Err.Write(payload)
		case frameWantStdin:
			go sendStdin(fc, stdio.In)
		case frameExit:
			if len(payload) != 4 {
				return 0, fmt.Errorf("the owner sent an exit frame of %d bytes", len(payload))
			}
			return int(int32(binary.BigEndian.Uint32(payload))), nil
		}
	}
}

// sendStdin copies in to the owner, then says it ended.
func sendStdin(fc *frameConn, in io.Reader) {
	if in != nil {
		io.Copy(frameWriter{fc, frameStdin}, in)
	}
	fc.write(frameStdinEOF, nil)
}
