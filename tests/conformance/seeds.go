package conformance

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/weir-sh/weir/runner"
)

// awkwardCSV has quoted fields with commas, quotes and newlines inside,
// unicode, values of every inferred type, and a row of empty fields.
const awkwardCSV = `id,name,amount,flag,day,at,note
1,"Smith, Jane",12.50,true,2024-01-02,2024-01-02 03:04:05,"She said ""hi"""
2,Ünïcødé ☃ 日本,0.5,false,2024-02-29,2024-02-29T23:59:59,"line one
line two"
3,,,,,,
`

// testSeedsAwkward loads awkwardCSV and checks every value and the kind of
// every column.
func testSeedsAwkward(t *testing.T, h Harness) {
	p := NewProject(t, h)
	p.Write("seeds/raw/awkward.csv", awkwardCSV)
	res := p.MustBuild()
	if r := Result(t, res, "raw.awkward"); r.Rows != 3 {
		t.Errorf("raw.awkward reported %d rows, want 3", r.Rows)
	}
	wantCols := []string{"id:int", "name:text", "amount:numeric", "flag:bool", "day:date", "at:timestamp", "note:text"}
	if got := p.Columns("raw.awkward"); !reflect.DeepEqual(got, wantCols) {
		t.Errorf("raw.awkward columns:\n got %v\nwant %v", got, wantCols)
	}
	got := p.Strings(`SELECT id, name, amount, CASE WHEN flag THEN 'true' WHEN NOT flag THEN 'false' END, day, ` + p.Ident("at") + `, note FROM ` + p.Rel("raw.awkward") + ` ORDER BY id`)
	EqualRows(t, "raw.awkward", got, [][]string{
		{"1", "Smith, Jane", "12.5", "true", "2024-01-02", "2024-01-02 03:04:05", `She said "hi"`},
		{"2", "Ünïcødé ☃ 日本", "0.5", "false", "2024-02-29", "2024-02-29 23:59:59", "line one\nline two"},
		{"3", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL"},
	})
	// Empty fields are NULL, not empty strings.
	EqualRows(t, "NULL count", p.Strings(`SELECT count(*) FROM `+p.Rel("raw.awkward")+` WHERE name IS NULL AND note IS NULL`), Rows("1"))
}

// testSeedHeaderOnly loads a CSV with a header and no rows: an empty
// table with the header's columns.
func testSeedHeaderOnly(t *testing.T, h Harness) {
	p := NewProject(t, h)
	p.Write("seeds/raw/empty.csv", "a,b,\"Quoted Col\"\n")
	res := p.MustBuild()
	if r := Result(t, res, "raw.empty"); r.Rows != 0 {
		t.Errorf("raw.empty reported %d rows, want 0", r.Rows)
	}
	if got, want := p.Columns("raw.empty"), []string{"a:text", "b:text", "Quoted Col:text"}; !reflect.DeepEqual(got, want) {
		t.Errorf("raw.empty columns: got %v, want %v", got, want)
	}
	EqualRows(t, "count", p.Strings("SELECT count(*) FROM "+p.Rel("raw.empty")), Rows("0"))
}

// testSeedColumnTypes overrides inferred types from weir.hcl.
func testSeedColumnTypes(t *testing.T, h Harness) {
	p := NewProject(t, h)
	p.SetConfig(`seed "raw.codes" {
  column_types = {
    code  = "VARCHAR"
    n     = "BIGINT"
    price = "DECIMAL(10,2)"
  }
}
`)
	p.Write("seeds/raw/codes.csv", "code,n,price,label\n1,1,2.5,x\n20,2,3,y\n")
	p.MustBuild()
	if got, want := p.Columns("raw.codes"), []string{"code:text", "n:int", "price:numeric", "label:text"}; !reflect.DeepEqual(got, want) {
		t.Errorf("raw.codes columns: got %v, want %v", got, want)
	}
	// code is text: it sorts as text and concatenates as text.
	EqualRows(t, "raw.codes", p.Strings("SELECT code, concat(code, '!'), n, price FROM "+p.Rel("raw.codes")+" ORDER BY code"),
		Rows("1|1!|1|2.5", "20|20!|2|3"))
}

// testSeedReload changes a seed's file and loads it again: the table is
// replaced, including its columns, and a view reading it survives.
func testSeedReload(t *testing.T, h Harness) {
	p := NewProject(t, h)
	p.Write("seeds/raw/people.csv", "id,name\n1,ann\n2,bob\n")
	p.Write("models/people_count.sql", Model("view", "SELECT count(*) AS n FROM raw.people"))
	p.MustBuild()
	p.Write("seeds/raw/people.csv", "id,name,age\n1,ann,30\n2,bob,40\n3,cy,50\n")
	res := p.MustBuild("raw.people")
	if r := Result(t, res, "raw.people"); r.Rows != 3 {
		t.Errorf("reload reported %d rows, want 3", r.Rows)
	}
	EqualRows(t, "raw.people", p.Strings("SELECT id, name, age FROM "+p.Rel("raw.people")+" ORDER BY id"), Rows("1|ann|30", "2|bob|40", "3|cy|50"))
	EqualRows(t, "the view over the seed", p.Strings("SELECT n FROM "+p.Rel("main.people_count")), Rows("3"))
	p.CheckAllColumns("raw.people", "main.people_count")
}

// testSeedBadFiles loads seeds that are not CSV of one layout: each fails
// with the file and line to fix, and leaves no table behind.
func testSeedBadFiles(t *testing.T, h Harness) {
	p := NewProject(t, h)
	cases := map[string]struct{ content, want string }{
		"ragged":     {"a,b\n1,2\n3\n4,5\n", "ragged.csv:3: this record has 1 values where the header names 2 columns"},
		"ragged_far": {"a,b\n" + strings.Repeat("1,2\n", 30000) + "1,2,3\n", "ragged_far.csv:30002: this record has 3 values"},
		"unclosed":   {"a,b\n1,2\n3,\"x\n4,5\n", "unclosed.csv:3: the quoted value that starts on this line is not closed"},
		"bare_quote": {"a,b\n1,say \"hi\"\n", `bare_quote.csv:2:7: a quote inside a value that is not quoted`},
		"empty":      {"", "empty.csv:1: the file is empty"},
		"blank":      {"\n\n", "blank.csv:1: the file is empty"},
	}
	for name, c := range cases {
		p.Write("seeds/raw/"+name+".csv", c.content)
	}
	res, err := p.Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range cases {
		r := Result(t, res, "raw."+name)
		if r.Status != runner.StatusError || !strings.Contains(r.Message, "seeds/raw/"+c.want) || strings.Contains(r.Message, p.Dir) {
			t.Errorf("raw.%s: %s %q; want an error containing seeds/raw/%s, not the absolute path", name, r.Status, r.Message, c.want)
		}
		if kind := p.Kind("raw." + name); kind != "" {
			t.Errorf("raw.%s left a %s behind", name, kind)
		}
	}
}

// testSeedSniffedTypes loads one column of each type DuckDB's sniffer
// tells apart, and checks the kinds every adapter gives them.
func testSeedSniffedTypes(t *testing.T, h Harness) {
	p := NewProject(t, h)
	p.Write("seeds/raw/kinds.csv", SniffedTypesCSV)
	p.MustBuild()
	want := []string{"i:int", "f:numeric", "b:bool", "d:date", "ts:timestamp", "s:text", "z:text", "e:text"}
	if got := p.Columns("raw.kinds"); !reflect.DeepEqual(got, want) {
		t.Errorf("raw.kinds columns:\n got %v\nwant %v", got, want)
	}
}

// SniffedTypesCSV has one column of each kind DuckDB's CSV sniffer tells
// apart, and a column with leading zeros and one with no values.
const SniffedTypesCSV = `i,f,b,d,ts,s,z,e
1,1.5,true,2024-01-02,2024-01-02 03:04:05,x,007,
3000000000,-2,false,2024-02-29,2024-02-29T23:59:59,y,010,
`
