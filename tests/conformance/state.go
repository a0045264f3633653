package conformance

import (
	"reflect"
	"strings"
	"testing"

	"github.com/weir-sh/weir/planner"
	"github.com/weir-sh/weir/runner"
)

// testStateStore checks the state store on the warehouse: a build records
// every node so the next plan has nothing to do; an edit replans exactly
// the model and its descendants; a failure is recorded without touching
// the last good build or its data, and the next plan picks up the failed
// and skipped models only.
func testStateStore(t *testing.T, h Harness) {
	p := NewProject(t, h)
	p.Write("models/st/base.sql", "SELECT 1 AS x\n")
	p.Write("models/st/mid.sql", "SELECT x + 1 AS x FROM st.base\n")
	p.Write("models/st/top.sql", "SELECT x * 10 AS x FROM st.mid\n")
	p.Write("models/st/side.sql", "SELECT x FROM st.base\n")

	res, plan := p.BuildPlanned(planner.Input{})
	if len(plan.ToBuild()) != 4 || !res.OK() {
		t.Fatalf("first build: %d planned, ok=%v", len(plan.ToBuild()), res.OK())
	}
	if plan, _ := p.Plan(planner.Input{}); len(plan.ToBuild()) != 0 {
		t.Fatalf("after a build the plan still builds %v", Reasons(plan))
	}

	p.Write("models/st/mid.sql", "-- a comment only\nSELECT   x + 1 AS x\nFROM st.base\n")
	if plan, _ := p.Plan(planner.Input{}); len(plan.ToBuild()) != 0 {
		t.Fatalf("a comment-only edit replans %v", Reasons(plan))
	}
	p.Write("models/st/mid.sql", "SELECT x + 2 AS x FROM st.base\n")
	want := map[string]string{"st.mid": "SQL or config changed", "st.top": "upstream st.mid rebuilt"}
	if plan, _ := p.Plan(planner.Input{}); !reflect.DeepEqual(Reasons(plan), want) {
		t.Fatalf("after an edit the plan is %v, want %v", Reasons(plan), want)
	}
	p.BuildPlanned(planner.Input{})
	EqualRows(t, "st.top", p.Strings("SELECT x FROM "+p.Rel("st.top")), Rows("30"))

	// A failure: st.mid keeps its last good rows, st.top is skipped.
	p.Write("models/st/mid.sql", "SELECT CAST('x' AS "+h.intType()+") AS x FROM st.base\n")
	res, _ = p.BuildPlanned(planner.Input{})
	if r := Result(t, res, "st.mid"); r.Status != runner.StatusError {
		t.Fatalf("st.mid: %s, want error", r.Status)
	}
	if r := Result(t, res, "st.top"); r.Status != runner.StatusSkipped {
		t.Fatalf("st.top: %s, want skipped", r.Status)
	}
	EqualRows(t, "st.mid after the failure", p.Strings("SELECT x FROM "+p.Rel("st.mid")), Rows("3"))

	p.Write("models/st/mid.sql", "SELECT x + 2 AS x FROM st.base\n")
	want = map[string]string{"st.mid": "last run failed", "st.top": "skipped in the last run"}
	plan, store := p.Plan(planner.Input{})
	if !reflect.DeepEqual(Reasons(plan), want) {
		t.Fatalf("after the fix the plan is %v, want %v", Reasons(plan), want)
	}
	nodes, err := store.Nodes(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if n := nodes["st.mid"]; n.LastStatus != "error" || n.BuiltAt.IsZero() || !strings.Contains(n.LastMessage, "x") {
		t.Fatalf("recorded state of st.mid: %+v", n)
	}
}
