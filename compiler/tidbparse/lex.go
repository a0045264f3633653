package tidbparse

import "strings"

// Token kinds of MySQL's lexical grammar, as far as finding table names
// needs them.
const (
	tokWord   = iota // a bare word: keyword or identifier
	tokQuoted        // a backquoted identifier, or "…" under ANSI_QUOTES
	tokString        // a string literal
	tokNumber
	tokPunct // one character of punctuation or an operator
	tokExec  // the /*! opening an executable comment or its */, or /*+ hints */
)

// token is one token of the text: its kind, its byte range and, for
// identifiers and strings, the name or value it spells (unquoted).
type token struct {
	kind       int
	start, end int
	name       string
}

// lex splits MySQL text into tokens the way MySQL's (and TiDB's) lexer
// does where it matters here: # and "-- " comments, /* */ comments (the
// body of an executable /*! … */ comment is read as code, optimizer hints
// /*+ … */ are one token),
// backslash escapes and doubled quotes in strings, backquoted
// identifiers with “ inside, and "…" as an identifier when ansiQuotes.
func lex(s string, ansiQuotes bool) []token {
	var toks []token
	inExec := false // inside /*! … */, whose */ is a token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '#':
			i = lineEnd(s, i)
		case c == '-' && strings.HasPrefix(s[i:], "--") && (i+2 == len(s) || isSpaceOrCtl(s[i+2])):
			i = lineEnd(s, i)
		case c == '/' && !inExec && strings.HasPrefix(s[i:], "/*!"):
			start := i
			i += 3
			k := 0
			for k < 6 && i+k < len(s) && isDigit(s[i+k]) {
				k++
			}
			if k >= 5 {
				i += k // the version number of /*!50001 … */: 5 or 6 digits
			}
			toks = append(toks, token{kind: tokExec, start: start, end: i})
			inExec = true
		case c == '/' && !inExec && strings.HasPrefix(s[i:], "/*+"):
			// Optimizer hints: one token, which names no table.
			end := len(s)
			if k := strings.Index(s[i+3:], "*/"); k >= 0 {
				end = i + 3 + k + 2
			}
			toks = append(toks, token{kind: tokExec, start: i, end: end, name: s[i:end]})
			i = end
		case c == '/' && strings.HasPrefix(s[i:], "/*"):
			if end := strings.Index(s[i+2:], "*/"); end >= 0 {
				i += 2 + end + 2
			} else {
				i = len(s)
			}
		case c == '*' && inExec && strings.HasPrefix(s[i:], "*/"):
			toks = append(toks, token{kind: tokExec, start: i, end: i + 2})
			i += 2
			inExec = false
		case c == '`':
			end, name := quoted(s, i, '`', false)
			toks = append(toks, token{kind: tokQuoted, start: i, end: end, name: name})
			i = end
		case c == '"' && ansiQuotes:
			end, name := quoted(s, i, '"', false)
			toks = append(toks, token{kind: tokQuoted, start: i, end: end, name: name})
			i = end
		case c == '\'' || c == '"':
			end, value := quoted(s, i, c, true)
			toks = append(toks, token{kind: tokString, start: i, end: end, name: value})
			i = end
		case c == '0' && i+2 < len(s) && (s[i+1] == 'x' || s[i+1] == 'b') && isHexDigit(s[i+2]):
			end := word(s, i) // 0x1F, 0b101; a word if it goes on (0xZ is an identifier)
			kind := tokNumber
			if digits := s[i+2 : end]; !allHex(digits) || (s[i+1] == 'b' && strings.Trim(digits, "01") != "") {
				kind = tokWord
			}
			toks = append(toks, token{kind: kind, start: i, end: end, name: s[i:end]})
			i = end
		case (c|0x20 == 'x' || c|0x20 == 'b') && i+1 < len(s) && s[i+1] == '\'' && !afterName(toks, i):
			end, _ := quoted(s, i+1, '\'', false) // x'1F', b'101'
			toks = append(toks, token{kind: tokNumber, start: i, end: end})
			i = end
		case isDigit(c) && afterQualifier(toks, i):
			end := word(s, i) // t.5x and t.0: a name after a qualifier's dot
			toks = append(toks, token{kind: tokWord, start: i, end: end, name: s[i:end]})
			i = end
		case isDigit(c) || (c == '.' && i+1 < len(s) && isDigit(s[i+1]) && !afterName(toks, i)):
			end := number(s, i)
			if end < len(s) && isIdentByte(s[end]) && strings.Trim(s[i:end], "0123456789") == "" {
				end = word(s, end) // 1abc is an identifier in MySQL
				toks = append(toks, token{kind: tokWord, start: i, end: end, name: s[i:end]})
			} else {
				toks = append(toks, token{kind: tokNumber, start: i, end: end})
			}
			i = end
		case isIdentByte(c):
			end := word(s, i)
			if end < len(s) && s[end] == '\'' && (strings.EqualFold(s[i:end], "n") || s[i] == '_') {
				// N'…' and _charset'…' are strings.
				qend, value := quoted(s, end, '\'', true)
				toks = append(toks, token{kind: tokString, start: i, end: qend, name: value})
				i = qend
				continue
			}
			toks = append(toks, token{kind: tokWord, start: i, end: end, name: s[i:end]})
			i = end
		default:
			toks = append(toks, token{kind: tokPunct, start: i, end: i + 1, name: s[i : i+1]})
			i++
		}
	}
	return toks
}

// afterName reports whether the last token ends right at i and names
// something, so ".5" there is a qualifier and a name (t.5col), not a
// number.
func afterName(toks []token, i int) bool {
	if len(toks) == 0 {
		return false
	}
	t := toks[len(toks)-1]
	return t.end == i && (t.kind == tokWord || t.kind == tokQuoted)
}

// afterQualifier reports whether the text at i follows "name." directly.
func afterQualifier(toks []token, i int) bool {
	n := len(toks)
	return n >= 2 && isDot(toks[n-1]) && toks[n-1].end == i && afterName(toks[:n-1], toks[n-1].start)
}

func lineEnd(s string, i int) int {
	if nl := strings.IndexByte(s[i:], '\n'); nl >= 0 {
		return i + nl + 1
	}
	return len(s)
}

// quoted reads the quoted token at s[i] (quote q) and returns its end and
// its content; a doubled quote is one quote, and in strings (escapes) a
// backslash escapes the next byte.
func quoted(s string, i int, q byte, escapes bool) (int, string) {
	var b strings.Builder
	for j := i + 1; j < len(s); j++ {
		switch {
		case escapes && s[j] == '\\' && j+1 < len(s):
			b.WriteByte(s[j+1])
			j++
		case s[j] == q && j+1 < len(s) && s[j+1] == q:
			b.WriteByte(q)
			j++
		case s[j] == q:
			return j + 1, b.String()
		default:
			b.WriteByte(s[j])
		}
	}
	return len(s), b.String()
}

func number(s string, i int) int {
	j := i
	for j < len(s) && (isDigit(s[j]) || s[j] == '.') {
		j++
	}
	if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
		k := j + 1
		if k < len(s) && (s[k] == '+' || s[k] == '-') {
			k++
		}
		if k < len(s) && isDigit(s[k]) {
			j = k
			for j < len(s) && isDigit(s[j]) {
				j++
			}
		}
	}
	return j
}

func word(s string, i int) int {
	for i < len(s) && isIdentByte(s[i]) {
		i++
	}
	return i
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHexDigit(c byte) bool { return isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'f') }

func allHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isHexDigit(s[i]) {
			return false
		}
	}
	return true
}

// isIdentByte: letters, digits, _ and $, and every byte of a multi-byte
// UTF-8 character (MySQL allows U+0080 and above in bare identifiers).
func isIdentByte(c byte) bool {
	return c == '_' || c == '$' || isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'z') || c >= 0x80
}

func isSpaceOrCtl(c byte) bool { return c <= ' ' }
