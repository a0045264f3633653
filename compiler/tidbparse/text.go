package tidbparse

import (
	"strings"

	"github.com/weir-sh/weir/compiler/sqllex"
)

// Trim cuts the white space, comments and semicolons after a MySQL
// statement's last code token, so the statement can be embedded in
// CREATE … AS or a CTE without a trailing # or -- comment swallowing what
// follows it. It reads the text as MySQL does (see lex).
func Trim(s string, ansiQuotes bool) string {
	end := 0
	for _, t := range lex(s, ansiQuotes) {
		if !(t.kind == tokPunct && t.name == ";") {
			end = t.end
		}
	}
	return s[:end]
}

// Normalize returns MySQL text without comments and with each run of
// white space and comments between tokens turned into one space (dropped
// at both ends, as are trailing semicolons), so that edits to comments or
// layout do not change a fingerprint while every edit to code or literals
// does. MySQL joins adjacent strings across any white space, so one space
// keeps their meaning.
func Normalize(s string, ansiQuotes bool) string {
	var b strings.Builder
	b.Grow(len(s))
	prevEnd := -1
	for _, t := range lex(s, ansiQuotes) {
		if prevEnd >= 0 && t.start > prevEnd {
			b.WriteByte(' ')
		}
		b.WriteString(s[t.start:t.end])
		prevEnd = t.end
	}
	return strings.TrimRight(b.String(), "; ")
}

// Statements splits a MySQL script at the semicolons that end its
// statements, reading the text as MySQL does (see lex): a ; inside a
// string, a quoted name or a comment does not end one, nor does one inside
// an executable comment /*! … */. Each span runs from a statement's first
// code token to the end of its last; empty statements (;; or only
// comments) are dropped. The client command DELIMITER is not understood:
// it is no SQL, and the server refuses it.
func Statements(s string, ansiQuotes bool) []sqllex.Span {
	var sp sqllex.Spans
	inExec := false
	for _, t := range lex(s, ansiQuotes) {
		if t.kind == tokExec && t.name == "" {
			inExec = !inExec // the /*! opening an executable comment, or its */
		}
		if t.kind == tokPunct && t.name == ";" && !inExec {
			sp.Break()
		} else {
			sp.Token(t.start, t.end)
		}
	}
	return sp.Done()
}
