package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// noopFloor is the floor of a no-op build: a bare Go program that opens
// the DuckDB file read-write, as weir does, reads every table's schema
// and name, and closes it.
func noopFloor(path string) {
	db, err := sql.Open("duckdb", path)
	check(err)
	rows, err := db.QueryContext(context.Background(), "SELECT schema_name, table_name FROM duckdb_tables()")
	check(err)
	n := 0
	for rows.Next() {
		var s, t string
		check(rows.Scan(&s, &t))
		n++
	}
	check(rows.Err())
	check(db.Close())
	fmt.Println(n)
}

// noopRows builds the 10,000-model project, then times builds that find
// nothing to do against the floor, alternately.
func noopRows(c *config, t *table) {
	n := c.models
	dir := c.synthProject(n)
	first := c.ensureBuilt(dir)
	if first > 0 {
		t.add(fmt.Sprintf("first build of %d models (--threads 4)", n), secs(first), "", true)
	}
	wall, rss, fl := c.noop(dir, fmt.Sprintf("noop-%d", n))
	ratio := wall.Seconds() / fl.Seconds()
	t.add(fmt.Sprintf("no-op build of %d models: weir / floor (open the file, read its catalog)", n),
		fmt.Sprintf("%s / %s = %.2f×, %s", secs(wall), secs(fl), ratio, mb(rss)), "≤ 1.1×", ratio <= 1.1)
	c.fileRow(t, dir, n)
}

// fileRow prints the size of the DuckDB file of the n-model project in dir.
func (c *config) fileRow(t *table, dir string, n int) {
	fi, err := os.Stat(filepath.Join(dir, "synth.duckdb"))
	if err != nil {
		return
	}
	blocks := "256 KB blocks"
	if c.blockSize != 0 {
		blocks = fmt.Sprintf("%d KB blocks", c.blockSize>>10)
	}
	size := fmt.Sprintf("%.2f GB", float64(fi.Size())/1e9)
	if fi.Size() < 1e9 {
		size = fmt.Sprintf("%.0f MB", float64(fi.Size())/1e6)
	}
	t.add(fmt.Sprintf("DuckDB file of %d two-column tables of 10 rows (%s)", n, blocks),
		fmt.Sprintf("%s (%.0f KB a table)", size, float64(fi.Size())/1024/float64(n)), "", true)
}

// ensureBuilt builds the project's DuckDB file when it has none and
// returns how long that took (0 when it was there).
func (c *config) ensureBuilt(dir string) time.Duration {
	if _, err := os.Stat(filepath.Join(dir, "synth.duckdb")); err == nil {
		return 0
	}
	return c.weir("", dir, "build", "--threads", "4").wall
}

// noop times c.runs no-op builds and floors, alternately: the median
// build, its peak RSS and the median floor.
func (c *config) noop(dir, profile string) (time.Duration, int64, time.Duration) {
	var walls, floors []time.Duration
	var rss int64
	for i := range c.runs {
		name := ""
		if i == c.runs-1 {
			name = profile
		}
		m := c.weir(name, dir, "build")
		walls, rss = append(walls, m.wall), max(rss, m.rss)
		floors = append(floors, child("noop", filepath.Join(dir, "synth.duckdb")))
	}
	return median(walls), rss, median(floors)
}
