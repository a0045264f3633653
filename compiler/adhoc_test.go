package compiler_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/models"
)

// adhocProject compiles a small project under a dev_ prefix: a source, a
// view, an ephemeral model over it and a model reading the ephemeral one.
func adhocProject(t *testing.T) *compiler.Result {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"weir.hcl": `name = "a"
target "dev" {
  adapter       = "duckdb"
  path          = ":memory:"
  schema_prefix = "dev_"
}
source "raw" {
  table "orders" {}
}
vars = { floor = "3" }
`,
		"models/staging/orders.sql": "SELECT id, amount FROM raw.orders",
		"models/staging/big.sql":    "/* config\nmaterialized = \"ephemeral\"\n*/\nSELECT * FROM staging.orders WHERE amount > 100",
		"models/marts/summary.sql":  "SELECT count(*) AS n FROM big",
	}
	for name, text := range files {
		path := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p, diags := models.Load(dir)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	tgt := p.Targets["dev"]
	d, _ := adapters.DialectOf(tgt)
	res, diags := compiler.Compile(p, compiler.Options{Target: tgt, Dialect: d, Parser: parser})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return res
}

func adhoc(body string) *models.Model {
	return &models.Model{Schema: "test", Name: "t", Path: "tests/t.sql", Body: body, BodyStart: hcl.InitialPos}
}

func TestCompileSQLResolvesAndRewrites(t *testing.T) {
	res := adhocProject(t)
	q, diags := res.CompileSQL(adhoc(`SELECT o.id FROM staging.orders AS o JOIN big USING (id) WHERE o.amount > {{ var "floor" }} AND {{ .col }} IS NULL`),
		compiler.SQLOptions{Data: map[string]any{"col": `"amount"`}})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if got := strings.Join(q.DependsOn, ","); got != "staging.big,staging.orders" {
		t.Errorf("depends on %s", got)
	}
	for _, want := range []string{`FROM "dev_staging"."orders" AS o JOIN "__weir_eph_staging_big" AS "big"`, `o.amount > 3 AND "amount" IS NULL`, `SELECT * FROM "dev_staging"."orders" WHERE amount > 100`} {
		if !strings.Contains(q.SQL, want) {
			t.Errorf("compiled SQL lacks %q:\n%s", want, q.SQL)
		}
	}
	if _, ok := res.Nodes[q.ID]; ok {
		t.Errorf("CompileSQL added %s to the project", q.ID)
	}
}

func TestCompileSQLErrorsPointIntoTheFile(t *testing.T) {
	res := adhocProject(t)
	for _, c := range []struct{ body, summary, at string }{
		{"-- a\nSELECT * FROM staging.ordrs", "Unknown table staging.ordrs", "tests/t.sql:2:15"},
		{"SELECT 1;\nSELECT 2", "Expected a single SELECT", "tests/t.sql:1:1"},
		{"DELETE FROM staging.orders", "Expected a single SELECT", "tests/t.sql:1:1"},
		{"SELECT * FROM\nWHERE", "SQL syntax error in test t", "tests/t.sql:2:1"},
	} {
		q, diags := res.CompileSQL(adhoc(c.body), compiler.SQLOptions{ID: "test t"})
		if q != nil || len(diags) == 0 {
			t.Errorf("%q compiled", c.body)
			continue
		}
		d := diags[0]
		at := ""
		if d.Subject != nil {
			at = fmt.Sprintf("%s:%d:%d", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column)
		}
		if d.Summary != c.summary || at != c.at {
			t.Errorf("%q: %s at %s, want %s at %s", c.body, d.Summary, at, c.summary, c.at)
		}
	}
}

func TestSubstituteSQLReachesThroughEphemerals(t *testing.T) {
	res := adhocProject(t)
	sql := res.SubstituteSQL(res.Nodes["marts.summary"], map[string]string{"staging.orders": `"given_orders"`})
	if !strings.Contains(sql, `SELECT * FROM "given_orders" AS "orders" WHERE amount > 100`) || strings.Contains(sql, "dev_staging") {
		t.Errorf("substituted SQL:\n%s", sql)
	}
	if res.Nodes["marts.summary"].SQL == sql {
		t.Error("the model's own SQL changed")
	}
	if n, d := res.Lookup("summary", "x", hcl.Range{}); n == nil || d != nil || n.ID != "marts.summary" {
		t.Errorf("Lookup(summary) = %v, %v", n, d)
	}
	if _, d := res.Lookup("staging.ordr", "test x", hcl.Range{}); d == nil || !strings.Contains(d.Detail, "Did you mean staging.orders") {
		t.Errorf("Lookup of a typo: %v", d)
	}
}

// TestRewritableName tells SQL that names a project relation where a
// table goes, by a name a SELECT would rewrite, from SQL that does not.
func TestRewritableName(t *testing.T) {
	res := adhocProject(t)
	if name, n := res.RewritableName("DROP TABLE x; DROP TABLE staging.big; DROP TABLE staging.orders"); name != "staging.big" || n.ID != "staging.big" {
		t.Errorf("the first name: %q, %v", name, n)
	}
	for sql, want := range map[string]bool{
		"CREATE TABLE backup AS SELECT * FROM staging.orders":            true,
		"CREATE TABLE backup AS SELECT * FROM summary":                   true,  // bare: rewritten to dev_marts.summary
		"CREATE TABLE backup AS SELECT * FROM orders":                    false, // a model's and a source's: ambiguous
		"INSERT INTO scratch.t SELECT n FROM marts.summary":              true,
		"DROP TABLE IF EXISTS \"staging\".\"orders\"":                    true,
		"CREATE TABLE t AS SELECT 1; SELECT * FROM x, staging.orders":    true, // after a comma
		"CREATE TABLE t AS SELECT * FROM x AS y, big":                    true, // an ephemeral model, inlined
		"CREATE TABLE scratch.t (orders INT); DROP TABLE scratch.t":      false,
		"CREATE TABLE t AS SELECT * FROM dev_staging.orders":             false, // already the physical name
		"CREATE TABLE t AS SELECT * FROM raw.orders":                     false, // a source: not prefixed
		"CREATE TABLE t AS SELECT orders, staging.orders.id FROM x":      false, // columns
		"CREATE TABLE t AS SELECT * FROM read_csv('orders.csv')":         false,
		"CREATE TABLE t AS SELECT * FROM x ORDER BY a, orders":           false,
		"-- FROM staging.orders\nCREATE TABLE t AS SELECT 'FROM orders'": false, // comments and strings
	} {
		if name, n := res.RewritableName(sql); (n != nil) != want || (name == "") == want {
			t.Errorf("RewritableName(%q) = %q, %v; want a name: %v", sql, name, n, want)
		}
	}
}
