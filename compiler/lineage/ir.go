package lineage

// The intermediate form of a parsed model: the parts of DuckDB's parse
// tree that lineage needs, independent of any catalog, so it can be
// cached by the SQL's hash and bound to column lists later. Fields are
// exported for encoding/gob only.

// query is a query node: a SELECT, a set operation or a recursive CTE.
type query struct {
	CTEs []cte
	// Select node.
	Items   []item
	From    *from
	Filters []expr // WHERE, GROUP BY, HAVING, QUALIFY
	// Set operation (SetOp "UNION", "EXCEPT", "INTERSECT", "UNION_BY_NAME")
	// or recursive CTE (SetOp "RECURSIVE"): Left and Right.
	SetOp       string
	Left, Right *query
}

// cte is one common table expression.
type cte struct {
	Name    string
	Aliases []string // WITH c(a, b) AS (...)
	Query   *query
}

// item is one entry of a select list.
type item struct {
	Alias  string
	Expr   expr
	Star   *star // set for *, t.*, COLUMNS(...)
	Offset int   // of the expression, -1 if unknown
}

// star is *, t.*, with its EXCLUDE and REPLACE lists.
type star struct {
	Relation string // t in t.*; "" for all
	Exclude  []qualifiedName
	Replace  []replacement
	// Columns marks COLUMNS(...) and other forms lineage does not
	// expand.
	Columns bool
	Offset  int
}

// qualifiedName is a column name with an optional table qualifier.
type qualifiedName struct{ Table, Column string }

// replacement is one entry of * REPLACE (expr AS name).
type replacement struct {
	Name string
	Expr expr
}

// expr summarizes an expression: the column references in it with the
// kind each contributes, and the subqueries in it.
type expr struct {
	// Direct marks a bare column reference (its only Ref).
	Direct bool
	Refs   []colRef
	Subs   []subquery
	// Name is the column name DuckDB gives the expression when it has no
	// alias: the column of a bare reference, "" otherwise (lineage does
	// not rebuild DuckDB's text for expressions).
	Name string
}

// colRef is one column reference in an expression.
type colRef struct {
	Names  []string // as written: [col], [t, col], [schema, t, col], ...
	Kind   Kind
	Offset int // byte offset in the SQL, -1 if unknown
}

// subquery is a subquery inside an expression. Scalar subqueries give
// their first column; EXISTS and IN subqueries only filter (Filter).
type subquery struct {
	Query  *query
	Kind   Kind
	Filter bool
}

// fromKind tells the forms of a FROM item apart.
type fromKind uint8

const (
	fromEmpty fromKind = iota
	fromBase
	fromJoin
	fromSubquery
	fromValues
	fromOpaque // table functions, PIVOT: columns unknown
)

// from is a FROM item.
type from struct {
	Kind    fromKind
	Alias   string
	Aliases []string // column aliases: t AS x(a, b)
	// Base table.
	Catalog, Schema, Name string
	Offset                int
	// Join.
	Left, Right *from
	Using       []string
	Natural     bool
	Cond        expr
	// Subquery.
	Query *query
	// Values: the number of columns; opaque: what it is.
	Width int
	What  string
}
