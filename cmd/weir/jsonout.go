package main

import (
	"encoding/json"
	"io"
	"sync"
)

// jsonCommands print one JSON document on stdout with --format json:
// their results, or, when they fail before writing them, an error
// document (errorDoc).
var jsonCommands = map[string]bool{"build": true, "retry": true, "plan": true, "test": true, "query": true, "show": true, "check": true, "lineage": true, "generate": true}

// jsonReport is what a --format json command has reported so far.
type jsonReport struct {
	// diags are the diagnostics printed, kept for the error document.
	diags []jsonDiag
}

// errorDoc is the stdout of a --format json command that failed before
// writing its results, so stdout always parses as one JSON value.
type errorDoc struct {
	Error       string     `json:"error"`
	ExitCode    int        `json:"exit_code"`
	Diagnostics []jsonDiag `json:"diagnostics"`
}

// writeErrorDoc writes the error document of a failed command.
func (r *jsonReport) writeErrorDoc(w io.Writer, msg string, code int) {
	if msg == "" {
		msg = "failed"
	}
	diags := r.diags
	if diags == nil {
		diags = []jsonDiag{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(errorDoc{Error: msg, ExitCode: code, Diagnostics: diags})
}

// countingWriter counts the bytes written through it. Progress lines and
// the heartbeat write from several goroutines, so writes take turns.
type countingWriter struct {
	mu sync.Mutex
	w  io.Writer
	n  int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// written is the number of bytes written so far.
func (c *countingWriter) written() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}
