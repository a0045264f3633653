package state_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/weir-sh/weir/adapters"
	_ "github.com/weir-sh/weir/adapters/duckdb"
	"github.com/weir-sh/weir/models"
	"github.com/weir-sh/weir/state"
)

func openDB(t *testing.T) adapters.Adapter {
	t.Helper()
	a, err := adapters.Open(&models.Target{Name: "t", Adapter: "duckdb", Path: filepath.Join(t.TempDir(), "s.duckdb"), Threads: 1}, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

// openStore opens the state, without prefix, in a fresh DuckDB file.
func openStore(t *testing.T) (adapters.Adapter, *state.Store) {
	t.Helper()
	a := openDB(t)
	s, err := state.Open(context.Background(), a, "")
	if err != nil {
		t.Fatal(err)
	}
	return a, s
}

func built(t *testing.T, ctx context.Context, a adapters.Adapter, s *state.Store, name, fp, run string, at time.Time) {
	t.Helper()
	err := adapters.InTx(ctx, a, func(x adapters.Execer) error {
		return s.RecordBuilt(ctx, x, state.Node{Name: name, Kind: "model", Relation: "m." + name, Materialized: "table", Fingerprint: fp, CodeHash: "c" + fp}, run, at)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestLastBuildAndLastAttempt: a failure after a good build keeps the
// good build's fingerprint and time and reports the failure as the last
// status; a later success clears it. Compacting keeps what Nodes reads.
func TestLastBuildAndLastAttempt(t *testing.T) {
	ctx := context.Background()
	a, s := openStore(t)
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	built(t, ctx, a, s, "a", "f1", "r1", t0)
	built(t, ctx, a, s, "b", "g1", "r1", t0)
	time.Sleep(2 * time.Millisecond)
	if err := s.RecordAttempt(ctx, "a", "model", "error", "boom", "r2"); err != nil {
		t.Fatal(err)
	}
	nodes, err := s.Nodes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	a1 := nodes["a"]
	if a1.Fingerprint != "f1" || a1.CodeHash != "cf1" || !a1.BuiltAt.Equal(t0) || a1.BuiltRun != "r1" {
		t.Fatalf("last good build of a lost: %+v", a1)
	}
	if a1.LastStatus != "error" || a1.LastRun != "r2" || a1.LastMessage != "boom" {
		t.Fatalf("last attempt of a: %+v", a1)
	}
	if nodes["b"].LastStatus != "success" {
		t.Fatalf("b: %+v", nodes["b"])
	}

	// Many builds later, compaction keeps the answer the same.
	for i := range 300 {
		built(t, ctx, a, s, "b", "g2", "r3", t0.Add(time.Duration(i+1)*time.Minute))
	}
	before, _ := s.Nodes(ctx)
	if err := s.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	after, err := s.Nodes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for name, n := range before {
		if after[name] != n {
			t.Fatalf("compaction changed %s: %+v → %+v", name, n, after[name])
		}
	}
	rows, _ := a.Query(ctx, "SELECT count(*) FROM weir.node_log")
	if n := rows.Values[0][0].(int64); n > 4 {
		t.Fatalf("the node log holds %d rows after compaction, want at most 4", n)
	}
}

// TestMigrationsAndVersion: opening twice is idempotent, the version is
// recorded, and a newer state schema is refused rather than misread.
func TestMigrationsAndVersion(t *testing.T) {
	ctx := context.Background()
	a := openDB(t)
	if _, err := state.Open(ctx, a, "dev_"); err != nil {
		t.Fatal(err)
	}
	if _, err := state.Open(ctx, a, "dev_"); err != nil {
		t.Fatalf("second open: %v", err)
	}
	rows, err := a.Query(ctx, "SELECT value FROM dev_weir.meta WHERE key = 'schema_version'")
	if err != nil || len(rows.Values) != 1 || rows.Values[0][0] != fmt.Sprint(state.Version) {
		t.Fatalf("schema_version: %v %v, want %d", rows, err, state.Version)
	}
	// A state at version 1 (before the attempts table) is migrated.
	if _, err := a.Exec(ctx, "DROP TABLE dev_weir.attempts; DROP TABLE dev_weir.schedule; ALTER TABLE dev_weir.runs DROP COLUMN triggered_by; UPDATE dev_weir.meta SET value = '1' WHERE key = 'schema_version'"); err != nil {
		t.Fatal(err)
	}
	s, err := state.Open(ctx, a, "dev_")
	if err != nil {
		t.Fatalf("migrating from version 1: %v", err)
	}
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	err = s.FinishRun(ctx, "r1", "success", at, []state.RunNode{{Name: "m.a", Status: "success", Attempts: []state.Attempt{
		{Number: 1, StartedAt: at, Status: "error", Message: "connection reset", Transient: true},
		{Number: 2, StartedAt: at, DurationMS: 1.5, Status: "success"},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Attempts(ctx, "r1")
	if err != nil || fmt.Sprint(got) != "map[m.a:[{1 2026-01-02 03:04:05 +0000 UTC 0 error connection reset true} {2 2026-01-02 03:04:05 +0000 UTC 1.5 success  false}]]" {
		t.Errorf("attempts: %v %v", got, err)
	}
	if _, err := a.Exec(ctx, "UPDATE dev_weir.meta SET value = '99' WHERE key = 'schema_version'"); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("state schema dev_weir: at version 99, newer than this weir understands (%d): a newer weir has built this target; upgrade weir (weir --version prints this one's)", state.Version)
	if _, err = state.Open(ctx, a, "dev_"); err == nil || err.Error() != want {
		t.Fatalf("a newer state schema: Open said %v, want %q", err, want)
	}
	if _, err = state.Read(ctx, a, "dev_"); err == nil || err.Error() != want {
		t.Fatalf("a newer state schema: Read said %v, want %q", err, want)
	}
}

// TestRunsAndIntervals: the last finished run and its nodes come back;
// interval records upsert by start.
func TestRunsAndIntervals(t *testing.T) {
	ctx := context.Background()
	a, s := openStore(t)
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, id := range []string{"r1", "r2"} {
		if err := s.StartRun(ctx, state.Run{ID: id, Command: "build", Args: `{"full_refresh":true}`, StartedAt: t0.Add(time.Duration(i) * time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if err := s.FinishRun(ctx, id, "error", t0.Add(time.Duration(i)*time.Hour+time.Minute), []state.RunNode{{Name: "a", Status: "error", Message: "it's broken"}, {Name: "b", Status: "skipped"}}); err != nil {
			t.Fatal(err)
		}
	}
	run, nodes, ok, err := s.LastRun(ctx, "build", "retry")
	if err != nil || !ok || run.ID != "r2" || run.Args != `{"full_refresh":true}` || len(nodes) != 2 || nodes[0].Message != "it's broken" {
		t.Fatalf("last run: %+v %+v %v %v", run, nodes, ok, err)
	}
	if _, _, ok, _ := s.LastRun(ctx, "test"); ok {
		t.Fatal("a run of another command was returned")
	}

	day := func(d int) state.Interval {
		return state.Interval{Start: t0.AddDate(0, 0, d), End: t0.AddDate(0, 0, d+1)}
	}
	err = adapters.InTx(ctx, a, func(x adapters.Execer) error {
		if err := s.RecordIntervals(ctx, x, "m", "r1", []state.Interval{day(0), day(1)}); err != nil {
			return err
		}
		return s.RecordIntervals(ctx, x, "m", "r2", []state.Interval{day(1), day(2)})
	})
	if err != nil {
		t.Fatal(err)
	}
	ivs, err := s.Intervals(ctx)
	if err != nil || len(ivs["m"]) != 3 || !ivs["m"][2].Start.Equal(day(2).Start) {
		t.Fatalf("intervals: %+v %v", ivs, err)
	}
}

// TestAbortStale: a run left "running" (its process was killed) is marked
// aborted by the next run's AbortStale; finished runs keep their status,
// and the aborted run is what LastRun reports.
func TestAbortStale(t *testing.T) {
	ctx := context.Background()
	a, s := openStore(t)
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	s.StartRun(ctx, state.Run{ID: "r1", Command: "build", StartedAt: t0})
	if err := s.FinishRun(ctx, "r1", "success", t0.Add(time.Second), nil); err != nil {
		t.Fatal(err)
	}
	s.StartRun(ctx, state.Run{ID: "r2", Command: "build", StartedAt: t0.Add(time.Minute)})
	ids, err := s.AbortStale(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(ids, ",") != "r2" {
		t.Fatalf("aborted %v, want [r2]", ids)
	}
	run, _, ok, err := s.LastRun(ctx, "build")
	if err != nil || !ok || run.ID != "r2" || run.Status != "aborted" || !run.EndedAt.IsZero() {
		t.Fatalf("last run %+v ok=%v err=%v; want r2 aborted without an end", run, ok, err)
	}
	if ids, _ := s.AbortStale(ctx); len(ids) != 0 {
		t.Fatalf("a second AbortStale aborted %v", ids)
	}
	rows, _ := a.Query(ctx, "SELECT status FROM weir.runs WHERE run_id = 'r1'")
	if rows.Values[0][0] != "success" {
		t.Fatalf("finished run r1 became %v", rows.Values[0][0])
	}
}

// TestReadCreatesNothing: Read on a warehouse without state reads empty
// state and creates no schema; after Open it reads what was recorded.
func TestReadCreatesNothing(t *testing.T) {
	ctx := context.Background()
	a := openDB(t)
	r, err := state.Read(ctx, a, "p_")
	if err != nil {
		t.Fatal(err)
	}
	nodes, err := r.Nodes(ctx)
	if err != nil || len(nodes) != 0 {
		t.Fatalf("nodes of no state: %v, %v", nodes, err)
	}
	if ivs, err := r.Intervals(ctx); err != nil || len(ivs) != 0 {
		t.Fatalf("intervals of no state: %v, %v", ivs, err)
	}
	rows, err := a.Query(ctx, "SELECT count(*) FROM duckdb_schemas() WHERE schema_name = 'p_weir'")
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(rows.Values[0][0]) != "0" {
		t.Fatalf("Read created the state schema")
	}
	s, err := state.Open(ctx, a, "p_")
	if err != nil {
		t.Fatal(err)
	}
	built(t, ctx, a, s, "a", "f1", "r1", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	if r, err = state.Read(ctx, a, "p_"); err != nil {
		t.Fatal(err)
	}
	if nodes, err := r.Nodes(ctx); err != nil || nodes["a"].Fingerprint != "f1" {
		t.Fatalf("Read after a build: %v, %v", nodes, err)
	}
}
