package postgres

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/adapters/csvsniff"
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
		want          []adapters.ColumnInfo
		delim         rune
	}{
		{"comma", "id,name\n1,a\n2,b\n", columns("id", "bigint", "name", "text"), ','},
		{"semicolon", "id;amount\n1;2.5\n", columns("id", "bigint", "amount", "double precision"), ';'},
		{"tab", "a\tb\tc\nx\t1\t2024-01-01\n", columns("a", "text", "b", "bigint", "c", "date"), '\t'},
		{"commas inside quotes do not count", "a;b\n\"x,y,z\";1\n", columns("a", "text", "b", "bigint"), ';'},
		{"byte order mark", "\ufeffid,name\n1,a\n", columns("id", "bigint", "name", "text"), ','},
		{"header only", "a,b\n", columns("a", "text", "b", "text"), ','},
		{"one column", "a\n1\n2\n", columns("a", "bigint"), ','},
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

// columns are columns of the names and types given in turn.
func columns(namesAndTypes ...string) []adapters.ColumnInfo {
	var out []adapters.ColumnInfo
	for i := 0; i+1 < len(namesAndTypes); i += 2 {
		out = append(out, adapters.ColumnInfo{Name: namesAndTypes[i], Type: namesAndTypes[i+1]})
	}
	return out
}

func TestApplyTypes(t *testing.T) {
	cols := columns("Code", "bigint", "n", "bigint", "at", "text")
	if err := csvsniff.ApplyTypes(cols, map[string]string{"code": "VARCHAR(10)", "n": "DOUBLE", "at": "DATETIME"}, typeAliases); err != nil {
		t.Fatal(err)
	}
	want := columns("Code", "VARCHAR(10)", "n", "double precision", "at", "timestamp")
	if !reflect.DeepEqual(cols, want) {
		t.Errorf("got %+v, want %+v", cols, want)
	}
	if err := csvsniff.ApplyTypes(cols, map[string]string{"missing": "text"}, typeAliases); err == nil {
		t.Error("a type for a column the file lacks should be an error")
	}
}
