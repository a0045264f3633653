package state_test

import (
	"context"
	"testing"
	"time"

	"github.com/weir-sh/weir/state"
)

// TestScheduleMarks: a scheduled run's mark counts once the run ends; a
// run killed before it built the model falls back on the time before, so
// a restart neither skips nor repeats the interval.
func TestScheduleMarks(t *testing.T) {
	ctx := context.Background()
	_, s := openStore(t)
	t1 := time.Date(2024, 1, 1, 10, 0, 0, 0, time.UTC)
	t2 := t1.Add(time.Hour)
	mark := func(run string, tick, prev time.Time) {
		t.Helper()
		if err := s.StartRun(ctx, state.Run{ID: run, Command: "run", StartedAt: tick, Trigger: state.TriggerSchedule}); err != nil {
			t.Fatal(err)
		}
		if err := s.MarkScheduled(ctx, run, tick, map[string]time.Time{"m.a": prev}); err != nil {
			t.Fatal(err)
		}
	}
	processed := func() time.Time {
		t.Helper()
		marks, err := s.Marks(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return marks["m.a"].Processed("")
	}
	mark("r1", t1, time.Time{})
	if err := s.FinishRun(ctx, "r1", "success", t1, nil); err != nil {
		t.Fatal(err)
	}
	if got := processed(); !got.Equal(t1) {
		t.Fatalf("after a finished run: processed up to %v, want %v", got, t1)
	}
	mark("r2", t2, t1) // killed: never finishes
	if got := processed(); !got.Equal(t1) {
		t.Fatalf("while r2 runs or after it died: processed up to %v, want the time before it, %v", got, t1)
	}
	if ids, err := s.AbortStale(ctx); err != nil || len(ids) != 1 {
		t.Fatalf("AbortStale: %v %v", ids, err)
	}
	marks, _ := s.Marks(ctx)
	if m := marks["m.a"]; !m.Processed("r2").Equal(t2) || !m.Processed("r1").Equal(t1) {
		t.Fatalf("an aborted run that built the model counts, one that did not does not: %+v", m)
	}
}
