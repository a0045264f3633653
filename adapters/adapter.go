// Package adapters defines how weir talks to a warehouse: a small required
// interface, optional capabilities discovered by type assertion, a registry
// that drivers join from init(), and the SQL of each materialization,
// built from a Dialect so it can be golden-tested without a database.
//
// The shape follows database/sql: import a driver for its side effect
// (adapters/duckdb, adapters/postgres) and Open a target by adapter name.
package adapters

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"

	"github.com/weir-sh/weir/models"
)

// Adapter is the required part of a warehouse driver.
type Adapter interface {
	// Dialect tells how to write SQL for this warehouse.
	Dialect() Dialect
	// Exec runs one statement and returns the rows it affected (-1 when the
	// warehouse does not say).
	Exec(ctx context.Context, sql string) (int64, error)
	// Query runs a statement and returns its whole result.
	Query(ctx context.Context, sql string) (*Rows, error)
	// Close releases every connection.
	Close() error
}

// Transactor is implemented by adapters that run several statements
// atomically. Materializations use it so a failed rebuild leaves the old
// relation in place, and the state store uses it to record a model in the
// same transaction as its data.
type Transactor interface {
	InTx(ctx context.Context, fn func(Execer) error) error
}

// Execer is what runs inside a transaction.
type Execer interface {
	Exec(ctx context.Context, sql string) (int64, error)
	Query(ctx context.Context, sql string) (*Rows, error)
}

// Sessioner is implemented by adapters that run a script of several
// statements one at a time: weir query runs a script through it, one
// statement after the other on one connection, so what a statement leaves
// in the session (variables, temporary tables, USE) is there for the next,
// and an error names the statement that failed. Each statement commits
// on its own unless the script begins a transaction. MySQL's driver runs
// one statement a call; DuckDB's (SQLDB) would run a whole script too,
// each statement committing on its own all the same.
type Sessioner interface {
	Session(ctx context.Context, fn func(Execer) error) error
}

// AtomicScripter is implemented by adapters that run a script of several
// statements in one call, as one transaction (Postgres: the simple query
// protocol does, unless the script holds its own BEGIN or COMMIT): when a
// statement fails, none of the script stays applied.
type AtomicScripter interface {
	ScriptIsOneTransaction() bool
}

// InTx runs fn in a transaction when a supports them, and directly on a
// otherwise.
func InTx(ctx context.Context, a Adapter, fn func(Execer) error) error {
	if t, ok := a.(Transactor); ok {
		return t.InTx(ctx, fn)
	}
	return fn(a)
}

// Cataloger lists relations that exist, so materializations know whether
// to create or replace, and what kind of object they replace.
type Cataloger interface {
	Relations(ctx context.Context) ([]RelationInfo, error)
	Columns(ctx context.Context, rel Relation) ([]ColumnInfo, error)
}

// Locker is implemented by server warehouses, where two weir processes
// could build one target at once. Lock blocks while another holder has
// name, up to a limit, then fails with an error naming the holder.
// Embedded DuckDB needs none: the database file admits one writer process.
//
// A lock can be lost while held (its connection to the warehouse dies,
// and the warehouse frees it): then Lock's caller must stop, since
// another build may take the lock. Lock calls lost once, from a goroutine
// of its own, with an error saying what happened; never after release.
type Locker interface {
	Lock(ctx context.Context, name string, lost func(error)) (release func(), err error)
}

// Leaver is implemented by adapters whose Close does work that a process
// exiting right after may skip. Leave closes what the exit would not
// release on its own, or would lose, and leaves the rest to the exit;
// see CloseAtExit.
type Leaver interface {
	Leave() error
}

// CloseAtExit ends the use of a in a process that exits right after,
// without touching a again: Leave when a is a Leaver, Close otherwise.
// Never call it on an adapter whose warehouse this process opens again.
func CloseAtExit(a Adapter) error {
	if l, ok := a.(Leaver); ok {
		return l.Leave()
	}
	return a.Close()
}

// Serializer is implemented by adapters that can run a series of small
// queries on the callers' threads alone (DuckDB): Serial runs fn so, and
// restores the warehouse's own threads after.
type Serializer interface {
	Serial(ctx context.Context, fn func() error) error
}

// Bulker is implemented by adapters whose warehouse does housekeeping
// as it writes that a run of many nodes is better off leaving to its end
// (DuckDB checkpoints its write-ahead log, and each checkpoint's cost
// grows with the tables in the file). Bulk prepares the warehouse for a
// run's writes; done undoes it after the run's last node, and the
// warehouse then catches up as it would have had Bulk not run. Neither
// changes what a run writes, nor what a crash in the middle keeps.
type Bulker interface {
	Bulk(ctx context.Context) (done func(), err error)
}

// Sharer is implemented by adapters of a warehouse file that one process
// owns and shares among the commands it runs (package owner). Share
// returns an Adapter on the same database whose Close releases nothing,
// which is a Locker taking lock, so builds run one at a time. Each query
// still runs on a connection of its own, so it sees committed data only.
type Sharer interface {
	Share(lock Locker) Adapter
}

// Warner is implemented by adapters whose warehouse raises warnings
// during a build that users must see, e.g. Postgres dropping a view
// outside weir that no longer fits a rebuilt table. Warnings returns and
// forgets those raised about rel since the last call.
type Warner interface {
	Warnings(rel Relation) []string
}

// TargetChecker is implemented by adapters whose warehouse may not
// follow a target setting that only applies when it is created (DuckDB's
// block_size: a file keeps the block size it was made with).
// CheckTarget returns warnings at the settings the open warehouse does not
// follow; it is cheap, and returns nothing for settings left out.
type TargetChecker interface {
	CheckTarget(ctx context.Context, t *models.Target) hcl.Diagnostics
}

// SeedLoader loads a CSV file into a new table and returns its row count.
type SeedLoader interface {
	LoadCSV(ctx context.Context, x Execer, rel Relation, path string, types map[string]string) (int64, error)
}

// SeedPreparer is implemented by SeedLoaders that read a seed's file before
// the transaction that loads it, so that transaction stays short and never
// sits idle while a large file is read (Postgres ends a session idle in a
// transaction past its idle_in_transaction_session_timeout).
type SeedPreparer interface {
	PrepareCSV(ctx context.Context, path string, types map[string]string) (PreparedSeed, error)
}

// PreparedSeed is a seed file a SeedPreparer has read: Load creates rel
// from it in x's transaction and returns its row count.
type PreparedSeed interface {
	Load(ctx context.Context, x Execer, rel Relation) (int64, error)
}

// Rows is a fully read query result.
type Rows struct {
	Columns []string
	Types   []string
	Values  [][]any
}

// Shape is the columns of the result with their types as the driver
// names them, e.g. of a SELECT … WHERE 1 = 0 asked only for its shape.
func (r *Rows) Shape() []ColumnInfo {
	out := make([]ColumnInfo, len(r.Columns))
	for i, c := range r.Columns {
		out[i] = ColumnInfo{Name: c}
		if i < len(r.Types) {
			out[i].Type = r.Types[i]
		}
	}
	return out
}

// Relation is a physical table or view name.
type Relation struct {
	Database, Schema, Name string
}

// String is the dotted, unquoted name, for messages and artifacts.
func (r Relation) String() string {
	parts := []string{r.Schema, r.Name}
	if r.Database != "" {
		parts = append([]string{r.Database}, parts...)
	}
	return strings.Join(parts, ".")
}

// Kinds of relation in the warehouse.
const (
	KindTable = "table"
	KindView  = "view"
)

// RelationInfo is a relation that exists and its kind.
type RelationInfo struct {
	Relation
	Kind string
}

// ColumnInfo is one column of a relation.
type ColumnInfo struct {
	Name, Type string
}

// Factory opens a connection to a target. projectDir resolves relative
// paths in the target.
type Factory func(t *models.Target, projectDir string) (Adapter, error)

// Driver is what an adapter package registers.
type Driver struct {
	Open    Factory
	Dialect Dialect // usable without a connection, e.g. for compiling
	// TargetDialect, when set, is the dialect of one target, for drivers
	// whose SQL depends on a target's settings (MySQL's ansi_quotes).
	// Without it, every target has Dialect.
	TargetDialect func(t *models.Target) Dialect
	// OpenExisting, when set, connects without creating anything: a
	// warehouse that does not exist yet opens as an empty one. Without
	// it, OpenExisting uses Open.
	OpenExisting Factory
	// File, when set, is the database file a target's warehouse lives in,
	// "" when it lives elsewhere (in memory): for file warehouses, which
	// one process owns at a time (package owner).
	File func(t *models.Target, projectDir string) string
}

var (
	mu       sync.RWMutex
	registry = map[string]Driver{}
)

// Register makes an adapter available by name. It panics when the name is
// taken, as database/sql.Register does.
func Register(name string, f Driver) {
	mu.Lock()
	defer mu.Unlock()
	if _, dup := registry[name]; dup {
		panic("adapters: Register called twice for " + name)
	}
	registry[name] = f
}

// Names lists the registered adapters.
func Names() []string {
	mu.RLock()
	defer mu.RUnlock()
	out := make([]string, 0, len(registry))
	for n := range registry {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func lookup(t *models.Target) (Driver, error) {
	mu.RLock()
	d, ok := registry[t.Adapter]
	mu.RUnlock()
	if !ok {
		return d, fmt.Errorf("unknown adapter %q in target %q (forgotten import?); known adapters: %s",
			t.Adapter, t.Name, strings.Join(Names(), ", "))
	}
	return d, nil
}

// Open connects to target t.
func Open(t *models.Target, projectDir string) (Adapter, error) {
	d, err := lookup(t)
	if err != nil {
		return nil, err
	}
	return d.Open(t, projectDir)
}

// OpenExisting connects to target t to read it, creating nothing (no
// database file): what weir plan uses.
func OpenExisting(t *models.Target, projectDir string) (Adapter, error) {
	d, err := lookup(t)
	if err != nil {
		return nil, err
	}
	if d.OpenExisting != nil {
		return d.OpenExisting(t, projectDir)
	}
	return d.Open(t, projectDir)
}

// FileOf is the database file target t's warehouse lives in, as an
// absolute path, or "" for a server warehouse, one in memory, or an
// unknown adapter.
func FileOf(t *models.Target, projectDir string) string {
	d, err := lookup(t)
	if err != nil || d.File == nil {
		return ""
	}
	return d.File(t, projectDir)
}

// DialectOf returns the dialect of target t's adapter without connecting.
func DialectOf(t *models.Target) (Dialect, error) {
	d, err := lookup(t)
	if err != nil {
		return nil, err
	}
	if d.TargetDialect != nil {
		return d.TargetDialect(t), nil
	}
	return d.Dialect, nil
}
