package lineage

import "strings"

// column is a column of a relation in a query, with its lineage.
type column struct {
	name string
	srcs []Ref
	// unknown says why some of what it is computed from is unknown.
	unknown string
	// offset is where a select item is written, -1 if unknown.
	offset int
}

// relation is what a FROM item gives a query.
type relation struct {
	// name is what qualifies its columns: the alias, else the table name.
	name string
	// schema and catalog qualify a base table's name (schema.t.col).
	schema, catalog string
	cols            []column
	// open marks a relation that may have columns not in cols: a source
	// whose columns are not all known, a table function.
	open bool
	// starOK marks cols as fit to expand *: false when they are unknown.
	starOK bool
	// node is the model, seed or source a base table is; open relations
	// with a node resolve any column name to that node's column.
	node string
	// what says why the columns are not known (for open relations).
	what string
}

// find returns the columns of r named name (case-insensitive).
func (r *relation) find(name string) (column, bool) {
	for _, c := range r.cols {
		if strings.EqualFold(c.name, name) {
			return c, true
		}
	}
	return column{}, false
}

// lookup resolves a column of r: a listed column, or for an open
// relation any name.
func (r *relation) lookup(name string) (column, bool) {
	if c, ok := r.find(name); ok {
		return c, true
	}
	if !r.open {
		return column{}, false
	}
	if r.node != "" {
		return column{name: name, srcs: []Ref{{Node: r.node, Column: name, Kind: Direct}}}, true
	}
	return column{name: name, unknown: r.what}, true
}

// matches reports whether qualifier (one to three name parts) names r.
func (r *relation) matches(q []string) bool {
	switch len(q) {
	case 1:
		return strings.EqualFold(q[0], r.name)
	case 2:
		return r.schema != "" && strings.EqualFold(q[0], r.schema) && strings.EqualFold(q[1], r.name)
	case 3:
		return r.catalog != "" && strings.EqualFold(q[0], r.catalog) && strings.EqualFold(q[1], r.schema) && strings.EqualFold(q[2], r.name)
	}
	return false
}

// renamed applies column aliases (t AS x(a, b)) to the first columns.
func (r *relation) renamed(aliases []string) *relation {
	if len(aliases) == 0 {
		return r
	}
	cp := *r
	cp.cols = append([]column(nil), r.cols...)
	for i, a := range aliases {
		if i < len(cp.cols) {
			cp.cols[i].name = a
		}
	}
	return &cp
}

// scope is what column names resolve against in one query: its FROM
// relations, the select-list aliases defined so far, the enclosing
// query's scope (correlated references) and the CTEs visible.
type scope struct {
	rels    []*relation
	using   map[string]bool // lower-case names joined with USING or NATURAL
	aliases []column
	parent  *scope
	ctes    *cteScope
}

// cteScope is one visible CTE; each link adds one.
type cteScope struct {
	name   string
	rel    *relation
	parent *cteScope
}

func (c *cteScope) with(name string, r *relation) *cteScope {
	return &cteScope{name: name, rel: r, parent: c}
}

func (c *cteScope) find(name string) *relation {
	for ; c != nil; c = c.parent {
		if strings.EqualFold(c.name, name) {
			return c.rel
		}
	}
	return nil
}
