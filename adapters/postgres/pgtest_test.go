package postgres

import (
	"context"
	"testing"

	"github.com/weir-sh/weir/internal/servertest"
	"github.com/weir-sh/weir/tests/conformance"
)

// server is the Postgres under test (servertest.Postgres).
var server = servertest.Postgres

// uniquePrefix returns a schema prefix no other test uses, and drops every
// schema that starts with it when the test ends.
func uniquePrefix(t testing.TB) string {
	t.Helper()
	return server.UniquePrefix(t, "wt_")
}

// running counts the active statements, other than this one, whose text
// contains marker.
func running(ctx context.Context, marker string) (int, error) {
	var n int
	err := server.DB().QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity
WHERE state = 'active' AND pid <> pg_backend_pid() AND strpos(query, $1) > 0`, marker).Scan(&n)
	return n, err
}

// harness runs weir tests on the Postgres under test, each in schemas of
// its own.
func harness() conformance.Harness {
	return conformance.Harness{
		Adapter: "postgres",
		Target: func(t testing.TB) map[string]string {
			return map[string]string{"dsn": server.DSN(), "schema_prefix": uniquePrefix(t)}
		},
		Running: running,
	}
}

// newProject is a conformance project on its own Postgres schemas.
func newProject(t testing.TB) *conformance.Project {
	t.Helper()
	return conformance.NewProject(t, harness())
}
