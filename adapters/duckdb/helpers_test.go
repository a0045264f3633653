package duckdb_test

import (
	"context"
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

// setting is the value of DuckDB setting name on a.
func setting(t *testing.T, a adapters.Adapter, name string) any {
	t.Helper()
	rows, err := a.Query(context.Background(), "SELECT current_setting("+duckdb.Dialect{}.QuoteLiteral(name)+")")
	if err != nil {
		t.Fatal(err)
	}
	return rows.Values[0][0]
}
