package mysql

import (
	"context"
	"database/sql"
	"testing"

	"github.com/weir-sh/weir/internal/servertest"
	"github.com/weir-sh/weir/tests/conformance"
)

// server is the MariaDB the tests use unless WEIR_TEST_MYSQL_DSN names
// another: root without a password, database test.
var server = &servertest.Server{
	Name:       "MySQL",
	DSNEnv:     "WEIR_TEST_MYSQL_DSN",
	DefaultDSN: "root@tcp(127.0.0.1:3306)/test",
	RequireEnv: "WEIR_REQUIRE_MYSQL",
	Open: func(dsn string) (*sql.DB, error) {
		cfg, err := ParseDSN(dsn, false)
		if err != nil {
			return nil, err
		}
		return sql.Open("mysql", cfg.FormatDSN())
	},
	Schemas: `SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE CONCAT(?, '%')`,
	Drop:    func(name string) string { return "DROP DATABASE " + Dialect{}.QuoteIdent(name) },
}

// uniquePrefix returns a schema prefix no other test uses, and drops every
// database whose name starts with it when the test ends.
func uniquePrefix(t testing.TB) string {
	t.Helper()
	return server.UniquePrefix(t, "wt_")
}

// running counts the statements running now, other than this one, whose
// text contains marker.
func running(ctx context.Context, marker string) (int, error) {
	var n int
	err := server.DB().QueryRowContext(ctx, `SELECT count(*) FROM information_schema.PROCESSLIST
WHERE ID <> CONNECTION_ID() AND COMMAND = 'Query' AND INSTR(INFO, ?) > 0`, marker).Scan(&n)
	return n, err
}

// harness runs weir tests on the server under test, each in databases of
// its own; ansiQuotes sets the targets' ansi_quotes.
func harness(ansiQuotes bool) conformance.Harness {
	h := conformance.Harness{
		Adapter: "mysql",
		Target: func(t testing.TB) map[string]string {
			attrs := map[string]string{"dsn": server.DSN(), "schema_prefix": uniquePrefix(t)}
			if ansiQuotes {
				attrs["ansi_quotes"] = "true"
			}
			return attrs
		},
		Running:  running,
		Spelling: spelling,
	}
	if !ansiQuotes {
		h.Skip = doubleQuoted
	}
	return h
}

// spelling writes the suite's SQL for MySQL.
var spelling = conformance.Spelling{
	IntType: "SIGNED",
	Day:     func(expr string) string { return "CAST(DATE(" + expr + ") AS DATETIME)" },
	Series:  conformance.DigitSeries,
	Slow: func(marker string) string {
		// A count over a cross join of 10^12 rows; MySQL has no
		// generate_series, and a recursive CTE stops at 1000 rows in MySQL
		// and TiDB (cte_max_recursion_depth).
		return "SELECT count(*) AS " + marker + " FROM " + conformance.DigitSeries("a", "x", 10000) +
			" CROSS JOIN " + conformance.DigitSeries("b", "y", 10000) + " CROSS JOIN " + conformance.DigitSeries("c", "z", 10000)
	},
}

// doubleQuoted are the conformance tests that write identifiers in double
// quotes: they run with ansi_quotes = true (TestConformanceANSIQuotes).
var doubleQuoted = map[string]string{
	"QuotedIdentifiers": `writes identifiers in double quotes: runs with ansi_quotes = true in TestConformanceANSIQuotes`,
}
