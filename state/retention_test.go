package state_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/weir-sh/weir/state"
)

// TestPruneInBatches: a long history come due goes a batch a build, the
// oldest first, until no run is past keep and its slack.
// (tests/conformance's RunRetention checks what Prune keeps, on every
// warehouse.)
func TestPruneInBatches(t *testing.T) {
	defer state.SetPruneBatch(2)()
	ctx := context.Background()
	_, s := openStore(t)
	now := time.Now().UTC().Truncate(time.Second)
	day := 24 * time.Hour
	for i, age := range []time.Duration{60 * day, 50 * day, 40 * day, 35 * day, 31 * day, day} {
		id := fmt.Sprintf("r%d", i)
		at := now.Add(-age)
		if err := s.StartRun(ctx, state.Run{ID: id, Command: "build", StartedAt: at}); err != nil {
			t.Fatal(err)
		}
		if err := s.FinishRun(ctx, id, "success", at, []state.RunNode{{Name: "m.a", Status: "success"}}); err != nil {
			t.Fatal(err)
		}
	}
	var got []int
	for range 4 {
		n, err := s.Prune(ctx, 30*day, now)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, n)
	}
	// r0, r1; r2, r3; then r4, past keep but not past keep and its slack,
	// waits for a run that is.
	if fmt.Sprint(got) != "[2 2 0 0]" {
		t.Fatalf("runs deleted by each prune: %v, want [2 2 0 0]", got)
	}
	runs, _, err := s.RecentRuns(ctx, 10)
	if err != nil || len(runs) != 2 || runs[0].ID != "r5" || runs[1].ID != "r4" {
		t.Fatalf("runs left: %+v %v", runs, err)
	}
}
