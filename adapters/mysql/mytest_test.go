package mysql

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/tests/conformance"
)

// defaultTestDSN is the MariaDB the tests use unless WEIR_TEST_MYSQL_DSN
// names another: root without a password, database test.
const defaultTestDSN = "root@tcp(127.0.0.1:3306)/test"

// testDSN is the DSN of the server under test.
func testDSN() string {
	if dsn := os.Getenv("WEIR_TEST_MYSQL_DSN"); dsn != "" {
		return dsn
	}
	return defaultTestDSN
}

var (
	adminOnce sync.Once
	admin     *sql.DB
	adminErr  error
)

// adminDB is a connection pool of the tests' own, for setting up,
// watching and cleaning up what weir does. It skips the test when the
// server is unreachable, or fails it when WEIR_REQUIRE_MYSQL=1.
func adminDB(t testing.TB) *sql.DB {
	t.Helper()
	adminOnce.Do(func() {
		cfg, err := ParseDSN(testDSN(), false)
		if err != nil {
			adminErr = err
			return
		}
		admin, adminErr = sql.Open("mysql", cfg.FormatDSN())
		if adminErr == nil {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			adminErr = admin.PingContext(ctx)
		}
	})
	if adminErr != nil {
		msg := fmt.Sprintf("MySQL at %s is unreachable: %v", adapters.RedactedDSN(testDSN()), adminErr)
		if os.Getenv("WEIR_REQUIRE_MYSQL") == "1" {
			t.Fatal(msg + " (WEIR_REQUIRE_MYSQL=1)")
		}
		t.Skip(msg + "; set WEIR_TEST_MYSQL_DSN, or WEIR_REQUIRE_MYSQL=1 to fail instead")
	}
	return admin
}

// uniquePrefix returns a schema prefix no other test uses, and drops every
// database whose name starts with it when the test ends.
func uniquePrefix(t testing.TB) string {
	t.Helper()
	db := adminDB(t)
	b := make([]byte, 5)
	rand.Read(b)
	prefix := "wt_" + hex.EncodeToString(b) + "_"
	t.Cleanup(func() { dropDatabases(t, db, prefix) })
	return prefix
}

func dropDatabases(t testing.TB, db *sql.DB, prefix string) {
	ctx := context.Background()
	rows, err := db.QueryContext(ctx, `SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?`, prefix+"%")
	if err != nil {
		t.Errorf("cleanup: %v", err)
		return
	}
	var names []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		names = append(names, n)
	}
	rows.Close()
	for _, n := range names {
		if !strings.HasPrefix(n, prefix) {
			continue // LIKE reads _ as any character
		}
		if _, err := db.ExecContext(ctx, "DROP DATABASE "+Dialect{}.QuoteIdent(n)); err != nil {
			t.Errorf("cleanup: %v", err)
		}
	}
}

// running counts the statements running now, other than this one, whose
// text contains marker.
func running(ctx context.Context, marker string) (int, error) {
	var n int
	err := admin.QueryRowContext(ctx, `SELECT count(*) FROM information_schema.PROCESSLIST
WHERE ID <> CONNECTION_ID() AND COMMAND = 'Query' AND INSTR(INFO, ?) > 0`, marker).Scan(&n)
	return n, err
}

// harness runs weir tests on the server under test, each in databases of
// its own; ansiQuotes sets the targets' ansi_quotes.
func harness(ansiQuotes bool) conformance.Harness {
	h := conformance.Harness{
		Adapter: "mysql",
		Target: func(t testing.TB) map[string]string {
			attrs := map[string]string{"dsn": testDSN(), "schema_prefix": uniquePrefix(t)}
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
