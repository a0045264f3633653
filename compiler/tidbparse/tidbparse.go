// Package tidbparse finds the tables a SQL statement reads, using the
// grammar of the MySQL family as TiDB's parser
// (github.com/pingcap/tidb/pkg/parser) implements it, for targets on
// MySQL, MariaDB and TiDB.
//
// It answers with the types of package sqlparse, so the compiler treats
// every dialect alike: table references with their byte offset and the
// length written, column qualifiers (db.t.col), the statement count,
// *sqlparse.SyntaxError and *sqlparse.NotSelectError.
//
// TiDB's AST carries no offsets on table names, and its lexer's
// positions are not exported. So the references the AST names, in the
// order it visits them (the order of the text), are found in the tokens
// of a small lexer of MySQL's lexical rules (lex.go): the next place
// where the name is written where a table may stand (after FROM, JOIN,
// STRAIGHT_JOIN, TABLE, or a comma or parenthesis in a FROM clause). A
// differential test holds that lexer to TiDB's own (lex_test.go).
//
// Facts about the TiDB parser this package relies on (pinned by the
// tests): TableName and ColumnName keep identifiers as written in .O
// (unquoted, original case); a CTE reference is a TableName without a
// schema; the visitor walks a SELECT's parts in text order; with
// ANSI_QUOTES set, "x" is an identifier.
package tidbparse

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/pingcap/tidb/pkg/parser"
	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/mysql"
	_ "github.com/pingcap/tidb/pkg/parser/test_driver" // value expressions; parser.New panics without a driver

	"github.com/weir-sh/weir/compiler/sqlparse"
)

// Parser parses MySQL-family SQL. Safe for concurrent use: each Parse
// takes a TiDB parser of its own from a pool.
type Parser struct {
	ansiQuotes bool
	pool       sync.Pool
}

// New returns a Parser; ansiQuotes reads "x" as an identifier, as a
// session with sql_mode ANSI_QUOTES does. It never fails; the error is
// there to match sqlparse.New.
func New(ansiQuotes bool) (*Parser, error) {
	p := &Parser{ansiQuotes: ansiQuotes}
	p.pool.New = func() any {
		tp := parser.New()
		var mode mysql.SQLMode
		if ansiQuotes {
			mode = mysql.ModeANSIQuotes
		}
		tp.SetSQLMode(mode)
		tp.EnableWindowFunc(true)
		return tp
	}
	return p, nil
}

// CacheKey tells the compiler's parse cache one mode from the other.
func (p *Parser) CacheKey() string { return fmt.Sprintf("tidbparse ansi_quotes=%v", p.ansiQuotes) }

// Close does nothing; a Parser holds no resources.
func (*Parser) Close() error { return nil }

// Parse parses sql and returns the tables it reads. It returns a
// *sqlparse.SyntaxError for text the grammar refuses and a
// *sqlparse.NotSelectError for text holding a statement other than a
// query.
func (p *Parser) Parse(sql string) (*sqlparse.Result, error) {
	if err := sqlparse.CheckText(sql); err != nil {
		return nil, err
	}
	tp := p.pool.Get().(*parser.Parser)
	defer p.pool.Put(tp)
	stmts, _, err := tp.Parse(sql, "", "")
	if err != nil {
		return nil, syntaxError(sql, err)
	}
	toks := lex(sql, p.ansiQuotes)
	res := &sqlparse.Result{Statements: len(stmts)}
	c := &collector{}
	from := 0
	for i, st := range stmts {
		if err := checkSelect(sql, from, toks, st, len(stmts)); err != nil {
			return nil, err
		}
		if k := strings.Index(sql[from:], strings.TrimSpace(st.Text())); k >= 0 {
			from += k + len(strings.TrimSpace(st.Text()))
		}
		if i == 0 {
			res.Kind = sqlparse.KindSelect
			if _, ok := st.(*ast.SetOprStmt); ok {
				res.Kind = sqlparse.KindSetOp
			}
		}
		st.Accept(c)
	}
	res.Refs = locateTables(sql, toks, c.tables)
	res.Qualified = locateQualifiers(toks, c.qualifiers)
	return res, nil
}

// checkSelect returns a *sqlparse.NotSelectError unless st is a query.
// from is where the statement's text may begin.
func checkSelect(sql string, from int, toks []token, st ast.StmtNode, stmts int) error {
	switch s := st.(type) {
	case *ast.SelectStmt:
		if s.SelectIntoOpt == nil {
			return nil
		}
	case *ast.SetOprStmt:
		return nil
	}
	// The statement's own text, found from where the previous one ended.
	off := strings.Index(sql[from:], strings.TrimSpace(st.Text()))
	if off < 0 {
		off = 0
	}
	off += from
	kind := "UNKNOWN"
	for _, t := range toks {
		if t.start >= off && t.kind == tokWord {
			kind, off = strings.ToUpper(t.name), t.start
			break
		}
	}
	switch st.(type) {
	case *ast.InsertStmt:
		kind = "INSERT"
	case *ast.UpdateStmt:
		kind = "UPDATE"
	case *ast.DeleteStmt:
		kind = "DELETE"
	case *ast.SelectStmt:
		kind = "SELECT INTO"
	}
	return &sqlparse.NotSelectError{Kind: kind, Offset: off, Statements: stmts}
}

// reLineCol and reNear read the position out of TiDB's syntax error.
var (
	reLineCol = regexp.MustCompile(`line (\d+) column (\d+)`)
	reNear    = regexp.MustCompile(`(?s)near "(.*)"\s*$`)
	reMsg     = regexp.MustCompile(`^\[parser:\d+\]`)
)

// syntaxError turns TiDB's error into a *sqlparse.SyntaxError with a byte
// offset: where the text it quotes after "near" begins (the rest of the
// text from the error on), or else its line and column.
func syntaxError(sql string, err error) error {
	msg := reMsg.ReplaceAllString(err.Error(), "")
	off := -1
	if m := reNear.FindStringSubmatch(msg); m != nil && m[1] != "" && strings.HasSuffix(sql, m[1]) {
		off = len(sql) - len(m[1])
	} else if m := reLineCol.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		col, _ := strconv.Atoi(m[2])
		off = lineColOffset(sql, line, col)
	}
	msg = strings.Replace(msg, "You have an error in your SQL syntax; check the manual that corresponds to your TiDB version for the right syntax to use ", "syntax error at ", 1)
	return &sqlparse.SyntaxError{Msg: msg, Offset: off}
}

// lineColOffset is the byte offset of a 1-based line and 0-based byte
// column, clamped to the text; -1 when the line is past the end.
func lineColOffset(s string, line, col int) int {
	off := 0
	for l := 1; l < line; l++ {
		nl := strings.IndexByte(s[off:], '\n')
		if nl < 0 {
			return -1
		}
		off += nl + 1
	}
	return min(off+max(col, 0), len(s))
}
