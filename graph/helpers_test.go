package graph

import (
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"
)

// build returns a graph made of "parent>child" edges and lone "node"s.
func build(t testing.TB, specs ...string) *Graph {
	t.Helper()
	g := New()
	for _, s := range specs {
		if p, c, ok := strings.Cut(s, ">"); ok {
			g.AddEdge(p, c)
		} else {
			g.AddNode(s)
		}
	}
	return g
}

// randomDAG returns a DAG of n nodes whose edges follow a random permutation,
// so topological order is not simply id order.
func randomDAG(r *rand.Rand, n int, density float64) *Graph {
	g := New()
	perm := r.Perm(n)
	name := func(i int) string { return fmt.Sprintf("n%03d", perm[i]) }
	for i := range n {
		g.AddNode(name(i))
		for j := range i {
			if r.Float64() < density {
				g.AddEdge(name(j), name(i))
			}
		}
	}
	return g
}

func assertEqual[T any](t *testing.T, what string, got, want []T) {
	t.Helper()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

// idsWith returns the sorted ids whose result has status s.
func idsWith(results map[string]Result, s Status) []string {
	var ids []string
	for id, r := range results {
		if r.Status == s {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}
