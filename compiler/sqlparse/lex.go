package sqlparse

import (
	"strings"
	"unicode/utf8"
)

// A small SQL lexer, enough to measure a table name as written, to split a
// text into statements and to name a statement's kind. It follows DuckDB's
// (PostgreSQL's) lexical rules: -- and nested /* */ comments, '' strings,
// E'' strings with backslash escapes, "" quoted identifiers, $tag$ strings.

type tokKind int

const (
	tokWord   tokKind = iota // keyword or unquoted identifier
	tokQuoted                // "quoted identifier"
	tokString                // string literal of any form
	tokPunct                 // one byte of punctuation or an operator byte
	tokOther                 // number, $1 parameter
)

type token struct {
	kind       tokKind
	start, end int
}

// span is a statement's extent: from its first token to the end of its last.
type span struct{ start, end int }

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

func identStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80
}

func identCont(c byte) bool {
	return identStart(c) || c >= '0' && c <= '9' || c == '$'
}

// skipSpace returns the offset of the first byte at or after i that is not
// white space or part of a comment.
func skipSpace(s string, i int) int {
	for i < len(s) {
		switch {
		case isSpace(s[i]):
			i++
		case strings.HasPrefix(s[i:], "--"):
			nl := strings.IndexByte(s[i:], '\n')
			if nl < 0 {
				return len(s)
			}
			i += nl + 1
		case strings.HasPrefix(s[i:], "/*"):
			depth := 0
			for i < len(s) {
				if strings.HasPrefix(s[i:], "/*") {
					depth++
					i += 2
				} else if strings.HasPrefix(s[i:], "*/") {
					depth--
					i += 2
					if depth == 0 {
						break
					}
				} else {
					i++
				}
			}
		default:
			return i
		}
	}
	return i
}

// quotedEnd returns the offset just past a quoted run starting at s[i]
// (the opening quote q), with a doubled quote as an escape and, if
// backslash is set, \ escaping the next byte. Unterminated runs end at len(s).
func quotedEnd(s string, i int, q byte, backslash bool) int {
	for i++; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if backslash {
				i++
			}
		case q:
			if i+1 < len(s) && s[i+1] == q {
				i++
				continue
			}
			return i + 1
		}
	}
	return len(s)
}

// nextToken lexes the token starting at s[i]; i must be at a token (after skipSpace).
func nextToken(s string, i int) token {
	c := s[i]
	switch {
	case c == '\'':
		return token{tokString, i, quotedEnd(s, i, '\'', false)}
	case (c == 'E' || c == 'e') && i+1 < len(s) && s[i+1] == '\'':
		return token{tokString, i, quotedEnd(s, i+1, '\'', true)}
	case c == '"':
		return token{tokQuoted, i, quotedEnd(s, i, '"', false)}
	case c == '$':
		j := i + 1
		if j < len(s) && s[j] >= '0' && s[j] <= '9' {
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			return token{tokOther, i, j}
		}
		for j < len(s) && identCont(s[j]) && s[j] != '$' {
			j++
		}
		if j < len(s) && s[j] == '$' {
			tag := s[i : j+1]
			k := strings.Index(s[j+1:], tag)
			if k < 0 {
				return token{tokString, i, len(s)}
			}
			return token{tokString, i, j + 1 + k + len(tag)}
		}
		return token{tokPunct, i, i + 1}
	case identStart(c):
		j := i + 1
		for j < len(s) && identCont(s[j]) {
			j++
		}
		return token{tokWord, i, j}
	case c >= '0' && c <= '9':
		j := i + 1
		for j < len(s) && (identCont(s[j]) || s[j] == '.') {
			j++
		}
		return token{tokOther, i, j}
	}
	return token{tokPunct, i, i + 1}
}

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
			j := skipSpace(s, i)
			if j >= len(s) || s[j] != '.' {
				return 0, parts
			}
			i = skipSpace(s, j+1)
		}
		n++
		if i >= len(s) {
			return 0, parts
		}
		t := nextToken(s, i)
		switch t.kind {
		case tokWord:
			if !strings.EqualFold(s[t.start:t.end], want) {
				return 0, parts
			}
			parts[k] = orig[t.start:t.end]
		case tokQuoted:
			name, ok := unquoteIdent(s[t.start:t.end])
			if !ok || name != want {
				return 0, parts
			}
			parts[k], _ = unquoteIdent(orig[t.start:t.end])
		default:
			return 0, parts
		}
		i = t.end
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
func splitStatements(s string) []span {
	var out []span
	cur := span{start: -1}
	for i := skipSpace(s, 0); i < len(s); i = skipSpace(s, i) {
		t := nextToken(s, i)
		i = t.end
		if t.kind == tokPunct && s[t.start] == ';' {
			if cur.start >= 0 {
				out = append(out, cur)
			}
			cur = span{start: -1}
			continue
		}
		if cur.start < 0 {
			cur.start = t.start
		}
		cur.end = t.end
	}
	if cur.start >= 0 {
		out = append(out, cur)
	}
	return out
}

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
func classify(s string, sp span) (kind string, query bool) {
	text := s[:sp.end]
	i := sp.start
	t := nextToken(text, i)
	if t.kind == tokPunct && text[t.start] == '(' {
		return "SELECT", true
	}
	if t.kind != tokWord {
		return "UNKNOWN", false
	}
	kw := strings.ToUpper(text[t.start:t.end])
	if kw != "WITH" {
		return kw, queryKeywords[kw]
	}
	depth, afterClose := 0, false
	for i = skipSpace(text, t.end); i < len(text); i = skipSpace(text, i) {
		t = nextToken(text, i)
		i = t.end
		if t.kind == tokPunct {
			switch text[t.start] {
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
		if depth == 0 && afterClose && t.kind == tokWord {
			w := strings.ToUpper(text[t.start:t.end])
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
func findWord(s string, sp span, words ...string) (string, int) {
	text := s[:sp.end]
	for i := skipSpace(text, sp.start); i < len(text); i = skipSpace(text, i) {
		t := nextToken(text, i)
		i = t.end
		if t.kind != tokWord {
			continue
		}
		w := strings.ToUpper(text[t.start:t.end])
		for _, want := range words {
			if w == want {
				return w, t.start
			}
		}
	}
	return "", -1
}
