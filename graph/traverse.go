package graph

// Ancestors returns every node from which id can be reached, sorted. id itself
// is excluded even when it lies on a cycle.
func (g *Graph) Ancestors(id string) []string {
	return g.reachExcluding(id, g.parents)
}

// Descendants returns every node reachable from id, sorted. id itself is
// excluded even when it lies on a cycle.
func (g *Graph) Descendants(id string) []string {
	return g.reachExcluding(id, g.children)
}

func (g *Graph) reachExcluding(id string, next adjacency) []string {
	if !g.Has(id) {
		return nil
	}
	found := reach([]string{id}, next, -1)
	delete(found, id)
	return sortedKeys(found)
}

// reach returns starts plus every node reachable from them in at most
// maxDepth steps along next (maxDepth < 0 means unbounded). It is a
// breadth-first search, so a node is taken at its shortest distance.
func reach(starts []string, next adjacency, maxDepth int) set {
	seen := setOf(starts)
	frontier := starts
	for depth := 0; len(frontier) > 0 && (maxDepth < 0 || depth < maxDepth); depth++ {
		var following []string
		for _, id := range frontier {
			for _, n := range next[id] {
				if _, ok := seen[n]; !ok {
					seen[n] = struct{}{}
					following = append(following, n)
				}
			}
		}
		frontier = following
	}
	return seen
}

// Depth returns the length of the longest path from a root (a node without
// parents) to id: 0 for roots and for unknown ids. On a cyclic graph the
// result is finite but not meaningful.
func (g *Graph) Depth(id string) int {
	return g.depth(id, map[string]int{})
}

// Levels groups the nodes by Depth: Levels()[d] holds the sorted nodes of
// depth d. Every node's parents sit in earlier levels, so each level can run
// in parallel once the previous ones are done.
func (g *Graph) Levels() [][]string {
	memo := make(map[string]int, g.Len())
	var levels [][]string
	for _, id := range g.Nodes() {
		d := g.depth(id, memo)
		for len(levels) <= d {
			levels = append(levels, nil)
		}
		levels[d] = append(levels[d], id)
	}
	return levels
}

// depth computes Depth with a memo shared across calls.
func (g *Graph) depth(id string, memo map[string]int) int {
	if d, ok := memo[id]; ok {
		return d
	}
	memo[id] = 0 // provisional: stops the recursion on cycles
	d := 0
	for _, p := range g.parents[id] {
		d = max(d, g.depth(p, memo)+1)
	}
	memo[id] = d
	return d
}
