package state

import (
	"regexp"
	"strings"

	"github.com/weir-sh/weir/adapters"
)

var (
	// reColumnType finds a column definition's standard type (in a
	// CREATE TABLE or an ALTER TABLE … ADD COLUMN).
	reColumnType = regexp.MustCompile("(?m)(^|[(,]\\s*|ADD COLUMN )([`\"]?\\w+[`\"]?) (VARCHAR|TIMESTAMP|BIGINT)\\b")
	// reInlineKey and reKeyList find the primary key's columns.
	reInlineKey = regexp.MustCompile("([`\"]?\\w+[`\"]?) \\w+ PRIMARY KEY")
	reKeyList   = regexp.MustCompile(`PRIMARY KEY \(([^)]*)\)`)
	// reIndex finds a CREATE INDEX on a state table: the text up to its
	// column list, the table, the columns.
	reIndex = regexp.MustCompile(`^(CREATE INDEX \w+ ON \{s\}\.(\w+) \()([^)]*)\)$`)
)

// spell is a migration's statement as dialect d writes it (spellTypes,
// spellIndex); "" when d leaves it out.
func spell(d adapters.Dialect, stmt string) string {
	return spellIndex(d, spellTypes(d, stmt))
}

// spellTypes rewrites the column types of a CREATE TABLE of the state
// schema (or an ALTER TABLE … ADD COLUMN) for dialects that spell them otherwise (adapters.StateTyper);
// for the others it returns stmt as written. The migrations stay written
// once, in standard SQL.
func spellTypes(d adapters.Dialect, stmt string) string {
	st, ok := d.(adapters.StateTyper)
	if !ok {
		return stmt
	}
	keys := primaryKey(stmt)
	return reColumnType.ReplaceAllStringFunc(stmt, func(s string) string {
		m := reColumnType.FindStringSubmatch(s)
		return m[1] + m[2] + " " + st.StateType(m[3], keys[unquote(m[2])])
	})
}

func unquote(name string) string { return strings.Trim(name, "`\"") }

// primaryKey is the set of columns in the primary key a CREATE TABLE
// declares.
func primaryKey(stmt string) map[string]bool {
	keys := map[string]bool{}
	for _, m := range reInlineKey.FindAllStringSubmatch(stmt, -1) {
		keys[unquote(m[1])] = true
	}
	for _, m := range reKeyList.FindAllStringSubmatch(stmt, -1) {
		for _, k := range strings.Split(m[1], ",") {
			keys[strings.TrimSpace(k)] = true
		}
	}
	return keys
}

// spellIndex rewrites a CREATE INDEX on a state table for dialects that
// index otherwise (adapters.StateIndexer): each column as the dialect
// lists it, or "" when the dialect leaves the index out. Any other
// statement, and every statement for other dialects, stays as written.
func spellIndex(d adapters.Dialect, stmt string) string {
	si, ok := d.(adapters.StateIndexer)
	m := reIndex.FindStringSubmatch(stmt)
	if !ok || m == nil {
		return stmt
	}
	cols := strings.Split(m[3], ",")
	for i, c := range cols {
		c = strings.TrimSpace(c)
		std, key := column(m[2], c)
		if cols[i] = si.StateIndexColumn(c, std, key); cols[i] == "" {
			return ""
		}
	}
	return m[1] + strings.Join(cols, ", ") + ")"
}

// column finds column col of state table table in the migrations: its
// standard type ("" when not VARCHAR, TIMESTAMP or BIGINT) and whether it
// is part of the table's primary key.
func column(table, col string) (std string, key bool) {
	for _, m := range migrations {
		for _, stmt := range m {
			if !strings.HasPrefix(stmt, "CREATE TABLE {s}."+table+" (") && !strings.HasPrefix(stmt, "ALTER TABLE {s}."+table+" ") {
				continue
			}
			for _, c := range reColumnType.FindAllStringSubmatch(stmt, -1) {
				if unquote(c[2]) == col {
					return c[3], primaryKey(stmt)[col]
				}
			}
		}
	}
	return "", false
}
