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
	conformance.Run(t, harness)
}

// BenchmarkRunHistory times retention and weir retry's lookup on a long
// run history (DuckDB keeps no index on it: see Dialect.StateIndexColumn).
func BenchmarkRunHistory(b *testing.B) {
	conformance.BenchRunHistory(b, harness)
}

// harness gives each conformance test a database file of its own.
var harness = conformance.Harness{
	Adapter: "duckdb",
	Target: func(t testing.TB) map[string]string {
		return map[string]string{"path": filepath.Join(t.TempDir(), "conformance.duckdb")}
	},
}
