// Package pgparse finds the tables a SQL statement reads, using Postgres's
// own grammar (libpg_query through github.com/pganalyze/pg_query_go).
//
// It answers with the types of package sqlparse, so the compiler treats
// both dialects alike: table references with their byte offset and the
// length written, table functions, column qualifiers, the statement count,
// *sqlparse.SyntaxError and *sqlparse.NotSelectError.
//
// Facts about pg_query_go v6 (Postgres 17's parser) this package relies
// on (pinned by the tests):
//   - node locations are byte offsets into the text;
//   - a syntax error's Cursorpos is 1-based and counts characters, not
//     bytes; 0 means no position;
//   - unquoted identifiers come back folded to lower case, quoted ones as
//     written; identifiers longer than 63 bytes come back truncated;
//   - the first statement's location is 0 even after leading comments;
//   - an empty text, or one of only semicolons and comments, holds no
//     statement.
package pgparse

import (
	"cmp"
	"errors"
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	pgerr "github.com/pganalyze/pg_query_go/v6/parser"

	"github.com/weir-sh/weir/compiler/sqllex"
	"github.com/weir-sh/weir/compiler/sqlparse"
)

// Parser parses Postgres SQL. It holds no state: safe for concurrent use.
type Parser struct{}

// New returns a Parser. It never fails; the error is there to match
// sqlparse.New.
func New() (*Parser, error) { return &Parser{}, nil }

// Close does nothing; a Parser holds no resources.
func (*Parser) Close() error { return nil }

// Parse parses sql and returns the tables and table functions it reads.
// It returns a *sqlparse.SyntaxError for text Postgres cannot parse and a
// *sqlparse.NotSelectError for text holding a statement other than a
// query.
func (*Parser) Parse(sql string) (*sqlparse.Result, error) {
	if err := sqlparse.CheckText(sql); err != nil {
		return nil, err
	}
	tree, err := pg_query.Parse(sql)
	if err != nil {
		return nil, syntaxError(sql, err)
	}
	res := &sqlparse.Result{Statements: len(tree.Stmts)}
	w := walker{src: sql}
	for i, raw := range tree.Stmts {
		sel := raw.Stmt.GetSelectStmt()
		if sel == nil || sel.IntoClause != nil {
			return nil, notSelect(sql, raw, len(tree.Stmts))
		}
		if i == 0 {
			res.Kind = sqlparse.KindSelect
			if sel.Op != pg_query.SetOperation_SETOP_NONE {
				res.Kind = sqlparse.KindSetOp
			}
		}
		w.node(raw.Stmt, nil)
	}
	res.Refs = sqlparse.SortRefs(w.refs)
	res.Qualified = sqlparse.SortRefs(w.quals)
	// Fields are visited in no set order: put the functions in text order.
	slices.SortStableFunc(w.funcs, func(a, b sqlparse.Func) int { return cmp.Compare(a.Offset, b.Offset) })
	res.Funcs = w.funcs
	return res, nil
}

// syntaxError turns pg_query's error into a *sqlparse.SyntaxError with a
// byte offset.
func syntaxError(sql string, err error) error {
	var pe *pgerr.Error
	if !errors.As(err, &pe) {
		return &sqlparse.SyntaxError{Msg: err.Error(), Offset: -1}
	}
	off := -1
	if pe.Cursorpos > 0 {
		off = sqlparse.RuneToByteOffset(sql, pe.Cursorpos-1)
	}
	return &sqlparse.SyntaxError{Msg: pe.Message, Offset: off}
}

// notSelect describes a statement that is not a query: its kind is the
// data-modifying keyword for INSERT, UPDATE, DELETE and MERGE (also after
// WITH), "SELECT INTO" for a SELECT that creates a table, and the leading
// keyword otherwise.
func notSelect(sql string, raw *pg_query.RawStmt, stmts int) error {
	// The location is where the previous statement ended: skip to the
	// first token.
	off := sqllex.SkipSpace(sql, int(raw.StmtLocation))
	kind := ""
	if off < len(sql) {
		if t := sqllex.Next(sql, off); t.Kind == sqllex.Word {
			kind = strings.ToUpper(t.Text(sql))
		}
	}
	switch {
	case raw.Stmt.GetInsertStmt() != nil:
		kind = "INSERT"
	case raw.Stmt.GetUpdateStmt() != nil:
		kind = "UPDATE"
	case raw.Stmt.GetDeleteStmt() != nil:
		kind = "DELETE"
	case raw.Stmt.GetMergeStmt() != nil:
		kind = "MERGE"
	case raw.Stmt.GetSelectStmt() != nil:
		kind = "SELECT INTO"
	}
	if kind == "" {
		kind = "UNKNOWN"
	}
	return &sqlparse.NotSelectError{Kind: kind, Offset: off, Statements: stmts}
}
