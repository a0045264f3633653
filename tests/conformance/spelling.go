package conformance

import (
	"fmt"
	"strings"
)

// Spelling is how a warehouse writes the few things the suite's SQL needs
// that warehouses spell differently. Its zero value is DuckDB's and
// Postgres's SQL.
type Spelling struct {
	// IntType is the type CAST converts to an integer ("INTEGER" when
	// empty; MySQL: "SIGNED").
	IntType string
	// Day truncates a timestamp expression to its day, as a timestamp
	// (CAST(date_trunc('day', expr) AS TIMESTAMP) when nil).
	Day func(expr string) string
	// Series is a FROM item named alias with one integer column col
	// holding 1 to n (generate_series when nil).
	Series func(alias, col string, n int) string
	// Slow is a query that runs for minutes, its one column named marker
	// (SlowSQL when nil).
	Slow func(marker string) string
}

func (h Harness) intType() string {
	if h.Spelling.IntType != "" {
		return h.Spelling.IntType
	}
	return "INTEGER"
}

func (h Harness) day(expr string) string {
	if h.Spelling.Day != nil {
		return h.Spelling.Day(expr)
	}
	return "CAST(date_trunc('day', " + expr + ") AS TIMESTAMP)"
}

func (h Harness) series(alias, col string, n int) string {
	if h.Spelling.Series != nil {
		return h.Spelling.Series(alias, col, n)
	}
	return fmt.Sprintf("generate_series(1, %d) AS %s(%s)", n, alias, col)
}

func (h Harness) slow(marker string) string {
	if h.Spelling.Slow != nil {
		return h.Spelling.Slow(marker)
	}
	return SlowSQL(marker)
}

// Table writes rows (each value as SQL) as a derived table named alias
// with the given columns, in SQL every warehouse reads: a UNION ALL of
// SELECTs (MySQL and TiDB have no VALUES with a column list).
func Table(alias string, cols []string, rows ...[]string) string {
	selects := make([]string, len(rows))
	for i, r := range rows {
		vals := make([]string, len(r))
		for j, v := range r {
			vals[j] = v
			if i == 0 {
				vals[j] += " AS " + cols[j]
			}
		}
		selects[i] = "SELECT " + strings.Join(vals, ", ")
	}
	return "(" + strings.Join(selects, " UNION ALL ") + ") AS " + alias
}

// DigitSeries is Spelling.Series for warehouses without generate_series:
// the numbers 1 to n from cross joined digits (the leading one only as
// far as n needs), so it reads few more rows than n.
func DigitSeries(alias, col string, n int) string {
	var from, sum []string
	for k, p := 0, 1; p < n || k == 0; k, p = k+1, p*10 {
		top := 10
		if p*10 >= n {
			top = (n + p - 1) / p // the leading digit
		}
		from = append(from, fmt.Sprintf("%s AS d%d", digits(top), k))
		sum = append(sum, fmt.Sprintf("%d * d%d.d", p, k))
	}
	expr := strings.Join(sum, " + ")
	return fmt.Sprintf("(SELECT %s + 1 AS %s FROM %s WHERE %s < %d) AS %s", expr, col, strings.Join(from, " CROSS JOIN "), expr, n, alias)
}

// digits is a derived table of the numbers 0 to n-1 in column d.
func digits(n int) string {
	sel := make([]string, n)
	for i := range sel {
		sel[i] = fmt.Sprintf("SELECT %d", i)
	}
	sel[0] += " AS d"
	return "(" + strings.Join(sel, " UNION ALL ") + ")"
}
