package duckdb_test

import (
	"testing"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/adapters/duckdb"
	"github.com/weir-sh/weir/models"
)

// opener returns a function that opens the DuckDB file at path, as
// target dev on one thread, and fails the test when it cannot.
func opener(t *testing.T, path string) func() adapters.Adapter {
	target := &models.Target{Name: "dev", Adapter: "duckdb", Path: path, Threads: 1}
	return func() adapters.Adapter {
		t.Helper()
		a, err := duckdb.Open(target, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
}
