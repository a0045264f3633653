package adapters

import (
	"reflect"
	"testing"
)

// batching is a dialect that batches statements (Postgres's simple
// query protocol); ansi is one that does not.
type batching struct{ ansi }

func (batching) BatchesStatements() {}

type ansi struct{}

func (ansi) Name() string                   { return "ansi" }
func (ansi) QuoteIdent(s string) string     { return ANSIQuote(s) }
func (ansi) QuoteLiteral(s string) string   { return StandardLiteral(s) }
func (ansi) CreateSchema(s string) string   { return "CREATE SCHEMA " + ANSIQuote(s) }
func (ansi) SupportsTransactionalDDL() bool { return true }
func (ansi) DropCascade() string            { return "" }
func (ansi) MaxIdentifierLength() int       { return 0 }

// TestWithStatement: a batching dialect sends the statement before a
// last step that counts rows (so the round trip reports that count) and
// after one that does not, on a line of its own past a trailing comment;
// another dialect leaves the steps alone.
func TestWithStatement(t *testing.T) {
	const rec = "INSERT INTO log VALUES (1)"
	counting := []Step{{SQL: "DROP TABLE IF EXISTS t"}, {SQL: "CREATE TABLE t AS\nSELECT 1", Counts: true}}
	got, ok := WithStatement(batching{}, counting, rec)
	want := []Step{{SQL: "DROP TABLE IF EXISTS t"}, {SQL: rec + ";\nCREATE TABLE t AS\nSELECT 1", Counts: true}}
	if !ok || !reflect.DeepEqual(got, want) {
		t.Errorf("counting last step: got %+v, %v; want %+v", got, ok, want)
	}
	if counting[1].SQL != "CREATE TABLE t AS\nSELECT 1" {
		t.Errorf("the caller's steps changed: %+v", counting)
	}
	got, ok = WithStatement(batching{}, []Step{{SQL: "CREATE VIEW v AS\nSELECT 1 -- a comment"}}, rec)
	want = []Step{{SQL: "CREATE VIEW v AS\nSELECT 1 -- a comment\n;\n" + rec}}
	if !ok || !reflect.DeepEqual(got, want) {
		t.Errorf("view: got %+v, %v; want %+v", got, ok, want)
	}
	if got, ok := WithStatement(ansi{}, counting, rec); ok || !reflect.DeepEqual(got, counting) {
		t.Errorf("a dialect that does not batch: got %+v, %v", got, ok)
	}
	if _, ok := WithStatement(batching{}, nil, rec); ok {
		t.Error("no steps: the statement has nothing to travel with, want ok false")
	}
}

// TestBatched: a batching dialect sends statements in one; another one by
// one.
func TestBatched(t *testing.T) {
	stmts := []string{"CREATE SCHEMA a", "CREATE SCHEMA b"}
	if got := Batched(batching{}, stmts); !reflect.DeepEqual(got, []string{"CREATE SCHEMA a;\nCREATE SCHEMA b"}) {
		t.Errorf("batching: %q", got)
	}
	if got := Batched(ansi{}, stmts); !reflect.DeepEqual(got, stmts) {
		t.Errorf("not batching: %q", got)
	}
}
