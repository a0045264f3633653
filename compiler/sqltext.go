package compiler

import (
	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/compiler/sqllex"
	"github.com/weir-sh/weir/compiler/tidbparse"
)

// Normalize returns sql without comments and with every run of whitespace
// outside literals turned into one space, so that edits to comments or
// layout do not change a model's fingerprint. See sqllex.Normalize.
func Normalize(sql string) string { return sqllex.Normalize(sql) }

// TrimStatement cuts trailing whitespace, comments and semicolons from a
// single statement so it can be embedded in CREATE … AS or a CTE. See
// sqllex.Trim.
func TrimStatement(sql string) string { return sqllex.Trim(sql) }

// normalizeFor is Normalize in d's lexical rules: MySQL's (# comments,
// backslash escapes, backquotes) for the mysql adapter, sqllex's for the
// others (decision 11: the lexer must agree with the warehouse's parser).
func normalizeFor(d adapters.Dialect, sql string) string {
	if d != nil && d.Name() == "mysql" {
		return tidbparse.Normalize(sql, ansiQuotes(d))
	}
	return Normalize(sql)
}

// trimFor is TrimStatement in d's lexical rules (see normalizeFor).
func trimFor(d adapters.Dialect, sql string) string {
	if d != nil && d.Name() == "mysql" {
		return tidbparse.Trim(sql, ansiQuotes(d))
	}
	return TrimStatement(sql)
}

// Statements splits a script at the semicolons that end its statements,
// in d's lexical rules (see normalizeFor); see sqllex.Statements.
func Statements(d adapters.Dialect, sql string) []sqllex.Span {
	if d != nil && d.Name() == "mysql" {
		return tidbparse.Statements(sql, ansiQuotes(d))
	}
	return sqllex.Statements(sql)
}
