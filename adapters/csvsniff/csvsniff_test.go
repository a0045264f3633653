package csvsniff

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func write(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "s.csv")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSniff reads layouts, and refuses files whose records do not fit
// them at the line to fix.
func TestSniff(t *testing.T) {
	for _, c := range []struct {
		name, content string
		delim         rune
		cols          []Column
		records       int64
	}{
		{"comma", "id,name\n1,a\n2,b\n", ',', []Column{{"id", "BIGINT"}, {"name", "VARCHAR"}}, 2},
		{"pipe with BOM and CRLF", "\ufeffa|b\r\n1|x\r\n", '|', []Column{{"a", "BIGINT"}, {"b", "VARCHAR"}}, 1},
		{"header only", "a;b\n", ';', []Column{{"a", "VARCHAR"}, {"b", "VARCHAR"}}, 0},
		{"quoted line break", "a,b\n\"x\ny\",1\n", ',', []Column{{"a", "VARCHAR"}, {"b", "BIGINT"}}, 1},
		{"one column, blank line inside quotes", "a\n\"x\n\ny\"\n", ',', []Column{{"a", "VARCHAR"}}, 1},
		{"several columns skip blank lines", "a,b\n1,2\n\n3,4\n", ',', []Column{{"a", "BIGINT"}, {"b", "BIGINT"}}, 2},
	} {
		l, err := Sniff(context.Background(), write(t, c.content))
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if l.Delimiter != c.delim || !reflect.DeepEqual(l.Columns, c.cols) || l.Records != c.records {
			t.Errorf("%s: got %q %v %d, want %q %v %d", c.name, l.Delimiter, l.Columns, l.Records, c.delim, c.cols, c.records)
		}
	}
	for content, want := range map[string]string{
		"a,b\n1,2\n3\n":        "s.csv:3: this record has 1 values where the header names 2 columns",
		"a;b\n1;2\n1;2;3\n":    "s.csv:3: this record has 3 values",
		"a,b\n1,\"open\n2,3\n": "s.csv:2: the quoted value that starts on this line is not closed",
		"":                     "s.csv:1: the file is empty",
		"\ufeff \n":            "s.csv:1: the file is empty",
		"a\n1\n\n2\n":          "s.csv:3: a blank line in a seed of one column",
		"a\r\n1\r\n\r\n":       "s.csv:3: a blank line in a seed of one column",
	} {
		_, err := Sniff(context.Background(), write(t, content))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want an error containing %q", content, err, want)
		}
	}
}
