package runner

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/compiler"
)

var (
	// duckdbLine finds the "LINE n:" DuckDB puts in its error messages.
	duckdbLine = regexp.MustCompile(`LINE (\d+):`)
	// duckdbExcerpt is that line with the caret line under it.
	duckdbExcerpt = regexp.MustCompile(`(?m)^LINE (\d+):(.*)\n( *)\^`)
)

// placedError is a warehouse error placed in the model's file: its
// message starts with "file:line: " and any DuckDB "LINE n:" excerpt is
// numbered with the file's line, not the executed statement's.
type placedError struct {
	msg string
	err error
}

func (e *placedError) Error() string { return e.msg }
func (e *placedError) Unwrap() error { return e.err }

// placeError prefixes a warehouse error with the model file and line it
// points at, when the warehouse gives a position inside the model's own
// SQL: "models/core/orders.sql:17: Binder Error: …". The line is the
// file's, past a config header and through templating that changes the
// number of lines.
func placeError(c *compiler.Result, n *compiler.Node, err error) error {
	if n.Model == nil || err == nil {
		return err
	}
	var step *adapters.StepError
	if !errors.As(err, &step) {
		return err
	}
	line, fromMessage := 0, false
	var pos *adapters.PositionError
	if errors.As(err, &pos) && pos.Offset >= 0 && pos.Offset <= len(step.SQL) {
		line = strings.Count(step.SQL[:pos.Offset], "\n") + 1
	} else if m := duckdbLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
		fromMessage = true
	}
	if line == 0 {
		return err
	}
	// The SQL that ran: the longest of the model's forms in the statement
	// (a variant may hold the compiled SQL whole).
	var ran *compiler.RanSQL
	at := -1
	for _, r := range c.RanAs(n) {
		if i := strings.Index(step.SQL, r.SQL); i >= 0 && r.SQL != "" && (ran == nil || len(r.SQL) > len(ran.SQL)) {
			ran, at = &r, i
		}
	}
	if ran == nil {
		return err
	}
	// Lines of the statement before the compiled SQL, then of the compiled
	// SQL before the model's own text.
	rendered := line - strings.Count(step.SQL[:at], "\n") - (ran.BodyLine - 1)
	if rendered < 1 || rendered > strings.Count(ran.SQL, "\n")+1 {
		return err
	}
	fileLine := c.FileLine(*ran, rendered)
	msg := err.Error()
	if fromMessage {
		msg = renumber(msg, fileLine)
	}
	return &placedError{msg: fmt.Sprintf("%s:%d: %s", n.Model.Path, fileLine, msg), err: err}
}

// renumber puts the file's line in DuckDB's "LINE n:" excerpt, keeping
// the caret under the same character.
func renumber(msg string, line int) string {
	m := duckdbExcerpt.FindStringSubmatchIndex(msg)
	if m == nil {
		return msg
	}
	old := msg[m[2]:m[3]]
	repl := strconv.Itoa(line)
	pad := len(msg[m[6]:m[7]]) + len(repl) - len(old)
	if pad < 0 {
		pad = 0
	}
	return msg[:m[2]] + repl + msg[m[3]:m[6]] + strings.Repeat(" ", pad) + msg[m[7]:]
}
