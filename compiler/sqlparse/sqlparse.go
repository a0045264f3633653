// Package sqlparse finds the tables a SQL statement reads, using DuckDB's parser.
//
// The SQL is handed to json_serialize_sql in an embedded in-memory DuckDB,
// which returns the statement's parse tree as JSON. The tree is walked for
// BASE_TABLE nodes (table references) and TABLE_FUNCTION nodes (function
// sources such as read_csv_auto), with the names of common table expressions
// scoped the way DuckDB binds them, so a CTE name is not reported as a table.
// Calls made at the same time are asked of DuckDB together, in one query
// over a list of texts (batch.go), and the JSON is read into a flat list
// of values (json.go) rather than into maps.
//
// Facts about DuckDB 1.5.6 this package relies on (pinned by the tests):
//   - query_location on a node is a byte offset into the text; nodes without
//     a location carry 2^64-1.
//   - on a syntax error the JSON is {"error":true,"error_type":"parser",
//     "error_message":...,"error_subtype":"SYNTAX_ERROR","position":"N"},
//     where N (a string) counts Unicode code points, not bytes. Some parser
//     errors ("SELECT locking clause is not supported!", "Duplicate CTE
//     name") come without a position.
//   - before parsing, DuckDB replaces each of a set of Unicode spaces
//     (no-break space U+00A0, U+2000-U+200B, U+202F, U+205F, U+2060,
//     ideographic space U+3000, byte order mark U+FEFF) outside quotes with
//     one ASCII space, and its offsets count in that shorter text. Parse
//     masks them with as many ASCII spaces as they have bytes first, so the
//     offsets stay true to the text as written.
//   - json_serialize_sql serializes only SELECT statements: any other
//     statement anywhere in the text (INSERT, DROP, CREATE, PIVOT, EXPLAIN,
//     ...) makes it return {"error":true,"error_type":"not implemented",
//     "error_message":"Only SELECT statements can be serialized to json!"}
//     with no position and no statement type. Parse then finds the offending
//     statement itself and returns a *NotSelectError.
package sqlparse

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	_ "github.com/duckdb/duckdb-go/v2" // registers the "duckdb" driver
)

// Ref is one reference to a base table in the SQL text.
type Ref struct {
	Catalog, Schema, Name string // as written (unquoted, original case); empty when not given
	Alias                 string // alias given in the SQL, "" if none
	// Offset is the byte offset of the first character of the reference
	// (from DuckDB's query_location), or -1 if DuckDB gave none.
	Offset int
	// Length is the byte length of the reference as written, from Offset
	// over the dotted, possibly quoted, name parts and anything between
	// them: `"Sales"."Order Items"` including the quotes, `main.orders` = 11.
	// The alias is not included. Length is 0 if the reference could not be
	// located in the text (Offset -1, or the text at Offset does not spell
	// the name); a caller rewriting references must treat that as an error.
	Length int
}

// Func is a table function call in FROM (read_csv_auto, generate_series, ...).
type Func struct {
	Name string // function name as written
	// Offset is the byte offset of the call's first character (the schema
	// when the name is qualified), or -1 if DuckDB gave none.
	Offset int
	// Schema and Catalog qualify the function when written (my_schema.my_macro()).
	Schema, Catalog string
}

// Result is what Parse found.
type Result struct {
	// Refs are the base-table references that are not CTE names in scope,
	// in text order; duplicates are kept (one per occurrence in the text).
	Refs []Ref
	// Funcs are the table functions used as sources, in text order.
	Funcs []Func
	// Qualified are the schema-qualified table names in front of a column
	// (staging.t in staging.t.id, db.staging.t in db.staging.t.*), in text
	// order. Offset and Length cover the qualifier without the column;
	// Alias is "". A qualifier of one part (t.id) is not listed. A
	// qualifier may also be a table and a composite column (t.col.field):
	// a caller rewrites only those naming a relation it knows.
	Qualified []Ref
	// Files are the files the text reads, in text order: strings in FROM,
	// quoted names DuckDB scans as files, and the string paths given to
	// file-reading table functions (see File).
	Files []File
	// Statements is the number of statements in the text (a trailing
	// semicolon or comment does not start another one).
	Statements int
	// Kind is the query node type of the first statement as DuckDB names
	// it: "SELECT_NODE" for a plain select (also VALUES, FROM-first,
	// TABLE t, DESCRIBE, SUMMARIZE), "SET_OPERATION_NODE" for a UNION,
	// INTERSECT or EXCEPT at the top. "" when the text has no statement.
	// Statements other than queries never reach a Result: see NotSelectError.
	Kind string
}

// Query node kinds reported in Result.Kind.
const (
	KindSelect = "SELECT_NODE"
	KindSetOp  = "SET_OPERATION_NODE"
)

// SyntaxError is a parse failure with the byte offset DuckDB reported (-1 if none).
type SyntaxError struct {
	Msg    string // DuckDB's message, e.g. `syntax error at or near "FROM"`
	Offset int    // byte offset into the parsed text, -1 if DuckDB gave no position
}

// Error returns the message and, when known, the byte offset.
func (e *SyntaxError) Error() string {
	if e.Offset < 0 {
		return e.Msg
	}
	return fmt.Sprintf("%s (at byte %d)", e.Msg, e.Offset)
}

// NotSelectError reports a text that parses but holds a statement that is
// not a query (INSERT, DROP, CREATE, UPDATE, PIVOT statement, EXPLAIN, ...).
// DuckDB does not serialize such statements, so nothing about the text's
// table references is known.
type NotSelectError struct {
	// Kind is the statement's leading keyword in upper case ("INSERT",
	// "DROP", "CREATE", ...); for WITH ... INSERT/UPDATE/DELETE it is the
	// data-modifying keyword after the CTEs. A PIVOT whose values are not
	// listed with IN (...) is "PIVOT" even inside a SELECT: DuckDB expands
	// it into several statements, so it is not a query either.
	Kind string
	// Offset is the byte offset of the first token of that statement (of
	// the PIVOT keyword for Kind "PIVOT").
	Offset int
	// Statements is the number of statements in the whole text.
	Statements int
}

// Error describes the statement found.
func (e *NotSelectError) Error() string {
	if e.Kind == "PIVOT" || e.Kind == "UNPIVOT" {
		return fmt.Sprintf("%s at byte %d is not a single SELECT: give the pivot values with IN (...)", e.Kind, e.Offset)
	}
	return fmt.Sprintf("%s statement at byte %d: only SELECT statements are supported", e.Kind, e.Offset)
}

const serializeQuery = `SELECT json_serialize_sql($1::VARCHAR)::VARCHAR`

// Parser parses SQL with an embedded in-memory DuckDB. Safe for concurrent
// use (calls made at the same time are answered together, see batch.go);
// open it once.
type Parser struct {
	db    *sql.DB
	stmt  *sql.Stmt // one text
	batch *sql.Stmt // a list of texts

	servers  int
	requests chan *request
	quit     chan struct{}
	wg       sync.WaitGroup
	closing  sync.Once
	batched  atomic.Int64 // texts answered in batches of more than one
}

// New opens an in-memory DuckDB for parsing. Close it when done.
func New() (*Parser, error) {
	// Parsing needs no worker threads; one keeps each instance light.
	db, err := sql.Open("duckdb", "?threads=1")
	if err != nil {
		return nil, fmt.Errorf("sqlparse: open duckdb: %w", err)
	}
	// One connection per server, one more for the calls that do not
	// batch (Tree, a statement that is not a query).
	servers := servers()
	db.SetMaxOpenConns(servers + 1)
	db.SetMaxIdleConns(servers + 1)
	db.SetConnMaxLifetime(0)
	p := &Parser{db: db, servers: servers, requests: make(chan *request), quit: make(chan struct{})}
	if p.stmt, err = db.Prepare(serializeQuery); err == nil {
		p.batch, err = db.Prepare(batchQuery)
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlparse: prepare: %w", err)
	}
	p.wg.Add(servers)
	for range servers {
		go p.serve()
	}
	return p, nil
}

// Close waits for the calls being answered and releases the embedded
// database.
func (p *Parser) Close() error {
	p.closing.Do(func() { close(p.quit) })
	p.wg.Wait()
	return errors.Join(p.stmt.Close(), p.batch.Close(), p.db.Close())
}

// Parse parses sql and returns the tables and table functions it reads.
// It returns a *SyntaxError for text DuckDB cannot parse and a
// *NotSelectError for text holding a statement other than a query.
func (p *Parser) Parse(sql string) (*Result, error) {
	return p.ParseContext(context.Background(), sql)
}

// ParseContext is Parse with a context for the database call.
func (p *Parser) ParseContext(ctx context.Context, sql string) (*Result, error) {
	if err := checkText(sql); err != nil {
		return nil, err
	}
	text := maskSpaces(sql)
	js, err := p.ask(ctx, text)
	if err != nil {
		return nil, err
	}
	buf := valsPool.Get().(*[]jval)
	defer valsPool.Put(buf)
	tree, err := decodeTree(js, *buf)
	if err != nil {
		return nil, err
	}
	*buf = tree.d.vals[:0]
	if tree.Error {
		return nil, p.treeError(ctx, text, tree)
	}
	res := &Result{Statements: len(tree.Statements)}
	w := walker{d: &tree.d, src: text, orig: sql}
	for i, node := range tree.Statements {
		if i == 0 {
			res.Kind = kind(tree.d.str(tree.d.get(node, "type")))
		}
		w.walk(node, nil)
	}
	res.Refs, res.Funcs, res.Qualified = w.result()
	res.Files = w.files
	return res, nil
}

// kind returns the query node type t without pointing into the JSON.
func kind(t string) string {
	switch t {
	case KindSelect:
		return KindSelect
	case KindSetOp:
		return KindSetOp
	}
	return strings.Clone(t)
}

// valsPool keeps the value lists of decoded parse trees for reuse.
var valsPool = sync.Pool{New: func() any { return new([]jval) }}

// tree is json_serialize_sql's answer, decoded.
type tree struct {
	d            doc
	Error        bool
	ErrorType    string
	ErrorMessage string
	Position     string // DuckDB gives it as a string of digits
	Statements   []int  // the node of each statement, in d
}

// decodeTree reads json_serialize_sql's answer js, reusing vals.
func decodeTree(js string, vals []jval) (*tree, error) {
	d, err := parseDoc(js, vals)
	if err == nil && !d.is(0, jObject) {
		err = errors.New("not an object")
	}
	if err != nil {
		return nil, fmt.Errorf("sqlparse: decode parse tree: %w", err)
	}
	t := &tree{
		d:            d,
		Error:        d.is(d.get(0, "error"), jTrue),
		ErrorType:    d.str(d.get(0, "error_type")),
		ErrorMessage: d.str(d.get(0, "error_message")),
	}
	if pos := d.get(0, "position"); d.is(pos, jString) || d.is(pos, jNumber) {
		t.Position = d.vals[pos].text
	}
	if st := d.get(0, "statements"); d.is(st, jArray) {
		for c := d.first(st); c >= 0; c = d.next(st, c) {
			t.Statements = append(t.Statements, d.get(c, "node"))
		}
	}
	return t, nil
}

// serialize asks DuckDB for the parse tree of sql on its own.
func (p *Parser) serialize(ctx context.Context, sql string) (*tree, error) {
	js, err := p.serializeOne(ctx, sql)
	if err != nil {
		return nil, err
	}
	return decodeTree(js, nil)
}

// serializeOne returns json_serialize_sql's answer for sql.
func (p *Parser) serializeOne(ctx context.Context, sql string) (string, error) {
	var js string
	if err := p.stmt.QueryRowContext(ctx, sql).Scan(&js); err != nil {
		return "", fmt.Errorf("sqlparse: json_serialize_sql: %w", err)
	}
	return js, nil
}

const notSelectMsg = "Only SELECT statements"

// treeError turns an error answer into *SyntaxError or *NotSelectError.
func (p *Parser) treeError(ctx context.Context, src string, t *tree) error {
	if strings.HasPrefix(t.ErrorMessage, notSelectMsg) {
		return p.notSelect(ctx, src)
	}
	off := -1
	if t.Position != "" {
		if n, err := strconv.Atoi(t.Position); err == nil && n >= 0 {
			off = runeToByteOffset(src, n)
		}
	}
	msg := strings.Clone(t.ErrorMessage)
	if msg == "" {
		msg = "cannot parse SQL (" + t.ErrorType + ")"
	}
	return &SyntaxError{Msg: msg, Offset: off}
}

// notSelect finds the first statement that is not a query. The text is
// split at top-level semicolons and each statement is asked of DuckDB on
// its own; the keyword classifier is the fallback should the split not
// line up with DuckDB's.
func (p *Parser) notSelect(ctx context.Context, src string) error {
	stmts := splitStatements(src)
	e := &NotSelectError{Statements: len(stmts), Offset: -1}
	for _, s := range stmts {
		t, err := p.serialize(ctx, src[s.Start:s.End])
		if err != nil {
			return err
		}
		if t.Error && strings.HasPrefix(t.ErrorMessage, notSelectMsg) {
			var query bool
			e.Kind, query = classify(src, s)
			e.Offset = s.Start
			if query {
				// A query DuckDB refuses: a PIVOT without an IN list
				// expands into several statements while parsing.
				if kw, off := findWord(src, s, "PIVOT", "UNPIVOT"); off >= 0 {
					e.Kind, e.Offset = kw, off
				}
			}
			return e
		}
	}
	for _, s := range stmts {
		if kind, query := classify(src, s); !query {
			e.Kind, e.Offset = kind, s.Start
			return e
		}
	}
	if len(stmts) > 0 {
		e.Kind, _ = classify(src, stmts[0])
		e.Offset = stmts[0].Start
	} else {
		e.Kind = "UNKNOWN"
	}
	return e
}

// checkText refuses text DuckDB would misread: the driver hands the text
// over as a C string, so DuckDB would silently stop at a NUL byte, and it
// cannot bind invalid UTF-8 at all.
func checkText(s string) error {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return &SyntaxError{Msg: "SQL text contains a NUL byte", Offset: i}
	}
	if !utf8.ValidString(s) {
		i := 0
		for i < len(s) {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				break
			}
			i += size
		}
		return &SyntaxError{Msg: "SQL text is not valid UTF-8", Offset: i}
	}
	return nil
}

// runeToByteOffset converts a count of code points from the start of s
// into a byte offset. Invalid UTF-8 bytes count as one code point each.
func runeToByteOffset(s string, n int) int {
	i := 0
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}
