// Package runner executes compiled nodes on a warehouse: it walks the DAG
// with a thread limit, builds each seed and model with its adapter, skips
// the descendants of a failure, and reports each node as it finishes.
package runner

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/datatests"
	"github.com/weir-sh/weir/graph"
	"github.com/weir-sh/weir/models"
	"github.com/weir-sh/weir/planner"
	"github.com/weir-sh/weir/state"
)

// Statuses written to run_results.json.
const (
	StatusSuccess = "success"
	StatusError   = "error"
	StatusSkipped = "skipped"
)

// Options control a run.
type Options struct {
	Threads int
	// Catalog is what exists in the warehouse, when the caller has read it
	// already (ReadState); nil makes the run list the relations itself.
	Catalog Catalog
	// OnStart, when set, is called (from any goroutine) as a node starts.
	OnStart func(id string)
	// Plan says which nodes to build and how; nil builds every node from
	// scratch.
	Plan *planner.Plan
	// Store records each node's outcome; nil records nothing.
	Store *state.Store
	// RunID names this run in the recorded state.
	RunID string
	// Tests are run with the nodes they test (runner/tests.go); nil runs
	// none.
	Tests *datatests.Suite
	// DeferTarget names the target the compiled nodes marked deferred are
	// read from, for Results.Deferred.
	DeferTarget string
}

// Event reports one finished node to whoever renders progress.
type Event struct {
	Result NodeResult
	Done   int // nodes finished so far, this one included
	Total  int // nodes to run
}

// NodeResult is one node's outcome, as written to run_results.json.
type NodeResult struct {
	Name       string  `json:"name"`
	Kind       string  `json:"kind"`
	Status     string  `json:"status"`
	DurationMS float64 `json:"duration_ms"`
	Rows       int64   `json:"rows"`
	Reason     string  `json:"reason,omitempty"`
	// Retries counts attempts after a transient warehouse error.
	Retries int `json:"retries,omitempty"`
	// Attempts are the node's tries, the last one's status the node's.
	Attempts []Attempt `json:"attempts,omitempty"`
	Message  string    `json:"message,omitempty"`
	Relation string    `json:"relation,omitempty"`
	// Materialized is how the node was built (table, view, seed).
	Materialized string `json:"materialized,omitempty"`
	// Tests are the results of the tests run with the node.
	Tests []datatests.Result `json:"tests,omitempty"`
	// Warnings the warehouse raised while building the node.
	Warnings []string `json:"warnings,omitempty"`

	err error
}

// Err is the node's error, if it failed.
func (r NodeResult) Err() error { return r.err }

// Results is a whole run.
type Results struct {
	RunID     string       `json:"run_id,omitempty"`
	StartedAt time.Time    `json:"started_at"`
	Elapsed   float64      `json:"elapsed_s"`
	Target    string       `json:"target"`
	Results   []NodeResult `json:"results"`
	// Deferred lists the nodes read from another target instead of being
	// built (weir build --defer).
	Deferred []Deferred `json:"deferred,omitempty"`
	// Tests are the results of tests no node reports: singular tests
	// that do not compile, whose reads are unknown.
	Tests []datatests.Result `json:"tests,omitempty"`
}

// Counts tallies results by status.
func (r *Results) Counts() map[string]int {
	c := map[string]int{}
	for _, n := range r.Results {
		c[n.Status]++
	}
	return c
}

// OK reports whether every node succeeded.
func (r *Results) OK() bool {
	for _, n := range r.Results {
		if n.Status != StatusSuccess {
			return false
		}
	}
	return true
}

// Runner builds nodes of one compiled project on one adapter.
type Runner struct {
	c        *compiler.Result
	a        adapters.Adapter
	opts     Options
	existing map[adapters.Relation]string
	listed   bool // existing lists the warehouse's relations
	mu       sync.Mutex
	tests    *testRun
}

// New prepares a runner.
func New(c *compiler.Result, a adapters.Adapter) *Runner {
	return &Runner{c: c, a: a}
}

// Run builds the selected nodes in dependency order, at most opts.Threads
// at a time, calling onEvent (from any goroutine, one call at a time) as
// each finishes. Sources and ephemeral models are not built and not
// reported. A canceled ctx stops new work and cancels queries in flight.
func (r *Runner) Run(ctx context.Context, opts Options, onEvent func(Event)) (*Results, error) {
	start := time.Now()
	r.opts = opts
	ids := r.c.Order
	if opts.Plan != nil {
		ids = opts.Plan.ToBuild()
	}
	r.startTests(ids)
	if err := r.prepare(ctx, ids); err != nil {
		return nil, err
	}
	if b, ok := r.a.(adapters.Bulker); ok && len(ids) > 0 {
		done, err := b.Bulk(ctx)
		if err != nil {
			return nil, err
		}
		defer done()
	}
	// Walk the whole graph, running only the planned nodes: a node's
	// order then also respects parents it reaches through ephemeral
	// models and through nodes this run leaves alone.
	planned := make(map[string]bool, len(ids))
	for _, id := range ids {
		planned[id] = true
	}
	g := r.walkGraph() // the project's graph and the order tests need (runner/tests.go)
	total := 0
	for _, id := range ids {
		if r.reported(r.c.Nodes[id]) {
			total++
		}
	}
	res := &Results{RunID: opts.RunID, StartedAt: start.UTC(), Target: r.c.Target.Name}
	var evMu sync.Mutex
	report := func(nr NodeResult) {
		evMu.Lock()
		res.Results = append(res.Results, nr)
		if onEvent != nil {
			onEvent(Event{Result: nr, Done: len(res.Results), Total: total})
		}
		evMu.Unlock()
	}
	walk := g.Walk(ctx, opts.Threads, func(ctx context.Context, id string) error {
		n := r.c.Nodes[id]
		if n.Broken() {
			// Whether planned or not: what reads it cannot be built.
			nr := r.brokenResult(n)
			if planned[id] {
				r.recordAttempt(nr)
				report(nr)
			}
			return nr.err
		}
		if !planned[id] || !r.buildable(n) {
			return nil
		}
		nr := NodeResult{Name: id, Kind: n.Kind, Status: StatusSkipped, Relation: relName(n), Materialized: n.Materialized, Reason: r.reason(id)}
		if parent := r.missingParent(n, planned); parent != "" {
			nr.Message, nr.err = missingMessage(id, parent, ""), errMissing{parent}
			r.recordAttempt(nr)
		} else {
			if opts.OnStart != nil {
				opts.OnStart(id)
			}
			nr = r.build(ctx, n)
		}
		report(nr)
		return nr.err
	})
	var missing errMissing
	for _, id := range ids {
		w := walk[id]
		n := r.c.Nodes[id]
		if w.Status == graph.Succeeded || w.Status == graph.Failed || !r.reported(n) {
			continue
		}
		nr := NodeResult{Name: id, Kind: n.Kind, Status: StatusSkipped, Relation: relName(n), Materialized: n.Materialized, Reason: r.reason(id)}
		switch {
		case n.Broken():
			nr = r.brokenResult(n) // its own errors say more than its parent's
		case w.Status == graph.Canceled:
			nr.Message = "canceled before it started"
		case errors.As(walk[w.SkippedBecause].Err, &missing):
			nr.Message = missingMessage(id, w.SkippedBecause, missing.parent)
		case w.SkippedBecause != "":
			nr.Message = "upstream " + w.SkippedBecause + " failed"
		}
		r.recordAttempt(nr)
		res.Results = append(res.Results, nr)
		if onEvent != nil {
			onEvent(Event{Result: nr, Done: len(res.Results), Total: total})
		}
	}
	r.reportUnrun(res)
	res.Deferred = DeferredNodes(r.c, opts.DeferTarget)
	res.Elapsed = time.Since(start).Seconds()
	return res, ctx.Err()
}

// reported reports a node the run gives a result: one it builds, or one
// that does not compile (an ephemeral model too).
func (r *Runner) reported(n *compiler.Node) bool { return r.buildable(n) || n.Broken() }

// brokenResult is the failure of a node that does not compile, recorded
// so that the next build and weir retry run it again.
func (r *Runner) brokenResult(n *compiler.Node) NodeResult {
	var msgs []string
	for _, d := range n.Diags {
		if d.Severity == hcl.DiagError {
			msgs = append(msgs, models.DiagString(d))
		}
	}
	nr := NodeResult{Name: n.ID, Kind: n.Kind, Status: StatusError, Relation: relName(n), Materialized: n.Materialized,
		Reason: r.reason(n.ID), Message: strings.Join(msgs, "\n")}
	nr.err = errors.New(msgs[0])
	return nr
}

func (r *Runner) buildable(n *compiler.Node) bool {
	return n.Kind == models.KindSeed || n.Kind == models.KindCommand || n.Kind == models.KindModel && n.Materialized != models.MatEphemeral
}

// prepare creates the schemas the run writes to and reads which relations
// exist, once, so each node needs no catalog query of its own.
func (r *Runner) prepare(ctx context.Context, ids []string) error {
	d := r.a.Dialect()
	schemas := map[string]bool{}
	for _, id := range ids {
		n := r.c.Nodes[id]
		if !r.buildable(n) {
			continue
		}
		if n.Relation.Name != "" {
			schemas[n.Relation.Schema] = true
		}
		for _, out := range outputs(n) {
			schemas[r.c.Nodes[out].Relation.Schema] = true
		}
	}
	names := make([]string, 0, len(schemas))
	for s := range schemas {
		names = append(names, s)
	}
	sort.Strings(names)
	creates := make([]string, len(names))
	for i, s := range names {
		creates[i] = d.CreateSchema(s)
	}
	// One round trip (and on Postgres one commit) where the warehouse
	// takes them at once.
	batches := adapters.Batched(d, creates)
	for i, stmt := range batches {
		if _, err := r.a.Exec(ctx, stmt); err != nil {
			what := "schema " + names[i]
			if len(batches) < len(names) {
				what = "schemas " + strings.Join(names, ", ")
			}
			return fmt.Errorf("creating %s: %w", what, err)
		}
	}
	cat := r.opts.Catalog
	if cat == nil {
		var err error
		if cat, err = ReadCatalog(ctx, r.a); err != nil {
			return err
		}
	}
	r.listed = cat != nil
	// The run updates its own copy as it builds.
	r.existing = make(map[adapters.Relation]string, len(cat))
	for rel, kind := range cat {
		r.existing[rel] = kind
	}
	return nil
}

func lower(r adapters.Relation) adapters.Relation {
	return adapters.Relation{Database: strings.ToLower(r.Database), Schema: strings.ToLower(r.Schema), Name: strings.ToLower(r.Name)}
}

func (r *Runner) existingKind(rel adapters.Relation) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.existing[lower(rel)]
}

func (r *Runner) setExisting(rel adapters.Relation, kind string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.existing[lower(rel)] = kind
}

func relName(n *compiler.Node) string {
	if n.Relation.Name == "" {
		return ""
	}
	return n.Relation.String()
}
