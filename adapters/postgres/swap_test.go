package postgres

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/weir-sh/weir/tests/conformance"
)

// TestSwapKeepsDependents rebuilds a model that views outside weir read
// (a chain, a diamond, a materialized view with an index), that has
// grants and comments, and one of whose columns goes away: the build
// succeeds, the views that still fit come back with their grants,
// comments and index, the rebuilt relation keeps its grants and comments,
// and only the views that read the dropped column are gone.
func TestSwapKeepsDependents(t *testing.T) {
	db := server.Admin(t)
	ctx := context.Background()
	role := readerRole(t, db) // dropped after the schemas: made before newProject

	p := newProject(t)
	p.Write("models/s/t.sql", conformance.Model("table", "SELECT 1 AS id, 'a' AS name, 10 AS amount"))
	p.MustBuild()
	tq := p.Rel("s.t")
	ext := quoteIdent(p.Relation("s.t").Schema[:len(p.Relation("s.t").Schema)-1] + "ext")
	for _, s := range []string{
		"COMMENT ON TABLE " + tq + " IS 'the t'",
		"COMMENT ON COLUMN " + tq + ".id IS 'pk'",
		"COMMENT ON COLUMN " + tq + ".amount IS 'goes away'",
		"GRANT SELECT ON " + tq + " TO " + role,
		"CREATE SCHEMA " + ext,
		"CREATE VIEW " + ext + ".v1 AS SELECT id, name FROM " + tq,
		"CREATE VIEW " + ext + ".v2 AS SELECT v1.id, t.name FROM " + ext + ".v1 JOIN " + tq + " AS t USING (id)",
		"CREATE MATERIALIZED VIEW " + ext + ".mv AS SELECT count(*) AS n FROM " + ext + ".v2",
		"CREATE UNIQUE INDEX mv_n ON " + ext + ".mv (n)",
		"GRANT SELECT ON " + ext + ".v1 TO " + role,
		"COMMENT ON VIEW " + ext + ".v1 IS 'v1'",
		"COMMENT ON COLUMN " + ext + ".v1.name IS 'the name'",
		"CREATE VIEW " + ext + ".uses_amount AS SELECT amount FROM " + tq,
		"CREATE VIEW " + ext + ".on_uses_amount AS SELECT * FROM " + ext + ".uses_amount",
	} {
		if _, err := db.ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	t.Cleanup(func() { db.ExecContext(ctx, "DROP SCHEMA "+ext+" CASCADE") })

	check := func(stage string) {
		t.Helper()
		conformance.EqualRows(t, stage+": ext.v2", p.Strings("SELECT id, name FROM "+ext+".v2"), conformance.Rows("2|b"))
		conformance.EqualRows(t, stage+": ext.mv", p.Strings("SELECT n FROM "+ext+".mv"), conformance.Rows("1"))
		conformance.EqualRows(t, stage+": settings", p.Strings(`SELECT
  has_table_privilege('`+role+`', '`+tq+`', 'SELECT'),
  obj_description('`+tq+`'::regclass, 'pg_class'),
  col_description('`+tq+`'::regclass, 1),
  has_table_privilege('`+role+`', '`+ext+`.v1', 'SELECT'),
  obj_description('`+ext+`.v1'::regclass, 'pg_class'),
  col_description('`+ext+`.v1'::regclass, 2),
  (SELECT count(*) FROM pg_indexes WHERE schemaname = '`+ext[1:len(ext)-1]+`' AND indexname = 'mv_n'),
  to_regclass('`+ext+`.uses_amount') IS NULL AND to_regclass('`+ext+`.on_uses_amount') IS NULL`),
			conformance.Rows("true|the t|pk|true|v1|the name|1|true"))
	}

	p.Write("models/s/t.sql", conformance.Model("table", "SELECT 2 AS id, 'b' AS name"))
	res := p.MustBuild("s.t")
	check("rebuilt as a table")
	// The dropped view is reported with the model that dropped it.
	warned := strings.Join(conformance.Result(t, res, "s.t").Warnings, "\n")
	if !strings.Contains(warned, "uses_amount") || !strings.Contains(warned, "no longer fits it, so it was dropped") {
		t.Fatalf("the rebuild did not warn about the dropped view; warnings: %q", warned)
	}

	p.Write("models/s/t.sql", conformance.Model("view", "SELECT 2 AS id, 'b' AS name"))
	p.MustBuild("s.t")
	check("rebuilt as a view")
}

// TestSwapKeepsViewsOnRebuiltViews changes a table and the weir view on
// it together (a column renamed in both) while views outside weir read
// that view, one through the other, with grants and comments: the swap of
// the table has to drop the weir view (its old definition no longer fits)
// and the outside views with it, but they come back, as they were, once
// the weir view is rebuilt in the same run.
func TestSwapKeepsViewsOnRebuiltViews(t *testing.T) {
	db := server.Admin(t)
	ctx := context.Background()
	role := readerRole(t, db) // dropped after the schemas: made before newProject

	p := newProject(t)
	p.Write("models/s/t.sql", conformance.Model("table", "SELECT 1 AS id, 'a' AS name"))
	p.Write("models/s/v.sql", conformance.Model("view", "SELECT id, name FROM s.t"))
	p.MustBuild()
	v := p.Rel("s.v")
	ext := p.Relation("s.v")
	ext.Schema = ext.Schema[:len(ext.Schema)-1] + "ext"
	e := quoteIdent(ext.Schema)
	for _, s := range []string{
		"CREATE SCHEMA " + e,
		"CREATE VIEW " + e + ".on_v AS SELECT id, upper(name) AS name FROM " + v,
		"CREATE VIEW " + e + ".on_on_v AS SELECT count(*) AS n, min(name) AS name FROM " + e + ".on_v",
		"COMMENT ON VIEW " + e + ".on_v IS 'reads v'",
		"GRANT SELECT ON " + e + ".on_on_v TO " + role,
	} {
		if _, err := db.ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}

	p.Write("models/s/t.sql", conformance.Model("table", "SELECT 2 AS id, 'b' AS label"))
	p.Write("models/s/v.sql", conformance.Model("view", "SELECT id, label AS name FROM s.t"))
	res := p.MustBuild()
	conformance.EqualRows(t, "ext.on_on_v", p.Strings("SELECT n, name FROM "+e+".on_on_v"), conformance.Rows("1|B"))
	conformance.EqualRows(t, "settings", p.Strings(`SELECT obj_description('`+e+`.on_v'::regclass, 'pg_class'),
  has_table_privilege('`+role+`', '`+e+`.on_on_v', 'SELECT')`), conformance.Rows("reads v|true"))
	// The rebuild of s.t said what it dropped; nothing says a view was lost.
	warned := strings.Join(conformance.Result(t, res, "s.t").Warnings, "\n")
	if !strings.Contains(warned, "on_v") || !strings.Contains(warned, "it comes back when that is rebuilt") {
		t.Errorf("the rebuild of s.t did not say it dropped ext.on_v for now; warnings: %q", warned)
	}
	if w := conformance.Result(t, res, "s.v").Warnings; len(w) > 0 {
		t.Errorf("the rebuild of s.v warned: %q", w)
	}
}

// readerRole creates a role for granting to, dropped when the test ends:
// after the schemas of a project made later, which depend on it.
func readerRole(t *testing.T, db *sql.DB) string {
	t.Helper()
	b := make([]byte, 4)
	rand.Read(b)
	role := "weir_reader_" + hex.EncodeToString(b)
	if _, err := db.Exec("CREATE ROLE " + role); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Exec("DROP ROLE " + role) })
	return role
}
