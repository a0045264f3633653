package conformance

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/state"
)

// historyRuns is the run history BenchRunHistory records: a year of
// builds every hour or so.
const historyRuns = 10000

// BenchRunHistory times what a build and weir retry ask of a long run
// history, on historyRuns runs recorded within keep (30 days), in a state
// schema made at version 3 (before the history's indexes) and in one at
// the current version: Prune with nothing past keep (what every build
// pays), Prune whose only run past keep is the latest of its command
// (kept: a retry 60 days ago), and LastRun of build and retry. An adapter
// package runs it from a benchmark (docs/benchmarks.md has the figures).
func BenchRunHistory(b *testing.B, h Harness) {
	for _, version := range []int{3, state.Version} {
		b.Run(fmt.Sprintf("v%d", version), func(b *testing.B) {
			p := NewProject(b, h)
			ctx := context.Background()
			store, err := state.OpenAt(ctx, p.Adapter(), p.Target().SchemaPrefix, version)
			if err != nil {
				b.Fatal(err)
			}
			now := time.Now().UTC().Truncate(time.Second)
			keep := 30 * 24 * time.Hour
			recordHistory(p, now.Add(-keep+24*time.Hour), now)
			prune := func(b *testing.B) {
				for b.Loop() {
					if n, err := store.Prune(ctx, keep, now); err != nil || n != 0 {
						b.Fatalf("Prune: %d runs deleted, %v; want none", n, err)
					}
				}
			}
			b.Run("prune-nothing-old", prune)
			old := now.Add(-2 * keep)
			if err := store.StartRun(ctx, state.Run{ID: "old-retry", Command: "retry", StartedAt: old}); err != nil {
				b.Fatal(err)
			}
			if err := store.FinishRun(ctx, "old-retry", "success", old, nil); err != nil {
				b.Fatal(err)
			}
			b.Run("prune-latest-kept", prune)
			b.Run("last-run", func(b *testing.B) {
				for b.Loop() {
					if run, _, ok, err := store.LastRun(ctx, "build", "retry"); err != nil || !ok || run.Command != "build" {
						b.Fatalf("LastRun: %+v %v %v", run, ok, err)
					}
				}
			})
		})
	}
}

// recordHistory inserts historyRuns finished runs started evenly from
// first to last, one in ten a weir run, the others builds.
func recordHistory(p *Project, first, last time.Time) {
	d := p.Adapter().Dialect()
	runs := adapters.QuoteRelation(d, adapters.Relation{Schema: state.SchemaName(p.Target().SchemaPrefix), Name: "runs"})
	step := last.Sub(first) / historyRuns
	for start := 0; start < historyRuns; start += 500 {
		var rows []string
		for i := start; i < min(start+500, historyRuns); i++ {
			command := "build"
			if i%10 == 0 {
				command = "run"
			}
			at := first.Add(time.Duration(i) * step).Format("2006-01-02 15:04:05")
			rows = append(rows, fmt.Sprintf("(%s, %s, '{}', TIMESTAMP '%s', TIMESTAMP '%s', 'success', 'manual')",
				d.QuoteLiteral(fmt.Sprintf("r%05d", i)), d.QuoteLiteral(command), at, at))
		}
		p.Exec("INSERT INTO " + runs + " (run_id, command, args, started_at, ended_at, status, triggered_by) VALUES " + strings.Join(rows, ", "))
	}
	if p.h.Adapter == "postgres" {
		// The statistics autovacuum gathers after so many inserts; without
		// them the planner guesses.
		p.Exec("ANALYZE " + runs)
	}
}
