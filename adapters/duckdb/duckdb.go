// Package duckdb is weir's adapter for embedded DuckDB, the default
// warehouse: a single database file (or memory) opened in process.
package duckdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/hashicorp/hcl/v2"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/adapters/csvsniff"
	"github.com/weir-sh/weir/models"
)

func init() {
	adapters.Register("duckdb", adapters.Driver{Open: Open, OpenExisting: OpenExisting, Dialect: Dialect{}, File: File})
}

// Adapter is a DuckDB database opened in this process.
type Adapter struct {
	adapters.SQLDB
	path string
}

// Catalog is the name weir attaches the target's database file under.
// DuckDB names a database after its file, and a schema of the same name
// (the state schema weir of target/weir.duckdb, a model schema staging in
// staging.duckdb) makes every two-part name ambiguous, so weir attaches
// the file under a name no schema of a project takes.
const Catalog = "__weir_db"

// OpenExisting opens the database file of target t when it exists, and
// an empty database in memory when it does not, so that reading a target
// never creates its file.
func OpenExisting(t *models.Target, projectDir string) (adapters.Adapter, error) {
	if path := filePath(t, projectDir); path != ":memory:" {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			mem := *t
			mem.Path = ":memory:"
			return Open(&mem, projectDir)
		}
	}
	return Open(t, projectDir)
}

// DefaultPath is the database file of a target without a path, beside
// weir.hcl: outside the artifacts folder target/, so deleting target/
// loses no data.
const DefaultPath = "warehouse.duckdb"

// legacyPath was the default before DefaultPath; a project built then
// keeps its data there, and weir goes on finding it.
var legacyPath = filepath.Join("target", "weir.duckdb")

// filePath is where target t's database file is: its path, relative to
// the project folder, or ":memory:".
func filePath(t *models.Target, projectDir string) string {
	path := t.Path
	if path == "" {
		path = DefaultPath
		if !exists(filepath.Join(projectDir, DefaultPath)) && exists(filepath.Join(projectDir, legacyPath)) {
			path = legacyPath
		}
	}
	if path != ":memory:" && !filepath.IsAbs(path) {
		path = filepath.Join(projectDir, path)
	}
	return path
}

// File is the absolute path of target t's database file, "" when it
// is kept in memory.
func File(t *models.Target, projectDir string) string {
	path := filePath(t, projectDir)
	if path == ":memory:" {
		return ""
	}
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// Open opens (creating when missing) the database file of target t.
func Open(t *models.Target, projectDir string) (adapters.Adapter, error) {
	path := filePath(t, projectDir)
	if path != ":memory:" {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, fmt.Errorf("duckdb target %q: %w", t.Name, err)
		}
	}
	dir, err := filepath.Abs(projectDir)
	if err != nil {
		return nil, fmt.Errorf("duckdb target %q: %w", t.Name, err)
	}
	// The first connection ATTACHes the file, reading its whole catalog
	// in one task; with DuckDB's worker threads running, a worker takes
	// that task while the calling thread spins waiting for it (a core
	// for as long as the ATTACH lasts, 0.5 s at 10,000 tables, taken
	// from the project's compile beside it). So the database starts with
	// one thread, the caller, and gets its default back once attached.
	//
	// The ATTACH also loads table data blocks into DuckDB's buffer pool,
	// which it keeps while memory allows: a third of what opening a
	// file of many tables takes (68 of 200 MB at 10,000 tables). Under a
	// small memory_limit it drops each block after reading it, and the
	// database gets its default limit back once attached. Replaying a
	// write-ahead log needs memory for the rows it holds, so a file with
	// a log, or one that runs out under the limit, attaches without it.
	lean := path != ":memory:" && exists(path) && !exists(path+".wal")
	db, err := openDB(path, dir, t, lean)
	if lean && isOutOfMemory(err) {
		db, err = openDB(path, dir, t, false)
	}
	if err != nil {
		return nil, err
	}
	if err := restoreDefaults(db, lean); err != nil {
		db.Close()
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	return &Adapter{SQLDB: adapters.SQLDB{DB: db, CountColumn: true}, path: path}, nil
}

// attachMemoryLimit is DuckDB's memory_limit while Open attaches an
// existing file without a write-ahead log (a variable for tests).
var attachMemoryLimit = "4MB"

// openDB opens an in-memory DuckDB that attaches the file at path on its
// first connection, on one thread, and under attachMemoryLimit when lean
// is set.
func openDB(path, dir string, t *models.Target, lean bool) (*sql.DB, error) {
	config := "?threads=1"
	if lean {
		config += "&memory_limit=" + attachMemoryLimit
	}
	conn, err := duckdb.NewConnector(config, attach(path, dir, t.BlockSize))
	if err != nil {
		return nil, fmt.Errorf("duckdb target %q: %w", t.Name, lockHint(err))
	}
	db := sql.OpenDB(conn)
	db.SetMaxOpenConns(t.Threads + 1)
	db.SetMaxIdleConns(t.Threads + 1)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("opening %s: %w", path, lockHint(err))
	}
	return db, nil
}

// restoreDefaults gives the database DuckDB's default threads, and its
// default memory_limit after a lean attach. RESET memory_limit alone
// shows the default but leaves the buffer pool at the limit the database
// was opened with (duckdb/duckdb#22203, DuckDB 1.5.6: a commit into a
// table with a primary key then ran out of memory), so the default it
// shows is set again.
func restoreDefaults(db *sql.DB, lean bool) error {
	if _, err := db.Exec("RESET threads; RESET memory_limit"); err != nil || !lean {
		return err
	}
	var limit string
	if err := db.QueryRow("SELECT current_setting('memory_limit')").Scan(&limit); err != nil {
		return err
	}
	_, err := db.Exec("SET memory_limit = " + Dialect{}.QuoteLiteral(limit))
	return err
}

// isOutOfMemory reports DuckDB's out-of-memory error.
func isOutOfMemory(err error) bool {
	var de *duckdb.Error
	return errors.As(err, &de) && de.Type == duckdb.ErrorTypeOutOfMemory
}

// attach is run on every new connection of an in-memory DuckDB: it
// attaches the target's file as Catalog (once per database) and makes it
// the connection's default, so that unqualified names live in the file;
// it detaches the empty in-memory database, whose name "memory" would
// collide with a schema named so. Relative file paths in SQL (FROM
// 'data/x.csv', read_csv('data/*.csv')) are read from the project folder
// dir, wherever weir runs, as the compiler reads them for fingerprints.
//
// A blockSize other than 0 is the block size of the file when ATTACH
// creates it. It is set as DuckDB's default_block_size rather than as
// ATTACH's BLOCK_SIZE option, which refuses an existing file of another
// block size: a file made before the setting opens as it is.
func attach(path, dir string, blockSize int) func(driver.ExecerContext) error {
	stmt := fmt.Sprintf("ATTACH IF NOT EXISTS %s AS %s; USE %[2]s; DETACH DATABASE IF EXISTS memory; SET file_search_path = %s",
		Dialect{}.QuoteLiteral(path), Dialect{}.QuoteIdent(Catalog), Dialect{}.QuoteLiteral(dir))
	if blockSize != 0 {
		stmt = fmt.Sprintf("SET default_block_size = %d; %s", blockSize, stmt)
	}
	return func(x driver.ExecerContext) error {
		_, err := x.ExecContext(context.Background(), stmt, nil)
		return err
	}
}

// BlockSize is the block size in bytes of the open database file, 0 for
// a database in memory.
func (a *Adapter) BlockSize(ctx context.Context) (int, error) {
	rows, err := a.Query(ctx, "SELECT block_size FROM pragma_database_size() WHERE database_name = current_database()")
	if err != nil || len(rows.Values) == 0 {
		return 0, err
	}
	n, ok := rows.Values[0][0].(int64)
	if !ok {
		return 0, fmt.Errorf("block size of %s: unexpected %T", a.path, rows.Values[0][0])
	}
	return int(n), nil
}

// CheckTarget warns when target t sets a block_size its file, made
// before the setting, does not have (adapters.TargetChecker).
func (a *Adapter) CheckTarget(ctx context.Context, t *models.Target) hcl.Diagnostics {
	if t.BlockSize == 0 || a.path == ":memory:" {
		return nil
	}
	n, err := a.BlockSize(ctx)
	if err != nil || n == 0 || n == t.BlockSize {
		return nil
	}
	return hcl.Diagnostics{{
		Severity: hcl.DiagWarning, Summary: "block_size does not apply to this file",
		Detail: fmt.Sprintf("Target %s sets block_size = %d, but its DuckDB file %s was created with blocks of %d bytes, which it keeps: block_size applies only when weir creates the file. Copy the warehouse into a file of the new block size (docs/guide/project.md, \"A DuckDB file's block size\"), or remove the setting.",
			t.Name, t.BlockSize, a.path, n),
		Subject: t.BlockSizeRange.Ptr(),
	}}
}

// Leave closes the database when closing it writes or removes something:
// a write-ahead log to checkpoint (what this process wrote, or a log
// replayed when it opened the file), or a folder of temporary files it
// spilled to. Otherwise it leaves the database to the exit of the
// process, which releases the file's lock: DuckDB's close would only
// free its catalog and buffers, 0.1–0.3 s of CPU for a file of 10,000
// tables, the end of every build that finds nothing to do.
func (a *Adapter) Leave() error {
	if a.path == ":memory:" || exists(a.path+".wal") {
		return a.Close()
	}
	rows, err := a.Query(context.Background(), "SELECT current_setting('temp_directory')")
	if err != nil || len(rows.Values) != 1 {
		return a.Close()
	}
	if dir, _ := rows.Values[0][0].(string); dir != "" && exists(dir) {
		return a.Close()
	}
	return nil
}

// Serial runs fn with the database on one thread, the caller's of each
// query, and gives it DuckDB's default number back after. A query of
// the catalog or of weir's state is a single task: with a worker thread
// running, the worker takes it while the calling thread spins waiting,
// a core lost (0.04 s of the 0.1 s a build of 10,000 models spends
// reading them). Run nothing in fn that wants DuckDB's parallelism.
func (a *Adapter) Serial(ctx context.Context, fn func() error) error {
	if _, err := a.Exec(ctx, "SET threads = 1"); err != nil {
		return err
	}
	err := fn()
	if _, rerr := a.Exec(context.Background(), "RESET threads"); err == nil {
		err = rerr
	}
	return err
}

// lockHint explains DuckDB's single-writer lock in user terms.
func lockHint(err error) error {
	if strings.Contains(err.Error(), "lock") {
		return fmt.Errorf("%w\nanother process holds this DuckDB file (a second `weir build`, or a client like the duckdb CLI); wait for it to finish or close it", err)
	}
	return err
}

// Dialect returns DuckDB's SQL dialect.
func (a *Adapter) Dialect() adapters.Dialect { return Dialect{} }

// Relations lists the tables and views outside the system schemas.
func (a *Adapter) Relations(ctx context.Context) ([]adapters.RelationInfo, error) {
	rows, err := a.Query(ctx, `SELECT schema_name, table_name, 'table' FROM duckdb_tables() WHERE NOT internal AND database_name = current_database()
UNION ALL SELECT schema_name, view_name, 'view' FROM duckdb_views() WHERE NOT internal AND database_name = current_database()`)
	if err != nil {
		return nil, err
	}
	return adapters.RelationRows(rows), nil
}

// Columns lists the columns of rel in order.
func (a *Adapter) Columns(ctx context.Context, rel adapters.Relation) ([]adapters.ColumnInfo, error) {
	db := "current_database()" // or an attached one's (AttachTarget)
	if rel.Database != "" {
		db = Dialect{}.QuoteLiteral(rel.Database)
	}
	rows, err := a.Query(ctx, fmt.Sprintf(`SELECT column_name, data_type FROM duckdb_columns()
WHERE database_name = %s AND schema_name = %s AND table_name = %s ORDER BY column_index`,
		db, Dialect{}.QuoteLiteral(rel.Schema), Dialect{}.QuoteLiteral(rel.Name)))
	if err != nil {
		return nil, err
	}
	return adapters.ColumnRows(rows), nil
}

// AllColumns lists the columns of every relation of the database in one
// query (adapters.ColumnLister).
func (a *Adapter) AllColumns(ctx context.Context) (map[adapters.Relation][]adapters.ColumnInfo, error) {
	rows, err := a.Query(ctx, `SELECT schema_name, table_name, column_name, data_type FROM duckdb_columns()
WHERE database_name = current_database() AND NOT internal ORDER BY schema_name, table_name, column_index`)
	if err != nil {
		return nil, err
	}
	return adapters.GroupColumns(rows), nil
}

// LoadCSV creates rel from the CSV file at path with DuckDB's reader, in
// the layout csvsniff reads and checks (the one the Postgres adapter
// loads too), applying the given column types over the detected ones.
func (a *Adapter) LoadCSV(ctx context.Context, x adapters.Execer, rel adapters.Relation, path string, types map[string]string) (int64, error) {
	l, err := csvsniff.Sniff(ctx, path)
	if err != nil {
		return 0, err
	}
	d := Dialect{}
	opts := l.ReadOptions(d.QuoteLiteral)
	if len(types) > 0 {
		names := make([]string, 0, len(types))
		for n := range types {
			names = append(names, n)
		}
		sort.Strings(names)
		parts := make([]string, len(names))
		for i, n := range names {
			parts[i] = d.QuoteLiteral(n) + ": " + d.QuoteLiteral(types[n])
		}
		opts += ", types = {" + strings.Join(parts, ", ") + "}"
	}
	sel := fmt.Sprintf("SELECT * FROM read_csv(%s, %s)", d.QuoteLiteral(path), opts)
	return x.Exec(ctx, fmt.Sprintf("CREATE TABLE %s AS %s", adapters.QuoteRelation(d, rel), sel))
}

// Dialect is DuckDB's SQL.
type Dialect struct{}

// Name is "duckdb".
func (Dialect) Name() string { return "duckdb" }

// QuoteIdent double-quotes an identifier.
func (Dialect) QuoteIdent(s string) string { return adapters.ANSIQuote(s) }

// QuoteLiteral writes s as a standard string literal: DuckDB never
// treats a backslash in '…' as an escape.
func (Dialect) QuoteLiteral(s string) string { return adapters.StandardLiteral(s) }

// CreateSchema creates a schema when missing.
func (Dialect) CreateSchema(s string) string {
	return "CREATE SCHEMA IF NOT EXISTS " + adapters.ANSIQuote(s)
}

// SupportsTransactionalDDL is true: DuckDB rolls back DDL.
func (Dialect) SupportsTransactionalDDL() bool { return true }

// DropCascade is empty: DuckDB views bind lazily, nothing to cascade.
func (Dialect) DropCascade() string { return "" }

// MaxIdentifierLength is 0: DuckDB keeps identifiers whole.
func (Dialect) MaxIdentifierLength() int { return 0 }

// StateIndexColumn leaves out every index on weir's state tables: they
// made neither retention nor weir retry faster on 10,000 runs and cost
// on insert (docs/benchmarks.md), and DuckDB refuses ALTER TABLE on a
// table with an index, which a later migration may need.
func (Dialect) StateIndexColumn(string, string, bool) string { return "" }
