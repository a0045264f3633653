package conformance

import (
	"reflect"
	"testing"
)

// testQuotedIdentifiers builds schemas, tables and columns whose names
// need quoting (spaces, mixed case, the reserved words order and select),
// from models and from a seed, twice so the rebuild's swap is covered too.
// Schema folders and file names are plain identifiers (mixed case and
// reserved words); columns may hold spaces.
func testQuotedIdentifiers(t *testing.T, h Harness) {
	p := NewProject(t, h)
	p.Write("models/Sales_Data/order.sql", Model("table",
		`SELECT 1 AS "order", 'x' AS "select", 2 AS "Col With Space", 3 AS "MiXed"`))
	p.Write("models/Sales_Data/select.sql", Model("table",
		`SELECT "order", "select", "Col With Space" + 1 AS "Col With Space", "MiXed" FROM "Sales_Data"."order"`))
	p.Write("models/Sales_Data/Mixed_Case.sql", Model("view",
		`SELECT s."order" + o."order" AS "Sum", s."select" FROM "Sales_Data"."select" AS s JOIN "Sales_Data"."order" AS o ON o."MiXed" = s."MiXed"`))
	p.Write("seeds/Raw_Data/Group.csv", "\"select\",\"Some Col\",order\n1,a b,2\n")
	p.Write("models/Sales_Data/from_seed.sql", Model("table",
		`SELECT "select" AS "order", "Some Col", "order" AS "select" FROM "Raw_Data"."Group"`))

	for build := 1; build <= 2; build++ {
		p.MustBuild()
		rels := p.Relations()
		for _, id := range []string{"Sales_Data.order", "Sales_Data.select", "Sales_Data.Mixed_Case", "Sales_Data.from_seed", "Raw_Data.Group"} {
			rel := p.Relation(id)
			if _, ok := rels[rel.Schema+"."+rel.Name]; !ok {
				t.Fatalf("build %d: no relation %s.%s in the catalog, spelled exactly so", build, rel.Schema, rel.Name)
			}
		}
		EqualRows(t, "Sales_Data.select", p.Strings(`SELECT "order", "select", "Col With Space", "MiXed" FROM `+p.Rel("Sales_Data.select")),
			Rows("1|x|3|3"))
		EqualRows(t, "Sales_Data.Mixed_Case", p.Strings(`SELECT "Sum", "select" FROM `+p.Rel("Sales_Data.Mixed_Case")), Rows("2|x"))
		EqualRows(t, "Sales_Data.from_seed", p.Strings(`SELECT "order", "Some Col", "select" FROM `+p.Rel("Sales_Data.from_seed")), Rows("1|a b|2"))
	}
	if got, want := p.Columns("Sales_Data.order"), []string{"order:int", "select:text", "Col With Space:int", "MiXed:int"}; !reflect.DeepEqual(got, want) {
		t.Errorf("columns: got %v, want %v", got, want)
	}
	p.CheckAllColumns("Sales_Data.order", "Sales_Data.select", "Sales_Data.Mixed_Case", "Sales_Data.from_seed", "Raw_Data.Group")
}
