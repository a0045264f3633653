package postgres

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/tests/conformance"
)

// defaultTestDSN is the Postgres the tests use unless
// WEIR_TEST_POSTGRES_DSN names another: trust auth, database test.
const defaultTestDSN = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// testDSN is the DSN of the Postgres under test.
func testDSN() string {
	if dsn := os.Getenv("WEIR_TEST_POSTGRES_DSN"); dsn != "" {
		return dsn
	}
	return defaultTestDSN
}

var (
	adminOnce sync.Once
	admin     *sql.DB
	adminErr  error
)

// adminDB is a connection pool of the tests' own, for setting up,
// watching and cleaning up what weir does. It skips the test when
// Postgres is unreachable, or fails it when WEIR_REQUIRE_POSTGRES=1.
func adminDB(t testing.TB) *sql.DB {
	t.Helper()
	adminOnce.Do(func() {
		admin, adminErr = sql.Open("postgres", testDSN())
		if adminErr == nil {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			adminErr = admin.PingContext(ctx)
		}
	})
	if adminErr != nil {
		msg := fmt.Sprintf("Postgres at %s is unreachable: %v", adapters.RedactedDSN(testDSN()), adminErr)
		if os.Getenv("WEIR_REQUIRE_POSTGRES") == "1" {
			t.Fatal(msg + " (WEIR_REQUIRE_POSTGRES=1)")
		}
		t.Skip(msg + "; set WEIR_TEST_POSTGRES_DSN, or WEIR_REQUIRE_POSTGRES=1 to fail instead")
	}
	return admin
}

// uniquePrefix returns a schema prefix no other test uses, and drops every
// schema that starts with it when the test ends.
func uniquePrefix(t testing.TB) string {
	t.Helper()
	db := adminDB(t)
	b := make([]byte, 5)
	rand.Read(b)
	prefix := "wt_" + hex.EncodeToString(b) + "_"
	t.Cleanup(func() { dropSchemas(t, db, prefix) })
	return prefix
}

func dropSchemas(t testing.TB, db *sql.DB, prefix string) {
	ctx := context.Background()
	rows, err := db.QueryContext(ctx, `SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)`, prefix)
	if err != nil {
		t.Errorf("cleanup: %v", err)
		return
	}
	var names []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		names = append(names, n)
	}
	rows.Close()
	for _, n := range names {
		if _, err := db.ExecContext(ctx, "DROP SCHEMA "+quoteIdent(n)+" CASCADE"); err != nil {
			t.Errorf("cleanup: %v", err)
		}
	}
}

// running counts the active statements, other than this one, whose text
// contains marker.
func running(ctx context.Context, marker string) (int, error) {
	var n int
	err := admin.QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity
WHERE state = 'active' AND pid <> pg_backend_pid() AND strpos(query, $1) > 0`, marker).Scan(&n)
	return n, err
}

// harness runs weir tests on the Postgres under test, each in schemas of
// its own.
func harness() conformance.Harness {
	return conformance.Harness{
		Adapter: "postgres",
		Target: func(t testing.TB) map[string]string {
			return map[string]string{"dsn": testDSN(), "schema_prefix": uniquePrefix(t)}
		},
		Running: running,
	}
}

// newProject is a conformance project on its own Postgres schemas.
func newProject(t testing.TB) *conformance.Project {
	t.Helper()
	return conformance.NewProject(t, harness())
}
