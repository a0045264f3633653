// Package corpus reads the shared SQL inference corpus,
// compiler/sqlparse/testdata/inference-cases.sql, for the tests of the SQL
// lexer and parsers.
package corpus

import (
	"os"
	"regexp"
	"testing"
)

// Case is one "-- case: NAME" section of the corpus.
type Case struct{ Name, SQL string }

var caseLine = regexp.MustCompile(`(?m)^-- case: (\S+)\n`)

// Load reads the cases of the corpus file at path, in file order, and
// fails tb when the file cannot be read.
func Load(tb testing.TB, path string) []Case {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	text := string(data)
	locs := caseLine.FindAllStringSubmatchIndex(text, -1)
	var out []Case
	for i, l := range locs {
		end := len(text)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		out = append(out, Case{Name: text[l[2]:l[3]], SQL: text[l[1]:end]})
	}
	return out
}
