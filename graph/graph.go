// Package graph is a small directed graph over string node IDs, used by weir
// to order and run models.
//
// Edges point from parent to child: a child depends on its parents. The
// package offers construction and queries (this file), cycle detection
// (Cycles), ordering (TopoSort, Depth, Levels), dbt-style node selection
// (Select) and a bounded parallel executor (Walk). It knows nothing about SQL;
// callers plug in meaning through callbacks.
//
// A Graph is not safe for concurrent mutation; concurrent reads are fine.
package graph

import (
	"maps"
	"slices"
)

// set is a set of node IDs.
type set = map[string]struct{}

// adjacency lists each node's parents or children, in the order their
// edges were added. A list rather than a set: a set a node cost about
// 200 bytes more, 630 bytes a node for the graph of a 30,000-model
// project, most of its parents and children being one to three.
type adjacency = map[string][]string

// Graph is a directed acyclic graph (once validated); edges go parent -> child.
// The zero value is not usable; call New.
type Graph struct {
	parents  adjacency
	children adjacency
}

// New returns an empty graph.
func New() *Graph {
	return &Graph{parents: adjacency{}, children: adjacency{}}
}

// AddNode adds id to the graph. Adding an existing node does nothing.
func (g *Graph) AddNode(id string) {
	if g.Has(id) {
		return
	}
	g.parents[id] = nil
	g.children[id] = nil
}

// AddEdge adds the edge parent -> child, adding either node if missing.
// Duplicate edges are ignored.
func (g *Graph) AddEdge(parent, child string) {
	g.AddNode(parent)
	g.AddNode(child)
	if g.HasEdge(parent, child) {
		return
	}
	g.children[parent] = append(g.children[parent], child)
	g.parents[child] = append(g.parents[child], parent)
}

// Has reports whether id is a node of g.
func (g *Graph) Has(id string) bool {
	_, ok := g.children[id]
	return ok
}

// HasEdge reports whether the edge parent -> child exists. It looks
// through the shorter of the child's parents and the parent's children,
// so that adding the edges of a node with thousands of them stays linear.
func (g *Graph) HasEdge(parent, child string) bool {
	if ps, cs := g.parents[child], g.children[parent]; len(ps) <= len(cs) {
		return slices.Contains(ps, parent)
	} else {
		return slices.Contains(cs, child)
	}
}

// Len returns the number of nodes.
func (g *Graph) Len() int { return len(g.children) }

// Nodes returns every node ID, sorted.
func (g *Graph) Nodes() []string { return sortedKeys(g.children) }

// Parents returns the direct parents of id, sorted.
func (g *Graph) Parents(id string) []string { return slices.Sorted(slices.Values(g.parents[id])) }

// Children returns the direct children of id, sorted.
func (g *Graph) Children(id string) []string { return slices.Sorted(slices.Values(g.children[id])) }

// Subgraph returns the subgraph induced by ids: those of ids that are nodes of
// g, and every edge of g between two of them. Unknown ids are ignored.
func (g *Graph) Subgraph(ids []string) *Graph {
	sub := New()
	for _, id := range ids {
		if g.Has(id) {
			sub.AddNode(id)
		}
	}
	for id := range sub.children {
		for _, c := range g.children[id] {
			if sub.Has(c) {
				sub.AddEdge(id, c)
			}
		}
	}
	return sub
}

// sortedKeys returns the keys of m in increasing order.
func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

// setOf returns the set of ids.
func setOf(ids []string) set {
	s := make(set, len(ids))
	for _, id := range ids {
		s[id] = struct{}{}
	}
	return s
}
