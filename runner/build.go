package runner

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/models"
	"github.com/weir-sh/weir/planner"
	"github.com/weir-sh/weir/state"
)

// step is the plan for node id, or a full build when there is no plan.
func (r *Runner) step(id string) *planner.Step {
	if r.opts.Plan != nil {
		if st, ok := r.opts.Plan.Steps[id]; ok {
			return st
		}
	}
	return &planner.Step{ID: id, Action: planner.Build, Mode: planner.Full}
}

func (r *Runner) reason(id string) string { return r.step(id).Reason }

// build builds one node, records it, and times it. A transient warehouse
// error (lost connection, serialization failure, deadlock) is retried as
// the node's retry policy says; an error in the SQL never is. A timeout
// cancels the node's query on the warehouse.
func (r *Runner) build(ctx context.Context, n *compiler.Node) NodeResult {
	t0 := time.Now()
	st := r.step(n.ID)
	nr := NodeResult{Name: n.ID, Kind: n.Kind, Relation: relName(n), Materialized: n.Materialized, Reason: st.Reason}
	if n.Seed != nil {
		nr.Materialized = "seed"
	}
	checked := r.beforeBuild(ctx, n, &nr) // contract, unit and source tests (runner/tests.go)
	rows, err := int64(0), checked
	if checked == nil {
		rows, nr.Attempts, err = withRetries(ctx, retryPolicy(n), r.transientFor(n), func(ctx context.Context) (int64, error) {
			return r.attempt(ctx, n, st)
		})
		nr.Retries = len(nr.Attempts) - 1
	}
	nr.DurationMS = msSince(t0)
	nr.Rows = rows
	if w, ok := r.a.(adapters.Warner); ok && n.Relation.Name != "" {
		nr.Warnings = w.Warnings(n.Relation)
	}
	nr.Status = StatusSuccess
	if err != nil {
		err = placeError(r.c, n, err)
		nr.Status, nr.err, nr.Message = StatusError, err, err.Error()
		if errors.Is(err, context.Canceled) || ctx.Err() != nil {
			nr.Message = "canceled while running: " + err.Error()
		}
		r.recordAttempt(nr)
	}
	if err == nil {
		r.afterBuild(ctx, n, &nr) // the data tests this build completes (runner/tests.go)
		for _, out := range outputs(n) {
			r.afterBuild(ctx, r.c.Nodes[out], &nr)
		}
	}
	return nr
}

// outputs are the tables a command node writes.
func outputs(n *compiler.Node) []string {
	if n.Kind != models.KindCommand {
		return nil
	}
	return n.Script.Outputs
}

// retryPolicy is a model's or command's retry policy; a seed's is the
// default.
func retryPolicy(n *compiler.Node) models.RetryPolicy {
	switch {
	case n.Model != nil:
		return n.Model.Config.Retry
	case n.Script != nil:
		return n.Script.Retry
	}
	return models.DefaultRetryPolicy()
}

// transientFor is how node n's errors are classified: a command's by its
// exit status, the others' by the adapter.
func (r *Runner) transientFor(n *compiler.Node) func(error) bool {
	if n.Script != nil {
		return transientCommand
	}
	return r.transient
}

func (r *Runner) transient(err error) bool {
	tc, ok := r.a.(adapters.TransientChecker)
	return ok && tc.IsTransient(err)
}

// attempt builds the node once; ctx carries the attempt's timeout.
func (r *Runner) attempt(ctx context.Context, n *compiler.Node, st *planner.Step) (int64, error) {
	var rows int64
	var err error
	switch {
	case n.Script != nil:
		if rows, err = r.runCommand(ctx, n); err == nil {
			err = r.record(ctx, r.a, n)
		}
	case n.Seed != nil:
		rows, err = r.buildSeed(ctx, n)
	case n.Materialized == models.MatIncremental && n.Model.Config.Incremental.Strategy == models.StrategyTimeRange:
		rows, err = r.buildIntervals(ctx, n, st)
	case n.Materialized == models.MatIncremental && st.Mode == planner.Incremental:
		rows, err = r.buildIncremental(ctx, n)
	default:
		rows, err = r.buildModel(ctx, n)
	}
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		what := "the query was canceled"
		if n.Script != nil {
			what = "the command was killed"
		}
		err = fmt.Errorf("timed out after %s (timeout in %s); %s: %w", retryPolicy(n).Timeout, n.Path, what, err)
	}
	return rows, err
}

// record writes a node's success in the transaction that built it.
func (r *Runner) record(ctx context.Context, x adapters.Execer, n *compiler.Node) error {
	if r.opts.Store == nil {
		return nil
	}
	return r.opts.Store.RecordBuilt(ctx, x, stateNode(n), r.opts.RunID, time.Now())
}

func stateNode(n *compiler.Node) state.Node {
	return state.Node{
		Name: n.ID, Kind: n.Kind, Relation: relName(n), Materialized: n.Materialized,
		Fingerprint: n.Fingerprint, CodeHash: n.CodeHash, BodyHash: n.BodyHash, ConfigHash: n.ConfigHash,
	}
}

// runAndRecord runs a node's steps and records its success, in x's
// transaction. Where the dialect batches statements (adapters.Batcher)
// the record goes to the warehouse with the last step, one round trip
// less per node; its time is then taken as the steps start.
func (r *Runner) runAndRecord(ctx context.Context, x adapters.Execer, n *compiler.Node, steps []adapters.Step) (int64, error) {
	if r.opts.Store != nil {
		stmt := r.opts.Store.BuiltStatement(stateNode(n), r.opts.RunID, time.Now())
		if batched, ok := adapters.WithStatement(r.a.Dialect(), steps, stmt); ok {
			return adapters.Run(ctx, x, batched)
		}
	}
	rows, err := adapters.Run(ctx, x, steps)
	if err != nil {
		return rows, err
	}
	return rows, r.record(ctx, x, n)
}

// recordAttempt notes a failure or skip. It runs outside the node's
// transaction (which rolled back) and with a fresh context, so that an
// interrupt still leaves the reason on record.
func (r *Runner) recordAttempt(nr NodeResult) {
	if r.opts.Store == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	msg := nr.Message
	if msg == "" {
		msg = nr.Reason
	}
	_ = r.opts.Store.RecordAttempt(ctx, nr.Name, nr.Kind, nr.Status, msg, r.opts.RunID)
}

// buildModel creates a table or view from scratch (an incremental model's
// first build is a table).
func (r *Runner) buildModel(ctx context.Context, n *compiler.Node) (int64, error) {
	mat := n.Materialized
	if mat == models.MatIncremental {
		mat = models.MatTable
	}
	steps, err := adapters.Steps(r.a.Dialect(), adapters.Spec{
		Relation: n.Relation, Materialized: mat, SQL: n.SQL, Existing: r.existingKind(n.Relation),
	})
	if err != nil {
		return 0, err
	}
	rows, err := r.inTx(ctx, func(x adapters.Execer) (int64, error) {
		return r.runAndRecord(ctx, x, n, steps)
	})
	if err != nil {
		return rows, err
	}
	r.setExisting(n.Relation, mat)
	if mat == models.MatView {
		rows = -1
	}
	return rows, nil
}

func (r *Runner) buildSeed(ctx context.Context, n *compiler.Node) (int64, error) {
	path := filepath.Join(r.c.Project.Dir, n.Seed.Path)
	rows, err := r.loadTable(ctx, n.Relation, path, n.Seed.ColumnTypes, func(x adapters.Execer) error { return r.record(ctx, x, n) })
	return rows, relativePath(err, path, n.Seed.Path)
}

// loadTable creates rel, or replaces it, from the CSV file at path (types
// override the sniffed column types), in one transaction that also runs
// then (when set).
func (r *Runner) loadTable(ctx context.Context, rel adapters.Relation, path string, types map[string]string, then func(adapters.Execer) error) (int64, error) {
	loader, ok := r.a.(adapters.SeedLoader)
	if !ok {
		return 0, fmt.Errorf("adapter %s cannot load CSV files", r.a.Dialect().Name())
	}
	load := func(ctx context.Context, x adapters.Execer, rel adapters.Relation) (int64, error) {
		return loader.LoadCSV(ctx, x, rel, path, types)
	}
	if pre, ok := loader.(adapters.SeedPreparer); ok {
		// Read the file before the transaction begins.
		seed, err := pre.PrepareCSV(ctx, path, types)
		if err != nil {
			return 0, err
		}
		load = seed.Load
	}
	existing := r.existingKind(rel)
	rows, err := r.inTx(ctx, func(x adapters.Execer) (int64, error) {
		into := rel
		if existing != "" {
			into.Name = adapters.TempName(rel.Name)
			if _, err := x.Exec(ctx, "DROP TABLE IF EXISTS "+adapters.QuoteRelation(r.a.Dialect(), into)); err != nil {
				return 0, err
			}
		}
		rows, err := load(ctx, x, into)
		if err != nil {
			return rows, err
		}
		if existing != "" {
			if _, err := adapters.Run(ctx, x, adapters.SwapSteps(r.a.Dialect(), rel, existing)); err != nil {
				return rows, err
			}
		}
		if then == nil {
			return rows, nil
		}
		return rows, then(x)
	})
	if err == nil {
		r.setExisting(rel, adapters.KindTable)
	}
	return rows, err
}

// inTx runs fn in a transaction when the adapter has them.
func (r *Runner) inTx(ctx context.Context, fn func(adapters.Execer) (int64, error)) (int64, error) {
	var rows int64
	err := adapters.InTx(ctx, r.a, func(x adapters.Execer) error {
		var err error
		rows, err = fn(x)
		return err
	})
	return rows, err
}
