package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/weir-sh/weir/adapters"
)

// buildRows builds the 1,000-model project on a new DuckDB file with
// weir, and runs the same CREATE TABLE statements in a plain loop on one
// connection to a new file (the floor), alternately, so load on the
// machine hits both alike.
func buildRows(c *config, t *table) {
	dir := c.synthProject(1000)
	db := filepath.Join(dir, "synth.duckdb")
	c.weir("", dir, "compile")
	stmts := loopStatements(dir)
	var walls, loops []time.Duration
	for i := range c.runs {
		os.Remove(db)
		os.Remove(db + ".wal")
		profile := ""
		if i == c.runs-1 {
			profile = "build-1k-duckdb"
		}
		walls = append(walls, c.weir(profile, dir, "build", "--threads", "4").wall)
		loops = append(loops, child("loop", "duckdb", filepath.Join(dir, "plain.duckdb")+c.blockSizeOption(), stmts))
	}
	wall, loop := median(walls), median(loops)
	ratio := wall.Seconds() / loop.Seconds()
	t.add("build 1,000 table models, DuckDB: weir / plain loop (floor)",
		fmt.Sprintf("%s / %s = %.2f×", secs(wall), secs(loop), ratio), "≤ 1.2×", ratio <= 1.2)
}

// blockSizeOption is the DuckDB connection option that gives a new file
// the synthetic targets' block size, "" for DuckDB's default.
func (c *config) blockSizeOption() string {
	if c.blockSize == 0 {
		return ""
	}
	return fmt.Sprintf("?default_block_size=%d", c.blockSize)
}

// loopStatements is the project's models as CREATE SCHEMA and CREATE
// TABLE … AS statements in dependency order, from target/manifest.json,
// written as a JSON list to a file beside it, whose path it returns.
// Synthetic relations are schema.name with plain identifiers.
func loopStatements(dir string) string {
	var m struct {
		Nodes []struct {
			Relation    string `json:"relation"`
			CompiledSQL string `json:"compiled_sql"`
		} `json:"nodes"`
	}
	data, err := os.ReadFile(filepath.Join(dir, "target", "manifest.json"))
	check(err)
	check(json.Unmarshal(data, &m))
	var schemas, tables []string
	seen := map[string]bool{}
	// Layer folders sort in dependency order (l000 before l001 …).
	for _, n := range m.Nodes {
		schema, name, _ := strings.Cut(n.Relation, ".")
		q := adapters.ANSIQuote
		if !seen[schema] {
			seen[schema] = true
			schemas = append(schemas, "CREATE SCHEMA IF NOT EXISTS "+q(schema))
		}
		tables = append(tables, fmt.Sprintf("CREATE TABLE %s.%s AS\n%s", q(schema), q(name), n.CompiledSQL))
	}
	data, err = json.Marshal(append(schemas, tables...))
	check(err)
	path := filepath.Join(dir, "target", "loop.json")
	check(os.WriteFile(path, data, 0o644))
	return path
}

// plainLoop opens a database, runs the statements of the file stmts (a
// JSON list) one at a time on one connection and closes it (DuckDB
// checkpoints on close, as weir's build does). For DuckDB target is a new
// file, with options after "?" (blockSizeOption); for Postgres a DSN whose
// schemas the statements create.
func plainLoop(driver, target, stmtsFile string) {
	data, err := os.ReadFile(stmtsFile)
	check(err)
	var stmts []string
	check(json.Unmarshal(data, &stmts))
	if driver == "duckdb" {
		file, _, _ := strings.Cut(target, "?")
		os.Remove(file)
		os.Remove(file + ".wal")
	}
	db, err := sql.Open(driver, target)
	check(err)
	conn, err := db.Conn(context.Background())
	check(err)
	for _, s := range stmts {
		_, err := conn.ExecContext(context.Background(), s)
		check(err)
	}
	check(conn.Close())
	check(db.Close())
}
