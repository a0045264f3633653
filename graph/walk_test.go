package graph

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// recorder is a thread-safe log of fn calls.
type recorder struct {
	mu    sync.Mutex
	calls []string
}

func (r *recorder) add(id string) {
	r.mu.Lock()
	r.calls = append(r.calls, id)
	r.mu.Unlock()
}

func (r *recorder) sorted() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Sorted(slices.Values(r.calls))
}

func TestStatusString(t *testing.T) {
	for s, want := range map[Status]string{Succeeded: "success", Failed: "error", Skipped: "skipped", Canceled: "canceled"} {
		if s.String() != want {
			t.Errorf("%d.String() = %q, want %q", int(s), s.String(), want)
		}
	}
}

func TestWalkRunsEveryNodeOnce(t *testing.T) {
	g := randomDAG(rand.New(rand.NewSource(4)), 300, 0.02)
	var rec recorder
	results := g.Walk(context.Background(), 4, func(_ context.Context, id string) error {
		rec.add(id)
		return nil
	})
	assertEqual(t, "calls", rec.sorted(), g.Nodes())
	assertEqual(t, "succeeded", idsWith(results, Succeeded), g.Nodes())
	for id, r := range results {
		if r.ID != id || r.Err != nil {
			t.Fatalf("result %s = %+v", id, r)
		}
	}
}

func TestWalkFailureSkipsExactlyItsDescendants(t *testing.T) {
	// b fails: c, d (via c) and z (b's child, although w is fine) are
	// skipped; a, e, w, x, y are independent of b and must run.
	g := build(t, "a>b", "b>c", "c>d", "a>e", "b>z", "w>z", "x>y")
	boom := errors.New("boom")
	var rec recorder
	results := g.Walk(context.Background(), 3, func(_ context.Context, id string) error {
		rec.add(id)
		if id == "b" {
			return boom
		}
		return nil
	})
	assertEqual(t, "called", rec.sorted(), []string{"a", "b", "e", "w", "x", "y"})
	assertEqual(t, "succeeded", idsWith(results, Succeeded), []string{"a", "e", "w", "x", "y"})
	assertEqual(t, "failed", idsWith(results, Failed), []string{"b"})
	assertEqual(t, "skipped", idsWith(results, Skipped), []string{"c", "d", "z"})
	if len(results) != g.Len() {
		t.Errorf("%d results for %d nodes", len(results), g.Len())
	}
	if !errors.Is(results["b"].Err, boom) {
		t.Errorf("b.Err = %v", results["b"].Err)
	}
	for _, id := range []string{"c", "d", "z"} {
		if results[id].SkippedBecause != "b" {
			t.Errorf("%s.SkippedBecause = %q, want b", id, results[id].SkippedBecause)
		}
	}
}

func TestWalkTwoFailuresSkipTheUnionOfDescendants(t *testing.T) {
	g := randomDAG(rand.New(rand.NewSource(5)), 200, 0.03)
	failing := map[string]bool{"n010": true, "n150": true}
	want := map[string]bool{}
	for id := range failing {
		for _, d := range g.Descendants(id) {
			want[d] = true
		}
	}
	results := g.Walk(context.Background(), 8, func(_ context.Context, id string) error {
		if failing[id] {
			return errors.New("fail")
		}
		return nil
	})
	for _, id := range g.Nodes() {
		var expect Status
		switch {
		case failing[id] && !want[id]:
			expect = Failed
		case want[id]:
			expect = Skipped
		default:
			expect = Succeeded
		}
		if results[id].Status != expect {
			t.Errorf("%s: %v, want %v", id, results[id].Status, expect)
		}
	}
}

func TestWalkNeverExceedsLimit(t *testing.T) {
	g := New()
	for i := range 64 {
		g.AddEdge("root", fmt.Sprintf("n%02d", i))
	}
	for _, limit := range []int{-1, 0, 1, 3, 8} {
		var inFlight, peak atomic.Int32
		g.Walk(context.Background(), limit, func(context.Context, string) error {
			n := inFlight.Add(1)
			for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
			}
			time.Sleep(2 * time.Millisecond)
			inFlight.Add(-1)
			return nil
		})
		want := int32(max(limit, 1))
		if peak.Load() != want {
			t.Errorf("limit %d: peak in flight %d, want exactly %d", limit, peak.Load(), want)
		}
	}
}

func TestWalkChildStartsAfterParentsFinish(t *testing.T) {
	g := randomDAG(rand.New(rand.NewSource(6)), 400, 0.01)
	var mu sync.Mutex
	finished := map[string]bool{}
	var violations []string
	g.Walk(context.Background(), 8, func(_ context.Context, id string) error {
		mu.Lock()
		for _, p := range g.Parents(id) {
			if !finished[p] {
				violations = append(violations, p+" -> "+id)
			}
		}
		mu.Unlock()
		time.Sleep(time.Duration(len(id)%3) * 50 * time.Microsecond)
		mu.Lock()
		finished[id] = true
		mu.Unlock()
		return nil
	})
	if len(violations) > 0 {
		t.Fatalf("children started before their parents finished: %v", violations)
	}
	if len(finished) != g.Len() {
		t.Fatalf("%d of %d nodes ran", len(finished), g.Len())
	}
}

func TestWalkStartOrderPrefersMoreDescendants(t *testing.T) {
	g := build(t, "a", "b>b1", "z>z1", "z>z2")
	var rec recorder
	g.Walk(context.Background(), 1, func(_ context.Context, id string) error {
		rec.add(id)
		return nil
	})
	assertEqual(t, "start order", rec.calls, []string{"z", "b", "a", "b1", "z1", "z2"})
}

func TestWalkCancelStopsNewStarts(t *testing.T) {
	g := New()
	for i := range 10 {
		g.AddNode(fmt.Sprintf("n%d", i))
	}
	g.AddEdge("n2", "n9")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var rec recorder
	// limit 1 with priority order n2 (has a descendant), n0, n1, n3, ...
	results := g.Walk(ctx, 1, func(_ context.Context, id string) error {
		rec.add(id)
		if id == "n1" {
			cancel()
		}
		return nil
	})
	assertEqual(t, "called", rec.calls, []string{"n2", "n0", "n1"})
	assertEqual(t, "succeeded", idsWith(results, Succeeded), []string{"n0", "n1", "n2"})
	assertEqual(t, "canceled", idsWith(results, Canceled), []string{"n3", "n4", "n5", "n6", "n7", "n8", "n9"})
	if !errors.Is(results["n3"].Err, context.Canceled) {
		t.Errorf("n3.Err = %v, want context.Canceled", results["n3"].Err)
	}
}

func TestWalkCancelReachesInFlightCalls(t *testing.T) {
	g := build(t, "slow>after", "quick", "zzz")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	started := make(chan struct{})
	results := g.Walk(ctx, 2, func(ctx context.Context, id string) error {
		switch id {
		case "slow":
			close(started)
			<-ctx.Done() // in-flight call sees the cancellation
			return ctx.Err()
		case "quick":
			<-started
			cancel()
		}
		return nil
	})
	if r := results["slow"]; r.Status != Failed || !errors.Is(r.Err, context.Canceled) {
		t.Errorf("slow = %+v, want Failed with context.Canceled", r)
	}
	assertEqual(t, "succeeded", idsWith(results, Succeeded), []string{"quick"})
	assertEqual(t, "canceled", idsWith(results, Canceled), []string{"after", "zzz"})
}

func TestWalkAlreadyCanceled(t *testing.T) {
	g := build(t, "a>b", "c")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var calls atomic.Int32
	results := g.Walk(ctx, 4, func(context.Context, string) error {
		calls.Add(1)
		return nil
	})
	if calls.Load() != 0 {
		t.Errorf("fn called %d times", calls.Load())
	}
	assertEqual(t, "canceled", idsWith(results, Canceled), []string{"a", "b", "c"})
}

func TestWalkSkipsCycles(t *testing.T) {
	g := build(t, "a>b", "b>a", "b>c", "x>y")
	var rec recorder
	results := g.Walk(context.Background(), 2, func(_ context.Context, id string) error {
		rec.add(id)
		return nil
	})
	assertEqual(t, "called", rec.sorted(), []string{"x", "y"})
	for _, id := range []string{"a", "b", "c"} {
		if r := results[id]; r.Status != Skipped || !errors.Is(r.Err, ErrCycle) {
			t.Errorf("%s = %+v, want Skipped with ErrCycle", id, r)
		}
	}
}

func TestWalkRecoversPanics(t *testing.T) {
	g := build(t, "a>b", "c")
	results := g.Walk(context.Background(), 2, func(_ context.Context, id string) error {
		if id == "a" {
			panic("kaboom")
		}
		return nil
	})
	if r := results["a"]; r.Status != Failed || r.Err == nil {
		t.Errorf("a = %+v, want Failed", r)
	}
	if results["b"].Status != Skipped || results["c"].Status != Succeeded {
		t.Errorf("b = %v, c = %v", results["b"].Status, results["c"].Status)
	}
}

func TestWalkEmptyGraph(t *testing.T) {
	if r := New().Walk(context.Background(), 4, nil); len(r) != 0 {
		t.Errorf("results = %v", r)
	}
}

// layered10k builds 100 layers of 100 nodes, each node below the first layer
// having 1-3 parents in the layer above.
func layered10k() *Graph {
	r := rand.New(rand.NewSource(7))
	g := New()
	const layers, width = 100, 100
	name := func(l, i int) string { return fmt.Sprintf("l%03d_n%03d", l, i) }
	for i := range width {
		g.AddNode(name(0, i))
	}
	for l := 1; l < layers; l++ {
		for i := range width {
			for range 1 + r.Intn(3) {
				g.AddEdge(name(l-1, r.Intn(width)), name(l, i))
			}
		}
	}
	return g
}

func BenchmarkWalk10k(b *testing.B) {
	g := layered10k()
	ctx := context.Background()
	noop := func(context.Context, string) error { return nil }
	b.ReportAllocs()
	for b.Loop() {
		if r := g.Walk(ctx, 8, noop); len(r) != g.Len() {
			b.Fatalf("%d results", len(r))
		}
	}
}
