package conformance

import (
	"reflect"
	"testing"
)

// testQuotedIdentifiers builds schemas, tables and columns whose names
// need quoting (spaces, mixed case, the reserved words order and select),
// from models and from a seed, twice so the rebuild's swap is covered too.
func testQuotedIdentifiers(t *testing.T, h Harness) {
	p := NewProject(t, h)
	p.Write("models/Sales Data/order.sql", Model("table",
		`SELECT 1 AS "order", 'x' AS "select", 2 AS "Col With Space", 3 AS "MiXed"`))
	p.Write("models/Sales Data/select.sql", Model("table",
		`SELECT "order", "select", "Col With Space" + 1 AS "Col With Space", "MiXed" FROM "Sales Data"."order"`))
	p.Write("models/Sales Data/Mixed Case.sql", Model("view",
		`SELECT s."order" + o."order" AS "Sum", s."select" FROM "Sales Data"."select" AS s JOIN "Sales Data"."order" AS o ON o."MiXed" = s."MiXed"`))
	p.Write("seeds/Raw Data/Group.csv", "\"select\",\"Some Col\",order\n1,a b,2\n")
	p.Write("models/Sales Data/from seed.sql", Model("table",
		`SELECT "select" AS "order", "Some Col", "order" AS "select" FROM "Raw Data"."Group"`))

	for build := 1; build <= 2; build++ {
		p.MustBuild()
		rels := p.Relations()
		for _, id := range []string{"Sales Data.order", "Sales Data.select", "Sales Data.Mixed Case", "Sales Data.from seed", "Raw Data.Group"} {
			rel := p.Relation(id)
			if _, ok := rels[rel.Schema+"."+rel.Name]; !ok {
				t.Fatalf("build %d: no relation %s.%s in the catalog, spelled exactly so", build, rel.Schema, rel.Name)
			}
		}
		EqualRows(t, "Sales Data.select", p.Strings(`SELECT "order", "select", "Col With Space", "MiXed" FROM `+p.Rel("Sales Data.select")),
			Rows("1|x|3|3"))
		EqualRows(t, "Sales Data.Mixed Case", p.Strings(`SELECT "Sum", "select" FROM `+p.Rel("Sales Data.Mixed Case")), Rows("2|x"))
		EqualRows(t, "Sales Data.from seed", p.Strings(`SELECT "order", "Some Col", "select" FROM `+p.Rel("Sales Data.from seed")), Rows("1|a b|2"))
	}
	if got, want := p.Columns("Sales Data.order"), []string{"order:int", "select:text", "Col With Space:int", "MiXed:int"}; !reflect.DeepEqual(got, want) {
		t.Errorf("columns: got %v, want %v", got, want)
	}
}
