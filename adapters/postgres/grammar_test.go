package postgres

import (
	"testing"

	"github.com/weir-sh/weir/datatests"
	"github.com/weir-sh/weir/planner"
	"github.com/weir-sh/weir/runner"
	"github.com/weir-sh/weir/tests/conformance"
)

// TestPostgresGrammar builds models, a singular test and a unit test in
// SQL that Postgres accepts and DuckDB's grammar refuses (a table aliased
// at, a schema named at, schema.table.*, FETCH … WITH TIES), so weir must parse them with Postgres's own parser;
// columns qualified with schema.table are rewritten under the target's
// schema_prefix.
func TestPostgresGrammar(t *testing.T) {
	p := newProject(t)
	p.Write("models/s/orders.sql", "SELECT * FROM (VALUES (1, 10), (2, 20), (3, 30)) AS v(id, amount)\n")
	p.Write("models/s/at_alias.sql", "SELECT at.id, at.amount * 2 AS twice FROM s.orders at WHERE at.id > 1\n")
	p.Write("models/s/qualified.sql", "SELECT s.orders.*, s.orders.amount + 1 AS more\nFROM s.orders WHERE s.orders.id <> (SELECT min(s.orders.id) FROM s.orders)\n")
	p.Write("models/at/top.sql", "SELECT s.orders.* FROM s.orders ORDER BY s.orders.amount DESC FETCH FIRST 1 ROWS WITH TIES\n")
	p.Write("models/s/from_at.sql", "SELECT at.top.id FROM at.top\n")
	p.Write("tests/twice_is_double.sql", "SELECT at.id FROM s.at_alias at JOIN s.orders USING (id) WHERE at.twice <> 2 * s.orders.amount\n")
	p.Write("tests/unit/at_alias.hcl", `unit "at_alias_drops_first" {
  model = "s.at_alias"
  given "s.orders" {
    rows = [{ id = 1, amount = 5 }, { id = 4, amount = 6 }]
  }
  expect {
    rows = [{ id = 4, twice = 12 }]
  }
}
`)
	res, _ := p.BuildPlanned(planner.Input{})
	var tests []datatests.Result
	for _, r := range res.Results {
		if r.Status != runner.StatusSuccess {
			t.Errorf("%s: %s %s", r.Name, r.Status, r.Message)
		}
		tests = append(tests, r.Tests...)
	}
	if len(tests) != 2 {
		t.Errorf("ran %d tests, want the singular and the unit test: %+v", len(tests), tests)
	}
	for _, tr := range tests {
		if tr.Status != datatests.StatusPass {
			t.Errorf("test %s: %s %s", tr.Name, tr.Status, tr.Message)
		}
	}
	conformance.EqualRows(t, "s.at_alias", p.Strings("SELECT id, twice FROM "+p.Rel("s.at_alias")+" ORDER BY id"),
		[][]string{{"2", "40"}, {"3", "60"}})
	conformance.EqualRows(t, "s.qualified", p.Strings("SELECT id, amount, more FROM "+p.Rel("s.qualified")+" ORDER BY id"),
		[][]string{{"2", "20", "21"}, {"3", "30", "31"}})
	conformance.EqualRows(t, "s.from_at", p.Strings("SELECT id FROM "+p.Rel("s.from_at")), [][]string{{"3"}})
}
