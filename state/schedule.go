package state

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/weir-sh/weir/adapters"
)

// What started a run (Run.Trigger).
const (
	TriggerSchedule = "schedule"
	TriggerHTTP     = "http"
	TriggerFile     = "file"
	TriggerManual   = "manual"
)

// Mark is when a scheduled run last processed a model.
type Mark struct {
	Name string
	// Tick is the time of the run that processed it last; Prev the one
	// before (zero when none).
	Tick, Prev time.Time
	Run        string
	// RunStatus is the status of that run (running, success, error,
	// interrupted, aborted).
	RunStatus string
}

// Marks reads what the scheduled runs processed, by model.
func (s *Store) Marks(ctx context.Context) (map[string]Mark, error) {
	out := map[string]Mark{}
	if s.absent {
		return out, nil
	}
	rows, err := s.a.Query(ctx, fmt.Sprintf(`SELECT m.name, m.tick, m.prev_tick, m.run_id, r.status
FROM %s m LEFT JOIN %s r ON r.run_id = m.run_id`, s.table("schedule"), s.table("runs")))
	if err != nil {
		return nil, err
	}
	for _, r := range rows.Values {
		m := Mark{Name: str(r[0]), Tick: tm(r[1]), Prev: tm(r[2]), Run: str(r[3]), RunStatus: str(r[4])}
		out[m.Name] = m
	}
	return out, nil
}

// Processed is the time up to which a model's schedule has been served:
// the tick of its last scheduled run, unless that run ended without
// building it (killed, interrupted), when the tick before counts. builtRun
// is the run of the model's last good build.
func (m Mark) Processed(builtRun string) time.Time {
	switch m.RunStatus {
	case "running", "aborted", "interrupted":
		if builtRun != m.Run {
			return m.Prev
		}
	}
	return m.Tick
}

// MarkScheduled records that run processes the given models at tick;
// prev is, by model, the time they had been processed up to before.
// Call it right after StartRun: should the run die before it builds a
// model, Processed falls back on prev.
func (s *Store) MarkScheduled(ctx context.Context, run string, tick time.Time, prev map[string]time.Time) error {
	if len(prev) == 0 {
		return nil
	}
	vals := make([]string, 0, len(prev))
	for name, p := range prev {
		pt := "NULL"
		if !p.IsZero() {
			pt = ts(p)
		}
		vals = append(vals, fmt.Sprintf("(%s, %s, %s, %s)", s.lit(name), ts(tick), pt, s.lit(run)))
	}
	_, err := s.a.Exec(ctx, fmt.Sprintf("INSERT INTO %s (name, tick, prev_tick, run_id) VALUES %s %s",
		s.table("schedule"), strings.Join(vals, ", "),
		adapters.OnConflictUpdate(s.d, []string{"name"}, []string{"tick", "prev_tick", "run_id"})))
	return err
}
