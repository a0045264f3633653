package state

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Outcome is one node's result in one run.
type Outcome struct {
	Run        string
	StartedAt  time.Time // the run's start
	Status     string
	DurationMS float64
}

// History returns each node's outcomes in the latest runs, oldest first,
// at most perNode a node.
func (s *Store) History(ctx context.Context, perNode int) (map[string][]Outcome, error) {
	out := map[string][]Outcome{}
	if s.absent {
		return out, nil
	}
	rows, err := s.a.Query(ctx, fmt.Sprintf(`SELECT n.name, n.run_id, r.started_at, n.status, n.duration_us
FROM %s n JOIN %s r ON r.run_id = n.run_id ORDER BY r.started_at DESC LIMIT %d`,
		s.table("run_nodes"), s.table("runs"), 200*perNode))
	if err != nil {
		return nil, err
	}
	for _, r := range rows.Values {
		name := str(r[0])
		if len(out[name]) < perNode {
			out[name] = append(out[name], Outcome{Run: str(r[1]), StartedAt: tm(r[2]), Status: str(r[3]), DurationMS: float64(num(r[4])) / 1000})
		}
	}
	for _, h := range out {
		slices.Reverse(h)
	}
	return out, nil
}
