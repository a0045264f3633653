// Package postgres is weir's adapter for PostgreSQL and the warehouses
// that speak its wire protocol, through github.com/lib/pq.
//
// A target names it with adapter = "postgres" and a dsn, in URL or
// key=value form, usually read from the environment so the password stays
// out of weir.hcl:
//
//	target "pg" {
//	  adapter = "postgres"
//	  dsn     = env("WEIR_PG_DSN")
//	  threads = 8
//	}
//
// The DSN is never printed: errors carry adapters.RedactedDSN instead.
// Without sslmode in the DSN the adapter uses sslmode=prefer, as psql does.
package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/lib/pq"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/models"
)

func init() { adapters.Register("postgres", adapters.Driver{Open: Open, Dialect: Dialect{}}) }

// applicationName is how weir's connections show in pg_stat_activity when
// the DSN does not name an application.
const applicationName = "weir"

// Adapter is a pool of connections to one Postgres database.
type Adapter struct {
	sqldb   adapters.SQLDB
	secrets []string // passwords of the DSN, scrubbed from every error

	mu       sync.Mutex
	warnings []string     // weir's own WARNINGs from the server, not yet taken
	parked   []parkedView // views a swap dropped with a view they read (parked.go)
}

// Open connects to target t's dsn with a pool of t.Threads+1 connections:
// one a model thread, and one for the catalog and readers.
func Open(t *models.Target, _ string) (adapters.Adapter, error) {
	secrets := adapters.DSNSecrets(t.DSN)
	fail := func(err error) error {
		return adapters.ScrubError(fmt.Errorf("postgres target %q (%s): %w", t.Name, adapters.RedactedDSN(t.DSN), err), secrets)
	}
	if t.DSN == "" {
		return nil, fail(fmt.Errorf(`no dsn; set dsn = env("WEIR_PG_DSN") in the target and export WEIR_PG_DSN="postgres://user@host:5432/db"`))
	}
	cfg, err := pq.NewConfig(t.DSN)
	if err != nil {
		return nil, fail(err)
	}
	if cfg.ApplicationName == "" {
		// The process id lets a refused second build name its holder.
		cfg.ApplicationName = fmt.Sprintf("%s (pid %d)", applicationName, os.Getpid())
	}
	if cfg.SSLMode == "" {
		cfg.SSLMode = pq.SSLModePrefer
	}
	conn, err := pq.NewConnectorConfig(cfg)
	if err != nil {
		return nil, fail(err)
	}
	a := &Adapter{secrets: secrets}
	db, err := adapters.OpenPool(pq.ConnectorWithNoticeHandler(conn, a.notice), t.Threads)
	if err != nil {
		return nil, fail(err)
	}
	a.sqldb = adapters.SQLDB{DB: db}
	return a, nil
}

// Dialect returns Postgres's SQL dialect.
func (a *Adapter) Dialect() adapters.Dialect { return Dialect{} }

// Exec runs one statement on a pooled connection.
func (a *Adapter) Exec(ctx context.Context, query string) (int64, error) {
	n, err := a.sqldb.Exec(ctx, query)
	return n, a.mapError(ctx, query, err)
}

// Query runs a statement and reads its whole result.
func (a *Adapter) Query(ctx context.Context, query string) (*adapters.Rows, error) {
	rows, err := a.sqldb.Query(ctx, query)
	return rows, a.mapError(ctx, query, err)
}

// Close closes every connection.
func (a *Adapter) Close() error { return a.sqldb.Close() }

// ScriptIsOneTransaction is true: Query sends a script of several
// statements as one simple-protocol query, which the server runs as one
// transaction.
func (a *Adapter) ScriptIsOneTransaction() bool { return true }

// InTx runs fn in a transaction, then recreates there the parked views
// (see restoreParked) that fit again. When ctx has a deadline (a model's
// timeout), the transaction's statement_timeout is set to the time left,
// so the server stops the query even if weir cannot reach it to cancel.
func (a *Adapter) InTx(ctx context.Context, fn func(adapters.Execer) error) error {
	var fnErr error
	var parked []parkedView // recreated in this transaction
	err := a.sqldb.InTx(ctx, func(x adapters.Execer) error {
		tx := &txExecer{a: a, x: x}
		if dl, ok := ctx.Deadline(); ok {
			ms := max(time.Until(dl).Milliseconds(), 1)
			if _, err := tx.Exec(ctx, fmt.Sprintf("SET LOCAL statement_timeout = %d", ms)); err != nil {
				fnErr = err
				return err
			}
		}
		if fnErr = fn(tx); fnErr != nil {
			return fnErr
		}
		restored, rest, err := a.restoreParked(ctx, tx, a.unpark())
		a.giveBack(rest)
		parked = restored
		fnErr = err
		return fnErr
	})
	if err != nil {
		a.giveBack(parked) // rolled back with the transaction
	}
	if err != nil && err == fnErr {
		return err // already mapped by txExecer, or the caller's own error
	}
	return a.mapError(ctx, "", err) // BEGIN or COMMIT failed
}

// txExecer runs statements in a transaction and maps their errors.
type txExecer struct {
	a *Adapter
	x adapters.Execer
}

func (t *txExecer) Exec(ctx context.Context, query string) (int64, error) {
	n, err := t.x.Exec(ctx, query)
	return n, t.a.mapError(ctx, query, err)
}

func (t *txExecer) Query(ctx context.Context, query string) (*adapters.Rows, error) {
	rows, err := t.x.Query(ctx, query)
	return rows, t.a.mapError(ctx, query, err)
}

// PrepareContext prepares a statement on the transaction's connection, for
// COPY FROM STDIN.
func (t *txExecer) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	p, ok := t.x.(adapters.Preparer)
	if !ok {
		return nil, fmt.Errorf("postgres: transaction cannot prepare statements")
	}
	st, err := p.PrepareContext(ctx, query)
	return st, t.a.mapError(ctx, query, err)
}

var (
	_ adapters.Adapter          = (*Adapter)(nil)
	_ adapters.Transactor       = (*Adapter)(nil)
	_ adapters.AtomicScripter   = (*Adapter)(nil)
	_ adapters.Cataloger        = (*Adapter)(nil)
	_ adapters.SeedLoader       = (*Adapter)(nil)
	_ adapters.TransientChecker = (*Adapter)(nil)
	_ adapters.Preparer         = (*txExecer)(nil)
)
