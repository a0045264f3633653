package duckdb_test

import (
	"context"
	"database/sql"
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
	conn, err := duckdbgo.NewConnector("", nil)
	if err != nil {
		t.Fatal(err)
	}
	plain := sql.OpenDB(conn)
	defer plain.Close()
	var want int64
	if err := plain.QueryRow("SELECT current_setting('threads')").Scan(&want); err != nil {
		t.Fatal(err)
	}

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
	threads := func(a adapters.Adapter) any {
		t.Helper()
		rows, err := a.Query(ctx, "SELECT current_setting('threads')")
		if err != nil {
			t.Fatal(err)
		}
		return rows.Values[0][0]
	}
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
