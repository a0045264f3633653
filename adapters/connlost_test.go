package adapters

import (
	"errors"
	"fmt"
	"io"
	"net"
	"testing"
)

func TestConnectionLost(t *testing.T) {
	// A real refused connection: listen, close, dial the freed port.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, refused := net.Dial("tcp", addr)
	if refused == nil {
		t.Skip("the freed port was taken again")
	}
	for _, c := range []struct {
		err  error
		want bool
	}{
		{refused, true},
		{fmt.Errorf("reading the answer: %w", io.ErrUnexpectedEOF), true},
		{errors.New(`syntax error at or near "FORM"`), false},
	} {
		if got := ConnectionLost(c.err); got != c.want {
			t.Errorf("ConnectionLost(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}
