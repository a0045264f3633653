package postgres

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestInferType pins how a column's values decide its type; the cases
// marked DuckDB are what DuckDB 1.5's sniffer does with the same values.
func TestInferType(t *testing.T) {
	cases := []struct {
		name   string
		values []string
		want   string
	}{
		{"small ints", []string{"1", "-5", "0", "2147483647"}, TypeInteger},
		{"past int32", []string{"1", "2147483648"}, TypeBigint},
		{"past int64", []string{"1", "123456789012345678901234"}, TypeNumeric},
		{"ints with spaces (DuckDB trims)", []string{" 12", "13 "}, TypeInteger},
		{"leading zero is text (DuckDB)", []string{"02134", "10001"}, TypeText},
		{"plus sign is text (DuckDB)", []string{"+7", "-5"}, TypeText},
		{"zero alone", []string{"0"}, TypeInteger},
		{"decimals", []string{"12.50", "0.5", ".5", "1.", "-3"}, TypeNumeric},
		{"exponents", []string{"1e5", "2.5E-3"}, TypeNumeric},
		{"NaN and infinity", []string{"NaN", "1.5", "-inf", "Infinity"}, TypeNumeric},
		{"lone dot is text", []string{"."}, TypeText},
		{"e alone is text", []string{"e5"}, TypeText},
		{"booleans (DuckDB)", []string{"true", "FALSE", "t", "F", "yes", "No"}, TypeBoolean},
		{"0 and 1 are integers (DuckDB)", []string{"0", "1"}, TypeInteger},
		{"dates", []string{"2024-01-02", "2024-2-9"}, TypeDate},
		{"dates with slashes (DuckDB)", []string{"2024/01/02", "2024/01/03"}, TypeDate},
		{"mixed date separators", []string{"2024/01-02"}, TypeText},
		{"times", []string{"10:00:00", "23:59", "01:02:03.25"}, TypeTime},
		{"timestamps", []string{"2024-01-01 10:00:00.123456", "2024-01-01T10:00", "2024-01-01 10:00:01"}, TypeTimestamp},
		{"timestamps with zones", []string{"2024-01-01T00:00:00Z", "2024-01-02 03:00:00+02", "2024-01-02 03:00:00-05:30"}, TypeTimestampTZ},
		{"dates and timestamps mixed are text (DuckDB)", []string{"2024-01-01", "2024-01-01 10:00:00"}, TypeText},
		{"ints and text", []string{"1", "two"}, TypeText},
		{"empty values are NULL and do not count", []string{"", "1", "  ", ""}, TypeInteger},
		{"no values at all (DuckDB: VARCHAR)", []string{"", ""}, TypeText},
		{"no rows", nil, TypeText},
		{"unicode", []string{"ñandú", "☃"}, TypeText},
	}
	for _, c := range cases {
		s := newColumnSniffer()
		for _, v := range c.values {
			s.add(v)
		}
		if got := s.typ(); got != c.want {
			t.Errorf("%s: %q is %s, want %s", c.name, c.values, got, c.want)
		}
	}
}

func TestColumnNames(t *testing.T) {
	got := columnNames([]string{"a", "", "a", "c", "a", " "})
	want := []string{"a", "column1", "a_1", "c", "a_2", "column5"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestSniffCSV(t *testing.T) {
	cases := []struct {
		name, content string
		want          []csvColumn
	}{
		{"comma", "id,name\n1,a\n2,b\n", []csvColumn{{"id", TypeInteger, true}, {"name", TypeText, false}}},
		{"semicolon", "id;amount\n1;2.5\n", []csvColumn{{"id", TypeInteger, true}, {"amount", TypeNumeric, true}}},
		{"tab", "a\tb\tc\nx\t1\t2024-01-01\n", []csvColumn{{"a", TypeText, false}, {"b", TypeInteger, true}, {"c", TypeDate, true}}},
		{"pipe", "a|b\n1|true\n", []csvColumn{{"a", TypeInteger, true}, {"b", TypeBoolean, true}}},
		{"commas inside quotes do not count", "a;b\n\"x,y,z\";1\n", []csvColumn{{"a", TypeText, false}, {"b", TypeInteger, true}}},
		{"byte order mark", "\ufeffid,name\n1,a\n", []csvColumn{{"id", TypeInteger, true}, {"name", TypeText, false}}},
		{"CRLF", "id,flag\r\n1,true\r\n", []csvColumn{{"id", TypeInteger, true}, {"flag", TypeBoolean, true}}},
		{"header only", "a,b\n", []csvColumn{{"a", TypeText, false}, {"b", TypeText, false}}},
		{"one column", "a\n1\n2\n", []csvColumn{{"a", TypeInteger, true}}},
	}
	for _, c := range cases {
		path := filepath.Join(t.TempDir(), "s.csv")
		os.WriteFile(path, []byte(c.content), 0o644)
		got, err := sniffCSV(path)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got %+v, want %+v", c.name, got, c.want)
		}
	}
	path := filepath.Join(t.TempDir(), "ragged.csv")
	os.WriteFile(path, []byte("a,b\n1,2\n3\n"), 0o644)
	if _, err := sniffCSV(path); err == nil {
		t.Error("a record with too few fields should be an error")
	}
	path = filepath.Join(t.TempDir(), "empty.csv")
	os.WriteFile(path, nil, 0o644)
	if _, err := sniffCSV(path); err == nil {
		t.Error("an empty file should be an error")
	}
}

func TestApplyTypes(t *testing.T) {
	cols := []csvColumn{{"Code", TypeInteger, true}, {"n", TypeInteger, true}, {"at", TypeText, false}}
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
