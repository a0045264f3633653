package tidbparse

import (
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"

	"github.com/weir-sh/weir/compiler/sqlparse"
)

// tableName is one TableName of the AST, in visiting order.
type tableName struct {
	schema, name string
	alias        string // alias given in the SQL (t AS x), "" if none
	cte          bool   // names a CTE in scope: found in the text, not reported
}

// collector walks an AST for table names, with the CTE names in scope,
// and for column names qualified with a schema.
type collector struct {
	scopes     []map[string]bool // CTE names of each WITH being walked
	withs      []ast.Node        // the statements that opened them
	tables     []tableName
	qualifiers [][2]string // schema and table of db.t.col
	aliases    map[*ast.TableName]string
}

// Enter records names and opens a CTE scope at each WITH.
func (c *collector) Enter(n ast.Node) (ast.Node, bool) {
	switch x := n.(type) {
	case *ast.SelectStmt:
		c.openWith(n, x.With)
	case *ast.SetOprStmt:
		c.openWith(n, x.With)
	case *ast.TableSource:
		if tn, ok := x.Source.(*ast.TableName); ok && x.AsName.O != "" {
			if c.aliases == nil {
				c.aliases = map[*ast.TableName]string{}
			}
			c.aliases[tn] = x.AsName.O
		}
	case *ast.TableName:
		c.tables = append(c.tables, tableName{schema: x.Schema.O, name: x.Name.O, alias: c.aliases[x], cte: x.Schema.O == "" && c.inScope(x.Name.L)})
	case *ast.ColumnName:
		if x.Schema.O != "" {
			c.qualifiers = append(c.qualifiers, [2]string{x.Schema.O, x.Table.O})
		}
	}
	return n, false
}

// Leave closes the CTE scope n opened.
func (c *collector) Leave(n ast.Node) (ast.Node, bool) {
	if k := len(c.withs); k > 0 && c.withs[k-1] == n {
		c.withs, c.scopes = c.withs[:k-1], c.scopes[:k-1]
	}
	return n, true
}

// openWith brings w's CTE names into scope for statement n (all of them,
// for the CTEs' own bodies too: MySQL lets a CTE read those before it,
// and a RECURSIVE one itself).
func (c *collector) openWith(n ast.Node, w *ast.WithClause) {
	if w == nil {
		return
	}
	names := map[string]bool{}
	for _, cte := range w.CTEs {
		names[cte.Name.L] = true
	}
	c.scopes = append(c.scopes, names)
	c.withs = append(c.withs, n)
}

func (c *collector) inScope(lower string) bool {
	for _, s := range c.scopes {
		if s[lower] {
			return true
		}
	}
	return false
}

// tableKeywords are the words after which a table name stands.
var tableKeywords = map[string]bool{"FROM": true, "JOIN": true, "STRAIGHT_JOIN": true, "TABLE": true}

// clauseWords are the words that start a clause; a comma or parenthesis
// introduces a table only in a FROM clause.
var clauseWords = map[string]bool{
	"SELECT": true, "FROM": true, "WHERE": true, "GROUP": true, "HAVING": true, "ORDER": true,
	"LIMIT": true, "ON": true, "USING": true, "WINDOW": true, "UNION": true, "EXCEPT": true,
	"INTERSECT": true, "JOIN": true, "STRAIGHT_JOIN": true, "OVER": true, "PARTITION": true,
}

// tablePositions marks the tokens where a table name may start.
func tablePositions(toks []token) []bool {
	ok := make([]bool, len(toks))
	clause := []string{""}
	for i, t := range toks {
		if i > 0 {
			p := toks[i-1]
			switch {
			case p.kind == tokWord && tableKeywords[strings.ToUpper(p.name)]:
				ok[i] = true
			case p.kind == tokPunct && (p.name == "," || p.name == "(") && clause[len(clause)-1] == "FROM":
				ok[i] = true
			}
		}
		switch {
		case t.kind == tokPunct && t.name == "(":
			clause = append(clause, clause[len(clause)-1])
		case t.kind == tokPunct && t.name == ")" && len(clause) > 1:
			clause = clause[:len(clause)-1]
		case t.kind == tokWord && clauseWords[strings.ToUpper(t.name)]:
			w := strings.ToUpper(t.name)
			if w == "JOIN" || w == "STRAIGHT_JOIN" {
				w = "FROM"
			}
			clause[len(clause)-1] = w
		}
	}
	return ok
}

// locateTables finds each table name in the tokens, in order, and
// returns the references that are not CTEs. A name not found where a
// table may stand is looked for anywhere after the last one; one not
// found at all gets Offset -1 and Length 0 (the compiler refuses to
// rewrite it).
func locateTables(sql string, toks []token, names []tableName) []sqlparse.Ref {
	pos := tablePositions(toks)
	var refs []sqlparse.Ref
	next := 0
	for _, n := range names {
		start, end := find(toks, pos, next, n.schema, n.name, true)
		if start < 0 {
			start, end = find(toks, pos, next, n.schema, n.name, false)
		}
		if start >= 0 {
			next = end
		}
		if n.cte {
			continue
		}
		r := sqlparse.Ref{Schema: n.schema, Name: n.name, Alias: n.alias, Offset: -1}
		if start >= 0 {
			r.Offset, r.Length = toks[start].start, toks[end-1].end-toks[start].start
		}
		refs = append(refs, r)
	}
	return sqlparse.SortRefs(refs)
}

// find returns the token range [start, end) from index from on that
// spells schema.name (or name), not part of a longer dotted name, at a
// table position when strict; -1 when there is none.
func find(toks []token, pos []bool, from int, schema, name string, strict bool) (int, int) {
	parts := []string{name}
	if schema != "" {
		parts = []string{schema, name}
	}
	width := 2*len(parts) - 1
	for i := from; i+width <= len(toks); i++ {
		if strict && !pos[i] {
			continue
		}
		if i > 0 && isDot(toks[i-1]) {
			continue
		}
		if i+width < len(toks) && isDot(toks[i+width]) {
			continue
		}
		if spells(toks[i:i+width], parts) {
			return i, i + width
		}
	}
	return -1, -1
}

// spells reports whether toks are the dotted parts, adjacent (MySQL
// allows no space around the dot of a qualified name).
func spells(toks []token, parts []string) bool {
	for k, p := range parts {
		t := toks[2*k]
		if (t.kind != tokWord && t.kind != tokQuoted) || !sameName(t, p) {
			return false
		}
		if k > 0 && (!isDot(toks[2*k-1]) || toks[2*k-1].start != toks[2*k-2].end || t.start != toks[2*k-1].end) {
			return false
		}
	}
	return true
}

// sameName compares a token with a name as the AST keeps it: quoted
// names exactly, bare words case-insensitively (keywords used as names
// come back as written anyway).
func sameName(t token, name string) bool {
	if t.kind == tokQuoted {
		return t.name == name
	}
	return strings.EqualFold(t.name, name)
}

func isDot(t token) bool { return t.kind == tokPunct && t.name == "." }

// locateQualifiers finds the schema.table in front of each column of the
// form schema.table.column, in text order.
func locateQualifiers(toks []token, quals [][2]string) []sqlparse.Ref {
	want := map[[2]string]bool{}
	for _, q := range quals {
		want[[2]string{strings.ToLower(q[0]), strings.ToLower(q[1])}] = true
	}
	var refs []sqlparse.Ref
	for i := 0; i+4 < len(toks); i++ {
		if i > 0 && isDot(toks[i-1]) {
			continue
		}
		if !spells(toks[i:i+3], []string{toks[i].name, toks[i+2].name}) || !isDot(toks[i+3]) {
			continue
		}
		key := [2]string{strings.ToLower(toks[i].name), strings.ToLower(toks[i+2].name)}
		if !want[key] {
			continue
		}
		refs = append(refs, sqlparse.Ref{Schema: toks[i].name, Name: toks[i+2].name, Offset: toks[i].start, Length: toks[i+2].end - toks[i].start})
		i += 2
	}
	return refs
}
