package diff

import (
	"fmt"
	"strings"

	"github.com/weir-sh/weir/adapters"
)

// query holds what the SQL of one comparison is written from.
type query struct {
	d          adapters.Dialect
	base, head string   // quoted relations
	key        []string // key columns, in both relations; empty compares whole rows
	cols       []string // the other columns in both relations, compared
	cast       map[string]bool
}

// expr is column c as compared: retyped columns as text.
func (q *query) expr(alias, c string) string {
	e := q.d.QuoteIdent(c)
	if alias != "" {
		e = alias + "." + e
	}
	if q.cast[c] {
		return "CAST(" + e + " AS VARCHAR)"
	}
	return e
}

// list is the compared columns (key first), each through expr, aliased.
func (q *query) list(alias string) string {
	var out []string
	for _, c := range append(append([]string(nil), q.key...), q.cols...) {
		out = append(out, q.expr(alias, c)+" AS "+q.d.QuoteIdent(c))
	}
	return strings.Join(out, ", ")
}

// countsSQL counts the rows of both relations.
func (q *query) countsSQL() string {
	return fmt.Sprintf("SELECT (SELECT count(*) FROM %s) AS base_rows, (SELECT count(*) FROM %s) AS head_rows", q.base, q.head)
}

// on is the join of b and h on the key.
func (q *query) on() string {
	var out []string
	for _, k := range q.key {
		out = append(out, q.expr("b", k)+" = "+q.expr("h", k))
	}
	return strings.Join(out, " AND ")
}

// differs is true for a joined pair whose compared columns differ.
func (q *query) differs() string {
	if len(q.cols) == 0 {
		return "FALSE"
	}
	var out []string
	for _, c := range q.cols {
		out = append(out, q.expr("b", c)+" IS DISTINCT FROM "+q.expr("h", c))
	}
	return "(" + strings.Join(out, " OR ") + ")"
}

// keyedCountsSQL counts rows added, removed and changed by key with one
// full outer join.
func (q *query) keyedCountsSQL() string {
	return fmt.Sprintf(`WITH b AS (SELECT *, 1 AS __weir_in FROM %s), h AS (SELECT *, 1 AS __weir_in FROM %s)
SELECT count(*) FILTER (WHERE b.__weir_in IS NULL) AS added,
  count(*) FILTER (WHERE h.__weir_in IS NULL) AS removed,
  count(*) FILTER (WHERE b.__weir_in = 1 AND h.__weir_in = 1 AND %s) AS changed
FROM b FULL OUTER JOIN h ON %s`, q.base, q.head, q.differs(), q.on())
}

// orderBy orders samples by the key, or by every compared column.
func (q *query) orderBy(alias string) string {
	cols := q.key
	if len(cols) == 0 {
		cols = q.cols
	}
	var out []string
	for _, c := range cols {
		out = append(out, q.expr(alias, c))
	}
	return strings.Join(out, ", ")
}

// onlyInSQL samples the rows of from whose key is not in other, whole.
func (q *query) onlyInSQL(from, other string, limit int) string {
	return fmt.Sprintf("SELECT h.* FROM %s AS h WHERE NOT EXISTS (SELECT 1 FROM %s AS b WHERE %s) ORDER BY %s LIMIT %d",
		from, other, q.on(), q.orderBy("h"), limit)
}

// changedSQL samples the pairs of rows with one key whose other columns
// differ: the key, then each compared column from base and from head.
func (q *query) changedSQL(limit int) string {
	sel := make([]string, 0, len(q.key)+2*len(q.cols))
	for _, k := range q.key {
		sel = append(sel, "h."+q.d.QuoteIdent(k))
	}
	for _, c := range q.cols {
		sel = append(sel, "b."+q.d.QuoteIdent(c), "h."+q.d.QuoteIdent(c))
	}
	return fmt.Sprintf("SELECT %s FROM %s AS b JOIN %s AS h ON %s WHERE %s ORDER BY %s LIMIT %d",
		strings.Join(sel, ", "), q.base, q.head, q.on(), q.differs(), q.orderBy("h"), limit)
}

// exceptSQL is the rows of from not in other, counted with their
// duplicates (EXCEPT ALL), compared on every common column.
func (q *query) exceptSQL(from, other string) string {
	return fmt.Sprintf("SELECT %s FROM %s EXCEPT ALL SELECT %s FROM %s", q.list(""), from, q.list(""), other)
}

// unkeyedCountsSQL counts the rows only in head (added) and only in base
// (removed).
func (q *query) unkeyedCountsSQL() string {
	return fmt.Sprintf("SELECT (SELECT count(*) FROM (%s) AS d) AS added, (SELECT count(*) FROM (%s) AS d) AS removed",
		q.exceptSQL(q.head, q.base), q.exceptSQL(q.base, q.head))
}

// unkeyedSampleSQL samples the rows of from not in other.
func (q *query) unkeyedSampleSQL(from, other string, limit int) string {
	n := len(q.cols)
	ord := make([]string, n)
	for i := range ord {
		ord[i] = fmt.Sprint(i + 1)
	}
	return fmt.Sprintf("SELECT * FROM (%s) AS d ORDER BY %s LIMIT %d", q.exceptSQL(from, other), strings.Join(ord, ", "), limit)
}
