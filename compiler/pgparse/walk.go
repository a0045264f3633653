package pgparse

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/weir-sh/weir/compiler/sqlparse"
)

// scope is one level of visible CTE names: each link adds one name.
// Postgres has folded unquoted names already, so names compare exactly.
type scope struct {
	name   string
	parent *scope
}

func (s *scope) with(name string) *scope { return &scope{name: name, parent: s} }

func (s *scope) has(name string) bool {
	for ; s != nil; s = s.parent {
		if s.name == name {
			return true
		}
	}
	return false
}

// walker collects references from a parse tree.
type walker struct {
	src   string
	refs  []sqlparse.Ref
	quals []sqlparse.Ref
	funcs []sqlparse.Func
}

// node visits a parse tree node and everything under it.
func (w *walker) node(n *pg_query.Node, sc *scope) {
	if n != nil {
		w.message(n.ProtoReflect(), sc)
	}
}

// message dispatches on the node type; every other message is walked
// field by field.
func (w *walker) message(m protoreflect.Message, sc *scope) {
	switch x := m.Interface().(type) {
	case *pg_query.SelectStmt:
		w.selectStmt(x, sc)
		return
	case *pg_query.RangeVar:
		w.rangeVar(x, sc)
		return
	case *pg_query.ColumnRef:
		w.columnRef(x)
		return
	case *pg_query.RangeFunction:
		w.rangeFunction(x)
	}
	w.children(m, sc, nil)
}

// children walks every message held in m's fields, except the fields
// skip names.
func (w *walker) children(m protoreflect.Message, sc *scope, skip map[protoreflect.Name]bool) {
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		if skip[fd.Name()] || fd.Kind() != protoreflect.MessageKind {
			return true
		}
		if fd.IsList() {
			l := v.List()
			for i := range l.Len() {
				w.message(l.Get(i).Message(), sc)
			}
		} else if !fd.IsMap() {
			w.message(v.Message(), sc)
		}
		return true
	})
}

// selectSkip are the SelectStmt fields walked apart (with_clause) or not
// at all: FOR UPDATE OF names FROM items already listed, INTO a new table
// is refused before the walk.
var selectSkip = map[protoreflect.Name]bool{"with_clause": true, "locking_clause": true, "into_clause": true}

// selectStmt opens the scope of a WITH: each CTE's query sees the CTEs
// before it (all of them, itself included, under WITH RECURSIVE), and the
// statement's body sees them all. The scope ends with the statement, so a
// CTE defined in a subquery is not visible outside it.
func (w *walker) selectStmt(s *pg_query.SelectStmt, sc *scope) {
	if wc := s.WithClause; wc != nil {
		inner := sc
		if wc.Recursive {
			for _, c := range wc.Ctes {
				inner = inner.with(c.GetCommonTableExpr().GetCtename())
			}
		}
		for _, c := range wc.Ctes {
			cte := c.GetCommonTableExpr()
			if cte == nil {
				continue
			}
			w.node(cte.Ctequery, inner)
			if !wc.Recursive {
				inner = inner.with(cte.Ctename)
			}
		}
		sc = inner
	}
	w.children(s.ProtoReflect(), sc, selectSkip)
}

func (w *walker) rangeVar(rv *pg_query.RangeVar, sc *scope) {
	if rv.Catalogname == "" && rv.Schemaname == "" && sc.has(rv.Relname) {
		return // a CTE in scope, not a table
	}
	r := sqlparse.Ref{Catalog: rv.Catalogname, Schema: rv.Schemaname, Name: rv.Relname, Offset: int(rv.Location)}
	if rv.Alias != nil {
		r.Alias = rv.Alias.Aliasname
	}
	w.refs = append(w.refs, w.measured(r))
}

// columnRef records the qualifier of a column named with its schema and
// table: schema.table.column, catalog.schema.table.column, schema.table.*.
func (w *walker) columnRef(c *pg_query.ColumnRef) {
	if len(c.Fields) < 3 || len(c.Fields) > 4 {
		return
	}
	var names []string
	for _, f := range c.Fields[:len(c.Fields)-1] {
		s := f.GetString_()
		if s == nil {
			return
		}
		names = append(names, s.Sval)
	}
	r := sqlparse.Ref{Schema: names[len(names)-2], Name: names[len(names)-1], Offset: int(c.Location)}
	if len(names) == 3 {
		r.Catalog = names[0]
	}
	w.quals = append(w.quals, w.measured(r))
}

// rangeFunction records the functions called in FROM, one for each of
// ROWS FROM (f(), g()).
func (w *walker) rangeFunction(rf *pg_query.RangeFunction) {
	for _, item := range rf.Functions {
		list := item.GetList()
		if list == nil || len(list.Items) == 0 {
			continue
		}
		call := list.Items[0].GetFuncCall()
		if call == nil {
			continue
		}
		var names []string
		for _, n := range call.Funcname {
			names = append(names, n.GetString_().GetSval())
		}
		f := sqlparse.Func{Name: names[len(names)-1], Offset: int(call.Location)}
		if len(names) > 1 {
			f.Schema = names[len(names)-2]
		}
		if len(names) > 2 {
			f.Catalog = names[len(names)-3]
		}
		w.funcs = append(w.funcs, f)
	}
}

// measured sets r's Length from the text, and its name parts as written.
func (w *walker) measured(r sqlparse.Ref) sqlparse.Ref {
	if r.Offset < 0 || r.Offset >= len(w.src) {
		r.Offset = -1
		return r
	}
	n, parts := sqlparse.MeasureName(w.src, r.Offset, r.Catalog, r.Schema, r.Name)
	if n > 0 {
		r.Length = n
		r.Catalog, r.Schema, r.Name = parts[0], parts[1], parts[2]
	}
	return r
}
