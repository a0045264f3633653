package graph

import (
	"slices"
	"strings"
)

// Cycles returns one cycle per strongly connected component that has more
// than one node, plus one per self-loop. Each cycle is an ordered path
// n1, n2, ..., nk where every ni -> ni+1 is an edge and nk -> n1 closes it; it
// starts at the smallest id of its component and is the shortest such cycle
// through that id. A self-loop is reported as []string{id}. Cycles are sorted
// by their first id; an acyclic graph yields nil.
func (g *Graph) Cycles() [][]string {
	var cycles [][]string
	for _, comp := range g.components() {
		if c := g.cycleIn(comp); c != nil {
			cycles = append(cycles, c)
		}
	}
	slices.SortFunc(cycles, func(a, b []string) int { return strings.Compare(a[0], b[0]) })
	return cycles
}

// tarjan holds the state of Tarjan's strongly connected components algorithm.
type tarjan struct {
	g       *Graph
	index   map[string]int
	low     map[string]int
	onStack set
	stack   []string
	comps   [][]string
}

// components returns the strongly connected components of g.
func (g *Graph) components() [][]string {
	t := &tarjan{g: g, index: map[string]int{}, low: map[string]int{}, onStack: set{}}
	for id := range g.children {
		if _, seen := t.index[id]; !seen {
			t.visit(id)
		}
	}
	return t.comps
}

func (t *tarjan) visit(v string) {
	t.index[v] = len(t.index)
	t.low[v] = t.index[v]
	t.stack = append(t.stack, v)
	t.onStack[v] = struct{}{}
	for _, w := range t.g.children[v] {
		if _, seen := t.index[w]; !seen {
			t.visit(w)
			t.low[v] = min(t.low[v], t.low[w])
		} else if _, on := t.onStack[w]; on {
			t.low[v] = min(t.low[v], t.index[w])
		}
	}
	if t.low[v] == t.index[v] {
		t.popComponent(v)
	}
}

// popComponent pops the stack down to root and records those nodes as one
// component.
func (t *tarjan) popComponent(root string) {
	var comp []string
	for {
		w := t.stack[len(t.stack)-1]
		t.stack = t.stack[:len(t.stack)-1]
		delete(t.onStack, w)
		comp = append(comp, w)
		if w == root {
			break
		}
	}
	t.comps = append(t.comps, comp)
}

// cycleIn returns the shortest cycle through the smallest node of the
// strongly connected component comp, or nil if comp holds no cycle.
func (g *Graph) cycleIn(comp []string) []string {
	start := slices.Min(comp)
	if len(comp) == 1 {
		if g.HasEdge(start, start) {
			return []string{start}
		}
		return nil
	}
	members := make(set, len(comp))
	for _, id := range comp {
		members[id] = struct{}{}
	}
	// Breadth-first search from start back to start, inside comp, visiting
	// children in sorted order so the answer is deterministic.
	prev := map[string]string{}
	queue := []string{start}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		for _, w := range g.Children(v) {
			if _, in := members[w]; !in || w == v {
				continue
			}
			if w == start {
				return backtrack(prev, start, v)
			}
			if _, seen := prev[w]; !seen {
				prev[w] = v
				queue = append(queue, w)
			}
		}
	}
	return nil // unreachable for a genuine component
}

// backtrack rebuilds the path start ... end from the predecessor map.
func backtrack(prev map[string]string, start, end string) []string {
	path := []string{end}
	for v := end; v != start; {
		v = prev[v]
		path = append(path, v)
	}
	slices.Reverse(path)
	return path
}
