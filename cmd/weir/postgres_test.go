package main

import (
	"database/sql"
	"testing"

	"github.com/weir-sh/weir/internal/servertest"
)

// testPostgresDSN is the Postgres the tests use unless
// WEIR_TEST_POSTGRES_DSN names another (servertest.Postgres).
func testPostgresDSN() string { return servertest.Postgres.DSN() }

// openTestPostgres returns the tests' pool on the test Postgres and a
// fresh schema prefix, tag followed by random hex and "_". The test is
// skipped when Postgres is unreachable (failed when WEIR_REQUIRE_POSTGRES=1).
// When the test ends every schema under the prefix is dropped; cleanups
// the test registers later run before that.
func openTestPostgres(t *testing.T, tag string) (*sql.DB, string) {
	t.Helper()
	return servertest.Postgres.Admin(t), servertest.Postgres.UniquePrefix(t, tag)
}
