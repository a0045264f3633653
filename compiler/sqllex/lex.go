// Package sqllex is weir's one SQL lexer for the PostgreSQL dialect family:
// DuckDB and Postgres. It tells code from white space, comments, string
// literals and quoted names exactly where their own scanners do, so that
// stripping comments, normalizing a model for its fingerprint, trimming a
// statement and splitting a text into statements never disagree with the
// warehouse's parser (DESIGN.md decision 11).
//
// The rules follow DuckDB 1.5.6's scanner (a PostgreSQL scan.l), checked
// against DuckDB and against PostgreSQL 15 (see lex_test.go and the
// differential fuzz test FuzzLexerVsDuckDB):
//   - white space is space, \t, \n, \r and \f (not \v);
//   - a -- comment ends before the next \n or \r (a bare CR ends it too);
//   - /* */ comments nest;
//   - '…' strings double a quote to escape it, and a backslash is an
//     ordinary character (standard_conforming_strings, always on in DuckDB
//     and the default in Postgres since 9.1);
//   - E'…' strings also escape any byte with a backslash (E'it\'s');
//   - B'…', X'…', N'…' and U&'…' strings end like '…' strings;
//   - "…" and U&"…" quoted names double a quote to escape it;
//   - $tag$…$tag$ strings end at the first repeat of the opening tag, whose
//     name is an identifier without $ (so $1 is a parameter, and a$b$ is
//     one identifier);
//   - an identifier starts with a letter, _ or a byte >= 0x80 and continues
//     with those, digits and $;
//   - a number ends where DuckDB's does (1e'x' is the number 1 then E'x').
//
// Differences between the two warehouses that cannot change where a
// comment or literal ends are not modelled: Postgres 15 rejects 1_000 and
// 123abc ("trailing junk") where DuckDB reads a number and a name.
//
// DuckDB (not Postgres) also turns a set of Unicode spaces (U+00A0, …)
// outside quotes into ASCII spaces before it lexes; this lexer treats them
// as identifier bytes, as Postgres does. sqlparse masks them before it asks
// DuckDB, and text a warehouse rejects needs no agreement.
package sqllex

import (
	"iter"
	"strings"
)

// Kind is the class of a token.
type Kind uint8

// Token kinds.
const (
	Space       Kind = iota // a run of white space
	Comment                 // -- to the end of the line, or /* … */ (nested)
	Word                    // a keyword or unquoted identifier
	QuotedIdent             // "quoted identifier" or U&"…"
	String                  // any string literal: '…', E'…', B'…', X'…', N'…', U&'…', $tag$…$tag$
	Number                  // 42, 1_000, 3.14, .5, 1e-3
	Param                   // $1, ?1
	Punct                   // one byte of punctuation or of an operator (or ..), or any other byte
)

// Token is one lexical unit of a text: its kind and its byte range.
type Token struct {
	Kind       Kind
	Start, End int
}

// Text returns the token's text in s.
func (t Token) Text(s string) string { return s[t.Start:t.End] }

// IsCode reports whether the token is neither white space nor a comment.
func (t Token) IsCode() bool { return t.Kind != Space && t.Kind != Comment }

// Is reports whether t is the punctuation byte c.
func (t Token) Is(s string, c byte) bool {
	return t.Kind == Punct && s[t.Start] == c
}

// Next returns the token that starts at s[i]; i must be the start of a
// token (0, or the End of the token before) and less than len(s). A literal
// or comment left open runs to the end of s.
func Next(s string, i int) Token {
	c := s[i]
	switch {
	case isSpace(c):
		j := i + 1
		for j < len(s) && isSpace(s[j]) {
			j++
		}
		return Token{Space, i, j}
	case c == '-' && at(s, i+1, '-'):
		j := i + 2
		for j < len(s) && s[j] != '\n' && s[j] != '\r' {
			j++
		}
		return Token{Comment, i, j}
	case c == '/' && at(s, i+1, '*'):
		return Token{Comment, i, blockCommentEnd(s, i)}
	case c == '\'':
		return Token{String, i, quotedEnd(s, i, '\'', false)}
	case c == '"':
		return Token{QuotedIdent, i, quotedEnd(s, i, '"', false)}
	case (c == 'E' || c == 'e') && at(s, i+1, '\''):
		return Token{String, i, quotedEnd(s, i+1, '\'', true)}
	case (c == 'B' || c == 'b' || c == 'X' || c == 'x' || c == 'N' || c == 'n') && at(s, i+1, '\''):
		return Token{String, i, quotedEnd(s, i+1, '\'', false)}
	case (c == 'U' || c == 'u') && at(s, i+1, '&') && at(s, i+2, '\''):
		return Token{String, i, quotedEnd(s, i+2, '\'', false)}
	case (c == 'U' || c == 'u') && at(s, i+1, '&') && at(s, i+2, '"'):
		return Token{QuotedIdent, i, quotedEnd(s, i+2, '"', false)}
	case c == '$':
		return dollar(s, i)
	case c == '?' && i+1 < len(s) && isDigit(s[i+1]):
		return Token{Param, i, integerEnd(s, i+1)}
	case identStart(c):
		j := i + 1
		for j < len(s) && identCont(s[j]) {
			j++
		}
		return Token{Word, i, j}
	case c == '.' && at(s, i+1, '.'):
		return Token{Punct, i, i + 2} // .. as in 1..2
	case isDigit(c) || c == '.' && i+1 < len(s) && isDigit(s[i+1]):
		return Token{Number, i, numberEnd(s, i)}
	}
	return Token{Punct, i, i + 1}
}

func at(s string, i int, c byte) bool { return i < len(s) && s[i] == c }

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func identStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80
}

func identCont(c byte) bool { return identStart(c) || isDigit(c) || c == '$' }

// blockCommentEnd returns the offset just past the /* comment at s[i],
// counting nested /* */ pairs.
func blockCommentEnd(s string, i int) int {
	depth := 0
	for i < len(s) {
		switch {
		case strings.HasPrefix(s[i:], "/*"):
			depth++
			i += 2
		case strings.HasPrefix(s[i:], "*/"):
			depth--
			i += 2
			if depth == 0 {
				return i
			}
		default:
			i++
		}
	}
	return len(s)
}

// quotedEnd returns the offset just past the quoted run opened by the
// quote q at s[i]: a doubled quote stands for one and, if backslash is
// set, a backslash escapes the byte after it.
func quotedEnd(s string, i int, q byte, backslash bool) int {
	for i++; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if backslash {
				i++
			}
		case q:
			if at(s, i+1, q) {
				i++
				continue
			}
			return i + 1
		}
	}
	return len(s)
}

// dollar lexes what starts with $ at s[i]: a $tag$ string, a $1
// parameter, or the lone byte.
func dollar(s string, i int) Token {
	j := i + 1
	if j < len(s) && isDigit(s[j]) {
		return Token{Param, i, integerEnd(s, j)}
	}
	if j < len(s) && identStart(s[j]) {
		for j++; j < len(s) && identCont(s[j]) && s[j] != '$'; j++ {
		}
	}
	if j >= len(s) || s[j] != '$' {
		return Token{Punct, i, i + 1}
	}
	tag := s[i : j+1]
	k := strings.Index(s[j+1:], tag)
	if k < 0 {
		return Token{String, i, len(s)}
	}
	return Token{String, i, j + 1 + k + len(tag)}
}

// integerEnd returns the end of the digits at s[i], single underscores
// between digits allowed (DuckDB's 1_000).
func integerEnd(s string, i int) int {
	for i < len(s) {
		switch {
		case isDigit(s[i]):
			i++
		case s[i] == '_' && i+1 < len(s) && isDigit(s[i+1]) && i > 0 && isDigit(s[i-1]):
			i++
		default:
			return i
		}
	}
	return i
}

// numberEnd returns the end of the numeric literal at s[i]: an integer,
// a decimal (1., 1.5, .5) and an exponent only when digits follow the E.
// 1..2 is 1, .., 2.
func numberEnd(s string, i int) int {
	if isDigit(s[i]) {
		i = integerEnd(s, i)
		if at(s, i, '.') && !at(s, i+1, '.') {
			i++
			if i < len(s) && isDigit(s[i]) {
				i = integerEnd(s, i)
			}
		}
	} else { // .5
		i = integerEnd(s, i+1)
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && isDigit(s[j]) {
			return integerEnd(s, j)
		}
	}
	return i
}

// All yields every token of s in order, white space and comments included.
func All(s string) iter.Seq[Token] {
	return func(yield func(Token) bool) {
		for i := 0; i < len(s); {
			t := Next(s, i)
			if !yield(t) {
				return
			}
			i = t.End
		}
	}
}

// Code yields the tokens of s[from:] that are code (not white space or
// comments); from must be the start of a token.
func Code(s string, from int) iter.Seq[Token] {
	return func(yield func(Token) bool) {
		for i := SkipSpace(s, from); i < len(s); i = SkipSpace(s, i) {
			t := Next(s, i)
			if !yield(t) {
				return
			}
			i = t.End
		}
	}
}

// SkipSpace returns the offset of the first code token at or after s[i]
// (i the start of a token), or len(s).
func SkipSpace(s string, i int) int {
	for i < len(s) {
		t := Next(s, i)
		if t.IsCode() {
			return i
		}
		i = t.End
	}
	return len(s)
}
