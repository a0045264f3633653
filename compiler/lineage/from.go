package lineage

import (
	"fmt"
	"slices"
	"strings"
)

// fromItem adds the relations of a FROM item to sc.
func (b *binder) fromItem(f *from, sc *scope) {
	switch f.Kind {
	case fromEmpty:
	case fromBase:
		sc.rels = append(sc.rels, b.baseTable(f, sc.ctes).renamed(f.Aliases))
	case fromJoin:
		b.fromItem(f.Left, sc)
		n := len(sc.rels)
		b.fromItem(f.Right, sc)
		for _, u := range f.Using {
			sc.using[strings.ToLower(u)] = true
		}
		if f.Natural {
			b.natural(sc.rels[:n], sc.rels[n:], sc)
		}
		for u := range sc.using {
			b.filter(expr{Refs: []colRef{{Names: []string{u}, Kind: Filter, Offset: f.Offset}}}, sc)
		}
		b.filter(f.Cond, sc)
	case fromSubquery:
		// The subquery may read the FROM items before it (LATERAL,
		// implicit in DuckDB) and the enclosing query's scope.
		lateral := &scope{rels: slices.Clone(sc.rels), using: sc.using, parent: sc.parent, ctes: sc.ctes}
		res := b.query(f.Query, lateral, sc.ctes)
		sc.rels = append(sc.rels, relationOf(f.Alias, res).renamed(f.Aliases))
	case fromValues:
		rel := &relation{name: f.Alias, starOK: true}
		for i := range f.Width {
			rel.cols = append(rel.cols, column{name: fmt.Sprintf("col%d", i)})
		}
		sc.rels = append(sc.rels, rel.renamed(f.Aliases))
	default:
		sc.rels = append(sc.rels, &relation{name: f.Alias, open: true, what: f.What + " (its columns are not known to lineage)"})
	}
}

// baseTable is the relation a table name in FROM stands for: a CTE in
// scope, else a node of the project.
func (b *binder) baseTable(f *from, ctes *cteScope) *relation {
	name := firstOf(f.Alias, f.Name)
	if f.Catalog == "" && f.Schema == "" {
		if r := ctes.find(f.Name); r != nil {
			cp := *r
			cp.name = name
			return &cp
		}
	}
	r := b.relationOf(f.Offset, f.Catalog, f.Schema, f.Name)
	if r == nil {
		written := strings.Join(nonEmpty(f.Catalog, f.Schema, f.Name), ".")
		return &relation{name: name, open: true, what: written + " is not a model, seed or source of the project"}
	}
	cp := *r
	cp.name = name
	if f.Alias != "" {
		cp.schema, cp.catalog = "", ""
	}
	return &cp
}

func nonEmpty(parts ...string) []string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// natural joins left and right on the column names both have.
func (b *binder) natural(left, right []*relation, sc *scope) {
	for _, r := range right {
		for _, c := range r.cols {
			for _, l := range left {
				if _, ok := l.find(c.name); ok {
					sc.using[strings.ToLower(c.name)] = true
				}
			}
		}
	}
}

// expand lists the columns a * (or t.*) stands for, with EXCLUDE and
// REPLACE applied. A column joined with USING appears once, from every
// side. why says why the list is unknown.
func (b *binder) expand(s *star, sc *scope) (cols []column, why string) {
	if s.Columns {
		return nil, "COLUMNS(...) is not expanded by lineage"
	}
	var rels []*relation
	for _, r := range sc.rels {
		if s.Relation == "" || strings.EqualFold(r.name, s.Relation) {
			rels = append(rels, r)
		}
	}
	if len(rels) == 0 {
		b.problemf(s.Offset, "%s.* names no table the query reads", s.Relation)
		return nil, ""
	}
	for _, r := range rels {
		if !r.starOK {
			return nil, fmt.Sprintf("* over %s: %s", r.name, firstOf(r.what, "its columns are not known"))
		}
		for _, c := range r.cols {
			if excluded(s.Exclude, r.name, c.name) {
				continue
			}
			if i := indexOf(cols, c.name); i >= 0 && sc.using[strings.ToLower(c.name)] {
				cols[i].srcs = append(append([]Ref(nil), cols[i].srcs...), c.srcs...)
				continue
			}
			cols = append(cols, c)
		}
	}
	for _, rep := range s.Replace {
		i := indexOf(cols, rep.Name)
		if i < 0 {
			b.problemf(s.Offset, "REPLACE names %s, which * does not have", rep.Name)
			continue
		}
		c := b.expr(rep.Expr, sc)
		c.name = cols[i].name
		cols[i] = c
	}
	return cols, ""
}

// excluded reports whether EXCLUDE lists the column of relation rel.
func excluded(list []qualifiedName, rel, col string) bool {
	for _, q := range list {
		if strings.EqualFold(q.Column, col) && (q.Table == "" || strings.EqualFold(q.Table, rel)) {
			return true
		}
	}
	return false
}
