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
// and name, and closes it. Options are DuckDB's, given when it opens
// the file ("" for none).
func noopFloor(path, options string) {
	db, err := sql.Open("duckdb", path+options)
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
	r := c.noop(dir, fmt.Sprintf("noop-%d", n))
	ratio := r.wall.Seconds() / r.floor.Seconds()
	t.add(fmt.Sprintf("no-op build of %d models: weir / floor (open the file, read its catalog)", n),
		fmt.Sprintf("%s / %s = %.2f×, %s", secs(r.wall), secs(r.floor), ratio, mb(r.rss)), "≤ 1.1×", ratio <= 1.1)
	rssRow(t, n, r)
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

// leanLimit is the memory_limit weir's DuckDB adapter attaches an
// existing file under (adapters/duckdb attachMemoryLimit), which the
// lean floor opens the file with.
const leanLimit = "4MB"

// noopRun is what c.noop measured: the median no-op build and floor,
// and the peak RSS of the builds, of the floors and of the floor opening
// the file under leanLimit, in KB.
type noopRun struct {
	wall, floor            time.Duration
	rss, floorRSS, leanRSS int64
}

// noop times c.runs no-op builds and floors, alternately, and runs the
// lean floor as often for its peak RSS.
func (c *config) noop(dir, profile string) noopRun {
	var walls, floors []time.Duration
	var r noopRun
	db := filepath.Join(dir, "synth.duckdb")
	for i := range c.runs {
		name := ""
		if i == c.runs-1 {
			name = profile
		}
		m := c.weir(name, dir, "build")
		walls, r.rss = append(walls, m.wall), max(r.rss, m.rss)
		f, _ := runChild("noop", db)
		floors, r.floorRSS = append(floors, f.wall), max(r.floorRSS, f.rss)
		lean, _ := runChild("noop-lean", db)
		r.leanRSS = max(r.leanRSS, lean.rss)
	}
	r.wall, r.floor = median(walls), median(floors)
	return r
}

// rssRow prints the peak RSS of the n-model no-op build beside its
// floors'.
func rssRow(t *table, n int, r noopRun) {
	t.add(fmt.Sprintf("%d models: no-op peak RSS, weir / floor / floor under memory_limit %s", n, leanLimit),
		fmt.Sprintf("%s / %s / %s", mb(r.rss), mb(r.floorRSS), mb(r.leanRSS)), "", true)
}
