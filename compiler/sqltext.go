package compiler

import "strings"

// token kinds of the tiny scanner below; it knows just enough SQL to tell
// code from comments and literals.
const (
	tokCode = iota
	tokSpace
	tokComment
	tokString // '…', E'…', $tag$…$tag$, and "quoted identifiers"
)

// scan calls fn for each lexical span of sql, in order.
func scan(sql string, fn func(kind, start, end int)) {
	i := 0
	for i < len(sql) {
		start := i
		c := sql[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			for i < len(sql) && strings.IndexByte(" \t\n\r", sql[i]) >= 0 {
				i++
			}
			fn(tokSpace, start, i)
		case strings.HasPrefix(sql[i:], "--"):
			for i < len(sql) && sql[i] != '\n' {
				i++
			}
			fn(tokComment, start, i)
		case strings.HasPrefix(sql[i:], "/*"):
			if end := strings.Index(sql[i+2:], "*/"); end >= 0 {
				i += end + 4
			} else {
				i = len(sql)
			}
			fn(tokComment, start, i)
		case c == '\'' || c == '"':
			i = quotedEnd(sql, i, c)
			fn(tokString, start, i)
		case c == '$':
			if tag, ok := dollarTag(sql[i:]); ok {
				if end := strings.Index(sql[i+len(tag):], tag); end >= 0 {
					i += len(tag) + end + len(tag)
				} else {
					i = len(sql)
				}
				fn(tokString, start, i)
				continue
			}
			i++
			fn(tokCode, start, i)
		default:
			i++
			for i < len(sql) && strings.IndexByte(" \t\n\r'\"-/$", sql[i]) < 0 {
				i++
			}
			fn(tokCode, start, i)
		}
	}
}

// quotedEnd returns the offset just past the literal opened by q at i,
// where a doubled quote stands for one.
func quotedEnd(sql string, i int, q byte) int {
	for i++; i < len(sql); i++ {
		if sql[i] == q {
			if i+1 < len(sql) && sql[i+1] == q {
				i++
				continue
			}
			return i + 1
		}
	}
	return len(sql)
}

// dollarTag recognises a Postgres dollar-quote opener such as $$ or $fn$.
func dollarTag(s string) (string, bool) {
	for j := 1; j < len(s); j++ {
		c := s[j]
		if c == '$' {
			return s[:j+1], true
		}
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || j > 1 && c >= '0' && c <= '9') {
			return "", false
		}
	}
	return "", false
}

// Normalize returns sql without comments and with every run of whitespace
// outside literals turned into one space, so that edits to comments or
// layout do not change a model's fingerprint.
func Normalize(sql string) string {
	var b strings.Builder
	b.Grow(len(sql))
	pendingSpace := false
	scan(sql, func(kind, start, end int) {
		switch kind {
		case tokSpace, tokComment:
			pendingSpace = true
		default:
			if pendingSpace && b.Len() > 0 {
				b.WriteByte(' ')
			}
			pendingSpace = false
			b.WriteString(sql[start:end])
		}
	})
	return strings.TrimRight(b.String(), "; ")
}

// TrimStatement cuts trailing whitespace, comments and semicolons from a
// single statement so it can be embedded in CREATE … AS or a CTE.
func TrimStatement(sql string) string {
	last := 0
	scan(sql, func(kind, start, end int) {
		if kind == tokCode || kind == tokString {
			if strings.Trim(sql[start:end], ";") != "" {
				last = end
				for last > start && sql[last-1] == ';' {
					last--
				}
			}
		}
	})
	return sql[:last]
}
