package state

import (
	"context"
	"fmt"
	"time"

	"github.com/weir-sh/weir/adapters"
)

// pruneBatch bounds the runs one Prune deletes, so that a prune (a scan of
// run_nodes and attempts for each batch, and the deletes) stays short even
// where a long history comes due at once: the rest goes in the builds that
// follow.
var pruneBatch = 100

// Prune deletes the run history (runs, run_nodes and attempts) of the
// runs that started more than keep before now, and reports how many runs
// it deleted. It keeps every run still running, the latest finished run of
// each command (weir retry reruns the last build or retry) and every run
// a schedule mark names (Marks reads its status); node_log, intervals and
// schedule, which the planner reads, are not touched. keep <= 0 keeps
// everything.
//
// A build that has nothing to delete pays one aggregate over the runs
// past keep and its slack (none, or the latest of a command not run
// since), found by an index on started_at. Prune starts once a run is older than keep by a tenth of keep more (at most a
// day more), then deletes the oldest runs older than keep, at most
// pruneBatch of them, one DELETE per table in one transaction.
func (s *Store) Prune(ctx context.Context, keep time.Duration, now time.Time) (int, error) {
	if keep <= 0 || s.absent {
		return 0, nil
	}
	n, err := s.prune(ctx, keep, now)
	if err != nil {
		return 0, fmt.Errorf("pruning the run history: %w", err)
	}
	return n, nil
}

func (s *Store) prune(ctx context.Context, keep time.Duration, now time.Time) (int, error) {
	cutoff := now.Add(-keep)
	runs := s.table("runs")
	kept := fmt.Sprintf("status <> 'running' AND run_id NOT IN (SELECT run_id FROM %s)", s.table("schedule"))
	// Per command, the runs past the threshold and the newest of them.
	rows, err := s.a.Query(ctx, fmt.Sprintf("SELECT command, count(*), max(started_at) FROM %s WHERE started_at < %s AND %s GROUP BY command",
		runs, ts(cutoff.Add(-min(keep/10, 24*time.Hour))), kept))
	if err != nil || len(rows.Values) == 0 {
		return 0, err
	}
	old := rows.Values
	// The latest finished run of each command with a run past keep stays,
	// named by ID: MySQL cannot delete from runs with a subquery that
	// reads runs.
	rows, err = s.a.Query(ctx, fmt.Sprintf("SELECT DISTINCT command FROM %s WHERE started_at < %s AND %s", runs, ts(cutoff), kept))
	if err != nil {
		return 0, err
	}
	commands := make([]string, len(rows.Values))
	for i, r := range rows.Values {
		commands[i] = str(r[0])
	}
	runsLatest, err := s.latestRuns(ctx, commands)
	if err != nil {
		return 0, err
	}
	latest := map[string]time.Time{}
	for _, run := range runsLatest {
		latest[run.Command] = run.StartedAt
		kept += " AND run_id <> " + s.lit(run.ID)
	}
	due := false
	for _, r := range old {
		due = due || num(r[1]) > 1 || !tm(r[2]).Equal(latest[str(r[0])])
	}
	if !due {
		return 0, nil
	}
	doomed := fmt.Sprintf("started_at < %s AND %s", ts(cutoff), kept)
	rows, err = s.a.Query(ctx, fmt.Sprintf("SELECT started_at FROM %s WHERE %s ORDER BY started_at LIMIT 1 OFFSET %d", runs, doomed, pruneBatch-1))
	if err != nil {
		return 0, err
	}
	if len(rows.Values) == 1 {
		doomed += " AND started_at <= " + ts(tm(rows.Values[0][0]))
	}
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
	return deleted, err
}
