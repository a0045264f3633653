package sqlparse

import (
	"fmt"
	"slices"
	"testing"
)

// TestFiles: file scans written as strings, as quoted file names and as
// read_* arguments are files, not table references; other functions'
// strings and quoted table names are not.
func TestFiles(t *testing.T) {
	cases := []struct {
		sql   string
		files []string // path@text as written
		refs  int
	}{
		{`SELECT * FROM 'data/x.csv'`, []string{`data/x.csv@'data/x.csv'`}, 0},
		{`SELECT * FROM "x.parquet" AS p JOIN s.t USING (id)`, []string{`x.parquet@"x.parquet"`}, 1},
		{`FROM 'it''s.csv.gz' UNION ALL FROM "events.JSONL"`, []string{`it's.csv.gz@'it''s.csv.gz'`, `events.JSONL@"events.JSONL"`}, 0},
		{`SELECT * FROM read_csv('a.csv', header = true), READ_PARQUET(['b.parquet', 'c.parquet']) AS p`,
			[]string{`a.csv@'a.csv'`, `b.parquet@'b.parquet'`, `c.parquet@'c.parquet'`}, 0},
		{`SELECT * FROM generate_series(1, 3), my_macro('x.csv'), s.read_csv('y.csv')`, nil, 0},
		{`SELECT * FROM "orders", "data" WHERE 'a.csv' = 'a.csv'`, nil, 2},
		{`WITH "x.csv" AS (SELECT 1) SELECT * FROM "x.csv"`, nil, 0},
		{`SELECT * FROM (SELECT * FROM 'in/*.csv') JOIN read_json_auto('j.json') USING (id)`, []string{`in/*.csv@'in/*.csv'`, `j.json@'j.json'`}, 0},
	}
	for _, c := range cases {
		res, err := parser.Parse(c.sql)
		if err != nil {
			t.Errorf("%s: %v", c.sql, err)
			continue
		}
		var got []string
		for _, f := range res.Files {
			got = append(got, fmt.Sprintf("%s@%s", f.Path, c.sql[f.Offset:f.Offset+f.Length]))
		}
		if !slices.Equal(got, c.files) || len(res.Refs) != c.refs {
			t.Errorf("%s:\n files %q, want %q\n %d refs %+v, want %d", c.sql, got, c.files, len(res.Refs), res.Refs, c.refs)
		}
	}
}
