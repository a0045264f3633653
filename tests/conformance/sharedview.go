package conformance

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/runner"
)

// sharedViewTables and sharedViewRounds size testParallelSharedView: more
// tables than threads, so every round swaps several of them at once.
const (
	sharedViewTables = 6
	sharedViewRounds = 20
)

// testParallelSharedView rebuilds several tables that all feed one view
// weir manages and views it does not, on 4 threads, round after round:
// every rebuild must succeed at its first attempt (the swaps of tables
// that share a dependent view must not trip over each other) and both views must be there
// afterwards with every table's new rows.
func testParallelSharedView(t *testing.T, h Harness) {
	p := NewProject(t, h)
	ids := make([]string, sharedViewTables)
	selects := make([]string, sharedViewTables)
	for i := range ids {
		ids[i] = fmt.Sprintf("psv.t%d", i+1)
		selects[i] = "SELECT src, round FROM " + ids[i]
	}
	writeTables := func(round int) {
		for i, id := range ids {
			p.Write("models/psv/"+id[len("psv."):]+".sql", Model("table", fmt.Sprintf("SELECT %d AS src, %d AS round", i+1, round)))
		}
	}
	writeTables(0)
	p.Write("models/psv/all_rows.sql", Model("view", strings.Join(selects, "\nUNION ALL\n")))
	p.MustBuild()

	// The views weir does not manage read the tables' relations directly:
	// one reads them all; two more read t1 and t2 through layers that cross
	// (cross_a reads t1 through step_1, cross_b reads t2 through step_2), so
	// that the rebuilds of t1 and t2 meet those two views at different
	// depths.
	d := p.Adapter().Dialect()
	external := func(name string) string {
		rel := p.Relation("psv.all_rows")
		rel.Name = name
		return adapters.QuoteRelation(d, rel)
	}
	rels := make([]string, len(ids))
	for i, id := range ids {
		rels[i] = "SELECT src, round FROM " + p.Rel(id)
	}
	views := []string{"external_rows", "step_1", "step_2", "cross_a", "cross_b"}
	for i, sql := range []string{
		strings.Join(rels, " UNION ALL "),
		rels[0],
		rels[1],
		"SELECT src, round FROM " + external("step_1") + " UNION ALL " + rels[1],
		rels[0] + " UNION ALL SELECT src, round FROM " + external("step_2"),
	} {
		p.Exec("CREATE VIEW " + external(views[i]) + " AS " + sql)
	}

	for round := 1; round <= sharedViewRounds; round++ {
		writeTables(round)
		res, err := p.Build(context.Background(), ids...)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		for _, r := range res.Results {
			if r.Status != runner.StatusSuccess {
				t.Fatalf("round %d: %s %s: %s", round, r.Name, r.Status, r.Message)
			}
			// A retry would hide a swap that failed on another's account.
			if r.Retries > 0 {
				t.Fatalf("round %d: %s succeeded only after %d retries", round, r.Name, r.Retries)
			}
		}
		want := make([]string, len(ids))
		for i := range ids {
			want[i] = fmt.Sprintf("%d|%d", i+1, round)
		}
		what := fmt.Sprintf("round %d: ", round)
		EqualRows(t, what+"psv.all_rows", p.Strings("SELECT src, round FROM "+p.Rel("psv.all_rows")+" ORDER BY src"), Rows(want...))
		EqualRows(t, what+"external_rows", p.Strings("SELECT src, round FROM "+external("external_rows")+" ORDER BY src"), Rows(want...))
		for _, v := range []string{"cross_a", "cross_b"} {
			EqualRows(t, what+v, p.Strings("SELECT src, round FROM "+external(v)+" ORDER BY src"), Rows(want[:2]...))
		}
		if t.Failed() {
			return
		}
	}
}
