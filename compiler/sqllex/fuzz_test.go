package sqllex

import (
	"database/sql"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	_ "github.com/duckdb/duckdb-go/v2" // the warehouse parser the lexer must agree with

	"github.com/weir-sh/weir/compiler/internal/corpus"
)

// FuzzLexerVsDuckDB holds the lexer to DuckDB's parser: for any text DuckDB
// parses, the lexer must split it into as many statements as DuckDB finds,
// each span must parse to the same statement, and neither Normalize nor
// Trim may change what DuckDB reads. Run it with
//
//	go test ./compiler/sqllex -run '^$' -fuzz FuzzLexerVsDuckDB -fuzztime 1m
//
// (make fuzz); plain go test runs the seeds below.
func FuzzLexerVsDuckDB(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, text string) {
		if !comparable(text) {
			return
		}
		text = unglue(text)
		want, ok := duckTree(t, text)
		if !ok {
			return // text DuckDB rejects needs no agreement
		}
		checkAgreement(t, duckTree, text, want)
	})
}

// fuzzSeeds add shapes the corpus lacks: every literal and comment form,
// each next to a quote, a semicolon or a comment opener it must hide.
var fuzzSeeds = []string{
	"SELECT E'\\\\' AS a, '--' AS b; SELECT 'x''y' /* ' */ AS c",
	"SELECT U&'\\' AS s, 'x' AS t",
	"SELECT $a$ $b$ ; $a$ AS s, $$$$ AS e",
	"SELECT b'101' AS a, x'1F' AS b, N'n' AS c -- ' \n",
	"SELECT 1 AS x -- no newline",
	"SELECT 1 /* /* deep */ still */ + 1 AS x",
	"SELECT 'a' \r\n 'b' AS s; SELECT 'c'/*x*/\n'd' AS t",
	"SELECT 1e2 AS a, 1.5E-3 AS b, 1_000 AS c, .5 AS d",
	"SELECT ?1, $1",
	"FROM 'data/x.csv'",
}

// addSeeds adds the seeds both fuzzers start from: the ugly cases, the
// fuzz seeds and the cases of the shared inference corpus.
func addSeeds(f *testing.F) {
	for _, c := range uglyCases {
		f.Add(c.sql)
	}
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	for _, c := range corpus.Load(f, "../sqlparse/testdata/inference-cases.sql") {
		f.Add(c.SQL)
	}
}

// comparable filters texts DuckDB does not read as they are written: the
// driver passes a C string (a NUL ends it), DuckDB refuses invalid UTF-8,
// and it replaces some Unicode spaces before lexing with a pre-pass of its
// own (StripUnicodeSpaces) that the lexer does not model.
func comparable(text string) bool {
	if strings.IndexByte(text, 0) >= 0 || !utf8.ValidString(text) || len(text) > 4000 {
		return false
	}
	return !strings.ContainsFunc(text, func(r rune) bool {
		return r == 0x00a0 || r >= 0x2000 && r <= 0x200b || r == 0x202f || r == 0x205f || r == 0x2060 || r == 0x3000 || r == 0xfeff
	})
}

// unglue puts a space between an operator and a comment that follows it
// directly. DuckDB lexes an operator run up to a comment as a generic
// operator, so "x ->/*c*/ y" and "0 //--" read ->, // and ** as operators
// where "x -> y" reads a lambda arrow: no way of dropping the comment keeps
// that, and such texts fail when DuckDB binds them (there is no -> or
// //__postfix function), so a failed build keeps the model stale anyway.
func unglue(text string) string {
	var b strings.Builder
	var prev Token
	for t := range All(text) {
		if t.Kind == Comment && prev.Kind == Punct && prev.End == t.Start && strings.IndexByte("~!@^&|`+-*/%<>=", text[prev.End-1]) >= 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.Text(text))
		prev = t
	}
	return b.String()
}

// treeFunc parses a text with a warehouse's parser and returns its
// statements' trees without source locations, or false if it refuses it.
type treeFunc func(t *testing.T, text string) ([]any, bool)

// checkAgreement compares the lexer's view of text with want, the
// statements parse finds in it.
func checkAgreement(t *testing.T, parse treeFunc, text string, want []any) {
	t.Helper()
	spans := Statements(text)
	if len(spans) != len(want) {
		t.Fatalf("%q: lexer finds %d statements, the parser %d", text, len(spans), len(want))
	}
	for k, sp := range spans {
		got, ok := parse(t, text[sp.Start:sp.End])
		if !ok || len(got) != 1 || !reflect.DeepEqual(got[0], want[k]) {
			t.Fatalf("%q: statement %d as split, %q, is not what the parser read", text, k+1, text[sp.Start:sp.End])
		}
	}
	norm := Normalize(text)
	if got, ok := parse(t, norm); !ok || !reflect.DeepEqual(got, want) {
		t.Fatalf("%q: Normalize gives %q, which the parser reads differently", text, norm)
	}
	// A trimmed text must end in code: what follows it is not swallowed by
	// a comment or literal, and nothing of the last statement is lost.
	trimmed := Trim(text) + ";SELECT 42"
	tail, _ := parse(t, "SELECT 42")
	if got, ok := parse(t, trimmed); !ok || !reflect.DeepEqual(got, append(want[:len(want):len(want)], tail...)) {
		t.Fatalf("%q: Trim then ;SELECT 42 gives %q, which the parser reads differently", text, trimmed)
	}
}

var duck struct {
	once sync.Once
	stmt *sql.Stmt
	err  error
}

// duckTree returns DuckDB's parse of text as its statements' trees without
// their query_location fields, or false if DuckDB refuses the text (a
// syntax error, or a statement json_serialize_sql cannot serialize).
func duckTree(t *testing.T, text string) ([]any, bool) {
	t.Helper()
	duck.once.Do(func() {
		var db *sql.DB
		if db, duck.err = sql.Open("duckdb", "?threads=1"); duck.err == nil {
			duck.stmt, duck.err = db.Prepare(`SELECT json_serialize_sql($1::VARCHAR)::VARCHAR`)
		}
	})
	if duck.err != nil {
		t.Fatal(duck.err)
	}
	var js string
	if err := duck.stmt.QueryRow(text).Scan(&js); err != nil {
		t.Fatalf("json_serialize_sql(%q): %v", text, err)
	}
	var tree struct {
		Error      bool  `json:"error"`
		Statements []any `json:"statements"`
	}
	js = corpus.ReplaceNonFinite(js, strconv.Quote) // a literal past a double's range is Infinity
	if err := json.Unmarshal([]byte(js), &tree); err != nil {
		t.Fatal(err)
	}
	if tree.Error {
		return nil, false
	}
	for _, s := range tree.Statements {
		dropLocations(s)
	}
	return tree.Statements, true
}

// dropLocations deletes the fields that hold byte offsets: DuckDB's
// query_location, Postgres's location, stmt_location and stmt_len.
func dropLocations(v any) {
	switch x := v.(type) {
	case map[string]any:
		for _, k := range []string{"query_location", "location", "stmt_location", "stmt_len"} {
			delete(x, k)
		}
		for _, e := range x {
			dropLocations(e)
		}
	case []any:
		for _, e := range x {
			dropLocations(e)
		}
	}
}
