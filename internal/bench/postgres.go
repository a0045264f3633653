package main

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/lib/pq"

	"github.com/weir-sh/weir/internal/synth"
)

// postgresDSN is the Postgres the rows below use: a database weir_bench
// of the server WEIR_TEST_POSTGRES_DSN names (default: the local test
// server), created when missing, so that tests sharing the server's test
// database do not meet the bench's schemas. "" when there is no server.
func postgresDSN() string {
	dsn := os.Getenv("WEIR_TEST_POSTGRES_DSN")
	if dsn == "" {
		dsn = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return ""
	}
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		return ""
	}
	defer db.Close()
	if db.Ping() != nil {
		return ""
	}
	var exists bool
	check(db.QueryRow(`SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'weir_bench')`).Scan(&exists))
	if !exists {
		if _, err := db.Exec(`CREATE DATABASE weir_bench`); err != nil {
			fmt.Fprintln(os.Stderr, "bench: no Postgres rows:", err)
			return ""
		}
	}
	u.Path = "/weir_bench"
	return u.String()
}

// dropSchemas drops every schema whose name starts with prefix (the
// bench's own, weir's state schema included).
func dropSchemas(dsn, prefix string) {
	db, err := sql.Open("postgres", dsn)
	check(err)
	defer db.Close()
	rows, err := db.Query(`SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)`, prefix)
	check(err)
	var names []string
	for rows.Next() {
		var n string
		check(rows.Scan(&n))
		names = append(names, n)
	}
	check(rows.Err())
	for _, n := range names {
		_, err := db.Exec(`DROP SCHEMA "` + strings.ReplaceAll(n, `"`, `""`) + `" CASCADE`)
		check(err)
	}
}

// postgresProject writes a synthetic Postgres project under prefix.
func (c *config) postgresProject(name, prefix string, o synth.Options) string {
	return c.project(name, func(dir string) {
		o.Postgres, o.SchemaPrefix = c.pgDSN, prefix
		_, err := synth.Write(dir, o)
		check(err)
	})
}

// postgresBuildRows: the 1,000-model build on Postgres against the same
// CREATE TABLE statements in a loop over lib/pq on one connection,
// alternately, each on emptied schemas.
func postgresBuildRows(c *config, t *table) {
	const what = "build 1,000 table models, Postgres: weir / lib/pq loop (floor)"
	if c.pgDSN == "" {
		t.skip(what, "no Postgres at WEIR_TEST_POSTGRES_DSN")
		return
	}
	const prefix = "wbench_"
	dir := c.postgresProject("pg1000", prefix, synth.Options{Models: 1000, Seed: 1})
	c.weir("", dir, "compile")
	stmts := loopStatements(dir)
	var walls, loops []time.Duration
	for i := range c.runs {
		dropSchemas(c.pgDSN, prefix)
		profile := ""
		if i == c.runs-1 {
			profile = "build-1k-postgres"
		}
		walls = append(walls, c.weir(profile, dir, "build", "--threads", "4").wall)
		dropSchemas(c.pgDSN, prefix)
		loops = append(loops, child("loop", "postgres", c.pgDSN, stmts))
	}
	dropSchemas(c.pgDSN, prefix)
	wall, loop := median(walls), median(loops)
	ratio := wall.Seconds() / loop.Seconds()
	t.add(what, fmt.Sprintf("%s / %s = %.2f×", secs(wall), secs(loop), ratio), "≤ 1.2×", ratio <= 1.2)
}

// parallelRows: 200 Postgres models in 10 layers of 20, each sleeping
// 50 ms, built with 8 threads, against the lower bound max(critical
// path, total sleep ÷ threads).
func parallelRows(c *config, t *table) {
	const what = "200 models × pg_sleep(0.05), threads 8: time running models / bound"
	if c.pgDSN == "" {
		t.skip(what, "no Postgres at WEIR_TEST_POSTGRES_DSN")
		return
	}
	const (
		prefix  = "wbpar_"
		models  = 200
		layers  = 10
		sleep   = 0.05
		threads = 8
	)
	dir := c.postgresProject("pgsleep", prefix, synth.Options{Models: models, PerLayer: models / layers, Seed: 1, Sleep: sleep})
	var inModels, walls []time.Duration
	for i := range c.runs {
		dropSchemas(c.pgDSN, prefix)
		profile := ""
		if i == c.runs-1 {
			profile = "parallel-postgres"
		}
		walls = append(walls, c.weir(profile, dir, "build", "--threads", fmt.Sprint(threads)).wall)
		inModels = append(inModels, runElapsed(dir))
	}
	dropSchemas(c.pgDSN, prefix)
	critical := time.Duration(layers * sleep * float64(time.Second))
	perThread := time.Duration(models * sleep / threads * float64(time.Second))
	bound := max(critical, perThread)
	got := median(inModels)
	ratio := got.Seconds() / bound.Seconds()
	t.add(what, fmt.Sprintf("%s / max(critical path %s, sleep ÷ threads %s) = %.2f× (process %s)",
		secs(got), secs(critical), secs(perThread), ratio, secs(median(walls))), "≤ 1.1×", ratio <= 1.1)
}

// runElapsed is the time the last build spent running models, from
// target/run_results.json.
func runElapsed(dir string) time.Duration {
	var rr struct {
		Elapsed float64 `json:"elapsed_s"`
	}
	data, err := os.ReadFile(filepath.Join(dir, "target", "run_results.json"))
	check(err)
	check(json.Unmarshal(data, &rr))
	return time.Duration(rr.Elapsed * float64(time.Second))
}
