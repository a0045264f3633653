package compiler

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/weir-sh/weir/compiler/pgparse"
	"github.com/weir-sh/weir/compiler/sqlparse"
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

	c := loadCache(path)
	if _, err := c.parse(duck, sql); err != nil {
		t.Fatalf("duckdb: %v", err)
	}
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	c = loadCache(path)
	_, err = c.parse(pg, sql)
	var se *sqlparse.SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("postgres: err = %v, want a syntax error", err)
	}
	res, err := c.parse(duck, sql)
	if hits, _ := c.Stats(); err != nil || len(res.Refs) != 1 || hits != 1 {
		t.Errorf("duckdb again: %+v, %v, %d hits; want the cached result", res, err, hits)
	}
}
