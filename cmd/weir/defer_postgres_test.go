package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDeferPostgres is the pull-request flow on Postgres: targets prod and
// ci are two schema_prefixes of one database. After a change to
// stg.orders, build --select state:modified+ --state-from prod --defer prod
// builds it and marts.revenue into ci, reading prod's stg.customers; diff
// compares with prod; a target in another database is refused.
func TestDeferPostgres(t *testing.T) {
	db, prefix := openTestPostgres(t, "wd_")

	otherDB := strings.Replace(testPostgresDSN(), "/test?", "/postgres?", 1)
	target := func(name, dsn, pfx string) string {
		return fmt.Sprintf("target %q {\n  adapter = \"postgres\"\n  dsn = %q\n  schema_prefix = %q\n}\n", name, dsn, pfx)
	}
	dir := t.TempDir()
	write := func(name, body string) {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("weir.hcl", "name = \"pgdefer\"\ndefault_target = \"ci\"\n"+
		target("prod", testPostgresDSN(), prefix+"prod_")+target("ci", testPostgresDSN(), prefix+"ci_")+
		target("elsewhere", otherDB, prefix+"x_"))
	write("models/stg/customers.sql", "SELECT * FROM (VALUES (1, 'ann'), (2, 'bob')) AS t(id, name)\n")
	write("models/stg/orders.sql", "/* config\nmaterialized = \"incremental\"\nunique_key = \"id\"\n*/\nSELECT * FROM (VALUES (10, 1, 5), (11, 2, 7)) AS t(id, customer_id, amount)\n")
	write("models/marts/revenue.sql", "SELECT c.name, sum(o.amount) AS revenue FROM stg.orders o JOIN stg.customers c ON c.id = o.customer_id GROUP BY c.name\n")

	runWeir(t, dir, "build", "--target", "prod")
	write("models/stg/orders.sql", "/* config\nmaterialized = \"incremental\"\nunique_key = \"id\"\n*/\nSELECT * FROM (VALUES (10, 1, 5), (11, 2, 9), (12, 2, 1)) AS t(id, customer_id, amount)\n")

	out := runWeir(t, dir, "build", "--select", "state:modified+", "--state-from", "prod", "--defer", "prod", "--target", "ci")
	for _, want := range []string{
		"deferred: stg.customers → prod (" + prefix + "prod_stg.customers)",
		"2 built, 0 failed, 0 skipped",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("build output lacks %q:\n%s", want, out)
		}
	}
	var n int
	db.QueryRow(`SELECT count(*) FROM information_schema.tables WHERE table_schema = $1`, prefix+"ci_stg").Scan(&n)
	if n != 1 {
		t.Errorf("ci_stg holds %d tables, want 1 (orders only; customers deferred)", n)
	}
	var bob int
	if err := db.QueryRow(fmt.Sprintf(`SELECT revenue FROM %q.revenue WHERE name = 'bob'`, prefix+"ci_marts")).Scan(&bob); err != nil || bob != 10 {
		t.Errorf("ci's marts.revenue for bob = %d (%v), want 10 (ci's orders joined with prod's customers)", bob, err)
	}

	out = runWeir(t, dir, "diff", "stg.orders", "--target", "ci", "--against", "prod")
	if !regexp.MustCompile(`rows: 2 in prod, 3 in ci\n  rows added: 1, removed: 0, changed: 1\n`).MatchString(out) ||
		!strings.Contains(out, "id=11: amount 7 → 9") {
		t.Errorf("diff output:\n%s", out)
	}

	bad, err := weirProcess(dir, "build", "--select", "stg.orders+", "--defer", "elsewhere", "--target", "ci").CombinedOutput()
	if err == nil || !strings.Contains(string(bad), `target "elsewhere" is another Postgres database`) {
		t.Errorf("--defer to another database: %v\n%s", err, bad)
	}
}
