package duckdb_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/adapters/duckdb"
	"github.com/weir-sh/weir/models"
)

// TestLeave: a database with nothing to checkpoint is left open for the
// exit; one with a write-ahead log, and one in memory, are closed (the
// log checkpointed into the file and removed).
func TestLeave(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "w.duckdb")
	open := opener(t, path)
	wal := func() bool {
		_, err := os.Stat(path + ".wal")
		return err == nil
	}

	a := open()
	if _, err := a.Exec(ctx, "CREATE TABLE t AS SELECT 42 AS x"); err != nil {
		t.Fatal(err)
	}
	if !wal() {
		t.Fatal("no write-ahead log after a write; the test cannot tell a close from a leave")
	}
	if err := adapters.CloseAtExit(a); err != nil {
		t.Fatal(err)
	}
	if wal() {
		t.Error("Leave after a write left the write-ahead log: it did not close the database")
	}
	if _, err := a.Query(ctx, "SELECT 1"); err == nil {
		t.Error("Leave after a write left the database open")
	}

	a = open()
	rows, err := a.Query(ctx, "SELECT x FROM t")
	if err != nil || len(rows.Values) != 1 {
		t.Fatalf("reading the table back: %v %v", rows, err)
	}
	if err := adapters.CloseAtExit(a); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Query(ctx, "SELECT 1"); err != nil {
		t.Errorf("Leave with nothing to checkpoint closed the database: %v", err)
	}
	if wal() {
		t.Error("reading wrote a write-ahead log")
	}
	a.Close()

	mem, err := duckdb.Open(&models.Target{Name: "mem", Adapter: "duckdb", Path: ":memory:", Threads: 1}, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := adapters.CloseAtExit(mem); err != nil {
		t.Fatal(err)
	}
	if _, err := mem.Query(ctx, "SELECT 1"); err == nil {
		t.Error("Leave left a database in memory open")
	}
}
