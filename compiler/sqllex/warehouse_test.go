package sqllex

import (
	"database/sql"
	"fmt"
	"slices"
	"testing"

	"github.com/weir-sh/weir/internal/servertest"
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
	if pg := servertest.Postgres.Reach(t); pg != nil { // else DuckDB only
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
