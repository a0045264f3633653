package duckdb_test

import (
	"path/filepath"
	"testing"

	_ "github.com/weir-sh/weir/adapters/duckdb"
	"github.com/weir-sh/weir/tests/conformance"
)

// TestConformance runs the adapter conformance suite on DuckDB, each test
// on a database file of its own.
func TestConformance(t *testing.T) {
	conformance.Run(t, conformance.Harness{
		Adapter: "duckdb",
		Target: func(t testing.TB) map[string]string {
			return map[string]string{"path": filepath.Join(t.TempDir(), "conformance.duckdb")}
		},
	})
}
