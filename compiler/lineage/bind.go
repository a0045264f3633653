package lineage

import (
	"fmt"
	"strings"
)

// binder works out one model's lineage from its intermediate form and
// the column lists of what it reads.
type binder struct {
	// relationOf gives the relation of a base table at a byte offset of
	// the SQL with the name written there; nil when it is none of the
	// project's nodes.
	relationOf func(offset int, catalog, schema, name string) *relation
	filters    []Ref
	problems   []problem
}

// problem is a column reference lineage could not resolve.
type problem struct {
	offset int
	msg    string
}

// result is the output of a query: its columns, or why they are unknown.
type result struct {
	cols []column
	// unknown, when set, says why the column list is not known.
	unknown string
}

func (b *binder) problemf(offset int, format string, args ...any) {
	b.problems = append(b.problems, problem{offset, fmt.Sprintf(format, args...)})
}

// query binds a query node. outer is the enclosing query's scope for
// correlated references (nil at the top); ctes are the CTEs visible.
func (b *binder) query(q *query, outer *scope, ctes *cteScope) result {
	if q == nil {
		return result{unknown: "a query lineage cannot read"}
	}
	for _, c := range q.CTEs {
		ctes = ctes.with(c.Name, b.cte(c, outer, ctes))
	}
	switch q.SetOp {
	case "":
		return b.selectNode(q, outer, ctes)
	case "RECURSIVE":
		left := b.query(q.Left, outer, ctes)
		return left // the recursive part is bound by cte, which knows the name
	}
	left := b.query(q.Left, outer, ctes)
	right := b.query(q.Right, outer, ctes)
	return b.setOp(q.SetOp, left, right)
}

// cte binds one CTE to the relation its name stands for. A recursive
// CTE's second part sees the name with the first part's columns.
func (b *binder) cte(c cte, outer *scope, ctes *cteScope) *relation {
	q := c.Query
	var res result
	if q.SetOp == "RECURSIVE" {
		inner := ctes
		for _, sub := range q.CTEs {
			inner = inner.with(sub.Name, b.cte(sub, outer, inner))
		}
		left := b.query(q.Left, outer, inner)
		self := relationOf(c.Name, left).renamed(c.Aliases)
		right := b.query(q.Right, outer, inner.with(c.Name, self))
		res = b.setOp("UNION", left, right)
	} else {
		res = b.query(q, outer, ctes)
	}
	return relationOf(c.Name, res).renamed(c.Aliases)
}

// relationOf is the relation a bound query gives under name.
func relationOf(name string, res result) *relation {
	if res.unknown != "" {
		return &relation{name: name, open: true, what: res.unknown}
	}
	return &relation{name: name, cols: res.cols, starOK: true}
}

// setOp combines the columns of two queries by position (UNION BY NAME:
// by name), named after the left one.
func (b *binder) setOp(op string, left, right result) result {
	if left.unknown != "" {
		return left
	}
	if right.unknown != "" {
		return right
	}
	out := make([]column, len(left.cols))
	copy(out, left.cols)
	for i, rc := range right.cols {
		j := i
		if op == "UNION_BY_NAME" {
			j = indexOf(out, rc.name)
			if j < 0 {
				out = append(out, rc)
				continue
			}
		}
		if j < len(out) {
			out[j].srcs = append(append([]Ref(nil), out[j].srcs...), rc.srcs...)
			out[j].unknown = firstOf(out[j].unknown, rc.unknown)
		}
	}
	return result{cols: out}
}

func indexOf(cols []column, name string) int {
	for i, c := range cols {
		if strings.EqualFold(c.name, name) {
			return i
		}
	}
	return -1
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// selectNode binds a SELECT: its FROM, then its select list in order
// (a later item may use an earlier one's alias), then its filters.
func (b *binder) selectNode(q *query, outer *scope, ctes *cteScope) result {
	sc := &scope{using: map[string]bool{}, parent: outer, ctes: ctes}
	b.fromItem(q.From, sc)
	var res result
	for _, it := range q.Items {
		if it.Star != nil {
			cols, why := b.expand(it.Star, sc)
			if why != "" && res.unknown == "" {
				res.unknown = why
			}
			res.cols = append(res.cols, cols...)
			continue
		}
		c := b.expr(it.Expr, sc)
		c.name, c.offset = firstOf(it.Alias, it.Expr.Name), it.Offset
		res.cols = append(res.cols, c)
		if c.name != "" {
			sc.aliases = append(sc.aliases, c)
		}
	}
	for _, f := range q.Filters {
		b.filter(f, sc)
	}
	if res.unknown != "" {
		res.cols = nil
	}
	return res
}

// filter records the columns of a filtering expression.
func (b *binder) filter(e expr, sc *scope) {
	for _, r := range b.expr(e, sc).srcs {
		b.filters = append(b.filters, Ref{Node: r.Node, Column: r.Column, Kind: Filter})
	}
}

// expr resolves an expression to the columns it is computed from.
func (b *binder) expr(e expr, sc *scope) column {
	var c column
	for _, r := range e.Refs {
		got := b.resolve(r, sc)
		c.unknown = firstOf(c.unknown, got.unknown)
		for _, s := range got.srcs {
			c.srcs = append(c.srcs, Ref{Node: s.Node, Column: s.Column, Kind: maxKind(r.Kind, s.Kind)})
		}
	}
	for _, s := range e.Subs {
		res := b.query(s.Query, sc, sc.ctes)
		if res.unknown != "" {
			c.unknown = firstOf(c.unknown, res.unknown)
			continue
		}
		if len(res.cols) == 0 {
			continue
		}
		first := res.cols[0]
		c.unknown = firstOf(c.unknown, first.unknown)
		for _, src := range first.srcs {
			c.srcs = append(c.srcs, Ref{Node: src.Node, Column: src.Column, Kind: maxKind(s.Kind, src.Kind)})
		}
	}
	return c
}

// resolve finds the column a reference names, in the scope or an
// enclosing one. What it cannot find is a problem of the model.
func (b *binder) resolve(r colRef, sc *scope) column {
	for s := sc; s != nil; s = s.parent {
		if c, ok := b.resolveIn(r, s); ok {
			return c
		}
	}
	b.problemf(r.Offset, "column %s not found in what the query reads", strings.Join(r.Names, "."))
	return column{}
}

// resolveIn resolves r in one scope. ok is false when nothing in the
// scope has the name; an ambiguous name is reported and ok.
func (b *binder) resolveIn(r colRef, sc *scope) (column, bool) {
	names := r.Names
	// A qualified name: the longest qualifier naming a relation wins;
	// what follows the column is a struct field.
	for k := min(len(names)-1, 3); k >= 1; k-- {
		for _, rel := range sc.rels {
			if rel.matches(names[:k]) {
				c, ok := rel.lookup(names[k])
				if !ok {
					b.problemf(r.Offset, "%s has no column %s", rel.name, names[k])
				}
				return c, true
			}
		}
	}
	if len(names) > 1 {
		// t.field where t is a struct column, not a relation.
		for _, rel := range sc.rels {
			if c, ok := rel.find(names[0]); ok {
				return c, true
			}
		}
		return column{}, false
	}
	return b.resolveName(r, names[0], sc)
}

// resolveName resolves an unqualified column name in one scope.
func (b *binder) resolveName(r colRef, name string, sc *scope) (column, bool) {
	var found []column
	for _, rel := range sc.rels {
		if c, ok := rel.find(name); ok {
			found = append(found, c)
		}
	}
	switch {
	case len(found) == 1:
		return found[0], true
	case len(found) > 1 && sc.using[strings.ToLower(name)]:
		merged := column{name: name}
		for _, c := range found {
			merged.srcs = append(merged.srcs, c.srcs...)
		}
		return merged, true
	case len(found) > 1:
		b.problemf(r.Offset, "column %s is ambiguous: more than one table read has it; qualify it (t.%s)", name, name)
		return column{}, true
	}
	var open []*relation
	for _, rel := range sc.rels {
		if rel.open {
			open = append(open, rel)
		}
	}
	if len(open) == 1 {
		return open[0].lookup(name)
	}
	for i := len(sc.aliases) - 1; i >= 0; i-- {
		if strings.EqualFold(sc.aliases[i].name, name) {
			return sc.aliases[i], true
		}
	}
	if len(open) > 1 {
		return column{name: name, unknown: fmt.Sprintf("%s may come from %s or %s, whose columns are not known", name, open[0].name, open[1].name)}, true
	}
	return column{}, false
}
