package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// blockSizes are the DuckDB block sizes the blocksize rows compare:
// DuckDB's default, 64 KB and the smallest it allows.
var blockSizes = []int{256 << 10, 64 << 10, 16 << 10}

// bigTableSQL creates the large table of the blocksize rows: ten columns
// of the usual types (sorted and random integers, decimals, dates,
// timestamps, strings of few and of many values), NROWS rows.
const bigTableSQL = `CREATE TABLE t AS SELECT
  i AS id,
  (i % 1000)::INTEGER AS k,
  (hash(i) % 1000000) / 100.0 AS v,
  hash(i * 7) AS h,
  DATE '2020-01-01' + (i % 1500)::INTEGER AS d,
  'cust_' || (hash(i) % 50000)::VARCHAR AS s,
  i % 3 = 0 AS f,
  TIMESTAMP '2020-01-01' + to_seconds(i) AS ts,
  ((hash(i) % 100000) / 100)::DECIMAL(12,2) AS x,
  md5(i::VARCHAR) AS c
FROM range(NROWS) r(i)`

// blockQueries are the queries timed on the large table.
var blockQueries = map[string]string{
	"scan":   `SELECT count(*), sum(id), sum(k), sum(v), sum(h % 1000), max(d), max(s), sum(f::INT), max(ts), sum(x), max(c) FROM t`,
	"filter": `SELECT count(*), sum(v), max(s) FROM t WHERE h % 100 = 0`,
}

// blockSizeRows measures what DuckDB's block size (a target's
// block_size) costs and saves, at each of blockSizes: a table of
// c.blockRows rows and ten columns (its file, the CPU of creating it, and
// of a scan and a filter run first in a new process, so DuckDB reads the
// blocks), and a file of c.models tables of ten rows, the synthetic
// project's shape (its size, and the no-op floor on it: open, read the
// catalog). Queries and floors alternate between block sizes; each
// figure is the median of c.runs. The files are deleted at the end.
func blockSizeRows(c *config, t *table) {
	dir := filepath.Join(c.root, "blocksize")
	check(os.MkdirAll(dir, 0o755))
	defer os.RemoveAll(dir)
	need := uint64(c.blockRows)*200 + uint64(c.models)*(256+64+16+3*7)<<10
	var fs syscall.Statfs_t
	if err := syscall.Statfs(dir, &fs); err == nil && fs.Bavail*uint64(fs.Bsize) < need+keepFree {
		t.skip("DuckDB block sizes", fmt.Sprintf("the files need about %.1f GB and the bench leaves 30 GB free", float64(need)/1e9))
		return
	}
	big, small := map[int]string{}, map[int]string{}
	var create, bigSize, smallSize []string
	for _, bs := range blockSizes {
		big[bs] = filepath.Join(dir, fmt.Sprintf("big-%d.duckdb", bs))
		m, _ := runChild("blocks", "big", big[bs], fmt.Sprintf("%d:%d", bs, c.blockRows))
		create = append(create, fmt.Sprintf("%.1f s", m.cpu.Seconds()))
		bigSize = append(bigSize, fileMB(big[bs]))
		small[bs] = filepath.Join(dir, fmt.Sprintf("small-%d.duckdb", bs))
		runChild("blocks", "small", small[bs], fmt.Sprintf("%d:%d", bs, c.models))
		smallSize = append(smallSize, fileMB(small[bs]))
	}
	cpu := map[string]map[int][]time.Duration{"scan": {}, "filter": {}, "floor": {}}
	for range c.runs {
		for _, bs := range blockSizes {
			for q := range blockQueries {
				_, out := runChild("blocks", q, big[bs], "")
				secs, err := strconv.ParseFloat(strings.TrimSpace(out), 64)
				check(err)
				cpu[q][bs] = append(cpu[q][bs], time.Duration(secs*float64(time.Second)))
			}
			m, _ := runChild("noop", small[bs])
			cpu["floor"][bs] = append(cpu["floor"][bs], m.cpu)
		}
	}
	medians := func(what string) string {
		var out []string
		for _, bs := range blockSizes {
			out = append(out, fmt.Sprintf("%.2f s", median(cpu[what][bs]).Seconds()))
		}
		return strings.Join(out, " / ")
	}
	head := "block size 256 / 64 / 16 KB: "
	rows := fmt.Sprintf("%d rows × 10 columns", c.blockRows)
	t.add(head+"file of one table of "+rows, strings.Join(bigSize, " / "), "", true)
	t.add(head+"CPU creating it (CREATE TABLE AS, checkpoint)", strings.Join(create, " / "), "", true)
	t.add(head+"CPU of a scan of all its columns, first in a new process", medians("scan"), "", true)
	t.add(head+"CPU of a filter on one column, first in a new process", medians("filter"), "", true)
	t.add(head+fmt.Sprintf("file of %d tables of 10 rows", c.models), strings.Join(smallSize, " / "), "", true)
	t.add(head+"CPU of the no-op floor on it (open, read the catalog)", medians("floor"), "", true)
}

// fileMB is the size of a file in MB.
func fileMB(path string) string {
	fi, err := os.Stat(path)
	check(err)
	return fmt.Sprintf("%.0f MB", float64(fi.Size())/1e6)
}

// blockChild is the child process of the blocksize rows: "big FILE
// BS:ROWS" creates the large table in a new file of blocks of BS bytes,
// "small FILE BS:N" creates N tables of ten rows, and a name of
// blockQueries runs that query on FILE and prints the CPU seconds it took.
func blockChild(op, file, arg string) {
	if q, ok := blockQueries[op]; ok {
		db, err := sql.Open("duckdb", file)
		check(err)
		check(db.Ping())
		c0 := processCPU()
		rows, err := db.QueryContext(context.Background(), q)
		check(err)
		for rows.Next() {
		}
		check(rows.Err())
		fmt.Printf("%.4f\n", (processCPU() - c0).Seconds())
		check(db.Close())
		return
	}
	bs, n, _ := strings.Cut(arg, ":")
	count, err := strconv.Atoi(n)
	check(err)
	os.Remove(file)
	os.Remove(file + ".wal")
	db, err := sql.Open("duckdb", file+"?default_block_size="+bs)
	check(err)
	conn, err := db.Conn(context.Background())
	check(err)
	exec := func(s string) {
		_, err := conn.ExecContext(context.Background(), s)
		check(err)
	}
	switch op {
	case "big":
		exec(strings.Replace(bigTableSQL, "NROWS", n, 1))
	case "small":
		for i := range count {
			exec(fmt.Sprintf("CREATE TABLE m%06d AS SELECT range AS id, range * %d AS v FROM range(10)", i, i))
		}
	default:
		check(fmt.Errorf("bad blocks child %q", op))
	}
	exec("CHECKPOINT")
	check(conn.Close())
	check(db.Close())
}

// processCPU is the CPU time this process has used, all threads.
func processCPU() time.Duration {
	var ru syscall.Rusage
	check(syscall.Getrusage(syscall.RUSAGE_SELF, &ru))
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
