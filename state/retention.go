package state

import (
	"context"
	"fmt"
	"time"

	"github.com/weir-sh/weir/adapters"
)

// Prune deletes the run history (runs, run_nodes and attempts) of the
// runs that started more than keep before now, and reports how many runs
// it deleted. It keeps every run still running, the latest finished run of
// each command (weir retry reruns the last build or retry) and every run
// a schedule mark names (Marks reads its status); node_log, intervals and
// schedule, which the planner reads, are not touched. keep <= 0 keeps
// everything.
//
// It deletes in batches, so that a build that has nothing to delete pays
// one aggregate over runs and nothing more: it starts only once a run is
// older than keep by a tenth of keep more (at most a day more), then
// deletes everything older than keep, one DELETE per table in one
// transaction.
func (s *Store) Prune(ctx context.Context, keep time.Duration, now time.Time) (int, error) {
	if keep <= 0 || s.absent {
		return 0, nil
	}
	cutoff := now.Add(-keep)
	runs, schedule := s.table("runs"), s.table("schedule")
	kept := fmt.Sprintf("status <> 'running' AND run_id NOT IN (SELECT run_id FROM %s)", schedule)
	rows, err := s.a.Query(ctx, fmt.Sprintf(`SELECT count(*) FROM %s r WHERE started_at < %s AND %s
AND started_at < (SELECT max(l.started_at) FROM %s l WHERE l.command = r.command AND l.status <> 'running')`,
		runs, ts(cutoff.Add(-min(keep/10, 24*time.Hour))), kept, runs))
	if err != nil {
		return 0, fmt.Errorf("pruning the run history: %w", err)
	}
	if len(rows.Values) != 1 || num(rows.Values[0][0]) == 0 {
		return 0, nil
	}
	// The latest finished run of each command, by ID: MySQL cannot delete
	// from runs with a subquery that reads runs.
	rows, err = s.a.Query(ctx, fmt.Sprintf(`SELECT r.run_id FROM %s r
JOIN (SELECT command, max(started_at) AS latest FROM %s WHERE status <> 'running' GROUP BY command) l
ON l.command = r.command AND l.latest = r.started_at`, runs, runs))
	if err != nil {
		return 0, fmt.Errorf("pruning the run history: %w", err)
	}
	for _, r := range rows.Values {
		kept += " AND run_id <> " + s.lit(str(r[0]))
	}
	doomed := fmt.Sprintf("started_at < %s AND %s", ts(cutoff), kept)
	deleted := 0
	err = adapters.InTx(ctx, s.a, func(x adapters.Execer) error {
		for _, t := range []string{"attempts", "run_nodes"} {
			if _, err := x.Exec(ctx, fmt.Sprintf("DELETE FROM %s WHERE run_id IN (SELECT run_id FROM %s WHERE %s)", s.table(t), runs, doomed)); err != nil {
				return err
			}
		}
		n, err := x.Exec(ctx, fmt.Sprintf("DELETE FROM %s WHERE %s", runs, doomed))
		deleted = int(n)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("pruning the run history: %w", err)
	}
	return deleted, nil
}
