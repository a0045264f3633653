package sqllex

import (
	"database/sql"
	"fmt"
	"os"
	"slices"
	"testing"

	_ "github.com/lib/pq"
)

// TestUglyCasesOnWarehouses runs each single-statement ugly case on DuckDB
// and on Postgres 15 as written, normalized and trimmed inside a subquery:
// all three must return the same columns and rows, so the lexer saw the
// comments and literals where each warehouse does.
func TestUglyCasesOnWarehouses(t *testing.T) {
	duckdb, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer duckdb.Close()
	dbs := map[string]*sql.DB{"duckdb": duckdb}
	if pg := openPostgres(t); pg != nil {
		defer pg.Close()
		dbs["postgres"] = pg
	}
	for name, db := range dbs {
		for _, c := range uglyCases {
			if c.stmts != 1 {
				continue
			}
			want := rowsOf(t, db, c.sql)
			if want[0] == "error" {
				t.Errorf("%s refuses %q", name, c.sql)
				continue
			}
			for _, variant := range []string{Normalize(c.sql), "SELECT * FROM (" + Trim(c.sql) + ") AS q"} {
				if got := rowsOf(t, db, variant); !slices.Equal(got, want) {
					t.Errorf("%s: %q gives %q, but %q gives %q", name, c.sql, want, variant, got)
				}
			}
		}
	}
}

// rowsOf runs query and returns its column names and rows as text.
func rowsOf(t *testing.T, db *sql.DB, query string) []string {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		return []string{"error"} // compared like a result: both must fail, or neither
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	out := []string{fmt.Sprint(cols)}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s", vals))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// openPostgres connects to WEIR_TEST_POSTGRES_DSN (default: the local
// server with trust auth). It returns nil when none answers, unless
// WEIR_REQUIRE_POSTGRES=1, which fails the test instead.
func openPostgres(t *testing.T) *sql.DB {
	dsn := os.Getenv("WEIR_TEST_POSTGRES_DSN")
	if dsn == "" {
		dsn = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	}
	db, err := sql.Open("postgres", dsn)
	if err == nil {
		err = db.Ping()
	}
	if err != nil {
		if os.Getenv("WEIR_REQUIRE_POSTGRES") == "1" {
			t.Fatalf("Postgres is required (WEIR_REQUIRE_POSTGRES=1) but unreachable: %v", err)
		}
		t.Logf("Postgres unreachable, checking DuckDB only: %v", err)
		return nil
	}
	return db
}
