package main

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// TestImportDbtPostgres imports the dbt project of import_dbt.txtar, then
// builds and tests the weir project on DuckDB and on Postgres: every model
// holds the same rows on both, and the tests give the same results.
func TestImportDbtPostgres(t *testing.T) {
	db, prefix := openTestPostgres(t, "imp_")
	ar, err := txtar.ParseFile("testdata/script/import_dbt.txtar")
	if err != nil {
		t.Fatal(err)
	}
	src, work := t.TempDir(), t.TempDir()
	var setup string
	for _, f := range ar.Files {
		if rel, ok := strings.CutPrefix(f.Name, "dbt/"); ok {
			writeFile(t, filepath.Join(src, rel), string(f.Data))
		}
		if f.Name == "setup.sql" {
			// The source's schema is not prefixed: give it the prefix
			// here, so that runs side by side do not share it.
			setup = strings.ReplaceAll(string(f.Data), "app_raw", prefix+"app_raw")
		}
	}
	dst := filepath.Join(work, "new")
	runWeir(t, work, "import", "dbt", src, dst)
	hcl, err := os.ReadFile(filepath.Join(dst, "weir.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(hcl), `"app_raw"`, `"`+prefix+`app_raw"`, 1) + `
target "pg" {
  adapter       = "postgres"
  dsn           = "` + testPostgresDSN() + `"
  schema_prefix = "` + prefix + `"
}
`
	writeFile(t, filepath.Join(dst, "weir.hcl"), text)
	writeFile(t, filepath.Join(work, "setup.sql"), setup)
	runWeir(t, dst, "query", "--file", filepath.Join(work, "setup.sql"))
	if _, err := db.Exec(setup); err != nil {
		t.Fatal(err)
	}

	runWeir(t, dst, "build")
	runWeir(t, dst, "build", "--target", "pg")
	if duck, pg := testLines(runWeir(t, dst, "test")), testLines(runWeir(t, dst, "test", "--target", "pg")); duck != pg || !strings.Contains(duck, "WARN") {
		t.Errorf("test results differ, or lack the warning:\nDuckDB:\n%s\nPostgres:\n%s", duck, pg)
	}
	for _, q := range []string{
		"SELECT * FROM staging.stg_orders ORDER BY order_id",
		"SELECT * FROM staging.stg_payments ORDER BY payment_id",
		"SELECT * FROM marts.orders ORDER BY order_id",
		"SELECT * FROM marts.customers ORDER BY customer_id",
		"SELECT * FROM marts.payment_pivot ORDER BY order_id",
		"SELECT * FROM marts.all_people ORDER BY 1, 2, 5",
		"SELECT * FROM marts.customer_events ORDER BY event_id",
	} {
		duck := sameNumbers(runWeir(t, dst, "query", q, "--format", "csv"))
		pg := sameNumbers(runWeir(t, dst, "query", q, "--format", "csv", "--target", "pg"))
		if duck != pg || strings.Count(duck, "\n") < 3 {
			t.Errorf("%s:\nDuckDB:\n%s\nPostgres:\n%s", q, duck, pg)
		}
	}
}

var csvDecimal = regexp.MustCompile(`^-?[0-9]+\.[0-9]+$`)

// sameNumbers writes the decimals of CSV output without trailing zeros:
// Postgres prints numeric(16, 2) as 10.00, DuckDB's driver as 10.
func sameNumbers(csv string) string {
	lines := strings.Split(csv, "\n")
	for i, line := range lines {
		fields := strings.Split(line, ",")
		for j, f := range fields {
			if csvDecimal.MatchString(f) {
				fields[j] = strings.TrimRight(strings.TrimRight(f, "0"), ".")
			}
		}
		lines[i] = strings.Join(fields, ",")
	}
	return strings.Join(lines, "\n")
}

var testResult = regexp.MustCompile(`(?m)^\s*\d+/\d+ (\w+ +\S+)`)

// testLines are the status and name of each test weir test ran, sorted
// (tests run in parallel), and its summary less the time.
func testLines(out string) string {
	var lines []string
	for _, m := range testResult.FindAllStringSubmatch(out, -1) {
		lines = append(lines, m[1])
	}
	sort.Strings(lines)
	summary := regexp.MustCompile(`\d+ tests: [^\n]*? in`).FindString(out)
	return strings.Join(append(lines, summary), "\n")
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
