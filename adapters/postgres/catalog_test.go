package postgres

import (
	"context"
	"reflect"
	"testing"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/models"
)

// openTest opens the adapter on the Postgres under test.
func openTest(t testing.TB, threads int) *Adapter {
	t.Helper()
	server.Admin(t)
	a, err := Open(&models.Target{Name: "test", Adapter: "postgres", DSN: server.DSN(), Threads: threads}, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a.(*Adapter)
}

func mustExec(t testing.TB, a adapters.Adapter, sql string) {
	t.Helper()
	if _, err := a.Exec(context.Background(), sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// TestRelationsAndColumns reads each kind of relation from the catalog:
// tables (plain and partitioned) are tables, views and materialized views
// are views, and names keep their case and spaces.
func TestRelationsAndColumns(t *testing.T) {
	a := openTest(t, 1)
	schema := uniquePrefix(t) + "Cat Log"
	q := quoteIdent(schema)
	for _, s := range []string{
		"CREATE SCHEMA " + q,
		"CREATE TABLE " + q + `."Plain T" (id integer, "Name" text, amount numeric(10,2))`,
		"CREATE TABLE " + q + ".parted (id int, day date) PARTITION BY RANGE (day)",
		"CREATE TABLE " + q + ".parted_2024 PARTITION OF " + q + ".parted FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
		"CREATE VIEW " + q + `.v AS SELECT id FROM ` + q + `."Plain T"`,
		"CREATE MATERIALIZED VIEW " + q + `.mv AS SELECT count(*) AS n FROM ` + q + `."Plain T"`,
		"CREATE INDEX ON " + q + `."Plain T" (id)`,
		"CREATE SEQUENCE " + q + ".seq",
	} {
		mustExec(t, a, s)
	}
	rels, err := a.Relations(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range rels {
		if r.Schema == schema {
			got[r.Name] = r.Kind
		}
		if r.Schema == "pg_catalog" || r.Schema == "information_schema" {
			t.Errorf("system relation listed: %s", r.Relation)
		}
	}
	want := map[string]string{"Plain T": "table", "parted": "table", "parted_2024": "table", "v": "view", "mv": "view"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("relations:\n got %v\nwant %v", got, want)
	}
	cols, err := a.Columns(context.Background(), adapters.Relation{Schema: schema, Name: "Plain T"})
	if err != nil {
		t.Fatal(err)
	}
	wantCols := []adapters.ColumnInfo{{Name: "id", Type: "integer"}, {Name: "Name", Type: "text"}, {Name: "amount", Type: "numeric(10,2)"}}
	if !reflect.DeepEqual(cols, wantCols) {
		t.Errorf("columns: got %v, want %v", cols, wantCols)
	}
	cols, err = a.Columns(context.Background(), adapters.Relation{Schema: schema, Name: "missing"})
	if err != nil || len(cols) != 0 {
		t.Errorf("columns of a missing relation: %v, %v", cols, err)
	}
}
