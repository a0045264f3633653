package runner

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/datatests"
	"github.com/weir-sh/weir/graph"
	"github.com/weir-sh/weir/models"
)

// testRun tracks the tests of one run. A data test runs as soon as every
// node it reads that this run builds is built, and is reported with the
// node whose build completed it; when it fails at error severity, that
// node fails and its descendants are skipped. Before a model is built its
// contract is checked, its unit tests run, and so do the tests of the
// sources it reads (once each).
type testRun struct {
	suite   *datatests.Suite
	mu      sync.Mutex
	waiting map[*datatests.Test]int         // nodes of this run the test still waits for
	after   map[string][]*datatests.Test    // node → tests waiting for it
	sources map[string][]*datatests.Test    // source → tests of it alone
	units   map[string][]*datatests.Unit    // model → its unit tests
	once    map[*datatests.Test]*sourceTest // source tests, run once a run
}

type sourceTest struct {
	once sync.Once
	res  datatests.Result
	by   string // the node that ran it and reports it
}

// startTests sets up the tests of a run that builds ids.
func (r *Runner) startTests(ids []string) {
	s := r.opts.Tests
	if s == nil {
		r.tests = nil
		return
	}
	tr := &testRun{suite: s, waiting: map[*datatests.Test]int{}, after: map[string][]*datatests.Test{},
		sources: map[string][]*datatests.Test{}, units: map[string][]*datatests.Unit{}, once: map[*datatests.Test]*sourceTest{}}
	inRun := map[string]bool{}
	for _, id := range ids {
		inRun[id] = r.buildable(r.c.Nodes[id])
	}
	for _, t := range s.Tests {
		if len(t.Requires) == 0 {
			for _, src := range t.Sources {
				tr.sources[src] = append(tr.sources[src], t)
			}
			tr.once[t] = &sourceTest{}
			continue
		}
		for _, id := range t.Requires {
			if inRun[id] {
				tr.waiting[t]++
				tr.after[id] = append(tr.after[id], t)
			}
		}
	}
	for _, u := range s.Units {
		tr.units[u.Model] = append(tr.units[u.Model], u)
	}
	r.tests = tr
}

// walkGraph is the graph a run walks: the project's, plus an edge to each
// node X from every other node a generic test of X reads (the to of a
// relationships test), so that X's tests can run right after X is built
// and fail X before its descendants start. An edge that would close a
// cycle (the other node is built from X) is left out: such a test runs
// after the other node and is reported, and fails, with it.
func (r *Runner) walkGraph() *graph.Graph {
	g := r.c.Graph
	if r.tests == nil {
		return g
	}
	copied := false
	for _, t := range r.tests.suite.Tests {
		x := r.c.Nodes[t.Node]
		if x == nil || !r.buildable(x) {
			continue
		}
		for _, y := range t.Requires {
			if y == t.Node || g.HasEdge(y, t.Node) {
				continue
			}
			if !copied {
				g, copied = g.Subgraph(g.Nodes()), true
			}
			if !slices.Contains(g.Descendants(t.Node), y) {
				g.AddEdge(y, t.Node)
			}
		}
	}
	return g
}

// beforeBuild checks model n before its relation is touched: its
// contract, its unit tests and the tests of the sources it reads. An
// error means n must not be built.
func (r *Runner) beforeBuild(ctx context.Context, n *compiler.Node, nr *NodeResult) error {
	tr := r.tests
	if tr == nil || n.Model == nil {
		return nil
	}
	if n.Model.Config.Contract {
		res := datatests.Result{Name: "contract_" + strings.ReplaceAll(n.ID, ".", "_"), Kind: datatests.KindContract, Node: n.ID,
			Status: datatests.StatusPass, Severity: models.SeverityError, File: n.Path}
		err := datatests.CheckContract(ctx, r.a, n)
		if err != nil {
			res.Status, res.Message = datatests.StatusFail, err.Error()
			var ce *datatests.ContractError
			if errors.As(err, &ce) {
				res.Failures = int64(len(ce.Differences))
			} else {
				res.Status = datatests.StatusError
			}
		}
		nr.Tests = append(nr.Tests, res)
		switch {
		case res.Status == datatests.StatusError:
			return fmt.Errorf("not built: its contract could not be checked; the previous relation was kept: %w", err)
		case err != nil:
			return fmt.Errorf("not built: its contract failed (%s); the previous relation was kept", datatests.Plural(res.Failures, "difference"))
		}
	}
	var failed []string
	for _, u := range tr.units[n.ID] {
		res := tr.suite.RunUnit(ctx, r.a, u)
		nr.Tests = append(nr.Tests, res)
		if res.Failed() {
			failed = append(failed, "unit test "+u.Name)
		}
	}
	for _, src := range r.sourcesRead(n) {
		for _, t := range tr.sources[src] {
			st := tr.once[t]
			st.once.Do(func() {
				st.res, st.by = tr.suite.Run(ctx, r.a, t), n.ID
				nr.Tests = append(nr.Tests, st.res)
			})
			if st.res.Failed() {
				failed = append(failed, fmt.Sprintf("test %s of source %s", t.Name, src))
			}
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("not built: %s failed", strings.Join(failed, ", "))
	}
	return nil
}

// afterBuild runs the tests that node n's build completed and fails nr
// when one of them fails at error severity.
func (r *Runner) afterBuild(ctx context.Context, n *compiler.Node, nr *NodeResult) {
	tr := r.tests
	if tr == nil {
		return
	}
	var ready []*datatests.Test
	tr.mu.Lock()
	for _, t := range tr.after[n.ID] {
		if tr.waiting[t]--; tr.waiting[t] == 0 {
			ready = append(ready, t)
		}
	}
	tr.mu.Unlock()
	var failed []string
	for _, t := range ready {
		res := tr.suite.Run(ctx, r.a, t)
		nr.Tests = append(nr.Tests, res)
		if res.Failed() {
			failed = append(failed, t.Name)
		}
	}
	if len(failed) == 0 {
		return
	}
	what := "1 test"
	if len(failed) > 1 {
		what = fmt.Sprintf("%d tests", len(failed))
	}
	nr.Status = StatusError
	nr.Message = fmt.Sprintf("%s failed: %s", what, strings.Join(failed, ", "))
	nr.err = errors.New(nr.Message)
	r.recordAttempt(*nr)
}

// reportUnrun adds the tests a run meant to run but could not, because a
// node they read failed or was skipped, to that node's result as skipped.
func (r *Runner) reportUnrun(res *Results) {
	tr := r.tests
	if tr == nil {
		return
	}
	byName := map[string]int{}
	for i, nr := range res.Results {
		byName[nr.Name] = i
	}
	var unrun []*datatests.Test
	for t, n := range tr.waiting {
		if n > 0 {
			unrun = append(unrun, t)
		}
	}
	sort.Slice(unrun, func(i, j int) bool { return unrun[i].Name < unrun[j].Name })
	for _, t := range unrun {
		owner := -1
		var missing []string
		for _, id := range t.Requires {
			if i, ok := byName[id]; ok && res.Results[i].Status != StatusSuccess {
				missing = append(missing, id)
				if owner < 0 || id == t.Node {
					owner = i
				}
			}
		}
		if owner < 0 {
			continue
		}
		res.Results[owner].Tests = append(res.Results[owner].Tests, datatests.Result{
			Name: t.Name, Kind: t.Kind, Node: t.Node, Column: t.Column, Status: datatests.StatusSkipped,
			Severity: t.Config.Severity, File: t.Location(),
			Message: fmt.Sprintf("not run: %s was not built", strings.Join(missing, ", ")),
		})
	}
}

// sourcesRead lists the sources n reads, directly or through ephemeral
// models.
func (r *Runner) sourcesRead(n *compiler.Node) []string {
	seen := map[string]bool{}
	var out []string
	var visit func(id string)
	visit = func(id string) {
		if seen[id] {
			return
		}
		seen[id] = true
		p := r.c.Nodes[id]
		switch {
		case p.Source != nil:
			out = append(out, id)
		case p.Materialized == models.MatEphemeral:
			for _, q := range p.DependsOn {
				visit(q)
			}
		}
	}
	for _, id := range n.DependsOn {
		visit(id)
	}
	sort.Strings(out)
	return out
}
