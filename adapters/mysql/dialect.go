package mysql

import (
	"strings"

	"github.com/weir-sh/weir/adapters"
)

// Dialect is the SQL of MySQL, MariaDB and TiDB.
type Dialect struct {
	// ANSIQuotes is set by a target's ansi_quotes = true: its sessions run
	// with sql_mode ANSI_QUOTES, so "x" is an identifier, not a string.
	ANSIQuotes bool
}

// Name is "mysql".
func (Dialect) Name() string { return "mysql" }

// QuoteIdent backquotes an identifier, doubling a backquote inside. It is
// read alike with ANSI_QUOTES on or off.
func (Dialect) QuoteIdent(s string) string {
	return "`" + strings.ReplaceAll(s, "`", "``") + "`"
}

// literalEscaper escapes what MySQL's string syntax treats specially:
// the quote (doubled) and the backslash (doubled; weir's sessions never
// run with NO_BACKSLASH_ESCAPES, see ParseDSN).
var literalEscaper = strings.NewReplacer(`'`, `''`, `\`, `\\`)

// QuoteLiteral writes s as a single-quoted string literal.
func (Dialect) QuoteLiteral(s string) string { return "'" + literalEscaper.Replace(s) + "'" }

// CreateSchema creates the database that holds a schema's relations.
func (d Dialect) CreateSchema(s string) string {
	return "CREATE DATABASE IF NOT EXISTS " + d.QuoteIdent(s)
}

// SupportsTransactionalDDL is false: MySQL commits implicitly before and
// after CREATE, DROP, RENAME and ALTER (TEMPORARY tables aside).
func (Dialect) SupportsTransactionalDDL() bool { return false }

// DropCascade is "": a MySQL view names what it reads and is checked only
// when queried, so a DROP never needs CASCADE (and MySQL ignores it).
func (Dialect) DropCascade() string { return "" }

// MaxIdentifierLength is 64: MySQL refuses longer database, table and
// column names (it does not truncate them).
func (Dialect) MaxIdentifierLength() int { return 64 }

// OldName is the name a swap moves the replaced relation to before it
// drops it.
func OldName(name string) string { return "__weir_old_" + name }

// SwapSteps replace the relation at rel, of kind existing, with the
// relation of kind built created as adapters.TempName(rel.Name): one
// RENAME TABLE moves the old relation aside and the new one into place,
// atomically (readers see the old relation or the new, never none), then
// the old one is dropped. Views that read rel name it, so from the rename
// on they read the new relation. With nothing at rel (existing ""), the
// new relation is only renamed into place.
func (d Dialect) SwapSteps(rel adapters.Relation, existing, _ string) []adapters.Step {
	tmp, old := rel, rel
	tmp.Name, old.Name = adapters.TempName(rel.Name), OldName(rel.Name)
	q, qtmp, qold := adapters.QuoteRelation(d, rel), adapters.QuoteRelation(d, tmp), adapters.QuoteRelation(d, old)
	if existing == "" {
		return []adapters.Step{{SQL: "RENAME TABLE " + qtmp + " TO " + q}}
	}
	return []adapters.Step{
		// A crash between the rename and the drop leaves the old relation
		// aside: drop it before moving another there.
		{SQL: "DROP TABLE IF EXISTS " + qold},
		{SQL: "DROP VIEW IF EXISTS " + qold},
		{SQL: "RENAME TABLE " + q + " TO " + qold + ", " + qtmp + " TO " + q},
		{SQL: dropKind(existing) + " " + qold},
	}
}

func dropKind(kind string) string {
	if kind == adapters.KindView {
		return "DROP VIEW"
	}
	return "DROP TABLE"
}

var _ adapters.Swapper = Dialect{}

// StateType spells the column types of weir's state tables: a key VARCHAR
// as VARCHAR(380) (two of them in one key stay within InnoDB's 3072
// bytes in utf8mb4), any other as MEDIUMTEXT, and TIMESTAMP as
// DATETIME(6), which keeps microseconds and no time zone.
func (Dialect) StateType(std string, key bool) string {
	switch std {
	case "VARCHAR":
		if key {
			return "VARCHAR(380)"
		}
		return "MEDIUMTEXT"
	case "TIMESTAMP":
		return "DATETIME(6)"
	}
	return std
}

// StateIndexColumn lists a column of a state table in an index: a VARCHAR
// that is no key (a MEDIUMTEXT, see StateType) by its first 64
// characters, as a TEXT can be indexed only by a prefix; the state
// indexes name commands and run IDs, which are shorter.
func (Dialect) StateIndexColumn(col, std string, key bool) string {
	if std == "VARCHAR" && !key {
		return col + "(64)"
	}
	return col
}

// OnConflictUpdate is MySQL's ON DUPLICATE KEY UPDATE, which needs the
// table's primary key or a unique index on key.
func (d Dialect) OnConflictUpdate(_, cols []string) string {
	sets := make([]string, len(cols))
	for i, c := range cols {
		q := d.QuoteIdent(c)
		sets[i] = q + " = VALUES(" + q + ")"
	}
	return "ON DUPLICATE KEY UPDATE " + strings.Join(sets, ", ")
}

var (
	_ adapters.StateTyper   = Dialect{}
	_ adapters.StateIndexer = Dialect{}
	_ adapters.Upserter     = Dialect{}
)

// UsesANSIQuotes tells the compiler to parse the target's models with
// ANSI_QUOTES, as its sessions run.
func (d Dialect) UsesANSIQuotes() bool { return d.ANSIQuotes }
