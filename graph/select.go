package graph

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Select evaluates selector expressions against g.
//
// Grammar (like dbt): space-separated terms are a union; a term with commas
// is an intersection of its parts; each part is [N]?[+]? METHOD:VALUE | NAME
// [+][N]? ; leading "+" = also all ancestors, "N+" = ancestors up to depth N;
// trailing "+" = descendants, "+N" = descendants to depth N; "@name" = name,
// its descendants, and all ancestors of those descendants. A part without
// "method:" uses method "name". Each element of include and exclude may hold
// several space-separated terms.
//
// match(method, value, id) reports whether node id matches that part; values
// (globs included) are passed through untouched. An error from match, such as
// an unknown method, is returned naming the term.
//
// Nodes selected by exclude are removed from the result. Returns sorted ids.
// An empty include list (or one of blank strings) selects every node.
func Select(g *Graph, include, exclude []string, match func(method, value, id string) (bool, error)) ([]string, error) {
	s := selection{g: g, ids: g.Nodes(), match: match}
	in, err := s.union(include)
	if err != nil {
		return nil, err
	}
	if in == nil {
		in = setOf(s.ids)
	}
	out, err := s.union(exclude)
	if err != nil {
		return nil, err
	}
	for id := range out {
		delete(in, id)
	}
	return sortedKeys(in), nil
}

// selection evaluates terms against one graph.
type selection struct {
	g     *Graph
	ids   []string // g.Nodes(), computed once
	match func(method, value, id string) (bool, error)
}

// union returns the nodes selected by any term of exprs, or nil if exprs hold
// no term at all.
func (s selection) union(exprs []string) (set, error) {
	var result set
	for _, term := range strings.Fields(strings.Join(exprs, " ")) {
		found, err := s.term(term)
		if err != nil {
			return nil, fmt.Errorf("selector %q: %w", term, err)
		}
		if result == nil {
			result = set{}
		}
		for id := range found {
			result[id] = struct{}{}
		}
	}
	return result, nil
}

// term returns the nodes selected by every comma-separated part of term.
func (s selection) term(term string) (set, error) {
	var result set
	for i, part := range strings.Split(term, ",") {
		sel, err := parseSelector(part)
		if err != nil {
			return nil, err
		}
		found, err := s.eval(sel)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			result = found
			continue
		}
		for id := range result {
			if _, ok := found[id]; !ok {
				delete(result, id)
			}
		}
	}
	return result, nil
}

// eval returns the nodes matching sel, widened by its graph operators.
func (s selection) eval(sel selector) (set, error) {
	var matched []string
	for _, id := range s.ids {
		ok, err := s.match(sel.method, sel.value, id)
		if err != nil {
			return nil, err
		}
		if ok {
			matched = append(matched, id)
		}
	}
	result := setOf(matched)
	if sel.at {
		below := reach(matched, s.g.children, -1)
		result = reach(slices.Collect(maps.Keys(below)), s.g.parents, -1)
	}
	if sel.parents {
		addAll(result, reach(matched, s.g.parents, sel.parentDepth))
	}
	if sel.children {
		addAll(result, reach(matched, s.g.children, sel.childDepth))
	}
	return result, nil
}

// addAll adds every member of src to dst.
func addAll(dst, src set) {
	for id := range src {
		dst[id] = struct{}{}
	}
}
