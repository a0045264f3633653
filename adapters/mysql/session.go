package mysql

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/weir-sh/weir/adapters"
)

// session is one connection of the pool, known to the server by id, so a
// statement canceled on weir's side is killed on the server too.
type session struct {
	a    *Adapter
	conn *sql.Conn
	id   int64 // CONNECTION_ID(); 0 when ctx cannot be canceled
	// inTx is set within InTx: after a statement that commits implicitly
	// (DDL), the session begins a transaction again, so the writes after
	// it (a model's state record after its swap) still commit together.
	inTx bool
}

// onConn runs fn on a connection of its own. When ctx is canceled (an
// interrupt, a model's timeout), the driver closes its socket and the
// statement returns at once, but MySQL notices the socket closed only
// when the statement ends: so once fn returns, the connection is dropped
// from the pool and killed on the server with KILL CONNECTION, which
// ends the statement and rolls back a transaction left open. A KILL QUERY
// would not do: one that reaches the server before the statement it is
// meant for is forgotten when that statement starts, and the statement
// runs to its end with no client (an orphaned CREATE TABLE … AS holds
// its metadata lock all that time).
func (a *Adapter) onConn(ctx context.Context, fn func(*session) error) error {
	conn, err := a.db.Conn(ctx)
	if err != nil {
		return a.mapError(ctx, "", err)
	}
	defer conn.Close()
	s := &session{a: a, conn: conn}
	if ctx.Done() != nil {
		if err := conn.QueryRowContext(ctx, "SELECT CONNECTION_ID()").Scan(&s.id); err != nil {
			return a.mapError(ctx, "", err)
		}
		defer func() {
			if ctx.Err() != nil {
				// Closed on weir's side first, so the driver never reads
				// from a socket the server closed (it would log that).
				conn.Raw(func(any) error { return driver.ErrBadConn })
				a.kill(s.id)
			}
		}()
	}
	return fn(s)
}

// Exec runs one statement on the session's connection.
func (s *session) Exec(ctx context.Context, query string) (int64, error) {
	n, err := adapters.ExecOn(ctx, s.conn, query)
	if err == nil && s.inTx && commitsImplicitly(query) {
		_, err = s.conn.ExecContext(ctx, "BEGIN")
	}
	return n, s.a.mapError(ctx, query, err)
}

// commitsImplicitly reports whether MySQL commits the transaction around
// statement q: CREATE, DROP, RENAME, ALTER and TRUNCATE, but not of a
// TEMPORARY table.
func commitsImplicitly(q string) bool {
	f := strings.Fields(strings.ToUpper(q[:min(len(q), 40)]))
	if len(f) == 0 {
		return false
	}
	switch f[0] {
	case "CREATE", "DROP":
		return len(f) < 2 || f[1] != "TEMPORARY"
	case "RENAME", "ALTER", "TRUNCATE":
		return true
	}
	return false
}

// Query runs a statement on the session's connection and reads its whole
// result.
func (s *session) Query(ctx context.Context, query string) (*adapters.Rows, error) {
	rows, err := adapters.QueryOn(ctx, s.conn, query)
	return rows, s.a.mapError(ctx, query, err)
}

// kill ends connection id on the server, and the statement it runs, from
// a connection kept for that, so a full pool cannot hold it up.
func (a *Adapter) kill(id int64) {
	a.killOnce.Do(func() {
		conn, err := mysql.NewConnector(a.cfg)
		if err != nil {
			return
		}
		a.killer = sql.OpenDB(conn)
		a.killer.SetMaxOpenConns(1)
	})
	if a.killer == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	a.killer.ExecContext(ctx, fmt.Sprintf("KILL CONNECTION %d", id))
}
