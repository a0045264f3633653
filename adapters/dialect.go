package adapters

import "strings"

// Dialect is the SQL a warehouse speaks, as far as weir writes SQL itself.
type Dialect interface {
	// Name is the adapter name, e.g. "duckdb".
	Name() string
	// QuoteIdent quotes one identifier.
	QuoteIdent(s string) string
	// CreateSchema is a statement that creates schema s if it is missing.
	CreateSchema(schema string) string
	// SupportsTransactionalDDL reports whether CREATE/DROP/RENAME roll back.
	SupportsTransactionalDDL() bool
	// DropCascade is appended to DROP statements (" CASCADE" on Postgres,
	// where views depend on what they read; "" elsewhere).
	DropCascade() string
	// MaxIdentifierLength is the longest identifier in bytes the warehouse
	// keeps whole (Postgres truncates past 63); 0 means no limit.
	MaxIdentifierLength() int
}

// QuoteRelation quotes a relation's parts with d.
func QuoteRelation(d Dialect, r Relation) string {
	parts := make([]string, 0, 3)
	if r.Database != "" {
		parts = append(parts, d.QuoteIdent(r.Database))
	}
	parts = append(parts, d.QuoteIdent(r.Schema), d.QuoteIdent(r.Name))
	return strings.Join(parts, ".")
}

// ANSIQuote quotes an identifier with double quotes, doubling any inside.
// DuckDB and Postgres both use it.
func ANSIQuote(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// QuoteString writes s as a single-quoted SQL string literal.
func QuoteString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
