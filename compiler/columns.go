package compiler

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/adapters/csvsniff"
	"github.com/weir-sh/weir/models"
)

// Column is one column of a relation as a template sees it through
// columns "schema.name" (the standard macros star and union_relations are
// built on it).
type Column struct {
	// Name is the column's name as the relation declares it.
	Name string
	// Ident is Name quoted for the target.
	Ident string
	// Type is the declared type, "" when none is declared.
	Type string
}

// UnionColumn is one column of several relations, for union_columns.
type UnionColumn struct {
	Column
	// From is the first relation that has the column.
	From string
	in   map[string]bool
}

// Has reports whether relation rel has the column.
func (c UnionColumn) Has(rel any) bool { return c.in[fmt.Sprint(rel)] }

// findNode is the model, seed or source a template names as
// "schema.name" (or "name" when one node has that name), for n.
func (r *Result) findNode(name string, n *Node) (*Node, error) {
	parts := strings.Split(name, ".")
	t, ambiguous := r.ix.lookup("", strings.Join(parts[:len(parts)-1], "."), parts[len(parts)-1])
	switch {
	case t == nil && len(ambiguous) > 1:
		return nil, fmt.Errorf("%q names several nodes; write it as schema.name", name)
	case t == nil:
		return nil, errors.New(unknownDiag(r.ix, name, n.ID, hcl.Range{}).Detail)
	}
	return t, nil
}

// columnsFunc is the template function columns "schema.name" [except …]:
// the columns of a model, seed or source known when weir compiles, less
// the names in except (strings or lists of them; each must be a column).
func (r *Result) columnsFunc(n *Node) func(string, ...any) ([]Column, error) {
	return func(name string, except ...any) ([]Column, error) {
		t, err := r.findNode(name, n)
		if err != nil {
			return nil, err
		}
		cols, err := r.nodeColumns(t)
		if err != nil {
			return nil, err
		}
		return dropColumns(t.ID, cols, flatten(except))
	}
}

// unionColumnsFunc is the template function union_columns "a.x" "b.y" …:
// every column of the relations, in the order they first appear (names
// compared without case), with the relations that have each.
func (r *Result) unionColumnsFunc(n *Node) func(...any) ([]UnionColumn, error) {
	return func(rels ...any) ([]UnionColumn, error) {
		var out []UnionColumn
		at := map[string]int{}
		for _, rel := range flatten(rels) {
			t, err := r.findNode(rel, n)
			if err != nil {
				return nil, err
			}
			cols, err := r.nodeColumns(t)
			if err != nil {
				return nil, err
			}
			for _, c := range cols {
				key := strings.ToLower(c.Name)
				i, ok := at[key]
				if !ok {
					i, at[key] = len(out), len(out)
					out = append(out, UnionColumn{Column: c, From: rel, in: map[string]bool{}})
				}
				out[i].in[rel] = true
			}
		}
		return out, nil
	}
}

// nodeColumns are the columns of t that weir knows without the warehouse:
// the columns a model or source declares, a seed's declared columns or
// else its CSV header.
func (r *Result) nodeColumns(t *Node) ([]Column, error) {
	decl := t.Columns()
	if len(decl) == 0 && t.Seed != nil {
		names, err := r.seedHeader(t.Seed)
		if err != nil {
			return nil, err
		}
		for _, name := range names {
			decl = append(decl, models.Column{Name: name, Type: t.Seed.ColumnTypes[name]})
		}
	}
	if len(decl) == 0 {
		return nil, noColumnsError(t)
	}
	out := make([]Column, len(decl))
	for i, c := range decl {
		out[i] = Column{Name: c.Name, Ident: r.Dialect.QuoteIdent(c.Name), Type: c.Type}
	}
	return out, nil
}

// noColumnsError explains where to declare the columns of t.
func noColumnsError(t *Node) error {
	where := fmt.Sprintf("declare every column in its header (column \"id\" {}) in %s", t.Path)
	if t.Source != nil {
		where = fmt.Sprintf("declare every column in weir.hcl: source %q { table %q { column \"id\" {} } }", t.Source.Schema, t.Source.Name)
	}
	return fmt.Errorf("the columns of %s are not known when weir compiles: %s", t.ID, where)
}

// seedHeader is the column names of a seed's file, read once a compile.
func (r *Result) seedHeader(s *models.Seed) ([]string, error) {
	if v, ok := r.seedColumns.Load(s.Path); ok {
		return v.([]string), nil
	}
	l, err := csvsniff.Sniff(context.Background(), filepath.Join(r.Project.Dir, s.Path))
	if err != nil {
		return nil, err
	}
	names := make([]string, len(l.Columns))
	for i, c := range l.Columns {
		names[i] = c.Name
	}
	r.seedColumns.Store(s.Path, names)
	return names, nil
}

// dropColumns is cols less the names in except; a name that is no column
// of the relation is an error (a typo would otherwise keep the column).
func dropColumns(id string, cols []Column, except []string) ([]Column, error) {
	drop := map[string]bool{}
	for _, e := range except {
		found := false
		for _, c := range cols {
			found = found || strings.EqualFold(c.Name, e)
		}
		if !found {
			return nil, fmt.Errorf("%s has no column %q to leave out; its columns are %s", id, e, columnNames(cols))
		}
		drop[strings.ToLower(e)] = true
	}
	var out []Column
	for _, c := range cols {
		if !drop[strings.ToLower(c.Name)] {
			out = append(out, c)
		}
	}
	return out, nil
}

func columnNames(cols []Column) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	return strings.Join(names, ", ")
}

// flatten turns template arguments (strings, numbers, lists of them) into
// strings.
func flatten(args []any) []string {
	var out []string
	for _, a := range args {
		switch v := a.(type) {
		case []any:
			out = append(out, flatten(v)...)
		case []string:
			out = append(out, v...)
		default:
			out = append(out, fmt.Sprint(v))
		}
	}
	return out
}

// addRelationFuncs adds the functions that read relations' columns and
// quote names and values for the target: columns, union_columns, ident
// and literal.
func (r *Result) addRelationFuncs(funcs map[string]any, n *Node) {
	funcs["columns"] = r.columnsFunc(n)
	funcs["union_columns"] = r.unionColumnsFunc(n)
	funcs["ident"] = func(s any) string { return r.Dialect.QuoteIdent(fmt.Sprint(s)) }
	funcs["literal"] = func(v any) string { return SQLLiteral(r.Dialect, v) }
}

// SQLLiteral writes a template value as SQL for dialect d: a string
// quoted, nil as NULL, a bool as TRUE or FALSE, a number as written.
func SQLLiteral(d adapters.Dialect, v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case string:
		return d.QuoteLiteral(x)
	case bool:
		return strings.ToUpper(fmt.Sprint(x))
	}
	return fmt.Sprint(v)
}
