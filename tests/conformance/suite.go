// Package conformance is the conformance suite every weir adapter passes
// against a real database (DESIGN.md §6). Each test writes a small project
// (weir.hcl, models, seeds) in a temporary folder, builds it through the
// real pipeline (models.Load, compiler.Compile, runner.Run) on a fresh
// target that the adapter's Harness isolates from every other test, and
// reads the warehouse back.
//
// An adapter package runs it from a test:
//
//	func TestConformance(t *testing.T) {
//		conformance.Run(t, conformance.Harness{Adapter: "duckdb", Target: …})
//	}
package conformance

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"
)

// Harness connects the suite to one adapter and its warehouse.
type Harness struct {
	// Adapter is the registered adapter name, e.g. "postgres".
	Adapter string
	// Target returns the settings of a target no other test uses, as
	// weir.hcl attributes (adapter and threads are added by the suite):
	// a database file in t.TempDir() for DuckDB, a dsn and a schema_prefix
	// of its own for Postgres. It registers its own cleanup with t.Cleanup.
	Target func(t testing.TB) map[string]string
	// Running counts the statements executing now on the warehouse whose
	// text contains marker, seen from a connection of its own (Postgres:
	// pg_stat_activity). Nil when the warehouse cannot tell; the cancel
	// test then checks only what the run reports.
	Running func(ctx context.Context, marker string) (int, error)
	// Spelling is how the warehouse writes what the suite's SQL needs
	// that warehouses spell differently (zero: DuckDB and Postgres).
	Spelling Spelling
	// Skip names the tests this adapter does not pass yet, each with the
	// reason, which the test prints as it skips.
	Skip map[string]string
}

// Run runs every conformance test on h's adapter. Each test runs in
// parallel with the others, on a target of its own.
func Run(t *testing.T, h Harness) {
	tests := []struct {
		name string
		fn   func(*testing.T, Harness)
	}{
		{"Materializations", testMaterializations},
		{"SwitchMaterialization", testSwitchMaterialization},
		{"DownstreamViewSurvivesRebuild", testDownstreamView},
		{"SeedsAwkwardCSV", testSeedsAwkward},
		{"SeedHeaderOnly", testSeedHeaderOnly},
		{"SeedColumnTypes", testSeedColumnTypes},
		{"SeedReload", testSeedReload},
		{"SeedBadFiles", testSeedBadFiles},
		{"SeedSniffedTypes", testSeedSniffedTypes},
		{"QuotedIdentifiers", testQuotedIdentifiers},
		{"QuotingRoundTrip", testQuotingRoundTrip},
		{"HostileNamesAndValues", testHostileNamesAndValues},
		{"AtomicSwap", testAtomicSwap},
		{"FailedRebuildKeepsOld", testFailedRebuild},
		{"ParallelRebuildUnderSharedView", testParallelSharedView},
		{"CancelLongQuery", testCancel},

		{"StateStore", testStateStore},
		{"RunRetention", testRunRetention},
		{"RetentionAfterMigration", testRetentionAfterMigration},
		{"Incremental", testIncremental},
		{"TimeRange", testTimeRange},

		{"DataTests", testDataTests},
		{"UnitEmptyRowsTyped", testUnitEmptyRowsTyped},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if why, ok := h.Skip[tc.name]; ok {
				t.Skip(why)
			}
			t.Parallel()
			tc.fn(t, h)
		})
	}
}

// Marker returns a name unique to this test run, to find a statement in
// the warehouse's list of running queries.
func Marker(prefix string) string {
	b := make([]byte, 6)
	rand.Read(b)
	return prefix + hex.EncodeToString(b)
}
