package main

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"testing"
)

// testPostgresDSN is the Postgres the tests use unless
// WEIR_TEST_POSTGRES_DSN names another.
func testPostgresDSN() string {
	if dsn := os.Getenv("WEIR_TEST_POSTGRES_DSN"); dsn != "" {
		return dsn
	}
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
}

// openTestPostgres connects to the test Postgres and returns the connection
// and a fresh schema prefix, tag followed by random hex and "_". The test is
// skipped when Postgres is unreachable (failed when WEIR_REQUIRE_POSTGRES=1).
// When the test ends every schema under the prefix is dropped and the
// connection closed; cleanups the test registers later run before that.
func openTestPostgres(t *testing.T, tag string) (*sql.DB, string) {
	t.Helper()
	db, err := sql.Open("postgres", testPostgresDSN())
	if err == nil {
		err = db.Ping()
	}
	if err != nil {
		if os.Getenv("WEIR_REQUIRE_POSTGRES") == "1" {
			t.Fatal(err)
		}
		t.Skipf("Postgres is unreachable: %v", err)
	}
	b := make([]byte, 5)
	rand.Read(b)
	prefix := tag + hex.EncodeToString(b) + "_"
	t.Cleanup(func() {
		db.Exec(fmt.Sprintf(`DO $$ DECLARE s text; BEGIN
  FOR s IN SELECT nspname FROM pg_namespace WHERE starts_with(nspname, '%s') LOOP
    EXECUTE format('DROP SCHEMA %%I CASCADE', s);
  END LOOP; END $$`, prefix))
		db.Close()
	})
	return db, prefix
}
