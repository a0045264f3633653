package duckdb_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/weir-sh/weir/adapters"
)

// TestSessionLeavesNothingBehind: what a session's statements leave on
// their connection, a transaction begun and not ended (a script failing
// between its BEGIN and COMMIT, or one without COMMIT) or a USE, does not
// reach the statements the adapter runs after it (an owner runs a build
// after a weir query --file on the same database): they commit, in the
// default schema, and what the unended transaction wrote is rolled back.
func TestSessionLeavesNothingBehind(t *testing.T) {
	ctx := context.Background()
	open := opener(t, filepath.Join(t.TempDir(), "w.duckdb"))
	a := open()
	if _, err := a.Exec(ctx, "CREATE SCHEMA elsewhere"); err != nil {
		t.Fatal(err)
	}
	a.Close()
	for _, script := range [][]string{
		{"BEGIN", "CREATE TABLE gone AS SELECT 1 AS x", "SELECT nope"},
		{"BEGIN", "CREATE TABLE gone AS SELECT 1 AS x"},
		{"USE elsewhere"},
	} {
		a := open()
		err := a.(adapters.Sessioner).Session(ctx, func(x adapters.Execer) error {
			for _, stmt := range script {
				if _, err := x.Exec(ctx, stmt); err != nil {
					return err
				}
			}
			return nil
		})
		if _, err := a.Exec(ctx, "CREATE TABLE kept AS SELECT 1 AS x"); err != nil {
			t.Errorf("after a session of %q (%v): CREATE TABLE kept: %v", script, err, err)
		}
		a.Close()

		a = open()
		rows, err := a.Query(ctx, "SELECT table_schema || '.' || table_name FROM information_schema.tables WHERE table_name IN ('kept', 'gone') ORDER BY 1")
		if err != nil {
			t.Fatal(err)
		}
		if len(rows.Values) != 1 || rows.Values[0][0] != "main.kept" {
			t.Errorf("after a session of %q and CREATE TABLE kept: tables %v, want [[main.kept]]", script, rows.Values)
		}
		if _, err := a.Exec(ctx, "DROP TABLE IF EXISTS main.kept; DROP TABLE IF EXISTS elsewhere.kept"); err != nil {
			t.Fatal(err)
		}
		a.Close()
	}
}
