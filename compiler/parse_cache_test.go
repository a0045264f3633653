package compiler

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/compiler/pgparse"
	"github.com/weir-sh/weir/compiler/sqlparse"
	"github.com/weir-sh/weir/models"
)

// TestParseCacheKeyedByParser parses one text with DuckDB's grammar, which
// accepts it, and then, through a cache saved and loaded again, with
// Postgres's, which must refuse it rather than reuse DuckDB's answer.
func TestParseCacheKeyedByParser(t *testing.T) {
	duck, err := sqlparse.New()
	if err != nil {
		t.Fatal(err)
	}
	defer duck.Close()
	pg, _ := pgparse.New()
	const sql = "FROM s.t SELECT id" // DuckDB's FROM-first syntax
	path := filepath.Join(t.TempDir(), "parse.gob")

	c := loadCache(path, duck)
	if _, err := c.parse(sql); err != nil {
		t.Fatalf("duckdb: %v", err)
	}
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	c = loadCache(path, pg)
	_, err = c.parse(sql)
	var se *sqlparse.SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("postgres: err = %v, want a syntax error", err)
	}
	res, err := c.with(duck).parse(sql)
	if hits, _ := c.Stats(); err != nil || len(res.Refs) != 1 || hits != 1 {
		t.Errorf("duckdb again: %+v, %v, %d hits; want the cached result", res, err, hits)
	}
}

// TestLazyParserKey: the parser NewParser gives for DuckDB, opened at its
// first use, keys the parse cache as the parser it opens, so entries
// saved by either are found by the other.
func TestLazyParserKey(t *testing.T) {
	duck, err := sqlparse.New()
	if err != nil {
		t.Fatal(err)
	}
	defer duck.Close()
	d, err := adapters.DialectOf(&models.Target{Adapter: "duckdb"})
	if err != nil {
		t.Fatal(err)
	}
	lazy, err := NewParser(d)
	if err != nil {
		t.Fatal(err)
	}
	defer lazy.Close()
	if got, want := parserKey(lazy), parserKey(duck); got != want {
		t.Errorf("lazy parser's key %q, DuckDB parser's %q", got, want)
	}
	res, err := lazy.Parse("SELECT * FROM s.t")
	if err != nil || len(res.Refs) != 1 {
		t.Errorf("lazy Parse: %+v, %v; want one reference", res, err)
	}
}
