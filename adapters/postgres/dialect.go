package postgres

import (
	"strings"

	"github.com/weir-sh/weir/adapters"
)

// Dialect is Postgres's SQL.
type Dialect struct{}

// Name is "postgres".
func (Dialect) Name() string { return "postgres" }

// QuoteIdent double-quotes an identifier; Postgres folds unquoted names to
// lower case, so weir always quotes the names it writes.
func (Dialect) QuoteIdent(s string) string { return adapters.ANSIQuote(s) }

// QuoteLiteral writes s as a string literal that means s whether
// standard_conforming_strings is on or off: a string holding a backslash
// is written as an escape string, E'…', with the backslash doubled, which
// both settings read alike; any other string is a standard literal.
func (Dialect) QuoteLiteral(s string) string {
	if !strings.Contains(s, `\`) {
		return adapters.StandardLiteral(s)
	}
	return "E" + adapters.StandardLiteral(strings.ReplaceAll(s, `\`, `\\`))
}

// CreateSchema creates a schema when missing.
func (Dialect) CreateSchema(s string) string {
	return "CREATE SCHEMA IF NOT EXISTS " + adapters.ANSIQuote(s)
}

// SupportsTransactionalDDL is true: Postgres rolls back CREATE, DROP and
// ALTER, which is what makes its swap atomic.
func (Dialect) SupportsTransactionalDDL() bool { return true }

// DropCascade is " CASCADE": a view holds on to the relations it reads,
// so a plain DROP of one fails. Postgres's SwapSteps records and recreates
// the dependent views that a CASCADE drops.
func (Dialect) DropCascade() string { return " CASCADE" }

// MaxIdentifierLength is 63: Postgres silently truncates longer names
// (NAMEDATALEN - 1).
func (Dialect) MaxIdentifierLength() int { return 63 }

// BatchesStatements marks Postgres as an adapters.Batcher: lib/pq sends a
// statement without parameters in the simple query protocol, which runs
// several statements in one round trip and reports the last one's count.
func (Dialect) BatchesStatements() {}

var _ adapters.Batcher = Dialect{}
