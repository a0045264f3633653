package postgres

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/lib/pq"

	"github.com/weir-sh/weir/adapters"
)

// SQLSTATE codes weir treats specially.
const (
	codeQueryCanceled        = "57014"
	codeSerializationFailure = "40001"
	codeDeadlockDetected     = "40P01"
	codeAdminShutdown        = "57P01"
	codeCrashShutdown        = "57P02"
	codeCannotConnectNow     = "57P03"
	classConnectionException = "08"
)

// IsTransient reports whether err is worth retrying: the connection was
// lost, reset or refused, the server shut the session down
// (57P01 admin_shutdown, e.g. pg_terminate_backend; 57P02; 57P03), any
// connection exception (class 08), a serialization failure (40001) or a
// deadlock (40P01). Errors in the SQL, and cancellations and timeouts,
// are not transient.
func (a *Adapter) IsTransient(err error) bool { return IsTransient(err) }

// IsTransient is Adapter.IsTransient, usable without an adapter.
func IsTransient(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	if pe := pq.As(err); pe != nil {
		code := string(pe.Code)
		switch code {
		case codeSerializationFailure, codeDeadlockDetected, codeAdminShutdown, codeCrashShutdown, codeCannotConnectNow:
			return true
		}
		return strings.HasPrefix(code, classConnectionException)
	}
	return adapters.ConnectionLost(err)
}

// mapError turns a driver error from running query into what weir
// reports: a cancellation or timeout says so and wraps ctx's error, an
// error with a position becomes an *adapters.PositionError, and no
// password of the DSN appears in the message.
func (a *Adapter) mapError(ctx context.Context, query string, err error) error {
	if err == nil {
		return nil
	}
	pe := pq.As(err)
	if pe != nil {
		err = &serverError{pe: pe, err: err}
	}
	err = adapters.ScrubError(err, a.secrets)
	if pe != nil && string(pe.Code) == codeQueryCanceled {
		cause := ctx.Err()
		if strings.Contains(pe.Message, "statement timeout") {
			cause = context.DeadlineExceeded
		}
		if cause != nil {
			return &canceledError{cause: cause, err: err}
		}
	}
	if pe != nil && pe.Position != "" && query != "" {
		if pos, convErr := strconv.Atoi(pe.Position); convErr == nil {
			if off, ok := byteOffset(query, pos); ok {
				return &adapters.PositionError{Err: err, Offset: off, SQL: query}
			}
		}
	}
	return err
}

// byteOffset converts Postgres's 1-based character position in s to a
// 0-based byte offset.
func byteOffset(s string, pos int) (int, bool) {
	if pos < 1 {
		return 0, false
	}
	n := 1
	for i := range s {
		if n == pos {
			return i, true
		}
		n++
	}
	if n == pos {
		return len(s), true // just past the end, e.g. an unexpected end of input
	}
	return 0, false
}

// canceledError is a statement the server canceled because weir asked it
// to (ctx canceled) or because it ran out of time (ctx's deadline, or
// statement_timeout). It matches both its cause and the driver's error.
type canceledError struct {
	cause error // context.Canceled or context.DeadlineExceeded
	err   error
}

func (e *canceledError) Error() string {
	if errors.Is(e.cause, context.DeadlineExceeded) {
		return "timed out; the statement was canceled on the server: " + e.err.Error()
	}
	return "canceled; the statement was canceled on the server: " + e.err.Error()
}

func (e *canceledError) Unwrap() []error { return []error{e.cause, e.err} }

// serverError is an error the server sent, written as its message and
// SQLSTATE with its detail and hint on lines of their own. Unlike
// pq.Error's own message it leaves out pq's position in the executed
// statement: that statement wraps the model's SQL, so the runner places
// the error in the model's file from the PositionError instead.
type serverError struct {
	pe  *pq.Error
	err error
}

func (e *serverError) Error() string {
	var b strings.Builder
	b.WriteString("pq: " + e.pe.Message)
	if e.pe.Code != "" {
		b.WriteString(" (" + string(e.pe.Code) + ")")
	}
	if e.pe.Detail != "" {
		b.WriteString("\nDETAIL: " + e.pe.Detail)
	}
	if e.pe.Hint != "" {
		b.WriteString("\nHINT: " + e.pe.Hint)
	}
	return b.String()
}

func (e *serverError) Unwrap() error { return e.err }
