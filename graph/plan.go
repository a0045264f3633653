package graph

import (
	"math/bits"
	"slices"
)

// walkPlan is an index-based snapshot of a graph, built once per Walk so the
// hot loop touches only slices. Node i is ids[i]; ids are sorted.
type walkPlan struct {
	ids      []string
	edges    []int32 // children of node i are edges[offset[i]:offset[i+1]]
	offset   []int32
	nparents []int32
	acyclic  []bool  // false for nodes on or below a cycle
	rank     []int32 // start priority of node i: lower starts first
	byRank   []int32 // byRank[rank[i]] == i
}

func newWalkPlan(g *Graph) *walkPlan {
	ids := g.Nodes()
	index := make(map[string]int32, len(ids))
	for i, id := range ids {
		index[id] = int32(i)
	}
	p := &walkPlan{ids: ids, offset: make([]int32, len(ids)+1), nparents: make([]int32, len(ids))}
	for i, id := range ids {
		p.offset[i+1] = p.offset[i] + int32(len(g.children[id]))
	}
	p.edges = make([]int32, 0, p.offset[len(ids)])
	for _, id := range ids {
		for _, c := range g.children[id] {
			p.edges = append(p.edges, index[c])
			p.nparents[index[c]]++
		}
	}
	order := p.topoOrder()
	p.acyclic = make([]bool, len(ids))
	for _, v := range order {
		p.acyclic[v] = true
	}
	p.rankBy(p.descendantCounts(order))
	return p
}

// children returns the children of node v.
func (p *walkPlan) children(v int32) []int32 {
	return p.edges[p.offset[v]:p.offset[v+1]]
}

// topoOrder returns a topological order of the nodes not on or below a cycle.
func (p *walkPlan) topoOrder() []int32 {
	waiting := slices.Clone(p.nparents)
	order := make([]int32, 0, len(p.ids))
	for v := range waiting {
		if waiting[v] == 0 {
			order = append(order, int32(v))
		}
	}
	for i := 0; i < len(order); i++ {
		for _, c := range p.children(order[i]) {
			if waiting[c]--; waiting[c] == 0 {
				order = append(order, c)
			}
		}
	}
	return order
}

// descendantCounts counts the descendants of every node in order, walking it
// backwards and merging the children's descendant bitsets. Bits are indexed
// by position in order, so a node's descendants all sit above its own
// position and only that tail of a bitset is touched. A bitset is recycled
// as soon as all its parents have merged it, so memory stays proportional to
// the width of the graph rather than its size.
func (p *walkPlan) descendantCounts(order []int32) []int32 {
	n := len(p.ids)
	pos := make([]int32, n)
	for k, v := range order {
		pos[v] = int32(k)
	}
	counts := make([]int32, n)
	sets := make([][]uint64, n)
	var free [][]uint64
	unused := slices.Clone(p.nparents) // parents that have not merged sets[v] yet
	for k := len(order) - 1; k >= 0; k-- {
		v := order[k]
		kids := p.children(v)
		if len(kids) == 0 {
			continue
		}
		var s []uint64
		if last := len(free) - 1; last >= 0 {
			s, free = free[last], free[:last]
		} else {
			s = make([]uint64, (n+63)/64)
		}
		tail := s[(k+1)/64:] // every bit of a previous owner lies in here
		clear(tail)
		for _, c := range kids {
			s[pos[c]/64] |= 1 << (pos[c] % 64)
			if sets[c] == nil {
				continue // a leaf: no descendants to merge
			}
			from := (pos[c] + 1) / 64
			for i, w := range sets[c][from:] {
				s[int(from)+i] |= w
			}
			if unused[c]--; unused[c] == 0 {
				free = append(free, sets[c])
				sets[c] = nil
			}
		}
		for _, w := range tail {
			counts[v] += int32(bits.OnesCount64(w))
		}
		if p.nparents[v] > 0 {
			sets[v] = s
		} else {
			free = append(free, s)
		}
	}
	return counts
}

// rankBy ranks nodes by descending count, ties by id.
func (p *walkPlan) rankBy(counts []int32) {
	byRank := make([]int32, len(p.ids))
	for i := range byRank {
		byRank[i] = int32(i)
	}
	slices.SortFunc(byRank, func(a, b int32) int {
		if counts[a] != counts[b] {
			return int(counts[b] - counts[a])
		}
		return int(a - b) // ids are sorted, so this is by id
	})
	p.byRank = byRank
	p.rank = make([]int32, len(p.ids))
	for r, v := range byRank {
		p.rank[v] = int32(r)
	}
}
