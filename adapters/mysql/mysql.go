// Package mysql is weir's adapter for the MySQL family (MySQL, MariaDB and
// TiDB), through github.com/go-sql-driver/mysql.
//
// A target names it with adapter = "mysql" and a dsn in the driver's form
// or as a URL, usually read from the environment so the password stays
// out of weir.hcl:
//
//	target "mysql" {
//	  adapter = "mysql"
//	  dsn     = env("WEIR_MYSQL_DSN") # user:pw@tcp(host:3306)/db or mysql://user:pw@host:3306/db
//	  threads = 4
//	}
//
// A schema of weir's maps to a MySQL database: a model staging.orders is
// the table orders of database staging (with schema_prefix, of
// dev_staging). The DSN's database is only where the sessions start.
//
// MySQL commits DDL implicitly, so a model's rebuild is not one
// transaction: the new table is built under a temporary name, swapped in
// with one atomic RENAME TABLE, and only then recorded in weir's state. A
// crash before the record leaves the model to be rebuilt by the next run;
// it never records a model built that is not.
package mysql

import (
	"context"
	"database/sql"
	"fmt"
	"sync"

	"github.com/go-sql-driver/mysql"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/models"
)

func init() {
	adapters.Register("mysql", adapters.Driver{Open: Open, Dialect: Dialect{}, TargetDialect: targetDialect})
}

// targetDialect is the dialect of target t: ANSI_QUOTES when t sets
// ansi_quotes = true.
func targetDialect(t *models.Target) adapters.Dialect { return Dialect{ANSIQuotes: t.ANSIQuotes} }

// Adapter is a pool of connections to one MySQL-family server.
type Adapter struct {
	db      *sql.DB
	dialect Dialect
	secrets []string // passwords of the DSN, scrubbed from every error

	killOnce sync.Once
	killer   *sql.DB // one connection that kills canceled statements
	cfg      *mysql.Config
}

// Open connects to target t's dsn with a pool of t.Threads+2 connections:
// one a model thread, one for the catalog and readers, one holding the
// build lock.
func Open(t *models.Target, _ string) (adapters.Adapter, error) {
	secrets := adapters.DSNSecrets(t.DSN)
	fail := func(err error) error {
		return adapters.ScrubError(fmt.Errorf("mysql target %q (%s): %w", t.Name, adapters.RedactedDSN(t.DSN), err), secrets)
	}
	cfg, err := ParseDSN(t.DSN, t.ANSIQuotes)
	if err != nil {
		return nil, fail(err)
	}
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, fail(err)
	}
	db, err := adapters.OpenPool(conn, t.Threads)
	if err != nil {
		return nil, fail(err)
	}
	return &Adapter{db: db, dialect: Dialect{ANSIQuotes: t.ANSIQuotes}, secrets: secrets, cfg: cfg}, nil
}

// Dialect returns the target's SQL dialect.
func (a *Adapter) Dialect() adapters.Dialect { return a.dialect }

// Exec runs one statement on a pooled connection.
func (a *Adapter) Exec(ctx context.Context, query string) (int64, error) {
	var n int64
	err := a.onConn(ctx, func(s *session) error {
		var err error
		n, err = s.Exec(ctx, query)
		return err
	})
	return n, err
}

// Query runs a statement and reads its whole result.
func (a *Adapter) Query(ctx context.Context, query string) (*adapters.Rows, error) {
	var rows *adapters.Rows
	err := a.onConn(ctx, func(s *session) error {
		var err error
		rows, err = s.Query(ctx, query)
		return err
	})
	return rows, err
}

// Session runs fn with statements on one connection of the pool, in
// order, each committing on its own unless they begin a transaction.
func (a *Adapter) Session(ctx context.Context, fn func(adapters.Execer) error) error {
	return a.onConn(ctx, func(s *session) error { return fn(s) })
}

// Close closes every connection.
func (a *Adapter) Close() error {
	if a.killer != nil {
		a.killer.Close()
	}
	return a.db.Close()
}

// InTx runs fn in a transaction on one connection, committing when it
// returns nil. MySQL commits DDL implicitly: CREATE, DROP and RENAME
// inside fn end the transaction and cannot be rolled back, which is why
// the materializations build under a temporary name and swap last; after
// each, a new transaction begins, so what fn writes after its last DDL
// (the state record) commits or rolls back as one.
func (a *Adapter) InTx(ctx context.Context, fn func(adapters.Execer) error) error {
	return a.onConn(ctx, func(s *session) error {
		if _, err := s.conn.ExecContext(context.WithoutCancel(ctx), "BEGIN"); err != nil {
			return a.mapError(ctx, "", err)
		}
		s.inTx = true
		if err := fn(s); err != nil {
			s.conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
			return err
		}
		_, err := s.conn.ExecContext(context.WithoutCancel(ctx), "COMMIT")
		return a.mapError(ctx, "", err)
	})
}

var (
	_ adapters.Adapter          = (*Adapter)(nil)
	_ adapters.Transactor       = (*Adapter)(nil)
	_ adapters.Cataloger        = (*Adapter)(nil)
	_ adapters.SeedLoader       = (*Adapter)(nil)
	_ adapters.TransientChecker = (*Adapter)(nil)
	_ adapters.Locker           = (*Adapter)(nil)
	_ adapters.Sessioner        = (*Adapter)(nil)
)
