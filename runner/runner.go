// Package runner executes compiled nodes on a warehouse: it walks the DAG
// with a thread limit, builds each seed and model with its adapter, skips
// the descendants of a failure, and reports each node as it finishes.
package runner

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/graph"
	"github.com/weir-sh/weir/models"
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
	// Select lists the node IDs to build; nil builds every node.
	Select []string
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
	Message    string  `json:"message,omitempty"`
	Relation   string  `json:"relation,omitempty"`
	// Materialized is how the node was built (table, view, seed).
	Materialized string `json:"materialized,omitempty"`

	err error
}

// Err is the node's error, if it failed.
func (r NodeResult) Err() error { return r.err }

// Results is a whole run.
type Results struct {
	StartedAt time.Time    `json:"started_at"`
	Elapsed   float64      `json:"elapsed_s"`
	Target    string       `json:"target"`
	Results   []NodeResult `json:"results"`
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
	existing map[adapters.Relation]string
	mu       sync.Mutex
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
	ids := opts.Select
	if ids == nil {
		ids = r.c.Order
	}
	if err := r.prepare(ctx, ids); err != nil {
		return nil, err
	}
	g := r.c.Graph.Subgraph(ids)
	total := 0
	for _, id := range ids {
		if r.buildable(r.c.Nodes[id]) {
			total++
		}
	}
	res := &Results{StartedAt: start.UTC(), Target: r.c.Target.Name}
	var evMu sync.Mutex
	walk := g.Walk(ctx, opts.Threads, func(ctx context.Context, id string) error {
		n := r.c.Nodes[id]
		if !r.buildable(n) {
			return nil
		}
		nr := r.build(ctx, n)
		evMu.Lock()
		res.Results = append(res.Results, nr)
		if onEvent != nil {
			onEvent(Event{Result: nr, Done: len(res.Results), Total: total})
		}
		evMu.Unlock()
		return nr.err
	})
	for _, id := range ids {
		w := walk[id]
		n := r.c.Nodes[id]
		if w.Status == graph.Succeeded || w.Status == graph.Failed || !r.buildable(n) {
			continue
		}
		nr := NodeResult{Name: id, Kind: n.Kind, Status: StatusSkipped, Relation: relName(n), Materialized: n.Materialized}
		switch {
		case w.Status == graph.Canceled:
			nr.Message = "canceled before it started"
		case w.SkippedBecause != "":
			nr.Message = "upstream " + w.SkippedBecause + " failed"
		}
		res.Results = append(res.Results, nr)
		if onEvent != nil {
			onEvent(Event{Result: nr, Done: len(res.Results), Total: total})
		}
	}
	res.Elapsed = time.Since(start).Seconds()
	return res, ctx.Err()
}

func (r *Runner) buildable(n *compiler.Node) bool {
	return n.Kind == models.KindSeed || n.Kind == models.KindModel && n.Materialized != models.MatEphemeral
}

// prepare creates the schemas the run writes to and reads which relations
// exist, once, so each node needs no catalog query of its own.
func (r *Runner) prepare(ctx context.Context, ids []string) error {
	d := r.a.Dialect()
	schemas := map[string]bool{}
	for _, id := range ids {
		if n := r.c.Nodes[id]; r.buildable(n) {
			schemas[n.Relation.Schema] = true
		}
	}
	names := make([]string, 0, len(schemas))
	for s := range schemas {
		names = append(names, s)
	}
	sort.Strings(names)
	for _, s := range names {
		if _, err := r.a.Exec(ctx, d.CreateSchema(s)); err != nil {
			return fmt.Errorf("creating schema %s: %w", s, err)
		}
	}
	r.existing = map[adapters.Relation]string{}
	if cat, ok := r.a.(adapters.Cataloger); ok {
		rels, err := cat.Relations(ctx)
		if err != nil {
			return fmt.Errorf("listing relations: %w", err)
		}
		for _, rel := range rels {
			r.existing[lower(rel.Relation)] = rel.Kind
		}
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

// build builds one node and times it.
func (r *Runner) build(ctx context.Context, n *compiler.Node) NodeResult {
	t0 := time.Now()
	nr := NodeResult{Name: n.ID, Kind: n.Kind, Relation: relName(n), Materialized: n.Materialized}
	var rows int64
	var err error
	if n.Seed != nil {
		nr.Materialized = "seed"
		rows, err = r.buildSeed(ctx, n)
	} else {
		rows, err = r.buildModel(ctx, n)
	}
	nr.DurationMS = float64(time.Since(t0).Microseconds()) / 1000
	nr.Rows = rows
	nr.Status = StatusSuccess
	if err != nil {
		nr.Status, nr.err, nr.Message = StatusError, err, err.Error()
		if errors.Is(err, context.Canceled) || ctx.Err() != nil {
			nr.Message = "canceled while running: " + err.Error()
		}
	}
	return nr
}

func (r *Runner) buildModel(ctx context.Context, n *compiler.Node) (int64, error) {
	steps, err := adapters.Steps(r.a.Dialect(), adapters.Spec{
		Relation: n.Relation, Materialized: n.Materialized, SQL: n.SQL, Existing: r.existingKind(n.Relation),
	})
	if err != nil {
		return 0, err
	}
	rows, err := r.inTx(ctx, func(x adapters.Execer) (int64, error) { return adapters.Run(ctx, x, steps) })
	if err != nil {
		return rows, err
	}
	r.setExisting(n.Relation, n.Materialized)
	if n.Materialized == models.MatView {
		rows = -1
	}
	return rows, nil
}

func (r *Runner) buildSeed(ctx context.Context, n *compiler.Node) (int64, error) {
	loader, ok := r.a.(adapters.SeedLoader)
	if !ok {
		return 0, fmt.Errorf("adapter %s cannot load seeds", r.a.Dialect().Name())
	}
	path := filepath.Join(r.c.Project.Dir, n.Seed.Path)
	existing := r.existingKind(n.Relation)
	rows, err := r.inTx(ctx, func(x adapters.Execer) (int64, error) {
		into := n.Relation
		if existing != "" {
			into.Name = adapters.TempName(n.Relation.Name)
			if _, err := x.Exec(ctx, "DROP TABLE IF EXISTS "+adapters.QuoteRelation(r.a.Dialect(), into)); err != nil {
				return 0, err
			}
		}
		rows, err := loader.LoadCSV(ctx, x, into, path, n.Seed.ColumnTypes)
		if err != nil || existing == "" {
			return rows, err
		}
		_, err = adapters.Run(ctx, x, adapters.SwapSteps(r.a.Dialect(), n.Relation, existing))
		return rows, err
	})
	if err == nil {
		r.setExisting(n.Relation, adapters.KindTable)
	}
	return rows, err
}

// inTx runs fn in a transaction when the adapter has them.
func (r *Runner) inTx(ctx context.Context, fn func(adapters.Execer) (int64, error)) (int64, error) {
	tx, ok := r.a.(adapters.Transactor)
	if !ok {
		return fn(r.a)
	}
	var rows int64
	err := tx.InTx(ctx, func(x adapters.Execer) error {
		var err error
		rows, err = fn(x)
		return err
	})
	return rows, err
}

func relName(n *compiler.Node) string {
	if n.Relation.Name == "" {
		return ""
	}
	return n.Relation.String()
}
