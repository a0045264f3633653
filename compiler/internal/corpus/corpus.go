// Package corpus reads the shared SQL inference corpus,
// compiler/sqlparse/testdata/inference-cases.sql, for the tests of the SQL
// lexer and parsers.
package corpus

import (
	"os"
	"regexp"
	"strings"
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

// ReplaceNonFinite returns the JSON text js with each bare Infinity,
// -Infinity and NaN outside its strings (DuckDB's JSON writer writes
// them; JSON has no such numbers) replaced by with(token), so that
// encoding/json reads it.
func ReplaceNonFinite(js string, with func(token string) string) string {
	var b strings.Builder
	inString := false
	for i := 0; i < len(js); i++ {
		c := js[i]
		if !inString {
			if tok := nonFiniteAt(js, i); tok != "" {
				b.WriteString(with(tok))
				i += len(tok) - 1
				continue
			}
		}
		b.WriteByte(c)
		switch {
		case c == '"':
			inString = !inString
		case inString && c == '\\' && i+1 < len(js):
			i++
			b.WriteByte(js[i])
		}
	}
	return b.String()
}

// nonFiniteAt returns the non-finite number token at js[i:], "" if none:
// a whole token, between delimiters, as a number stands.
func nonFiniteAt(js string, i int) string {
	if i > 0 && !strings.ContainsRune(jsonDelimiters, rune(js[i-1])) {
		return ""
	}
	for _, tok := range []string{"-Infinity", "Infinity", "NaN"} {
		end := i + len(tok)
		if strings.HasPrefix(js[i:], tok) && (end == len(js) || strings.ContainsRune(jsonDelimiters, rune(js[end]))) {
			return tok
		}
	}
	return ""
}

// jsonDelimiters are the bytes that may stand beside a JSON number.
const jsonDelimiters = " \t\r\n,:[]{}"
