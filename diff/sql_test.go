package diff

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/weir-sh/weir/adapters/duckdb"
	"github.com/weir-sh/weir/adapters/postgres"
)

var update = flag.Bool("update", false, "rewrite testdata/*.sql")

// TestSQLGolden holds the SQL of each comparison to a file per dialect:
// keyed counts with a full outer join, samples, and EXCEPT ALL without a
// key; a retyped column is compared as text.
func TestSQLGolden(t *testing.T) {
	for _, d := range []struct {
		name string
		q    *query
	}{
		{"duckdb", &query{d: duckdb.Dialect{}}},
		{"postgres", &query{d: postgres.Dialect{}}},
	} {
		q := d.q
		q.base, q.head = `"__weir_defer"."stg"."orders"`, `"stg"."orders"`
		q.key, q.cols, q.cast = []string{"id"}, []string{"amount", "status"}, map[string]bool{"status": true}
		var b strings.Builder
		for _, s := range []string{q.countsSQL(), q.keyedCountsSQL(), q.onlyInSQL(q.head, q.base, 5), q.changedSQL(5)} {
			b.WriteString(s + ";\n\n")
		}
		q.key, q.cols = nil, []string{"id", "amount", "status"}
		for _, s := range []string{q.unkeyedCountsSQL(), q.unkeyedSampleSQL(q.base, q.head, 5)} {
			b.WriteString(s + ";\n\n")
		}
		path := filepath.Join("testdata", d.name+".sql")
		if *update {
			if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if string(want) != b.String() {
			t.Errorf("%s: SQL differs from %s (go test ./diff -update rewrites it):\n%s", d.name, path, b.String())
		}
	}
}
