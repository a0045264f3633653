package runner

import (
	"context"
	"fmt"
	"strings"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/models"
	"github.com/weir-sh/weir/planner"
	"github.com/weir-sh/weir/state"
)

// buildIncremental adds an incremental model's new rows to its table, in
// one transaction with its state: stage the rows, reconcile the columns,
// check the key, apply the strategy.
func (r *Runner) buildIncremental(ctx context.Context, n *compiler.Node) (int64, error) {
	data := r.c.TemplateData(n)
	data.IsIncremental = true
	sql, err := r.c.Variant(n, data)
	if err != nil {
		return 0, err
	}
	return r.inTx(ctx, func(x adapters.Execer) (int64, error) {
		rows, err := r.applyIncremental(ctx, x, n, sql, "", "")
		if err != nil {
			return rows, err
		}
		return rows, r.record(ctx, x, n)
	})
}

// applyIncremental stages sql and applies it to the table with the
// model's strategy (start and end bound a time_range run).
func (r *Runner) applyIncremental(ctx context.Context, x adapters.Execer, n *compiler.Node, sql, start, end string) (int64, error) {
	d := r.a.Dialect()
	inc := n.Model.Config.Incremental
	if _, err := adapters.Run(ctx, x, adapters.StageSteps(d, n.Relation, sql)); err != nil {
		return 0, err
	}
	spec := adapters.IncrementalSpec{
		Relation: n.Relation, Strategy: inc.Strategy, UniqueKey: inc.UniqueKey,
		TimeColumn: inc.TimeColumn, Start: start, End: end,
	}
	newCols, err := columnsOf(ctx, x, d, spec.Staged())
	if err != nil {
		return 0, err
	}
	oldCols, err := columnsOf(ctx, x, d, n.Relation)
	if err != nil {
		return 0, err
	}
	alter, err := adapters.SchemaSteps(d, n.Relation, adapters.CompareColumns(oldCols, newCols), inc.OnSchemaChange)
	if err != nil {
		return 0, err
	}
	if _, err := adapters.Run(ctx, x, alter); err != nil {
		return 0, err
	}
	for _, c := range newCols {
		spec.Columns = append(spec.Columns, c.Name)
	}
	if err := r.checkKeys(ctx, x, n, spec); err != nil {
		return 0, err
	}
	steps, err := adapters.ApplySteps(d, spec)
	if err != nil {
		return 0, err
	}
	return adapters.Run(ctx, x, steps)
}

// checkKeys refuses NULL keys (they would never match and pile up as
// duplicates) and, for merge, keys that repeat within the new rows.
func (r *Runner) checkKeys(ctx context.Context, x adapters.Execer, n *compiler.Node, spec adapters.IncrementalSpec) error {
	if len(spec.UniqueKey) == 0 || spec.Strategy == models.StrategyAppend || spec.Strategy == models.StrategyTimeRange {
		return nil
	}
	d := r.a.Dialect()
	keys := strings.Join(spec.UniqueKey, ", ")
	if nulls, err := adapters.QueryInt(ctx, x, adapters.NullKeySQL(d, spec)); err != nil {
		return err
	} else if nulls > 0 {
		return fmt.Errorf("%s: %d new row(s) have a NULL unique_key (%s); filter them out or pick a key that is never NULL", n.ID, nulls, keys)
	}
	if spec.Strategy != models.StrategyMerge {
		return nil
	}
	if dups, err := adapters.QueryInt(ctx, x, adapters.DuplicateKeySQL(d, spec)); err != nil {
		return err
	} else if dups > 0 {
		return fmt.Errorf("%s: %d unique_key value(s) (%s) occur more than once in the new rows; merge cannot tell which row wins — deduplicate them in the model", n.ID, dups, keys)
	}
	return nil
}

// buildIntervals processes a time_range model's planned intervals. A full
// build makes the whole table under a temporary name and swaps it in, in
// one transaction; an incremental one replaces each batch of intervals in
// a transaction of its own, so a failure keeps the batches before it.
func (r *Runner) buildIntervals(ctx context.Context, n *compiler.Node, st *planner.Step) (int64, error) {
	if st.Mode == planner.Full {
		return r.rebuildIntervals(ctx, n, st.Intervals)
	}
	var total int64
	for i, batch := range st.Intervals {
		sql, start, end, err := r.intervalSQL(n, batch, true)
		if err != nil {
			return total, err
		}
		last := i == len(st.Intervals)-1
		rows, err := r.inTx(ctx, func(x adapters.Execer) (int64, error) {
			rows, err := r.applyIncremental(ctx, x, n, sql, start, end)
			if err != nil {
				return rows, err
			}
			if err := r.recordIntervals(ctx, x, n, batch); err != nil {
				return rows, err
			}
			if last {
				return rows, r.record(ctx, x, n)
			}
			return rows, nil
		})
		total += max(rows, 0)
		if err != nil {
			return total, fmt.Errorf("interval %s: %w", batch[0].Start.Format("2006-01-02 15:04"), err)
		}
	}
	return total, nil
}

// rebuildIntervals builds a time_range model from scratch.
func (r *Runner) rebuildIntervals(ctx context.Context, n *compiler.Node, batches [][]state.Interval) (int64, error) {
	d := r.a.Dialect()
	existing := r.existingKind(n.Relation)
	tmp := n.Relation
	tmp.Name = adapters.TempName(n.Relation.Name)
	qtmp := adapters.QuoteRelation(d, tmp)
	col := d.QuoteIdent(n.Model.Config.Incremental.TimeColumn)
	rows, err := r.inTx(ctx, func(x adapters.Execer) (int64, error) {
		if _, err := x.Exec(ctx, "DROP TABLE IF EXISTS "+qtmp); err != nil {
			return 0, err
		}
		// The table's shape comes from the model with no rows, so a model
		// with no complete interval yet still gets its (empty) table.
		if _, err := x.Exec(ctx, fmt.Sprintf("CREATE TABLE %s AS\nSELECT * FROM (\n%s\n) AS n WHERE 1 = 0", qtmp, n.SQL)); err != nil {
			return 0, err
		}
		var total int64
		for _, batch := range batches {
			sql, start, end, err := r.intervalSQL(n, batch, false)
			if err != nil {
				return total, err
			}
			rows, err := x.Exec(ctx, fmt.Sprintf("INSERT INTO %s\nSELECT * FROM (\n%s\n) AS n WHERE n.%s >= %s AND n.%s < %s", qtmp, sql, col, start, col, end))
			if err != nil {
				return total, fmt.Errorf("interval %s: %w", batch[0].Start.Format("2006-01-02 15:04"), err)
			}
			total += max(rows, 0)
		}
		if _, err := adapters.Run(ctx, x, adapters.SwapSteps(d, n.Relation, existing)); err != nil {
			return total, err
		}
		if r.opts.Store != nil {
			if err := r.opts.Store.ForgetIntervals(ctx, x, n.ID); err != nil {
				return total, err
			}
		}
		for _, batch := range batches {
			if err := r.recordIntervals(ctx, x, n, batch); err != nil {
				return total, err
			}
		}
		return total, r.record(ctx, x, n)
	})
	if err == nil {
		r.setExisting(n.Relation, adapters.KindTable)
	}
	return rows, err
}

// intervalSQL renders a time_range model for one batch of intervals.
func (r *Runner) intervalSQL(n *compiler.Node, batch []state.Interval, incremental bool) (sql, start, end string, err error) {
	data := r.c.TemplateData(n)
	data.IsIncremental = incremental
	data.Start, data.End = compiler.TimeLiteral(batch[0].Start), compiler.TimeLiteral(batch[len(batch)-1].End)
	sql, err = r.c.Variant(n, data)
	return sql, data.Start, data.End, err
}

func (r *Runner) recordIntervals(ctx context.Context, x adapters.Execer, n *compiler.Node, batch []state.Interval) error {
	if r.opts.Store == nil {
		return nil
	}
	return r.opts.Store.RecordIntervals(ctx, x, n.ID, r.opts.RunID, batch)
}

// columnsOf reads a relation's columns through x, so that tables created
// in the same uncommitted transaction are visible.
func columnsOf(ctx context.Context, x adapters.Execer, d adapters.Dialect, rel adapters.Relation) ([]adapters.ColumnInfo, error) {
	rows, err := x.Query(ctx, "SELECT * FROM "+adapters.QuoteRelation(d, rel)+" WHERE 1 = 0")
	if err != nil {
		return nil, err
	}
	return rows.Shape(), nil
}
