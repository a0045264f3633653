package conformance

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/weir-sh/weir/state"
)

// testRunRetention checks state.Prune on the warehouse: runs older than
// the retention go with their nodes' outcomes and attempts; recent runs,
// running ones, the latest build (weir retry reruns it) and a run a
// schedule mark names stay; a prune with nothing old deletes nothing, and
// one whose oldest run is only just past the retention waits.
func testRunRetention(t *testing.T, h Harness) { checkRetention(t, h, state.Version) }

// testRetentionAfterMigration checks the same on a state schema made at
// version 3 (before the run history's indexes), its first runs recorded
// there, then migrated: the runs and their nodes' outcomes stay, and
// retention deletes and keeps the same runs.
func testRetentionAfterMigration(t *testing.T, h Harness) { checkRetention(t, h, 3) }

// checkRetention is testRunRetention on a state schema at version from
// when its first runs are recorded, migrated to the current version
// before the first prune.
func checkRetention(t *testing.T, h Harness, from int) {
	p := NewProject(t, h)
	ctx := context.Background()
	store, err := state.OpenAt(ctx, p.Adapter(), p.Target().SchemaPrefix, from)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Second)
	day := 24 * time.Hour
	keep := 30 * day
	record := func(id, command, status string, age time.Duration) {
		t.Helper()
		at := now.Add(-age)
		if err := store.StartRun(ctx, state.Run{ID: id, Command: command, StartedAt: at}); err != nil {
			t.Fatal(err)
		}
		if status == "running" {
			return
		}
		nodes := []state.RunNode{{Name: "m.a", Status: "success", Attempts: []state.Attempt{{Number: 1, StartedAt: at, Status: "success"}}}}
		if err := store.FinishRun(ctx, id, status, at.Add(time.Second), nodes); err != nil {
			t.Fatal(err)
		}
	}
	ids := func() []string {
		t.Helper()
		runs, nodes, err := store.RecentRuns(ctx, 100)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range runs {
			out = append(out, r.ID)
			if r.Status != "running" && len(nodes[r.ID]) != 1 {
				t.Errorf("run %s has %d node outcomes, want 1", r.ID, len(nodes[r.ID]))
			}
		}
		slices.Sort(out)
		return out
	}
	prune := func(want int) {
		t.Helper()
		n, err := store.Prune(ctx, keep, now)
		if err != nil {
			t.Fatal(err)
		}
		if n != want {
			t.Fatalf("Prune deleted %d runs, want %d (left %v)", n, want, ids())
		}
	}

	// Only old runs: the latest build stays, for weir retry.
	record("b1", "build", "success", 50*day)
	record("b2", "build", "error", 40*day)
	if from < state.Version {
		// A reader (weir plan, --defer) reads the older schema as it is:
		// the migrations since add only indexes.
		st, err := state.Read(ctx, p.Adapter(), p.Target().SchemaPrefix)
		if err != nil {
			t.Fatalf("state.Read of a schema at version %d: %v", from, err)
		}
		if run, _, ok, err := st.LastRun(ctx, "build"); err != nil || !ok || run.ID != "b2" {
			t.Fatalf("LastRun read from a schema at version %d: %v %v %v, want b2", from, run.ID, ok, err)
		}
		if store, err = state.Open(ctx, p.Adapter(), p.Target().SchemaPrefix); err != nil {
			t.Fatalf("migrating from version %d: %v", from, err)
		}
		if _, err := state.Read(ctx, p.Adapter(), p.Target().SchemaPrefix); err != nil {
			t.Fatalf("state.Read after the migration: %v", err)
		}
		if got := ids(); !slices.Equal(got, []string{"b1", "b2"}) {
			t.Fatalf("after migrating from version %d: runs %v, want [b1 b2]", from, got)
		}
	}
	prune(1)
	if got := ids(); !slices.Equal(got, []string{"b2"}) {
		t.Fatalf("after the first prune: runs %v, want [b2]", got)
	}
	if run, nodes, ok, err := store.LastRun(ctx, "build", "retry"); err != nil || !ok || run.ID != "b2" || len(nodes) != 1 {
		t.Fatalf("LastRun after the prune: %v %v %v %v, want b2 and its node", run.ID, nodes, ok, err)
	}
	if a, err := store.Attempts(ctx, "b2"); err != nil || len(a["m.a"]) != 1 {
		t.Fatalf("attempts of the kept run b2: %v %v", a, err)
	}

	record("old", "build", "success", 45*day)
	record("stuck", "build", "running", 45*day) // a live run is never deleted
	record("marked", "run", "success", 44*day)
	if err := store.MarkScheduled(ctx, "marked", now.Add(-44*day), map[string]time.Time{"m.s": {}}); err != nil {
		t.Fatal(err)
	}
	record("recent", "run", "success", 2*day)
	record("edge", "build", "success", 31*day) // past keep, not past keep + slack
	record("new", "build", "success", day)
	prune(3) // old, b2, edge
	want := []string{"marked", "new", "recent", "stuck"}
	if got := ids(); !slices.Equal(got, want) {
		t.Fatalf("after the second prune: runs %v, want %v", got, want)
	}
	if a, err := store.Attempts(ctx, "old"); err != nil || len(a) != 0 {
		t.Fatalf("attempts of the deleted run: %v %v", a, err)
	}
	marks, err := store.Marks(ctx)
	if err != nil || marks["m.s"].RunStatus != "success" {
		t.Fatalf("the mark's run: %+v %v", marks["m.s"], err)
	}

	// Nothing old enough: nothing deleted, even a run just past keep.
	record("edge2", "build", "success", 31*day)
	record("newest", "build", "success", time.Hour)
	prune(0)
	prune(0)
	if got := ids(); !slices.Contains(got, "edge2") || len(got) != 6 {
		t.Fatalf("a prune with nothing old left runs %v", got)
	}
	if n, err := store.Prune(ctx, 0, now); err != nil || n != 0 {
		t.Fatalf("Prune with keep 0: %d %v", n, err)
	}

	// A long history come due goes 100 runs a prune, the oldest first
	// (edge2 among them once older runs are due); the latest "bulk" stays.
	for i := range 105 {
		record(fmt.Sprintf("bulk%03d", i), "bulk", "success", 40*day-time.Duration(i)*time.Minute)
	}
	prune(100)
	prune(5)
	if got := ids(); !slices.Contains(got, "bulk104") || slices.Contains(got, "edge2") || len(got) != 6 {
		t.Fatalf("after the bulk prunes: runs %v", got)
	}
}
