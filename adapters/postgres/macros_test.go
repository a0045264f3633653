package postgres

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/weir-sh/weir/adapters/duckdb"
	"github.com/weir-sh/weir/tests/conformance"
)

// TestMacroVariantsMatchDuckDB builds one project on DuckDB and on
// Postgres. Its macro cents_to_dollars divides integer cents by 100:
// DuckDB's / gives a double, Postgres's truncates, so the project ships
// cents_to_dollars.postgres.sql, which Postgres uses instead, and both
// warehouses hold the same dollars.
func TestMacroVariantsMatchDuckDB(t *testing.T) {
	files := map[string]string{
		"macros/money/cents_to_dollars.sql": "/* config\nparams = [\"column\"]\n*/\n{{ .column }} / 100\n",
		"macros/money/cents_to_dollars.postgres.sql": "/* config\nparams = [\"column\"]\n*/\n" +
			"CAST({{ .column }} AS double precision) / 100\n",
		"models/s/orders.sql": "SELECT id, {{ cents_to_dollars \"cents\" }} AS dollars, '{{ target \"adapter\" }}' <> '' AS known\n" +
			"FROM (VALUES (1, 1235), (2, 99), (3, 100000)) AS t(id, cents)\n",
		// The standard macros give the same rows on both.
		"models/s/days.sql": "SELECT d.date_day, {{ surrogate_key \"d.date_day\" \"'x'\" \"NULL\" }} AS k\n" +
			"FROM ({{ date_spine \"day\" \"'2024-02-27'\" \"'2024-03-02'\" }}) AS d\n",
	}
	duck, pg, _ := bothTargets(t, files)
	duck.MustBuild()
	pg.MustBuild()

	want := conformance.Rows("1|12.35|true", "2|0.99|true", "3|1000|true")
	for _, p := range []*conformance.Project{duck, pg} {
		got := p.Strings("SELECT id, dollars, known FROM " + p.Rel("s.orders") + " ORDER BY id")
		conformance.EqualRows(t, "s.orders on "+p.Target().Adapter, got, want)
	}
	days := conformance.Rows("2024-02-27", "2024-02-28", "2024-02-29", "2024-03-01")
	keys := map[string]string{}
	for _, p := range []*conformance.Project{duck, pg} {
		got := p.Strings("SELECT date_day, k FROM " + p.Rel("s.days") + " ORDER BY date_day")
		var dates [][]string
		for _, row := range got {
			dates = append(dates, row[:1])
			keys[p.Target().Adapter] += row[1] + " "
		}
		conformance.EqualRows(t, "s.days on "+p.Target().Adapter, dates, days)
	}
	if keys["duckdb"] != keys["postgres"] || len(keys["duckdb"]) < 4*32 {
		t.Errorf("surrogate keys differ: DuckDB %s, Postgres %s", keys["duckdb"], keys["postgres"])
	}
	if m := pg.Compile().Nodes["s.orders"].Macros; len(m) != 1 || !strings.HasSuffix(m[0], "cents_to_dollars.postgres.sql") {
		t.Errorf("Postgres reached %v, want the postgres variant", m)
	}
	if m := duck.Compile().Nodes["s.orders"].Macros; len(m) != 1 || m[0] != "macros/money/cents_to_dollars.sql" {
		t.Errorf("DuckDB reached %v, want the generic macro", m)
	}
}

// bothTargets writes a project of files with a DuckDB target and a
// Postgres one under a schema prefix of its own (dropped after the test),
// and loads it on each.
func bothTargets(t *testing.T, files map[string]string) (duck, pg *conformance.Project, prefix string) {
	t.Helper()
	server.Admin(t)
	b := make([]byte, 4)
	rand.Read(b)
	prefix = "mac_" + hex.EncodeToString(b) + "_"
	dir := t.TempDir()
	files["weir.hcl"] = `name = "mac"
target "dev" {
  adapter = "duckdb"
  path    = "target/mac.duckdb"
}
target "pg" {
  adapter       = "postgres"
  dsn           = ` + conformance.HCLString(server.DSN()) + `
  schema_prefix = "` + prefix + `"
}
`
	for rel, text := range files {
		full := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	duck = conformance.LoadProject(t, dir, "dev")
	pg = conformance.LoadProject(t, dir, "pg")
	t.Cleanup(func() {
		for _, s := range []string{"s", "raw"} {
			pg.Exec("DROP SCHEMA IF EXISTS " + prefix + s + " CASCADE")
		}
	})
	return duck, pg, prefix
}

// TestStdlibColumnsMatchDuckDB builds star, union_relations and pivot on
// DuckDB and on Postgres: the same rows. Postgres has no * EXCLUDE, and
// resolves UNION column types pair by pair, so a column two relations
// lack needs a NULL of its type in each.
func TestStdlibColumnsMatchDuckDB(t *testing.T) {
	duck, pg, _ := bothTargets(t, map[string]string{
		"seeds/raw/customers.csv": "id,name,secret\n1,ann,x\n2,bob,y\n",
		"seeds/raw/payments.csv":  "order_id,method,amount\n1,card,10\n1,coupon,5\n2,card,7\n2,card,3\n",
		"models/s/customers.sql":  "SELECT {{ star \"raw.customers\" \"secret\" }} FROM raw.customers\n",
		"models/s/a.sql": "/* config\ncolumn \"id\" {}\ncolumn \"note\" {}\n*/\n" +
			"SELECT 1 AS id, 'x' AS note\n",
		"models/s/b.sql": "/* config\ncolumn \"id\" {}\n*/\nSELECT 2 AS id\n",
		"models/s/c.sql": "/* config\ncolumn \"id\" {}\ncolumn \"amount\" {}\ncolumn \"day\" { type = \"DATE\" }\n*/\n" +
			"SELECT 3 AS id, 4.5 AS amount, DATE '2024-01-02' AS day\n",
		"models/s/unioned.sql": "{{ union_relations \"s.a\" \"s.b\" \"s.c\" }}\n",
		"models/s/pivoted.sql": "SELECT order_id, {{ pivot \"method\" \"amount\" \"card\" \"coupon\" }}\n" +
			"FROM raw.payments GROUP BY order_id\n",
		"models/s/counted.sql": "SELECT order_id, {{ pivot \"method\" \"1\" \"card\" \"coupon\" }}\n" +
			"FROM raw.payments GROUP BY order_id\n",
	})
	duck.MustBuild()
	pg.MustBuild()
	want := map[string][][]string{
		"s.customers": conformance.Rows("1|ann", "2|bob"),
		"s.pivoted":   conformance.Rows("1|10|5", "2|10|0"),
		"s.counted":   conformance.Rows("1|1|1", "2|2|0"),
		"s.unioned":   conformance.Rows("s.a|1|x|NULL|NULL", "s.b|2|NULL|NULL|NULL", "s.c|3|NULL|4.5|2024-01-02"),
	}
	for _, p := range []*conformance.Project{duck, pg} {
		for id, rows := range want {
			got := p.Strings(fmt.Sprintf("SELECT * FROM %s ORDER BY 1, 2", p.Rel(id)))
			conformance.EqualRows(t, id+" on "+p.Target().Adapter, got, rows)
		}
	}
}
