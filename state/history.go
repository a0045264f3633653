package state

import (
	"context"
	"fmt"
	"strings"
)

// RecentRuns returns up to limit finished or running runs, newest first,
// and the node outcomes of each by run ID. A target with no state yet has
// none.
func (s *Store) RecentRuns(ctx context.Context, limit int) ([]Run, map[string][]RunNode, error) {
	if s.absent {
		return nil, nil, nil
	}
	rows, err := s.a.Query(ctx, fmt.Sprintf("SELECT run_id, command, args, started_at, ended_at, status, triggered_by FROM %s ORDER BY started_at DESC LIMIT %d",
		s.table("runs"), limit))
	if err != nil || len(rows.Values) == 0 {
		return nil, nil, err
	}
	runs := make([]Run, len(rows.Values))
	ids := make([]string, len(rows.Values))
	for i, r := range rows.Values {
		runs[i] = runFromRow(r)
		ids[i] = s.lit(runs[i].ID)
	}
	rows, err = s.a.Query(ctx, fmt.Sprintf("SELECT run_id, name, status, reason, duration_us, row_count, message FROM %s WHERE run_id IN (%s) ORDER BY run_id, name",
		s.table("run_nodes"), strings.Join(ids, ", ")))
	if err != nil {
		return nil, nil, err
	}
	nodes := map[string][]RunNode{}
	for _, r := range rows.Values {
		id := str(r[0])
		nodes[id] = append(nodes[id], runNodeFromRow(r[1:]))
	}
	return runs, nodes, nil
}

// runFromRow reads a row of (run_id, command, args, started_at, ended_at,
// status[, triggered_by]).
func runFromRow(r []any) Run {
	run := Run{ID: str(r[0]), Command: str(r[1]), Args: str(r[2]), StartedAt: tm(r[3]), EndedAt: tm(r[4]), Status: str(r[5])}
	if len(r) > 6 {
		run.Trigger = str(r[6])
	}
	if run.Trigger == "" { // recorded before runs said what started them
		run.Trigger = TriggerManual
	}
	return run
}

// runNodeFromRow reads a row of (name, status, reason, duration_us,
// row_count, message).
func runNodeFromRow(r []any) RunNode {
	return RunNode{Name: str(r[0]), Status: str(r[1]), Reason: str(r[2]),
		DurationMS: float64(num(r[3])) / 1000, Rows: num(r[4]), Message: str(r[5])}
}
