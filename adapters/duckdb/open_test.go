package duckdb_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	duckdbgo "github.com/duckdb/duckdb-go/v2"

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
