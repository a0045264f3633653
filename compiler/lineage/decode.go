package lineage

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/weir-sh/weir/compiler/sqlparse"
)

// decoder turns DuckDB's JSON parse tree into the intermediate form.
type decoder struct {
	aggregates map[string]bool // aggregate function names, lower case
	textLen    int             // length of the SQL, to check offsets
	names      *namer          // names select items without an alias
}

// decodeTree reads json_serialize_sql's answer for a one-statement text.
func (d *decoder) decodeTree(js string) (*query, error) {
	t, err := sqlparse.DecodeJSON(js)
	if err != nil {
		return nil, fmt.Errorf("lineage: decode parse tree: %w", err)
	}
	stmts := list(obj(t)["statements"])
	if len(stmts) != 1 {
		return nil, fmt.Errorf("lineage: %d statements, want one", len(stmts))
	}
	return d.query(obj(obj(stmts[0])["node"])), nil
}

// query decodes a query node.
func (d *decoder) query(m map[string]any) *query {
	if m == nil {
		return nil
	}
	q := &query{CTEs: d.ctes(m)}
	switch str(m["type"]) {
	case "SET_OPERATION_NODE":
		q.SetOp = str(m["setop_type"])
		q.Left, q.Right = d.query(obj(m["left"])), d.query(obj(m["right"]))
		if kids := list(m["children"]); q.Left == nil && len(kids) == 2 {
			q.Left, q.Right = d.query(obj(kids[0])), d.query(obj(kids[1]))
		}
	case "RECURSIVE_CTE_NODE":
		q.SetOp = "RECURSIVE"
		q.Left, q.Right = d.query(obj(m["left"])), d.query(obj(m["right"]))
	default:
		for _, e := range list(m["select_list"]) {
			q.Items = append(q.Items, d.item(obj(e)))
		}
		q.From = d.from(obj(m["from_table"]))
		for _, k := range []string{"where_clause", "having", "qualify"} {
			if e := obj(m[k]); e != nil {
				q.Filters = append(q.Filters, d.expr(e))
			}
		}
		for _, e := range list(m["group_expressions"]) {
			q.Filters = append(q.Filters, d.expr(obj(e)))
		}
	}
	return q
}

// ctes decodes a query node's WITH list, in order.
func (d *decoder) ctes(m map[string]any) []cte {
	var out []cte
	for _, e := range list(obj(m["cte_map"])["map"]) {
		em := obj(e)
		v := obj(em["value"])
		c := cte{Name: str(em["key"]), Aliases: strs(v["aliases"]), Query: d.query(obj(obj(v["query"])["node"]))}
		if c.Query != nil {
			out = append(out, c)
		}
	}
	return out
}

// item decodes one entry of a select list.
func (d *decoder) item(m map[string]any) item {
	if str(m["type"]) != "STAR" {
		it := item{Alias: str(m["alias"]), Expr: d.expr(m), Offset: d.offset(m["query_location"])}
		if it.Alias == "" && it.Expr.Name == "" {
			it.Expr.Name = d.names.name(m)
		}
		return it
	}
	s := &star{Relation: str(m["relation_name"]), Offset: d.offset(m["query_location"])}
	s.Columns = m["columns"] == true || obj(m["expr"]) != nil
	for _, e := range list(m["exclude_list"]) {
		if name := str(e); name != "" {
			s.Exclude = append(s.Exclude, qualifiedName{Column: name})
		}
	}
	for _, e := range list(m["qualified_exclude_list"]) {
		em := obj(e)
		s.Exclude = append(s.Exclude, qualifiedName{Table: str(em["table"]), Column: str(em["column"])})
	}
	for _, e := range list(m["replace_list"]) {
		em := obj(e)
		s.Replace = append(s.Replace, replacement{Name: str(em["key"]), Expr: d.expr(obj(em["value"]))})
	}
	return item{Alias: str(m["alias"]), Star: s}
}

// expr summarizes an expression.
func (d *decoder) expr(m map[string]any) expr {
	var e expr
	if str(m["type"]) == "COLUMN_REF" {
		names := strs(m["column_names"])
		e.Direct = true
		e.Refs = []colRef{{Names: names, Kind: Direct, Offset: d.offset(m["query_location"])}}
		if len(names) > 0 {
			e.Name = names[len(names)-1]
		}
		return e
	}
	d.walk(&e, m, Transform, nil)
	return e
}

// walk collects the column references and subqueries under v, each with
// the kind of the context it is in: inside a window function Window,
// inside an aggregate Aggregate, elsewhere kind. params are the names of
// the lambda parameters in scope, which are not columns.
func (d *decoder) walk(e *expr, v any, kind Kind, params map[string]bool) {
	switch x := v.(type) {
	case []any:
		for _, c := range x {
			d.walk(e, c, kind, params)
		}
		return
	case map[string]any:
		d.walkObject(e, x, kind, params)
	}
}

func (d *decoder) walkObject(e *expr, m map[string]any, kind Kind, params map[string]bool) {
	typ := str(m["type"])
	switch {
	case typ == "COLUMN_REF":
		names := strs(m["column_names"])
		if len(names) == 1 && params[strings.ToLower(names[0])] {
			return
		}
		e.Refs = append(e.Refs, colRef{Names: names, Kind: kind, Offset: d.offset(m["query_location"])})
		return
	case typ == "SUBQUERY":
		st := str(m["subquery_type"])
		e.Subs = append(e.Subs, subquery{Query: d.query(obj(obj(m["subquery"])["node"])), Kind: kind, Filter: st != "SCALAR"})
		d.walk(e, m["child"], kind, params)
		return
	case typ == "LAMBDA":
		inner := map[string]bool{}
		for k := range params {
			inner[k] = true
		}
		d.lambdaParams(m["lhs"], inner)
		d.walk(e, m["expr"], kind, inner)
		return
	case strings.HasPrefix(typ, "WINDOW_"):
		kind = Window
	case typ == "FUNCTION" && m["is_operator"] != true && d.aggregates[strings.ToLower(str(m["function_name"]))]:
		kind = maxKind(kind, Aggregate)
	}
	for k, v := range m {
		if k != "query_location" {
			d.walk(e, v, kind, params)
		}
	}
}

// lambdaParams adds the names a lambda's left side binds.
func (d *decoder) lambdaParams(v any, into map[string]bool) {
	switch x := v.(type) {
	case []any:
		for _, c := range x {
			d.lambdaParams(c, into)
		}
	case map[string]any:
		if str(x["type"]) == "COLUMN_REF" {
			for _, n := range strs(x["column_names"]) {
				into[strings.ToLower(n)] = true
			}
			return
		}
		for _, c := range x {
			d.lambdaParams(c, into)
		}
	}
}

// from decodes a FROM item.
func (d *decoder) from(m map[string]any) *from {
	if m == nil {
		return &from{Kind: fromEmpty}
	}
	f := &from{Alias: str(m["alias"]), Aliases: strs(m["column_name_alias"]), Offset: d.offset(m["query_location"])}
	switch typ := str(m["type"]); typ {
	case "EMPTY":
		f.Kind = fromEmpty
	case "BASE_TABLE":
		f.Kind = fromBase
		f.Catalog, f.Schema, f.Name = str(m["catalog_name"]), str(m["schema_name"]), str(m["table_name"])
	case "JOIN":
		f.Kind = fromJoin
		f.Left, f.Right = d.from(obj(m["left"])), d.from(obj(m["right"]))
		f.Using = strs(m["using_columns"])
		f.Natural = str(m["ref_type"]) == "NATURAL"
		if c := obj(m["condition"]); c != nil {
			f.Cond = d.expr(c)
		}
	case "SUBQUERY":
		f.Kind = fromSubquery
		f.Query = d.query(obj(obj(m["subquery"])["node"]))
	case "EXPRESSION_LIST":
		f.Kind = fromValues
		if rows := list(m["values"]); len(rows) > 0 {
			f.Width = len(list(rows[0]))
		}
	case "TABLE_FUNCTION":
		f.Kind, f.What = fromOpaque, "table function "+str(obj(m["function"])["function_name"])+"()"
	default:
		f.Kind, f.What = fromOpaque, strings.ToLower(typ)
	}
	return f
}

// offset decodes a query_location: a byte offset, or -1 for none
// (DuckDB writes 2^64-1).
func (d *decoder) offset(v any) int {
	n, ok := v.(json.Number)
	if !ok {
		return -1
	}
	i, err := n.Int64()
	if err != nil || i < 0 || i > int64(d.textLen) {
		return -1
	}
	return int(i)
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func obj(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

func strs(v any) []string {
	var out []string
	for _, e := range list(v) {
		out = append(out, str(e))
	}
	return out
}
