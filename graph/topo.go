package graph

import (
	"errors"
	"strings"
)

// ErrCycle is matched (with errors.Is) by every error caused by a cycle.
var ErrCycle = errors.New("dependency cycle")

// CycleError reports the cycles that prevent ordering a graph.
type CycleError struct {
	// Cycles are as returned by Graph.Cycles.
	Cycles [][]string
}

// Error lists every cycle as "a -> b -> a".
func (e *CycleError) Error() string {
	paths := make([]string, len(e.Cycles))
	for i, c := range e.Cycles {
		paths[i] = strings.Join(append(c[:len(c):len(c)], c[0]), " -> ")
	}
	return "dependency cycle: " + strings.Join(paths, "; ")
}

// Unwrap returns ErrCycle.
func (e *CycleError) Unwrap() error { return ErrCycle }

// TopoSort returns the nodes so that every parent precedes its children
// (Kahn's algorithm). Among nodes ready at the same time the smallest id comes
// first, so the order is deterministic. If g has a cycle it returns a
// *CycleError.
func (g *Graph) TopoSort() ([]string, error) {
	waiting := make(map[string]int, g.Len())
	var ready minHeap[string]
	for id, ps := range g.parents {
		waiting[id] = len(ps)
		if len(ps) == 0 {
			ready.push(id)
		}
	}
	order := make([]string, 0, g.Len())
	for ready.len() > 0 {
		id := ready.pop()
		order = append(order, id)
		for _, c := range g.children[id] {
			if waiting[c]--; waiting[c] == 0 {
				ready.push(c)
			}
		}
	}
	if len(order) < g.Len() {
		return nil, &CycleError{Cycles: g.Cycles()}
	}
	return order, nil
}
