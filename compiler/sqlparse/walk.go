package sqlparse

import (
	"cmp"
	"encoding/json"
	"slices"
	"strings"
)

// scope is one level of visible CTE names: each link adds one name.
// DuckDB compares names case-insensitively, quoted or not.
type scope struct {
	name   string // lower case
	parent *scope
}

func (s *scope) with(name string) *scope {
	return &scope{name: strings.ToLower(name), parent: s}
}

func (s *scope) has(name string) bool {
	name = strings.ToLower(name)
	for ; s != nil; s = s.parent {
		if s.name == name {
			return true
		}
	}
	return false
}

// walker collects references from a decoded parse tree.
type walker struct {
	src   string // the text DuckDB parsed (maskSpaces of orig)
	orig  string // the text as written
	refs  []Ref
	funcs []Func
	quals []Ref
	files []File
}

// walk visits every value of the tree. Query nodes (objects with a
// cte_map) open a scope: each CTE's body sees the CTEs defined before it
// in the same WITH, the query's body sees them all, and a recursive CTE
// sees itself. A scope ends with its node, so a CTE defined in a subquery
// is not visible outside it.
func (w *walker) walk(v any, sc *scope) {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			w.walk(e, sc)
		}
	case map[string]any:
		w.walkObject(x, sc)
	}
}

func (w *walker) walkObject(m map[string]any, sc *scope) {
	typ, _ := m["type"].(string)
	if cm, ok := m["cte_map"].(map[string]any); ok {
		if typ == "RECURSIVE_CTE_NODE" {
			if name, _ := m["cte_name"].(string); name != "" {
				sc = sc.with(name)
			}
		}
		entries, _ := cm["map"].([]any)
		for _, e := range entries {
			em, ok := e.(map[string]any)
			if !ok {
				continue
			}
			w.walk(em["value"], sc)
			if name, _ := em["key"].(string); name != "" {
				sc = sc.with(name)
			}
		}
		for k, v := range m {
			if k != "cte_map" {
				w.walk(v, sc)
			}
		}
		return
	}
	switch typ {
	case "BASE_TABLE":
		if _, ok := m["table_name"]; ok {
			w.baseTable(m, sc)
		}
	case "TABLE_FUNCTION":
		w.tableFunction(m)
	case "COLUMN_REF":
		w.columnRef(m)
	case "CTE_NODE":
		// Older DuckDB versions put a materialized CTE in a CTE_NODE:
		// its name is visible in child, not in its own query.
		name, _ := m["ctename"].(string)
		for k, v := range m {
			if k == "child" && name != "" {
				w.walk(v, sc.with(name))
			} else {
				w.walk(v, sc)
			}
		}
		return
	}
	for _, v := range m {
		w.walk(v, sc)
	}
}

func (w *walker) baseTable(m map[string]any, sc *scope) {
	r := Ref{
		Catalog: str(m["catalog_name"]),
		Schema:  str(m["schema_name"]),
		Name:    str(m["table_name"]),
		Alias:   str(m["alias"]),
		Offset:  w.location(m["query_location"]),
	}
	if r.Catalog == "" && r.Schema == "" && sc.has(r.Name) {
		return // a CTE in scope, not a table
	}
	if f, ok := w.fileTable(r); ok {
		w.files = append(w.files, f)
		return
	}
	w.refs = append(w.refs, w.measured(r))
}

// measured sets r's Length from the text, and its name parts as written.
func (w *walker) measured(r Ref) Ref {
	if r.Offset >= 0 {
		var parts [3]string
		r.Length, parts = measureName(w.src, w.orig, r.Offset, r.Catalog, r.Schema, r.Name)
		if r.Length > 0 {
			r.Catalog, r.Schema, r.Name = parts[0], parts[1], parts[2]
		}
	}
	return r
}

// columnRef records the qualifier of a column named with its schema and
// table (column_names [schema, table, column] or [catalog, schema, table,
// column]).
func (w *walker) columnRef(m map[string]any) {
	names, _ := m["column_names"].([]any)
	if len(names) < 3 || len(names) > 4 {
		return
	}
	r := Ref{Schema: str(names[len(names)-3]), Name: str(names[len(names)-2]), Offset: w.location(m["query_location"])}
	if len(names) == 4 {
		r.Catalog = str(names[0])
	}
	w.quals = append(w.quals, w.measured(r))
}

func (w *walker) tableFunction(m map[string]any) {
	f := Func{Offset: w.location(m["query_location"])}
	if fn, ok := m["function"].(map[string]any); ok {
		f.Name = str(fn["function_name"])
		f.Schema = str(fn["schema"])
		f.Catalog = str(fn["catalog"])
		if f.Offset < 0 {
			f.Offset = w.location(fn["query_location"])
		}
		w.functionFiles(fn)
	}
	w.funcs = append(w.funcs, f)
}

// location decodes a query_location: a byte offset, or 2^64-1 for none.
func (w *walker) location(v any) int {
	n, ok := v.(json.Number)
	if !ok {
		return -1
	}
	i, err := n.Int64()
	if err != nil || i < 0 || i > int64(len(w.src)) {
		return -1
	}
	return int(i)
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// result sorts the findings into text order and drops repeats of the same
// occurrence: DuckDB copies some expressions while parsing (the operand of
// CASE x WHEN ... is copied into each WHEN), so one subquery in the text can
// show up more than once in the tree. Located items go first, by offset;
// unlocated ones after them, by name.
func (w *walker) result() ([]Ref, []Func, []Ref) {
	slices.SortStableFunc(w.files, func(a, b File) int { return cmp.Compare(a.Offset, b.Offset) })
	w.files = slices.Compact(w.files)
	w.refs = SortRefs(w.refs)
	w.quals = SortRefs(w.quals)
	slices.SortStableFunc(w.funcs, func(a, b Func) int {
		return cmp.Or(cmpOffset(a.Offset, b.Offset),
			cmp.Compare(a.Catalog, b.Catalog), cmp.Compare(a.Schema, b.Schema),
			cmp.Compare(a.Name, b.Name))
	})
	w.funcs = slices.CompactFunc(w.funcs, func(a, b Func) bool { return a.Offset >= 0 && a == b })
	return w.refs, w.funcs, w.quals
}

// SortRefs sorts refs into text order (unlocated ones last, by name) and
// drops repeats of the same located occurrence.
func SortRefs(refs []Ref) []Ref {
	slices.SortStableFunc(refs, func(a, b Ref) int {
		return cmp.Or(cmpOffset(a.Offset, b.Offset),
			cmp.Compare(a.Catalog, b.Catalog), cmp.Compare(a.Schema, b.Schema),
			cmp.Compare(a.Name, b.Name), cmp.Compare(a.Alias, b.Alias))
	})
	return slices.CompactFunc(refs, func(a, b Ref) bool { return a.Offset >= 0 && a == b })
}

// cmpOffset orders offsets ascending with -1 (unknown) last.
func cmpOffset(a, b int) int {
	switch {
	case a == b:
		return 0
	case a < 0:
		return 1
	case b < 0:
		return -1
	}
	return cmp.Compare(a, b)
}
