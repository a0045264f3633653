package postgres

import (
	"crypto/rand"
	"encoding/hex"
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
	adminDB(t)
	b := make([]byte, 4)
	rand.Read(b)
	prefix := "mac_" + hex.EncodeToString(b) + "_"
	dir := t.TempDir()
	files := map[string]string{
		"weir.hcl": `name = "mac"
target "dev" {
  adapter = "duckdb"
  path    = "target/mac.duckdb"
}
target "pg" {
  adapter       = "postgres"
  dsn           = ` + conformance.HCLString(testDSN()) + `
  schema_prefix = "` + prefix + `"
}
`,
		"macros/money/cents_to_dollars.sql": "/* config\nparams = [\"column\"]\n*/\n{{ .column }} / 100\n",
		"macros/money/cents_to_dollars.postgres.sql": "/* config\nparams = [\"column\"]\n*/\n" +
			"CAST({{ .column }} AS double precision) / 100\n",
		"models/s/orders.sql": "SELECT id, {{ cents_to_dollars \"cents\" }} AS dollars, '{{ target \"adapter\" }}' <> '' AS known\n" +
			"FROM (VALUES (1, 1235), (2, 99), (3, 100000)) AS t(id, cents)\n",
		// The standard macros give the same rows on both.
		"models/s/days.sql": "SELECT d.date_day, {{ surrogate_key \"d.date_day\" \"'x'\" \"NULL\" }} AS k\n" +
			"FROM ({{ date_spine \"day\" \"'2024-02-27'\" \"'2024-03-02'\" }}) AS d\n",
	}
	for rel, text := range files {
		full := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	duck := conformance.LoadProject(t, dir, "dev")
	pg := conformance.LoadProject(t, dir, "pg")
	t.Cleanup(func() { pg.Exec("DROP SCHEMA IF EXISTS " + prefix + "s CASCADE") })
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
