package sqlparse

import (
	"github.com/weir-sh/weir/compiler/sqllex"
	"strings"
	"unicode/utf8"
)

// The helpers below read statements and names with sqllex, the lexer
// shared with the compiler, so they see comments and literals exactly as
// DuckDB does.

// measureName measures the reference that starts at s[off] and names
// catalog.schema.name (empty parts omitted): the dotted parts, each quoted
// or not, with any space or comments around the dots. It returns the length
// in bytes, or 0 if the text there does not spell the name. orig is the
// text as the user wrote it, byte for byte the same length as s (see
// maskSpaces); the parts are returned as orig spells them (unquoted), in
// the order catalog, schema, name with empty parts left empty.
func measureName(s, orig string, off int, catalog, schema, name string) (int, [3]string) {
	var parts [3]string
	i := off
	n := 0
	for k, want := range [3]string{catalog, schema, name} {
		if want == "" {
			continue
		}
		if n > 0 {
			j := sqllex.SkipSpace(s, i)
			if j >= len(s) || s[j] != '.' {
				return 0, parts
			}
			i = sqllex.SkipSpace(s, j+1)
		}
		n++
		if i >= len(s) {
			return 0, parts
		}
		t := sqllex.Next(s, i)
		switch t.Kind {
		case sqllex.Word:
			if !strings.EqualFold(s[t.Start:t.End], want) {
				return 0, parts
			}
			parts[k] = orig[t.Start:t.End]
		case sqllex.QuotedIdent:
			name, ok := unquoteIdent(s[t.Start:t.End])
			if !ok || name != want {
				return 0, parts
			}
			parts[k], _ = unquoteIdent(orig[t.Start:t.End])
		default:
			return 0, parts
		}
		i = t.End
	}
	return i - off, parts
}

// unquoteIdent returns the name in a "quoted identifier" token.
func unquoteIdent(tok string) (string, bool) {
	if len(tok) < 2 || tok[0] != '"' || tok[len(tok)-1] != '"' {
		return "", false
	}
	return strings.ReplaceAll(tok[1:len(tok)-1], `""`, `"`), true
}

// maskSpaces returns s with every Unicode space that DuckDB's parser
// turns into a single ASCII space (U+00A0, U+2000-U+200B, U+202F, U+205F,
// U+2060, U+3000, U+FEFF; it does so outside quotes, shifting every later
// query_location) replaced by as many ASCII spaces as it has bytes, so
// offsets into the result are offsets into s. The replacement is applied
// inside quotes too, where DuckDB keeps the character: names read from a
// quoted identifier are taken back from s (measureName).
func maskSpaces(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return isStrippedSpace(r) }) < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if isStrippedSpace(r) {
			b.WriteString("   "[:utf8.RuneLen(r)])
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isStrippedSpace(r rune) bool {
	switch {
	case r == 0x00a0, r >= 0x2000 && r <= 0x200b, r == 0x202f, r == 0x205f, r == 0x2060, r == 0x3000, r == 0xfeff:
		return true
	}
	return false
}

// splitStatements splits s at semicolons outside strings, quoted names and
// comments, dropping empty statements.
func splitStatements(s string) []sqllex.Span { return sqllex.Statements(s) }

// queryKeywords start a statement DuckDB treats as a query.
var queryKeywords = map[string]bool{
	"SELECT": true, "FROM": true, "VALUES": true, "TABLE": true,
	"SUMMARIZE": true, "DESCRIBE": true, "DESC": true, "SHOW": true,
}

// dmlKeywords can follow WITH's CTE list instead of a query.
var dmlKeywords = map[string]bool{"INSERT": true, "UPDATE": true, "DELETE": true, "MERGE": true}

// classify names the statement in sp by its leading keyword (upper case)
// and tells whether it is a query. After WITH it looks past the CTE list
// for the main keyword. A leading parenthesis is a query.
func classify(s string, sp sqllex.Span) (kind string, query bool) {
	text := s[:sp.End]
	i := sp.Start
	t := sqllex.Next(text, i)
	if t.Kind == sqllex.Punct && text[t.Start] == '(' {
		return "SELECT", true
	}
	if t.Kind != sqllex.Word {
		return "UNKNOWN", false
	}
	kw := strings.ToUpper(text[t.Start:t.End])
	if kw != "WITH" {
		return kw, queryKeywords[kw]
	}
	depth, afterClose := 0, false
	for i = sqllex.SkipSpace(text, t.End); i < len(text); i = sqllex.SkipSpace(text, i) {
		t = sqllex.Next(text, i)
		i = t.End
		if t.Kind == sqllex.Punct {
			switch text[t.Start] {
			case '(':
				if depth == 0 && afterClose {
					return "SELECT", true // WITH ... (SELECT ...) UNION ...
				}
				depth++
			case ')':
				depth--
				afterClose = depth == 0
				continue
			}
			afterClose = false
			continue
		}
		if depth == 0 && afterClose && t.Kind == sqllex.Word {
			w := strings.ToUpper(text[t.Start:t.End])
			if dmlKeywords[w] {
				return w, false
			}
			if queryKeywords[w] {
				return w, true
			}
		}
		afterClose = false
	}
	return "WITH", true
}

// findWord returns the first of words (upper case) that occurs as a word
// token in sp, and its offset; -1 if none does.
func findWord(s string, sp sqllex.Span, words ...string) (string, int) {
	text := s[:sp.End]
	for i := sqllex.SkipSpace(text, sp.Start); i < len(text); i = sqllex.SkipSpace(text, i) {
		t := sqllex.Next(text, i)
		i = t.End
		if t.Kind != sqllex.Word {
			continue
		}
		w := strings.ToUpper(text[t.Start:t.End])
		for _, want := range words {
			if w == want {
				return w, t.Start
			}
		}
	}
	return "", -1
}
