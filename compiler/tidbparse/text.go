package tidbparse

import "strings"

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
