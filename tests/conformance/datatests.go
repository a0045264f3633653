package conformance

import (
	"strings"
	"testing"

	"github.com/weir-sh/weir/datatests"
	"github.com/weir-sh/weir/planner"
	"github.com/weir-sh/weir/runner"
)

// testDataTests runs the built-in generic tests on real rows in the
// adapter's dialect: the passing ones pass, the failing ones count their
// failing rows, an error-severity failure fails its model and skips what
// reads it, a warning does not fail its model.
func testDataTests(t *testing.T, h Harness) {
	p := NewProject(t, h)
	p.Write("models/dt/customers.sql", `/* config
column "id" {
  test "not_null" {}
  test "unique" {}
}
column "tier" {
  test "accepted_values" {
    values   = ["gold", "silver"]
    severity = "warn"
  }
}
*/
SELECT * FROM `+Table("v", []string{"id", "tier"}, []string{"1", "'gold'"}, []string{"2", "'silver'"}, []string{"3", "'bronze'"})+`
`)
	p.Write("models/dt/orders.sql", `/* config
column "customer_id" {
  test "relationships" {
    to    = "dt.customers"
    field = "id"
  }
}
column "id" {
  test "unique" { severity = "warn" }
}
test "expression" { expression = "amount >= 0" }
test "row_count" { min = 1 }
*/
SELECT * FROM `+Table("v", []string{"id", "customer_id", "amount"}, []string{"10", "1", "5"}, []string{"11", "9", "7"}, []string{"11", "2", "-1"})+`
`)
	p.Write("models/dt/after_orders.sql", "SELECT count(*) AS n FROM dt.orders\n")
	res, _ := p.BuildPlanned(planner.Input{})

	byName := map[string]datatests.Result{}
	for _, r := range res.Results {
		for _, tr := range r.Tests {
			byName[tr.Kind+" "+tr.Node+" "+tr.Column] = tr
		}
	}
	want := map[string]struct {
		status   string
		failures int64
	}{
		"not_null dt.customers id":            {datatests.StatusPass, 0},
		"unique dt.customers id":              {datatests.StatusPass, 0},
		"accepted_values dt.customers tier":   {datatests.StatusWarn, 1},
		"relationships dt.orders customer_id": {datatests.StatusFail, 1},
		"unique dt.orders id":                 {datatests.StatusWarn, 1},
		"expression dt.orders ":               {datatests.StatusFail, 1},
		"row_count dt.orders ":                {datatests.StatusPass, 0},
	}
	for key, w := range want {
		got, ok := byName[key]
		if !ok {
			t.Errorf("no result for %s; have %v", key, keys(byName))
			continue
		}
		if got.Status != w.status || got.Failures != w.failures {
			t.Errorf("%s: %s with %d failing rows, want %s with %d (%s)", key, got.Status, got.Failures, w.status, w.failures, got.Message)
		}
	}
	if r := Result(t, res, "dt.customers"); r.Status != runner.StatusSuccess {
		t.Errorf("dt.customers: %s %q, want success (its failing test only warns)", r.Status, r.Message)
	}
	if r := Result(t, res, "dt.orders"); r.Status != runner.StatusError || !strings.Contains(r.Message, "tests failed") {
		t.Errorf("dt.orders: %s %q, want an error from its failing tests", r.Status, r.Message)
	}
	if r := Result(t, res, "dt.after_orders"); r.Status != runner.StatusSkipped {
		t.Errorf("dt.after_orders: %s, want skipped after dt.orders failed its tests", r.Status)
	}
}

func keys(m map[string]datatests.Result) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// testUnitEmptyRowsTyped runs a unit test whose input is given as
// rows = [] without types: its columns take the types of the real
// relation they stand in for, so a model doing arithmetic on them runs
// (on Postgres an untyped NULL column is text, and text + 1 fails).
func testUnitEmptyRowsTyped(t *testing.T, h Harness) {
	p := NewProject(t, h)
	p.Write("seeds/raw/nums.csv", "id,n\n1,2\n")
	p.Write("models/u/plus.sql", "SELECT id, n + 1 AS n1 FROM raw.nums\n")
	p.Write("tests/unit/plus.hcl", `unit "plus_on_nothing" {
  model = "u.plus"
  given "raw.nums" {
    rows    = []
    columns = ["id", "n"]
  }
  expect {
    rows = []
  }
}
`)
	res, _ := p.BuildPlanned(planner.Input{})
	r := Result(t, res, "u.plus")
	if r.Status != runner.StatusSuccess || len(r.Tests) != 1 || r.Tests[0].Status != datatests.StatusPass {
		t.Fatalf("u.plus: %s %q, tests %+v; want its unit test to pass on the typed empty input", r.Status, r.Message, r.Tests)
	}
}
