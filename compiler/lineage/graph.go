package lineage

import (
	"cmp"
	"slices"
	"strings"
)

// Kind is how an upstream column feeds a column.
type Kind string

// The kinds of edges, from the weakest transformation to the strongest.
// Through CTEs and subqueries an edge keeps the strongest kind on its
// way: SUM(x) in a CTE read as COALESCE(s, 0) is still an aggregate.
const (
	// Direct: the column is the upstream column, renamed at most.
	Direct Kind = "direct"
	// Transform: computed from it by an expression (arithmetic, CASE, a
	// cast, a function of a row).
	Transform Kind = "transform"
	// Aggregate: computed from it by an aggregate function over a group.
	Aggregate Kind = "aggregate"
	// Window: computed from it by a window function (its arguments,
	// PARTITION BY and ORDER BY).
	Window Kind = "window"
	// Filter: the column decides which rows there are (WHERE, JOIN,
	// GROUP BY, HAVING, QUALIFY) but no value is computed from it. Filter
	// edges belong to a node (Node.Filters), not to one of its columns.
	Filter Kind = "filter"
)

var kindRank = map[Kind]int{Direct: 0, Transform: 1, Aggregate: 2, Window: 3, Filter: 4}

// maxKind is the stronger of two kinds.
func maxKind(a, b Kind) Kind {
	if kindRank[b] > kindRank[a] {
		return b
	}
	return a
}

// Ref is an edge to one upstream column.
type Ref struct {
	Node   string `json:"node"`   // ID of the model, seed or source ("staging.orders")
	Column string `json:"column"` // its column, as that node names it
	Kind   Kind   `json:"kind"`
}

// Column is one output column of a node with the columns it comes from.
type Column struct {
	Name    string `json:"name"`
	Ordinal int    `json:"ordinal"` // 1-based position
	// Upstream are the columns this one is computed from, sorted by node
	// and column; empty for a seed's or source's columns and for
	// constants.
	Upstream []Ref `json:"upstream"`
	// Unknown, when set, says why some of what the column is computed
	// from is not known (a table function's column, say).
	Unknown string `json:"unknown,omitempty"`
}

// Node is the lineage of one model, seed or source.
type Node struct {
	ID   string `json:"id"`
	Kind string `json:"kind"` // models.KindModel, KindSeed or KindSource
	// Columns are the node's output columns in order. For a model whose
	// lineage is Unknown they are empty, or the warehouse's (from the
	// Catalog) with no upstream and Unknown set on each.
	Columns []Column `json:"columns"`
	// Filters are the upstream columns that decide which rows the node
	// has (Kind Filter), sorted.
	Filters []Ref `json:"filters,omitempty"`
	// Unknown, when set, says why the node's columns are not known: its
	// SQL does not parse with DuckDB's grammar, it reads something whose
	// columns are unknown under a *, a source's columns are not declared
	// and no catalog has them.
	Unknown string `json:"unknown,omitempty"`
	// Partial marks a source whose columns are those declared in
	// weir.hcl, which may not be all it has.
	Partial bool `json:"partial,omitempty"`
	// Problems are column references that matched nothing or more than
	// one column, each with its position in the model's file.
	Problems []string `json:"problems,omitempty"`
}

// Column finds a column by name, case-insensitively as SQL does.
func (n *Node) Column(name string) (Column, bool) {
	for _, c := range n.Columns {
		if strings.EqualFold(c.Name, name) {
			return c, true
		}
	}
	return Column{}, false
}

// Graph is the column lineage of a compiled project.
type Graph struct {
	nodes map[string]*Node
	order []string
	// down maps an upstream column to the columns computed from it.
	down map[colKey][]Ref
}

// colKey identifies a column of a node; the column is lower case.
type colKey struct{ node, column string }

func keyOf(node, column string) colKey { return colKey{node, strings.ToLower(column)} }

// Node returns the lineage of the node with the given ID, or nil.
func (g *Graph) Node(id string) *Node { return g.nodes[id] }

// Nodes returns every node's lineage in dependency order (parents first).
func (g *Graph) Nodes() []*Node {
	out := make([]*Node, 0, len(g.order))
	for _, id := range g.order {
		out = append(out, g.nodes[id])
	}
	return out
}

// Columns returns the output columns of a node, nil when unknown.
func (g *Graph) Columns(id string) []Column {
	if n := g.nodes[id]; n != nil {
		return n.Columns
	}
	return nil
}

// Step is one column reached by walking the graph from a column.
type Step struct {
	Ref
	// Depth is the number of edges from the starting column (1 for its
	// direct parents or children).
	Depth int `json:"depth"`
	// From is the column one step closer to the start: the column
	// computed from Ref (Upstream) or that Ref is computed from
	// (Downstream).
	From ColumnID `json:"from"`
}

// ColumnID names one column of a node.
type ColumnID struct {
	Node   string `json:"node"`
	Column string `json:"column"`
}

// Upstream returns the columns node.column is computed from,
// transitively, nearest first, each once (at its smallest depth). depth
// limits the walk (0 or less: no limit). The kind of a step is the kind of
// its own edge.
func (g *Graph) Upstream(node, column string, depth int) []Step {
	return g.walk(node, column, depth, func(k colKey) []Ref {
		n := g.nodes[k.node]
		if n == nil {
			return nil
		}
		c, _ := n.Column(k.column)
		return c.Upstream
	})
}

// Downstream returns the columns computed from node.column, transitively,
// nearest first, each once: what a change to it can affect.
func (g *Graph) Downstream(node, column string, depth int) []Step {
	return g.walk(node, column, depth, func(k colKey) []Ref { return g.down[k] })
}

// walk is a breadth-first walk over next.
func (g *Graph) walk(node, column string, depth int, next func(colKey) []Ref) []Step {
	start := keyOf(node, column)
	seen := map[colKey]bool{start: true}
	var out []Step
	frontier := []ColumnID{{Node: node, Column: column}}
	for d := 1; len(frontier) > 0 && (depth <= 0 || d <= depth); d++ {
		var level []Step
		for _, from := range frontier {
			for _, r := range next(keyOf(from.Node, from.Column)) {
				k := keyOf(r.Node, r.Column)
				if seen[k] {
					continue
				}
				seen[k] = true
				level = append(level, Step{Ref: r, Depth: d, From: from})
			}
		}
		slices.SortFunc(level, func(a, b Step) int {
			return cmp.Or(cmp.Compare(a.Node, b.Node), cmp.Compare(a.Column, b.Column))
		})
		frontier = frontier[:0]
		for _, s := range level {
			frontier = append(frontier, ColumnID{Node: s.Node, Column: s.Column})
		}
		out = append(out, level...)
	}
	return out
}

// index builds the downstream map from every column's upstream edges.
func (g *Graph) index() {
	g.down = map[colKey][]Ref{}
	for _, id := range g.order {
		for _, c := range g.nodes[id].Columns {
			for _, u := range c.Upstream {
				k := keyOf(u.Node, u.Column)
				g.down[k] = append(g.down[k], Ref{Node: id, Column: c.Name, Kind: u.Kind})
			}
		}
	}
}

// sortRefs sorts refs by node and column and keeps one edge per upstream
// column, of the strongest kind.
func sortRefs(refs []Ref) []Ref {
	slices.SortFunc(refs, func(a, b Ref) int {
		return cmp.Or(cmp.Compare(a.Node, b.Node), cmp.Compare(strings.ToLower(a.Column), strings.ToLower(b.Column)),
			-cmp.Compare(kindRank[a.Kind], kindRank[b.Kind]))
	})
	return slices.CompactFunc(refs, func(a, b Ref) bool {
		return a.Node == b.Node && strings.EqualFold(a.Column, b.Column)
	})
}
