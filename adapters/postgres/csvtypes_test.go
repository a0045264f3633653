package postgres

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestPostgresType maps the types DuckDB's CSV reader gives to Postgres's.
func TestPostgresType(t *testing.T) {
	for duck, want := range map[string]string{
		"BIGINT": "bigint", "INTEGER": "integer", "DOUBLE": "double precision", "VARCHAR": "text",
		"BOOLEAN": "boolean", "DATE": "date", "TIME": "time", "TIMESTAMP": "timestamp",
		"TIMESTAMP WITH TIME ZONE": "timestamptz", "DECIMAL(18,3)": "numeric(18,3)", "HUGEINT": "numeric",
		"UBIGINT": "numeric", "BLOB": "bytea", "STRUCT(a INTEGER)": "text", "INTEGER[]": "text",
	} {
		if got := PostgresType(duck); got != want {
			t.Errorf("PostgresType(%q) = %q, want %q", duck, got, want)
		}
	}
}

// TestSniffCSV reads seed layouts through DuckDB's sniffer, with
// Postgres types.
func TestSniffCSV(t *testing.T) {
	cases := []struct {
		name, content string
		want          []csvColumn
		delim         rune
	}{
		{"comma", "id,name\n1,a\n2,b\n", []csvColumn{{"id", "bigint", true}, {"name", "text", false}}, ','},
		{"semicolon", "id;amount\n1;2.5\n", []csvColumn{{"id", "bigint", true}, {"amount", "double precision", true}}, ';'},
		{"tab", "a\tb\tc\nx\t1\t2024-01-01\n", []csvColumn{{"a", "text", false}, {"b", "bigint", true}, {"c", "date", true}}, '\t'},
		{"commas inside quotes do not count", "a;b\n\"x,y,z\";1\n", []csvColumn{{"a", "text", false}, {"b", "bigint", true}}, ';'},
		{"byte order mark", "\ufeffid,name\n1,a\n", []csvColumn{{"id", "bigint", true}, {"name", "text", false}}, ','},
		{"header only", "a,b\n", []csvColumn{{"a", "text", false}, {"b", "text", false}}, ','},
		{"one column", "a\n1\n2\n", []csvColumn{{"a", "bigint", true}}, ','},
	}
	for _, c := range cases {
		path := filepath.Join(t.TempDir(), "s.csv")
		os.WriteFile(path, []byte(c.content), 0o644)
		got, delim, err := sniffCSV(context.Background(), path)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) || (delim != c.delim && len(c.want) > 1) {
			t.Errorf("%s: got %+v %q, want %+v %q", c.name, got, delim, c.want, c.delim)
		}
	}
}

func TestApplyTypes(t *testing.T) {
	cols := []csvColumn{{"Code", "bigint", true}, {"n", "bigint", true}, {"at", "text", false}}
	if err := applyTypes(cols, map[string]string{"code": "VARCHAR(10)", "n": "DOUBLE", "at": "DATETIME"}); err != nil {
		t.Fatal(err)
	}
	want := []csvColumn{{"Code", "VARCHAR(10)", false}, {"n", "double precision", true}, {"at", "timestamp", true}}
	if !reflect.DeepEqual(cols, want) {
		t.Errorf("got %+v, want %+v", cols, want)
	}
	if err := applyTypes(cols, map[string]string{"missing": "text"}); err == nil {
		t.Error("a type for a column the file lacks should be an error")
	}
}
