package postgres

import (
	"strings"
	"testing"

	"github.com/weir-sh/weir/planner"
	"github.com/weir-sh/weir/tests/conformance"
)

// TestRecordTravelsWithLastStep: Postgres sends a model's state record in
// the round trip of its last statement (adapters.WithStatement). A new
// table and a view, each ending in a line comment, build with their row
// counts and are recorded; rebuilt through the swap they are recorded
// again; an error still points at the model's own line and records
// nothing built.
func TestRecordTravelsWithLastStep(t *testing.T) {
	p := newProject(t)
	p.Write("models/s/t.sql", conformance.Model("table", "SELECT 1 AS id UNION ALL SELECT 2 -- two rows"))
	p.Write("models/s/v.sql", conformance.Model("view", "SELECT id FROM s.t -- a view"))
	p.Write("models/s/bad.sql", conformance.Model("table", "SELECT 1 AS id,\n  nosuch AS x"))
	for _, full := range []bool{false, true} {
		res, _ := p.BuildPlanned(planner.Input{FullRefresh: full})
		if r := conformance.Result(t, res, "s.t"); r.Status != "success" || r.Rows != 2 {
			t.Fatalf("full=%v: s.t %s with %d rows: %s", full, r.Status, r.Rows, r.Message)
		}
		if r := conformance.Result(t, res, "s.v"); r.Status != "success" {
			t.Fatalf("full=%v: s.v %s: %s", full, r.Status, r.Message)
		}
		bad := conformance.Result(t, res, "s.bad")
		if bad.Status != "error" || !strings.Contains(bad.Message, "bad.sql:5:") {
			t.Fatalf("full=%v: s.bad %s, want an error at bad.sql:5: %s", full, bad.Status, bad.Message)
		}
		plan, _ := p.Plan(planner.Input{})
		if got := plan.ToBuild(); len(got) != 1 || got[0] != "s.bad" {
			t.Fatalf("full=%v: after the build the plan builds %v, want only s.bad (the others recorded as built)", full, got)
		}
	}
	conformance.EqualRows(t, "s.v", p.Strings("SELECT id FROM "+p.Rel("s.v")+" ORDER BY id"), conformance.Rows("1", "2"))
}
