package graph

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Selection is the outcome of Select.
type Selection struct {
	// IDs are the selected nodes, sorted.
	IDs []string
	// Named are the selected nodes that a selector matched itself rather
	// than through "+", "N+" or "@", sorted.
	Named []string
}

// NoMatchError is a selector part that matches no node at all (a typo,
// most often). Select returns it wrapped, naming the term.
type NoMatchError struct {
	Exclude bool   // the term came from the exclude list
	Term    string // the whole term as written, e.g. "+stg_ordrs,tag:x"
	Method  string // the part's method; "" when it gives none
	Value   string // the part's value
}

// Error says which part, as method:value, matches no node.
func (e *NoMatchError) Error() string {
	part := e.Value
	if e.Method != "" {
		part = e.Method + ":" + e.Value
	}
	return fmt.Sprintf("%s matches no node", part)
}

// Select evaluates selector expressions against g.
//
// Grammar (like dbt): space-separated terms are a union, and so are the
// elements of include (or exclude); a term with commas is an intersection
// of its parts; each part is [@][N][+][METHOD:]VALUE[+[N]]; leading "+" =
// also all ancestors, "N+" = ancestors up to depth N; trailing "+" =
// descendants, "+N" = descendants to depth N; "@name" = name, its
// descendants, and all ancestors of those descendants. A part without
// "method:" is passed with method "": the caller picks its default.
//
// match(method, value, id) reports whether node id matches that part; values
// (globs included) are passed through untouched. An error from match, such as
// an unknown method, is returned naming the term; so is a part that matches
// no node (a *NoMatchError).
//
// Nodes selected by exclude are removed from the result. An empty include
// list (or one of blank strings) selects every node.
func Select(g *Graph, include, exclude []string, match func(method, value, id string) (bool, error)) (Selection, error) {
	return SelectWith(g, include, exclude, match, nil)
}

// SelectWith is Select where a part whose method emptyOK accepts may match
// no node without an error: "state:modified" in a pull request that
// changed nothing selects nothing. emptyOK may be nil.
func SelectWith(g *Graph, include, exclude []string, match func(method, value, id string) (bool, error), emptyOK func(method string) bool) (Selection, error) {
	s := selection{g: g, ids: g.Nodes(), match: match, emptyOK: emptyOK}
	in, named, err := s.union(include, false)
	if err != nil {
		return Selection{}, err
	}
	if in == nil {
		in = setOf(s.ids)
	}
	out, _, err := s.union(exclude, true)
	if err != nil {
		return Selection{}, err
	}
	for id := range out {
		delete(in, id)
		delete(named, id)
	}
	return Selection{IDs: sortedKeys(in), Named: sortedKeys(named)}, nil
}

// selection evaluates terms against one graph.
type selection struct {
	g     *Graph
	ids   []string // g.Nodes(), computed once
	match func(method, value, id string) (bool, error)
	// emptyOK reports a method whose parts may match nothing; nil: none.
	emptyOK func(method string) bool
}

// union returns the nodes selected by any term of exprs, or nil if exprs hold
// no term at all, and those of them a term named itself.
func (s selection) union(exprs []string, exclude bool) (result, named set, err error) {
	for _, term := range strings.Fields(strings.Join(exprs, " ")) {
		found, direct, err := s.term(term)
		if err != nil {
			if nm := (*NoMatchError)(nil); errors.As(err, &nm) {
				nm.Exclude, nm.Term = exclude, term
			}
			return nil, nil, fmt.Errorf("selector %q: %w", term, err)
		}
		if result == nil {
			result, named = set{}, set{}
		}
		addAll(result, found)
		addAll(named, direct)
	}
	return result, named, nil
}

// term returns the nodes selected by every comma-separated part of term,
// and those of them that a part matched itself.
func (s selection) term(term string) (result, named set, err error) {
	named = set{}
	for i, part := range strings.Split(term, ",") {
		sel, err := parseSelector(part)
		if err != nil {
			return nil, nil, err
		}
		found, matched, err := s.eval(sel)
		if err != nil {
			return nil, nil, err
		}
		addAll(named, matched)
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
	for id := range named {
		if _, ok := result[id]; !ok {
			delete(named, id)
		}
	}
	return result, named, nil
}

// eval returns the nodes matching sel, widened by its graph operators, and
// those it matched before widening.
func (s selection) eval(sel selector) (result, matchedSet set, err error) {
	var matched []string
	for _, id := range s.ids {
		ok, err := s.match(sel.method, sel.value, id)
		if err != nil {
			return nil, nil, err
		}
		if ok {
			matched = append(matched, id)
		}
	}
	if len(matched) == 0 {
		if s.emptyOK != nil && s.emptyOK(sel.method) {
			return set{}, set{}, nil
		}
		return nil, nil, &NoMatchError{Method: sel.method, Value: sel.value}
	}
	result = setOf(matched)
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
	return result, setOf(matched), nil
}

// addAll adds every member of src to dst.
func addAll(dst, src set) {
	for id := range src {
		dst[id] = struct{}{}
	}
}
