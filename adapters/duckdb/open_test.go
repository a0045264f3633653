package duckdb_test

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"path/filepath"
	"testing"

	duckdbgo "github.com/duckdb/duckdb-go/v2"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/adapters/duckdb"
	"github.com/weir-sh/weir/models"
)

// TestOpenKeepsDefaultThreads: the file is attached on one thread, and
// the database then runs queries on DuckDB's default number of threads.
func TestOpenKeepsDefaultThreads(t *testing.T) {
	want := defaultSetting(t, "threads").(int64)

	a, err := duckdb.Open(&models.Target{Name: "dev", Adapter: "duckdb", Path: filepath.Join(t.TempDir(), "w.duckdb"), Threads: 1}, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	rows, err := a.Query(context.Background(), "SELECT current_setting('threads')")
	if err != nil {
		t.Fatal(err)
	}
	if got := rows.Values[0][0]; got != want {
		t.Errorf("threads after Open = %v (%T), want DuckDB's default %d", got, got, want)
	}
}

// TestOpenMemoryLimit: an existing file is attached under a small
// memory_limit and the database has DuckDB's default limit after, in
// its buffer pool too (a commit into a table with a primary key ran out
// of memory when RESET alone restored it); a file that does not attach
// under the limit (none does under 0 bytes) is attached again without it.
func TestOpenMemoryLimit(t *testing.T) {
	ctx := context.Background()
	want := defaultSetting(t, "memory_limit").(string)
	target := &models.Target{Name: "dev", Adapter: "duckdb", Path: filepath.Join(t.TempDir(), "w.duckdb"), Threads: 1}
	a, err := duckdb.Open(target, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Exec(ctx, "CREATE TABLE t (x BIGINT PRIMARY KEY); INSERT INTO t SELECT range FROM range(1000)"); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	next := 1000
	reopen := func(limit string) {
		t.Helper()
		defer duckdb.SetAttachMemoryLimit(limit)()
		a, err := duckdb.Open(target, t.TempDir())
		if err != nil {
			t.Fatalf("Open with an attach memory_limit of %s: %v", limit, err)
		}
		defer a.Close()
		if _, err := a.Exec(ctx, fmt.Sprintf("INSERT INTO t SELECT range FROM range(%d, %d)", next, next+100_000)); err != nil {
			t.Fatalf("insert after Open (attached under %s): %v", limit, err)
		}
		rows, err := a.Query(ctx, "SELECT current_setting('memory_limit'), (SELECT max(x) FROM t)")
		if err != nil {
			t.Fatal(err)
		}
		if got := rows.Values[0][0].(string); !sameSize(got, want) {
			t.Errorf("memory_limit after Open (attached under %s) = %s, want DuckDB's default %s", limit, got, want)
		}
		if got := rows.Values[0][1]; got != int64(next+100_000-1) {
			t.Errorf("max(x) of t after Open (attached under %s) = %v (%T), want %d", limit, got, got, next+100_000-1)
		}
		next += 100_000
	}
	reopen("4MB")
	reopen("0KB")
}

// defaultSetting is DuckDB's setting name in a new database opened
// without options.
func defaultSetting(t *testing.T, name string) any {
	t.Helper()
	conn, err := duckdbgo.NewConnector("", nil)
	if err != nil {
		t.Fatal(err)
	}
	plain := sql.OpenDB(conn)
	defer plain.Close()
	var v any
	if err := plain.QueryRow("SELECT current_setting($1)", name).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// sameSize reports sizes as DuckDB prints them ("18.8 GiB") that differ
// by less than 1 %.
func sameSize(a, b string) bool {
	var x, y float64
	var ua, ub string
	if _, err := fmt.Sscanf(a, "%g %s", &x, &ua); err != nil {
		return false
	}
	if _, err := fmt.Sscanf(b, "%g %s", &y, &ub); err != nil {
		return false
	}
	return ua == ub && math.Abs(x-y) < 0.01*y
}

// TestSerial: queries in Serial's function run on one thread, and the
// database has its threads back after; a database shared by an owner
// keeps its threads, and Leave on it leaves the owner's database open.
func TestSerial(t *testing.T) {
	ctx := context.Background()
	a, err := duckdb.Open(&models.Target{Name: "dev", Adapter: "duckdb", Path: filepath.Join(t.TempDir(), "w.duckdb"), Threads: 1}, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	threads := func(a adapters.Adapter) any { return setting(t, a, "threads") }
	before := threads(a)
	var inside any
	if err := a.(adapters.Serializer).Serial(ctx, func() error { inside = threads(a); return nil }); err != nil {
		t.Fatal(err)
	}
	if inside != int64(1) {
		t.Errorf("threads inside Serial = %v, want 1", inside)
	}
	if after := threads(a); after != before {
		t.Errorf("threads after Serial = %v, want %v as before", after, before)
	}

	shared := a.(adapters.Sharer).Share(nil)
	if err := shared.(adapters.Serializer).Serial(ctx, func() error { inside = threads(shared); return nil }); err != nil {
		t.Fatal(err)
	}
	if inside != before {
		t.Errorf("threads inside Serial of a shared database = %v, want %v", inside, before)
	}
	if err := adapters.CloseAtExit(shared); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Exec(ctx, "CREATE TABLE t AS SELECT 1 AS x"); err != nil {
		t.Fatal(err)
	}
	if err := adapters.CloseAtExit(shared); err != nil {
		t.Fatal(err)
	}
	if got := threads(a); got != before {
		t.Errorf("the owner's database after its shared copy was left: threads %v", got)
	}
}

// TestBulk: inside Bulk DuckDB checkpoints only past 1 GiB of log, and
// done gives the file back the threshold it had, on the adapter and on
// the owner's shared one alike.
func TestBulk(t *testing.T) {
	ctx := context.Background()
	a := opener(t, filepath.Join(t.TempDir(), "w.duckdb"))()
	defer a.Close()
	threshold := func() any { return setting(t, a, "checkpoint_threshold") }
	if _, err := a.Exec(ctx, "SET checkpoint_threshold = '3MiB'"); err != nil {
		t.Fatal(err)
	}
	for _, b := range []adapters.Adapter{a, a.(adapters.Sharer).Share(nil)} {
		done, err := b.(adapters.Bulker).Bulk(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got := threshold(); got != "1.0 GiB" {
			t.Errorf("checkpoint_threshold inside Bulk = %v, want 1.0 GiB", got)
		}
		done()
		if got := threshold(); got != "3.0 MiB" {
			t.Errorf("checkpoint_threshold after Bulk = %v, want 3.0 MiB as before", got)
		}
	}
}
