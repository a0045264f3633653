package postgres

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/runner"
	"github.com/weir-sh/weir/tests/conformance"
)

// TestSeedTypesOnPostgres loads one column of each type DuckDB's sniffer
// infers and reads back the exact Postgres types and the values COPY
// stored. As on DuckDB, whole numbers are bigint and a number past 64 bits
// is a double.
func TestSeedTypesOnPostgres(t *testing.T) {
	p := newProject(t)
	p.Write("seeds/raw/typed.csv", `i,b,n,flag,d,d2,tm,ts,tz,txt,zip
1,3000000000,123456789012345678901234,yes,2024-01-02,2024/01/03,10:30,2024-01-02T03:04:05.5,2024-01-02 03:00:00+02, padded ,02134
-2,,-0.25,no,2024-02-29,2024/12/31,23:59:59,2024-01-02 03:04:05,2024-01-02T00:00:00Z,x,10001
`)
	p.MustBuild()
	cols, err := p.Adapter().(adapters.Cataloger).Columns(context.Background(), p.Relation("raw.typed"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cols {
		got = append(got, c.Name+" "+c.Type)
	}
	want := []string{"i bigint", "b bigint", "n double precision", "flag boolean", "d date", "d2 date", "tm time without time zone",
		"ts timestamp without time zone", "tz timestamp with time zone", "txt text", "zip text"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("columns:\n got %q\nwant %q", got, want)
	}
	rows := p.Strings(`SELECT i, b, n::text, flag, d, d2, tm::text, ts, tz AT TIME ZONE 'UTC', txt, zip FROM ` + p.Rel("raw.typed") + ` ORDER BY i DESC`)
	conformance.EqualRows(t, "raw.typed", rows, [][]string{
		{"1", "3000000000", "1.2345678901234569e+23", "true", "2024-01-02", "2024-01-03", "10:30:00", "2024-01-02 03:04:05.5", "2024-01-02 01:00:00", " padded ", "02134"},
		{"-2", "NULL", "-0.25", "false", "2024-02-29", "2024-12-31", "23:59:59", "2024-01-02 03:04:05", "2024-01-02 00:00:00", "x", "10001"},
	})
}

// TestSeedBadValuePointsAtLine overrides a column's type with one a value
// does not fit: the seed fails with the file and line of that value (past
// a record that spans two lines), and nothing is left behind.
func TestSeedBadValuePointsAtLine(t *testing.T) {
	p := newProject(t)
	p.SetConfig(`seed "raw.bad" {
  column_types = { n = "integer" }
}
`)
	p.Write("seeds/raw/bad.csv", "note,n\n\"two\nlines\",1\nok,2\noops,three\n")
	res, err := p.Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r := conformance.Result(t, res, "raw.bad")
	if r.Status != runner.StatusError {
		t.Fatalf("status %s, want error", r.Status)
	}
	for _, want := range []string{"bad.csv:5", `column n: "three"`, "invalid input syntax for type integer"} {
		if !strings.Contains(r.Message, want) {
			t.Errorf("message %q does not contain %q", r.Message, want)
		}
	}
	if kind := p.Kind("raw.bad"); kind != "" {
		t.Errorf("the failed seed left a %s", kind)
	}
}

// TestSeedUnknownColumnType names a column the file lacks in column_types.
func TestSeedUnknownColumnType(t *testing.T) {
	p := newProject(t)
	p.SetConfig(`seed "raw.s" {
  column_types = { nope = "integer" }
}
`)
	p.Write("seeds/raw/s.csv", "a,b\n1,2\n")
	res, err := p.Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if r := conformance.Result(t, res, "raw.s"); r.Status != runner.StatusError || !strings.Contains(r.Message, `"nope"`) || !strings.Contains(r.Message, "a, b") {
		t.Errorf("got %s %q; want an error naming nope and the file's columns", r.Status, r.Message)
	}
}

// TestLoadCSVOutsideTransaction calls LoadCSV with the adapter itself, not
// a transaction: it opens one of its own for COPY.
func TestLoadCSVOutsideTransaction(t *testing.T) {
	p := newProject(t)
	p.Write("seeds/raw/s.csv", "a,b\n1,x\n2,y\n")
	p.Compile()
	rel := p.Relation("raw.s")
	a := p.Adapter()
	p.Exec(a.Dialect().CreateSchema(rel.Schema))
	n, err := a.(adapters.SeedLoader).LoadCSV(context.Background(), a, rel, p.Dir+"/seeds/raw/s.csv", nil)
	if err != nil || n != 2 {
		t.Fatalf("LoadCSV: %d rows, %v", n, err)
	}
	conformance.EqualRows(t, "raw.s", p.Strings("SELECT a, b FROM "+p.Rel("raw.s")+" ORDER BY a"), conformance.Rows("1|x", "2|y"))
}

// TestSeedTypesMatchDuckDB loads the same seed on DuckDB and on Postgres:
// every column has the Postgres type of its DuckDB type.
func TestSeedTypesMatchDuckDB(t *testing.T) {
	pg := newProject(t)
	duck := conformance.NewProject(t, conformance.Harness{Adapter: "duckdb",
		Target: func(t testing.TB) map[string]string { return map[string]string{"path": ":memory:"} }})
	for _, p := range []*conformance.Project{pg, duck} {
		p.Write("seeds/raw/kinds.csv", conformance.SniffedTypesCSV)
		p.MustBuild()
	}
	ctx := context.Background()
	pgCols, err := pg.Adapter().(adapters.Cataloger).Columns(ctx, pg.Relation("raw.kinds"))
	if err != nil {
		t.Fatal(err)
	}
	duckCols, err := duck.Adapter().(adapters.Cataloger).Columns(ctx, duck.Relation("raw.kinds"))
	if err != nil {
		t.Fatal(err)
	}
	spelled := strings.NewReplacer("timestamp without time zone", "timestamp", "timestamp with time zone", "timestamptz", "time without time zone", "time")
	var got, want []string
	for _, c := range pgCols {
		got = append(got, c.Name+" "+spelled.Replace(c.Type))
	}
	for _, c := range duckCols {
		want = append(want, c.Name+" "+PostgresType(c.Type))
	}
	if !reflect.DeepEqual(got, want) || len(got) != 8 {
		t.Errorf("Postgres columns %q, want DuckDB's %q", got, want)
	}
}
