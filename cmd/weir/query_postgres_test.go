package main

import (
	"fmt"
	"strings"
	"testing"
)

// TestQueryScriptPostgres: weir query --file on Postgres sends the script
// as one text, which the server runs as one transaction. When its third
// statement of four fails, nothing of it stays applied (not even the
// CREATE SCHEMA and INSERT before it) and the error names the statement
// and the line the server points at; an error without a place (a division
// by zero) says the same of the whole script; a script with a COMMIT of
// its own keeps what that COMMIT ended, and the error says so. A script
// that succeeds prints its last statement's rows.
func TestQueryScriptPostgres(t *testing.T) {
	db, prefix := openTestPostgres(t, "wq_")
	schema := prefix + "s"
	dir := writeProject(t, map[string]string{
		"weir.hcl": fmt.Sprintf("name = \"q\"\ntarget \"pg\" {\n  adapter = \"postgres\"\n  dsn = %q\n}\n", testPostgresDSN()),
		"setup.sql": "CREATE SCHEMA " + schema + ";\nCREATE TABLE " + schema + ".t (x int);\n-- the third; fails\nINSERT INTO " + schema + ".t\nVALUES (oops);\n" +
			"CREATE TABLE " + schema + ".never (x int);\n",
		"zero.sql":   "CREATE SCHEMA " + schema + ";\nSELECT 1 / 0;\n",
		"commit.sql": "BEGIN;\nCREATE SCHEMA " + schema + ";\nCOMMIT;\nCREATE TABLE " + schema + ".t (x int);\nSELECT 1 / 0;\n",
		"ok.sql":     "CREATE SCHEMA " + schema + ";\nCREATE TABLE " + schema + ".t AS SELECT 'a;b' AS s;\nSELECT s FROM " + schema + ".t;\n",
	})
	schemas := func() int {
		t.Helper()
		var n int
		if err := db.QueryRow("SELECT count(*) FROM pg_namespace WHERE nspname = $1", schema).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	// fails runs the script file, which must fail with the error want
	// and leave its schema behind or not.
	fails := func(file, want string, schemaLeft int) {
		t.Helper()
		out, err := weirProcess(dir, "query", "--file", file).CombinedOutput()
		if err == nil || !strings.Contains(string(out), "Error: "+file+want) {
			t.Errorf("%s (err %v) printed\n%s\nwant %q", file, err, out, "Error: "+file+want)
		}
		if n := schemas(); n != schemaLeft {
			t.Errorf("after %s: %d schemas named %s, want %d", file, n, schema, schemaLeft)
		}
	}
	fails("setup.sql", `:5: statement 3 of 4 failed (the script runs as one transaction: none of it stays applied): pq: column "oops" does not exist`, 0)
	fails("zero.sql", ": one of its 2 statements failed (the script runs as one transaction: none of it stays applied): pq: division by zero", 0)
	fails("commit.sql", ": one of its 5 statements failed (the script runs as one transaction but for its own: what a COMMIT before the failing statement ended stays applied, the rest does not): pq: division by zero", 1)
	var tables int
	db.QueryRow("SELECT count(*) FROM pg_tables WHERE schemaname = $1", schema).Scan(&tables)
	if tables != 0 {
		t.Errorf("after commit.sql: %d tables, want none (the CREATE TABLE after the COMMIT is undone)", tables)
	}
	if _, err := db.Exec("DROP SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}

	out, err := weirProcess(dir, "query", "--file", "ok.sql", "--format", "csv").CombinedOutput()
	if err != nil || !strings.HasSuffix(string(out), "s\na;b\n") || schemas() != 1 {
		t.Errorf("a script that succeeds: %v\n%s", err, out)
	}
}
