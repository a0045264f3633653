package conformance

import (
	"context"
	"fmt"
	"time"

	"github.com/weir-sh/weir/datatests"
	"github.com/weir-sh/weir/planner"
	"github.com/weir-sh/weir/runner"
	"github.com/weir-sh/weir/state"
)

// Plan compiles the project and plans a build against the state recorded
// on its target, as `weir build` does. in.Compiled is filled in; a zero
// in.Now is the current time.
func (p *Project) Plan(in planner.Input) (*planner.Plan, *state.Store) {
	p.t.Helper()
	ctx := context.Background()
	in.Compiled = p.Compile()
	if in.Now.IsZero() {
		in.Now = time.Now().UTC()
	}
	store, err := state.Open(ctx, p.Adapter(), p.Target().SchemaPrefix)
	if err != nil {
		p.t.Fatalf("opening the state store: %v", err)
	}
	if _, _, err := runner.ReadState(ctx, p.Adapter(), store, &in); err != nil {
		p.t.Fatal(err)
	}
	return planner.Make(in), store
}

// BuildPlanned plans as Plan does and runs the plan with the project's
// data tests, recording every node's outcome in the state store.
func (p *Project) BuildPlanned(in planner.Input) (*runner.Results, *planner.Plan) {
	p.t.Helper()
	plan, store := p.Plan(in)
	suite, diags := datatests.Collect(p.last)
	if diags.HasErrors() {
		p.t.Fatalf("collecting tests: %s", diags.Error())
	}
	res, err := runner.New(p.last, p.Adapter()).Run(context.Background(),
		runner.Options{Threads: p.threads, Plan: plan, Store: store, Tests: suite, RunID: fmt.Sprintf("run-%d", time.Now().UnixNano())}, nil)
	if err != nil {
		p.t.Fatalf("build: %v", err)
	}
	return res, plan
}

// Reasons maps each node the plan builds to its reason.
func Reasons(plan *planner.Plan) map[string]string {
	out := map[string]string{}
	for _, id := range plan.ToBuild() {
		out[id] = plan.Steps[id].Reason
	}
	return out
}
