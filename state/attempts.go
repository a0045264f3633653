package state

import (
	"context"
	"fmt"
	"strings"
)

// recordAttempts writes the attempts of a run's nodes, 500 rows a
// statement.
func (s *Store) recordAttempts(ctx context.Context, run string, nodes []RunNode) error {
	var vals []string
	flush := func() error {
		if len(vals) == 0 {
			return nil
		}
		_, err := s.a.Exec(ctx, fmt.Sprintf("INSERT INTO %s (run_id, name, attempt, started_at, duration_us, status, transient, message) VALUES %s",
			s.table("attempts"), strings.Join(vals, ", ")))
		vals = vals[:0]
		return err
	}
	for _, n := range nodes {
		for _, a := range n.Attempts {
			vals = append(vals, fmt.Sprintf("(%s, %s, %d, %s, %d, %s, %t, %s)", s.lit(run), s.lit(n.Name), a.Number, ts(a.StartedAt),
				int64(a.DurationMS*1000), s.lit(a.Status), a.Transient, s.lit(truncate(a.Message, 2000))))
			if len(vals) == 500 {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	return flush()
}

// Attempts returns the recorded attempts of a run by node name, in order.
func (s *Store) Attempts(ctx context.Context, run string) (map[string][]Attempt, error) {
	out := map[string][]Attempt{}
	if s.absent {
		return out, nil
	}
	rows, err := s.a.Query(ctx, fmt.Sprintf("SELECT name, attempt, started_at, duration_us, status, transient, message FROM %s WHERE run_id = %s ORDER BY name, attempt",
		s.table("attempts"), s.lit(run)))
	if err != nil {
		return nil, err
	}
	for _, r := range rows.Values {
		transient, _ := r[5].(bool)
		out[str(r[0])] = append(out[str(r[0])], Attempt{Number: int(num(r[1])), StartedAt: tm(r[2]),
			DurationMS: float64(num(r[3])) / 1000, Status: str(r[4]), Transient: transient, Message: str(r[6])})
	}
	return out, nil
}
