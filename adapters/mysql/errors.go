package mysql

import (
	"context"
	"errors"
	"regexp"
	"strconv"
	"strings"

	"github.com/go-sql-driver/mysql"

	"github.com/weir-sh/weir/adapters"
)

// Server error numbers weir treats specially.
const (
	erLockWaitTimeout   = 1205
	erLockDeadlock      = 1213
	erServerShutdown    = 1053
	erConnKilled        = 1927 // MariaDB: connection was killed
	erTooManyConns      = 1040
	erStatementTimeout  = 3024 // MySQL: max_execution_time exceeded
	erMariaStmtTimeout  = 1969 // MariaDB: max_statement_time exceeded
	erParse             = 1064
	erBadDB             = 1049 // unknown database
	erServerGone        = 2006 // client: server has gone away
	erServerLost        = 2013 // client: lost connection during query
	erTiDBWriteConflict = 9007 // TiDB: write conflict, retry the transaction
)

// IsTransient reports whether err is worth retrying: a deadlock (1213),
// a lock wait timeout (1205), a TiDB write conflict (9007), the server
// shutting down or killing the connection, too many connections, or the
// connection lost, reset or refused. Errors in the SQL, cancellations and
// timeouts are not transient.
func (a *Adapter) IsTransient(err error) bool { return IsTransient(err) }

// IsTransient is Adapter.IsTransient, usable without an adapter.
func IsTransient(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		switch me.Number {
		case erLockDeadlock, erLockWaitTimeout, erServerShutdown, erConnKilled, erTooManyConns,
			erServerGone, erServerLost, erTiDBWriteConflict:
			return true
		}
		return false
	}
	return errors.Is(err, mysql.ErrInvalidConn) || adapters.ConnectionLost(err)
}

// mapError turns a driver error from running query into what weir
// reports: a statement stopped by a cancel or a timeout says so and wraps
// ctx's error, a syntax error becomes an *adapters.PositionError where
// the server's "near '…' at line N" finds its place, and no password of
// the DSN appears in the message.
func (a *Adapter) mapError(ctx context.Context, query string, err error) error {
	if err == nil {
		return nil
	}
	err = adapters.ScrubError(err, a.secrets)
	var me *mysql.MySQLError
	isMy := errors.As(err, &me)
	if cause := ctx.Err(); cause != nil {
		return &canceledError{cause: cause, err: err}
	}
	if isMy && (me.Number == erStatementTimeout || me.Number == erMariaStmtTimeout) {
		return &canceledError{cause: context.DeadlineExceeded, err: err}
	}
	if isMy && me.Number == erParse && query != "" {
		if off, ok := nearOffset(query, me.Message); ok {
			return &adapters.PositionError{Err: err, Offset: off, SQL: query}
		}
	}
	return err
}

// reNear finds the text and line of MySQL's "near '…' at line N".
var reNear = regexp.MustCompile(`(?s)near '(.*)' at line (\d+)$`)

// nearOffset is the byte offset in query of the text a syntax error
// message points at: the first place at or after the start of the given
// line where it occurs (the server quotes at most 80 characters of it).
func nearOffset(query, msg string) (int, bool) {
	m := reNear.FindStringSubmatch(msg)
	if m == nil {
		return 0, false
	}
	line, _ := strconv.Atoi(m[2])
	start := 0
	for i := 1; i < line; i++ {
		nl := strings.IndexByte(query[start:], '\n')
		if nl < 0 {
			return 0, false
		}
		start += nl + 1
	}
	if m[1] == "" {
		return len(query), true // at the end of the text
	}
	i := strings.Index(query[start:], m[1])
	if i < 0 {
		return 0, false
	}
	return start + i, true
}

// isUnknownDatabase reports whether err says a database does not exist.
func isUnknownDatabase(err error) bool {
	var me *mysql.MySQLError
	return errors.As(err, &me) && me.Number == erBadDB
}

// canceledError is a statement stopped because weir asked (ctx canceled)
// or because it ran out of time. It matches both its cause and the
// driver's error.
type canceledError struct {
	cause error // context.Canceled or context.DeadlineExceeded
	err   error
}

func (e *canceledError) Error() string {
	if errors.Is(e.cause, context.DeadlineExceeded) {
		return "timed out; the statement was killed on the server: " + e.err.Error()
	}
	return "canceled; the statement was killed on the server: " + e.err.Error()
}

func (e *canceledError) Unwrap() []error { return []error{e.cause, e.err} }
