package adapters

import "strings"

// Dialect is the SQL a warehouse speaks, as far as weir writes SQL itself.
type Dialect interface {
	// Name is the adapter name, e.g. "duckdb".
	Name() string
	// QuoteIdent quotes one identifier.
	QuoteIdent(s string) string
	// QuoteLiteral writes s as a string literal that the warehouse reads
	// back as exactly s, whatever its settings (Postgres with
	// standard_conforming_strings off treats a backslash in '…' as an
	// escape). Every literal weir writes goes through it.
	QuoteLiteral(s string) string
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

// StandardLiteral writes s as a standard SQL string literal: single
// quotes, a quote inside doubled. It is the literal of warehouses where a
// backslash in a string is always itself (DuckDB); a dialect whose strings
// may treat it as an escape writes its own (see postgres.Dialect).
func StandardLiteral(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// StateTyper is implemented by dialects that spell the column types of
// weir's own state tables otherwise than standard SQL does (MySQL: a
// VARCHAR needs a length, a TEXT cannot be a key, TIMESTAMP is a local
// time from 1970 to 2038). std is VARCHAR, TIMESTAMP or BIGINT; key says
// the column is part of the table's primary key.
type StateTyper interface {
	StateType(std string, key bool) string
}

// StateIndexer is implemented by dialects that index weir's state tables
// otherwise than standard SQL does.
type StateIndexer interface {
	// StateIndexColumn is how a CREATE INDEX on a state table lists
	// column col, of standard type std and part of its table's primary
	// key or not (as for StateType): MySQL indexes a TEXT by a prefix.
	// "" leaves the index out, where it would cost more than it saves
	// (DuckDB).
	StateIndexColumn(col, std string, key bool) string
}

// Upserter is implemented by dialects without INSERT … ON CONFLICT.
type Upserter interface {
	// OnConflictUpdate is the clause after an INSERT's rows that updates
	// cols of a row whose key exists already.
	OnConflictUpdate(key, cols []string) string
}

// OnConflictUpdate is the clause after an INSERT's rows that updates cols
// (quoted with d) of a row whose key exists already: d's own when it is
// an Upserter, standard SQL's ON CONFLICT … DO UPDATE otherwise.
func OnConflictUpdate(d Dialect, key, cols []string) string {
	if u, ok := d.(Upserter); ok {
		return u.OnConflictUpdate(key, cols)
	}
	sets := make([]string, len(cols))
	for i, c := range cols {
		q := d.QuoteIdent(c)
		sets[i] = q + " = excluded." + q
	}
	return "ON CONFLICT (" + QuoteAll(d, key) + ") DO UPDATE SET " + strings.Join(sets, ", ")
}

// Caster is implemented by dialects whose CAST takes other type names
// than their columns are declared with (MySQL casts to SIGNED, CHAR,
// DATETIME, …, not to BIGINT or TEXT).
type Caster interface {
	CastType(t string) string
}

// CastType is the type to write in CAST(… AS type) for a column of type
// t: d's own spelling when it is a Caster, t otherwise.
func CastType(d Dialect, t string) string {
	if c, ok := d.(Caster); ok {
		return c.CastType(t)
	}
	return t
}
