package adapters

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
)

// SQLDB implements Adapter's Exec and Query, and Transactor, on top of a
// database/sql pool. Drivers embed it and add their Dialect and extras.
type SQLDB struct {
	DB *sql.DB
	// CountColumn is set for drivers that report affected rows as a result
	// column (DuckDB returns a "Count" row for CREATE TABLE AS and DML)
	// instead of through RowsAffected.
	CountColumn bool
}

// Exec runs one statement on a pooled connection.
func (s *SQLDB) Exec(ctx context.Context, query string) (int64, error) {
	return execOn(ctx, s.DB, query, s.CountColumn)
}

// Query runs a statement and reads its whole result.
func (s *SQLDB) Query(ctx context.Context, query string) (*Rows, error) {
	return queryOn(ctx, s.DB, query)
}

// Close closes the pool.
func (s *SQLDB) Close() error { return s.DB.Close() }

// InTx runs fn in a transaction, committing when it returns nil.
func (s *SQLDB) InTx(ctx context.Context, fn func(Execer) error) error {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(txExecer{tx, s.CountColumn}); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Session runs fn with statements on one connection of the pool, in
// order, each committing on its own unless they begin a transaction (see
// Sessioner). The connection is closed after, not put back in the pool:
// what the statements left on it (a transaction begun and not ended,
// which closing rolls back; a USE or SET) never reaches what runs next.
func (s *SQLDB) Session(ctx context.Context, fn func(Execer) error) error {
	conn, err := s.DB.Conn(ctx)
	if err != nil {
		return err
	}
	defer func() {
		conn.Raw(func(any) error { return driver.ErrBadConn }) // the pool drops a bad connection
		conn.Close()
	}()
	return fn(txExecer{conn, s.CountColumn})
}

// Preparer is implemented by the Execer that SQLDB.InTx hands out, so a
// driver that bulk-loads through a prepared statement (Postgres's COPY FROM
// STDIN) can prepare it on the transaction's connection.
type Preparer interface {
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// txExecer runs statements on one transaction (InTx) or connection
// (Session).
type txExecer struct {
	tx interface {
		SQLRunner
		PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
	}
	countColumn bool
}

func (t txExecer) Exec(ctx context.Context, q string) (int64, error) {
	return execOn(ctx, t.tx, q, t.countColumn)
}
func (t txExecer) Query(ctx context.Context, q string) (*Rows, error) {
	return queryOn(ctx, t.tx, q)
}
func (t txExecer) PrepareContext(ctx context.Context, q string) (*sql.Stmt, error) {
	return t.tx.PrepareContext(ctx, q)
}

// SQLRunner is what ExecOn and QueryOn run statements on: a *sql.DB,
// *sql.Conn or *sql.Tx.
type SQLRunner interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// ExecOn runs one statement on r and returns the rows it affected (-1
// when the driver does not say), for drivers that manage their own
// connections (MySQL keeps each statement's connection to kill it).
func ExecOn(ctx context.Context, r SQLRunner, query string) (int64, error) {
	return execOn(ctx, r, query, false)
}

// QueryOn runs a statement on r and reads its whole result.
func QueryOn(ctx context.Context, r SQLRunner, query string) (*Rows, error) {
	return queryOn(ctx, r, query)
}

func execOn(ctx context.Context, r SQLRunner, query string, countColumn bool) (int64, error) {
	if countColumn {
		return countOn(ctx, r, query)
	}
	res, err := r.ExecContext(ctx, query)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return -1, nil
	}
	return n, nil
}

func queryOn(ctx context.Context, r SQLRunner, query string) (*Rows, error) {
	rs, err := r.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	cols, err := rs.ColumnTypes()
	if err != nil {
		return nil, err
	}
	out := &Rows{}
	for _, c := range cols {
		out.Columns = append(out.Columns, c.Name())
		out.Types = append(out.Types, c.DatabaseTypeName())
	}
	for rs.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			return nil, err
		}
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				vals[i] = string(b)
			}
		}
		out.Values = append(out.Values, vals)
	}
	return out, rs.Err()
}

// countOn runs a statement whose result, if any, is a single "Count" row.
func countOn(ctx context.Context, r SQLRunner, query string) (int64, error) {
	rs, err := r.QueryContext(ctx, query)
	if err != nil {
		return 0, err
	}
	defer rs.Close()
	n := int64(-1)
	if cols, _ := rs.Columns(); len(cols) == 1 && cols[0] == "Count" && rs.Next() {
		if err := rs.Scan(&n); err != nil {
			return -1, err
		}
	}
	for rs.Next() {
	}
	return n, rs.Err()
}

// QueryInt runs a query returning one number, such as a count(*), and
// returns it whatever integer type the driver scanned it as.
func QueryInt(ctx context.Context, x Execer, query string) (int64, error) {
	rows, err := x.Query(ctx, query)
	if err != nil {
		return 0, err
	}
	if len(rows.Values) != 1 || len(rows.Values[0]) != 1 {
		return 0, fmt.Errorf("expected one number, the query returned %d rows", len(rows.Values))
	}
	return Int64(rows.Values[0][0])
}

// Int64 reads an integer value whatever type the driver scanned it as:
// an integer or float type, or its text. The error says v is no number.
func Int64(v any) (int64, error) {
	switch x := v.(type) {
	case int64:
		return x, nil
	case int32:
		return int64(x), nil
	case int:
		return int64(x), nil
	case uint64:
		return int64(x), nil
	case float64:
		return int64(x), nil
	case []byte:
		v = string(x)
	}
	var n int64
	_, err := fmt.Sscan(fmt.Sprint(v), &n)
	return n, err
}
