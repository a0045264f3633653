package sqlparse

import (
	"cmp"
	"slices"
	"strconv"
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

// walker collects references from a parse tree.
type walker struct {
	d     *doc
	src   string // the text DuckDB parsed (maskSpaces of orig)
	orig  string // the text as written
	refs  []Ref
	funcs []Func
	quals []Ref
	files []File
}

// walk visits every value of the tree from v. Query nodes (objects with a
// cte_map) open a scope: each CTE's body sees the CTEs defined before it
// in the same WITH, the query's body sees them all, and a recursive CTE
// sees itself. A scope ends with its node, so a CTE defined in a subquery
// is not visible outside it.
func (w *walker) walk(v int, sc *scope) {
	switch {
	case w.d.is(v, jArray):
		for c := w.d.first(v); c >= 0; c = w.d.next(v, c) {
			w.walk(c, sc)
		}
	case w.d.is(v, jObject):
		w.walkObject(v, sc)
	}
}

// members walks every member of object v but skip, the one member
// child (if not -1) in scope childScope, the others in sc.
func (w *walker) members(v, skip, child int, sc, childScope *scope) {
	for c := w.d.first(v); c >= 0; c = w.d.next(v, c) {
		switch c {
		case skip:
		case child:
			w.walk(c, childScope)
		default:
			w.walk(c, sc)
		}
	}
}

func (w *walker) walkObject(m int, sc *scope) {
	d := w.d
	typ := d.str(d.get(m, "type"))
	if cm := d.get(m, "cte_map"); d.is(cm, jObject) {
		if typ == "RECURSIVE_CTE_NODE" {
			if name := d.str(d.get(m, "cte_name")); name != "" {
				sc = sc.with(name)
			}
		}
		if entries := d.get(cm, "map"); d.is(entries, jArray) {
			for e := d.first(entries); e >= 0; e = d.next(entries, e) {
				if !d.is(e, jObject) {
					continue
				}
				w.walk(d.get(e, "value"), sc)
				if name := d.str(d.get(e, "key")); name != "" {
					sc = sc.with(name)
				}
			}
		}
		w.members(m, cm, -1, sc, nil)
		return
	}
	switch typ {
	case "BASE_TABLE":
		if d.get(m, "table_name") >= 0 {
			w.baseTable(m, sc)
		}
	case "TABLE_FUNCTION":
		w.tableFunction(m)
	case "COLUMN_REF":
		w.columnRef(m)
	case "CTE_NODE":
		// Older DuckDB versions put a materialized CTE in a CTE_NODE:
		// its name is visible in child, not in its own query.
		if name := d.str(d.get(m, "ctename")); name != "" {
			w.members(m, -1, d.get(m, "child"), sc, sc.with(name))
			return
		}
	}
	w.members(m, -1, -1, sc, nil)
}

func (w *walker) baseTable(m int, sc *scope) {
	d := w.d
	r := Ref{
		Catalog: d.str(d.get(m, "catalog_name")),
		Schema:  d.str(d.get(m, "schema_name")),
		Name:    d.str(d.get(m, "table_name")),
		Alias:   d.str(d.get(m, "alias")),
		Offset:  w.location(d.get(m, "query_location")),
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
// The strings it keeps do not point into the JSON text.
func (w *walker) measured(r Ref) Ref {
	if r.Offset >= 0 {
		var parts [3]string
		r.Length, parts = measureName(w.src, w.orig, r.Offset, r.Catalog, r.Schema, r.Name)
		if r.Length > 0 {
			r.Catalog, r.Schema, r.Name = parts[0], parts[1], parts[2]
		}
	}
	if r.Length == 0 {
		r.Catalog, r.Schema, r.Name = strings.Clone(r.Catalog), strings.Clone(r.Schema), strings.Clone(r.Name)
	}
	r.Alias = strings.Clone(r.Alias)
	return r
}

// columnRef records the qualifier of a column named with its schema and
// table (column_names [schema, table, column] or [catalog, schema, table,
// column]).
func (w *walker) columnRef(m int) {
	d := w.d
	names := d.get(m, "column_names")
	if !d.is(names, jArray) {
		return
	}
	var parts [4]int
	n := 0
	for c := d.first(names); c >= 0; c = d.next(names, c) {
		if n == len(parts) {
			return
		}
		parts[n] = c
		n++
	}
	if n < 3 {
		return
	}
	r := Ref{Schema: d.str(parts[n-3]), Name: d.str(parts[n-2]), Offset: w.location(d.get(m, "query_location"))}
	if n == 4 {
		r.Catalog = d.str(parts[0])
	}
	w.quals = append(w.quals, w.measured(r))
}

func (w *walker) tableFunction(m int) {
	d := w.d
	f := Func{Offset: w.location(d.get(m, "query_location"))}
	if fn := d.get(m, "function"); d.is(fn, jObject) {
		f.Name = strings.Clone(d.str(d.get(fn, "function_name")))
		f.Schema = strings.Clone(d.str(d.get(fn, "schema")))
		f.Catalog = strings.Clone(d.str(d.get(fn, "catalog")))
		if f.Offset < 0 {
			f.Offset = w.location(d.get(fn, "query_location"))
		}
		w.functionFiles(fn)
	}
	w.funcs = append(w.funcs, f)
}

// location decodes a query_location: a byte offset, or 2^64-1 for none.
func (w *walker) location(v int) int {
	if !w.d.is(v, jNumber) {
		return -1
	}
	i, err := strconv.ParseInt(w.d.vals[v].text, 10, 64)
	if err != nil || i < 0 || i > int64(len(w.src)) {
		return -1
	}
	return int(i)
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
