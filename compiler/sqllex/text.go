package sqllex

import "strings"

// Span is a byte range of a text: a statement from its first code token to
// the end of its last.
type Span struct{ Start, End int }

// Statements splits s at semicolons outside literals, quoted names and
// comments. Each span runs from a statement's first code token to the end
// of its last; empty statements (;; or a text of only comments) are dropped.
func Statements(s string) []Span {
	var sp Spans
	for t := range Code(s, 0) {
		if t.Is(s, ';') {
			sp.Break()
		} else {
			sp.Token(t.Start, t.End)
		}
	}
	return sp.Done()
}

// Spans collects the statements of a text from its code tokens and the
// semicolons that end statements, so that a lexer of another dialect
// (tidbparse's) splits a script as Statements does. The zero value is
// ready to use.
type Spans struct {
	cur     Span
	started bool
	out     []Span
}

// Token adds the code token at start:end to the statement being read.
func (p *Spans) Token(start, end int) {
	if !p.started {
		p.cur.Start, p.started = start, true
	}
	p.cur.End = end
}

// Break ends the statement being read at a semicolon; one without a code
// token is dropped.
func (p *Spans) Break() {
	if p.started {
		p.out = append(p.out, p.cur)
	}
	p.started = false
}

// Done ends the last statement and returns them all.
func (p *Spans) Done() []Span {
	p.Break()
	return p.out
}

// Trim cuts the white space, comments and semicolons after a statement's
// last code token, so the statement can be embedded in CREATE … AS (…) or a
// CTE without a trailing -- comment swallowing what follows it.
func Trim(s string) string {
	end := 0
	for t := range Code(s, 0) {
		if !t.Is(s, ';') {
			end = t.End
		}
	}
	return s[:end]
}

// Normalize returns s without comments and with each run of white space and
// comments between code tokens turned into one space (dropped at both ends,
// as are trailing semicolons), so that edits to comments or layout do not
// change a fingerprint while every edit to code or literals does.
//
// One run keeps a line break: between two quoted strings, a run with a line
// break and no /* */ comment joins them into one literal ('a'
// 'b' is 'ab'), while a space makes it a syntax error.
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	var prev Token
	var gap gapInfo
	for t := range All(s) {
		if !t.IsCode() {
			gap.add(s, t)
			continue
		}
		if b.Len() > 0 && gap.any {
			if gap.joinsStrings(s, prev, t) {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
		}
		gap = gapInfo{}
		b.WriteString(t.Text(s))
		prev = t
	}
	return strings.TrimRight(b.String(), "; ")
}

// gapInfo describes the white space and comments between two code tokens.
type gapInfo struct{ any, newline, block bool }

func (g *gapInfo) add(s string, t Token) {
	g.any = true
	if t.Kind == Comment && strings.HasPrefix(t.Text(s), "/*") {
		g.block = true
	}
	if t.Kind == Space && strings.ContainsAny(t.Text(s), "\n\r") {
		g.newline = true
	}
}

// joinsStrings reports whether the gap between code tokens prev and next
// makes them one string literal: both are '-quoted strings (next plainly
// so), and the gap holds a line break and no /* */ comment.
func (g gapInfo) joinsStrings(s string, prev, next Token) bool {
	return g.newline && !g.block && prev.Kind == String && next.Kind == String &&
		s[prev.End-1] == '\'' && s[next.Start] == '\''
}
