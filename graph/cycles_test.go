package graph

import (
	"fmt"
	"math/rand"
	"slices"
	"testing"
)

func TestCyclesThreeCycleIsAnOrderedPath(t *testing.T) {
	// Edges given out of order; the path must still start at "a".
	g := build(t, "c>a", "b>c", "a>b", "x>a", "c>y")
	assertEqual(t, "Cycles", g.Cycles(), [][]string{{"a", "b", "c"}})
}

func TestCyclesFollowsEdgesNotIDOrder(t *testing.T) {
	g := build(t, "a>c", "c>b", "b>a")
	assertEqual(t, "Cycles", g.Cycles(), [][]string{{"a", "c", "b"}})
}

func TestCyclesSelfLoop(t *testing.T) {
	g := build(t, "a>a", "a>b")
	assertEqual(t, "Cycles", g.Cycles(), [][]string{{"a"}})
}

func TestCyclesNoneOnDAGs(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	for range 100 {
		g := randomDAG(r, 40, 0.2)
		if c := g.Cycles(); c != nil {
			t.Fatalf("Cycles on a DAG = %v", c)
		}
	}
}

// TestCyclesOnRandomGraphs checks every reported cycle is a real elementary
// cycle starting at the smallest id of its strongly connected component, and
// that there is exactly one per non-trivial component (computed by brute
// force from mutual reachability).
func TestCyclesOnRandomGraphs(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	for iter := range 200 {
		g := New()
		n := 2 + r.Intn(15)
		for i := range n {
			g.AddNode(fmt.Sprintf("n%02d", i))
		}
		for range r.Intn(2 * n) {
			g.AddEdge(fmt.Sprintf("n%02d", r.Intn(n)), fmt.Sprintf("n%02d", r.Intn(n)))
		}
		want := bruteForceCycleStarts(g)
		var starts []string
		for _, c := range g.Cycles() {
			checkCycle(t, g, c)
			starts = append(starts, c[0])
		}
		if fmt.Sprint(starts) != fmt.Sprint(want) {
			t.Fatalf("iter %d: cycle starts %v, want %v", iter, starts, want)
		}
	}
}

func checkCycle(t *testing.T, g *Graph, c []string) {
	t.Helper()
	seen := map[string]bool{}
	for i, id := range c {
		if seen[id] {
			t.Fatalf("cycle %v repeats %s", c, id)
		}
		seen[id] = true
		if next := c[(i+1)%len(c)]; !g.HasEdge(id, next) {
			t.Fatalf("cycle %v: no edge %s -> %s", c, id, next)
		}
	}
}

// bruteForceCycleStarts returns, sorted, the smallest id of each strongly
// connected component that contains a cycle.
func bruteForceCycleStarts(g *Graph) []string {
	reaches := func(a, b string) bool { return slices.Contains(g.Descendants(a), b) }
	var starts []string
	for _, v := range g.Nodes() {
		smallest, cyclic := true, g.HasEdge(v, v)
		for _, w := range g.Nodes() {
			if w != v && reaches(v, w) && reaches(w, v) {
				cyclic = true
				if w < v {
					smallest = false
				}
			}
		}
		if cyclic && smallest {
			starts = append(starts, v)
		}
	}
	return starts
}
