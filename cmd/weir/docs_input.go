package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"time"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/compiler/lineage"
	"github.com/weir-sh/weir/datatests"
	"github.com/weir-sh/weir/docs"
	"github.com/weir-sh/weir/planner"
	"github.com/weir-sh/weir/runner"
	"github.com/weir-sh/weir/state"
)

// docsRuns is how many recent runs the site's history shows.
const docsRuns = 30

// docsInput gathers what the site shows besides the compiled project:
// the warehouse's columns, the recorded state and runs, the newest
// loaded_at of sources and the last test results. A warehouse that cannot
// be read leaves those out, with a note the site shows; it is no error.
func docsInput(ctx context.Context, s *session, res *compiler.Result) docs.Input {
	in := docs.Input{Result: res, Tests: lastTestResults(filepath.Join(s.targetDir(), "run_results.json"))}
	t0 := time.Now()
	addWarehouse(ctx, s, &in)
	tmark("warehouse", t0)
	in.Lineage = docsLineage(s, res, in.Warehouse)
	tmark("lineage", t0)
	return in
}

// addWarehouse adds to in what the target's warehouse knows; when it
// cannot be read, a note saying why.
func addWarehouse(ctx context.Context, s *session, in *docs.Input) {
	res := in.Result
	a, err := s.connectExisting()
	if err != nil {
		in.WarehouseNote = "not read: " + firstLine(errMessage(err))
		return
	}
	defer a.Close()
	wh, runs, err := readWarehouse(ctx, a, s, res)
	if err != nil {
		in.WarehouseNote = "not read: " + firstLine(err.Error())
		return
	}
	in.Warehouse, in.Runs = wh, runs
	if len(wh.Columns) == 0 {
		in.WarehouseNote = "not built"
	}
}

// docsLineage works out the project's column lineage, with the columns
// of sources and models from the warehouse where it has them; nil when
// the parser cannot start.
func docsLineage(s *session, res *compiler.Result, wh *docs.Warehouse) *lineage.Graph {
	cat := lineage.Catalog{}
	if wh != nil {
		for _, n := range res.Nodes {
			// Sources' columns, and models' for those whose lineage is
			// unknown (a * over them still expands).
			if cols := wh.Columns[n.ID]; (n.Source != nil || n.Model != nil) && len(cols) > 0 {
				for _, c := range cols {
					cat[n.ID] = append(cat[n.ID], c.Name)
				}
			}
		}
	}
	g, diags := lineage.Analyze(s.ctx, res, lineage.Options{
		Catalog:   cat,
		CacheFile: filepath.Join(s.targetDir(), "cache", "lineage.gob"),
	})
	if diags.HasErrors() {
		s.printDiags(diags)
		return nil
	}
	return g
}

// readWarehouse reads the state, the runs and the columns of the nodes'
// relations.
func readWarehouse(ctx context.Context, a adapters.Adapter, s *session, res *compiler.Result) (*docs.Warehouse, []docs.Run, error) {
	store, err := state.Read(ctx, a, s.target.SchemaPrefix)
	if err != nil {
		return nil, nil, err
	}
	pin := &planner.Input{Compiled: res}
	if _, _, err := runner.ReadState(ctx, a, store, pin); err != nil {
		return nil, nil, err
	}
	wh := &docs.Warehouse{State: map[string]docs.NodeState{}, Freshness: pin.LoadedAt, Columns: map[string][]docs.Column{}}
	for id, n := range pin.State {
		wh.State[id] = docs.NodeState{BuiltAt: n.BuiltAt, LastStatus: n.LastStatus, LastMessage: n.LastMessage}
	}
	var rels []adapters.Relation
	owner := map[adapters.Relation]string{}
	for _, n := range res.Nodes {
		if n.Relation.Name != "" {
			rels = append(rels, n.Relation)
			owner[n.Relation] = n.ID
		}
	}
	cols, err := adapters.CatalogColumns(ctx, a, rels)
	if err != nil {
		return nil, nil, err
	}
	for rel, cs := range cols {
		out := make([]docs.Column, len(cs))
		for i, c := range cs {
			out[i] = docs.Column{Name: c.Name, Type: c.Type}
		}
		wh.Columns[owner[rel]] = out
	}
	runs, nodes, err := store.RecentRuns(ctx, docsRuns)
	if err != nil {
		return nil, nil, err
	}
	out := make([]docs.Run, len(runs))
	for i, r := range runs {
		out[i] = docs.Run{ID: r.ID, Command: r.Command, Status: r.Status, StartedAt: r.StartedAt, EndedAt: r.EndedAt}
		for _, n := range nodes[r.ID] {
			out[i].Nodes = append(out[i].Nodes, docs.RunNode{Name: n.Name, Status: n.Status, Message: n.Message, DurationMS: n.DurationMS, Rows: n.Rows})
		}
	}
	return wh, out, nil
}

// lastTestResults reads the test results of the last build or test run
// from run_results.json; none when it is missing or unreadable.
func lastTestResults(path string) map[string]docs.TestResult {
	out := map[string]docs.TestResult{}
	data, err := os.ReadFile(path)
	if err != nil {
		return out
	}
	var rr runner.Results
	if json.Unmarshal(data, &rr) != nil {
		return out
	}
	add := func(t datatests.Result) {
		out[t.Name] = docs.TestResult{Status: t.Status, Failures: t.Failures, Message: t.Message, At: rr.StartedAt}
	}
	for _, n := range rr.Results {
		for _, t := range n.Tests {
			add(t)
		}
	}
	for _, t := range rr.Tests {
		add(t)
	}
	return out
}

func errMessage(err error) string {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.msg
	}
	return err.Error()
}
