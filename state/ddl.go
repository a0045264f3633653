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
)

// spellTypes rewrites the column types of a CREATE TABLE of the state
// schema (or an ALTER TABLE … ADD COLUMN) for dialects that spell them otherwise (adapters.StateTyper);
// for the others it returns stmt as written. The migrations stay written
// once, in standard SQL.
func spellTypes(d adapters.Dialect, stmt string) string {
	st, ok := d.(adapters.StateTyper)
	if !ok {
		return stmt
	}
	keys := map[string]bool{}
	for _, m := range reInlineKey.FindAllStringSubmatch(stmt, -1) {
		keys[unquote(m[1])] = true
	}
	for _, m := range reKeyList.FindAllStringSubmatch(stmt, -1) {
		for _, k := range strings.Split(m[1], ",") {
			keys[strings.TrimSpace(k)] = true
		}
	}
	return reColumnType.ReplaceAllStringFunc(stmt, func(s string) string {
		m := reColumnType.FindStringSubmatch(s)
		return m[1] + m[2] + " " + st.StateType(m[3], keys[unquote(m[2])])
	})
}

func unquote(name string) string { return strings.Trim(name, "`\"") }
