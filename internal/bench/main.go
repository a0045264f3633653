// Command bench measures weir on synthetic layered projects (1,000 and
// 10,000 models, one to three parents each) and prints the figures kept
// in docs/guide/benchmarks.md: compile time and peak memory, build time of
// 1,000 table models against a plain loop of the same statements on the
// same DuckDB, and the time of a build that has nothing to do.
//
// Usage: go run ./internal/bench [-weir bin/weir] [-keep DIR]
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/weir-sh/weir/internal/synth"
)

func main() {
	weir := flag.String("weir", "bin/weir", "the weir binary to measure")
	keep := flag.String("keep", "", "write the projects here and keep them (default: a temporary folder)")
	flag.Parse()
	bin, err := filepath.Abs(*weir)
	check(err)
	root := *keep
	if root == "" {
		root, err = os.MkdirTemp("", "weir-bench-")
		check(err)
		defer os.RemoveAll(root)
	}
	fmt.Printf("weir bench (%s)\n\n", bin)
	for _, n := range []int{1000, 10000} {
		dir := filepath.Join(root, fmt.Sprintf("synth%d", n))
		os.RemoveAll(dir)
		_, err := synth.Write(dir, synth.Options{Models: n, Seed: 1})
		check(err)
		compileFigures(bin, dir, n)
	}
	buildFigures(bin, filepath.Join(root, "synth1000"))
	noopFigures(bin, filepath.Join(root, "synth10000"))
}

// compileFigures: a first compile (no cache, no artifacts), a compile with
// an empty parse cache over existing artifacts, and a warm one.
func compileFigures(bin, dir string, n int) {
	d, rss := timed(bin, dir, "compile")
	fmt.Printf("compile %6d models, first run (cold cache, writes %d files): %6.2fs  peak RSS %4d MB\n", n, n+1, d.Seconds(), rss>>10)
	check(os.RemoveAll(filepath.Join(dir, "target", "cache")))
	d, rss = timed(bin, dir, "compile")
	fmt.Printf("compile %6d models, cold parse cache:                      %6.2fs  peak RSS %4d MB\n", n, d.Seconds(), rss>>10)
	d, rss = timed(bin, dir, "compile")
	fmt.Printf("compile %6d models, warm parse cache:                      %6.2fs  peak RSS %4d MB\n", n, d.Seconds(), rss>>10)
}

// buildFigures builds the 1,000-model project on a new database with weir,
// then runs the same CREATE TABLE statements in a plain loop on one
// connection to a new database.
func buildFigures(bin, dir string) {
	const reps = 3
	var walls, loops []time.Duration
	var inModels []float64
	for range reps {
		os.Remove(filepath.Join(dir, "target", "synth.duckdb"))
		os.Remove(filepath.Join(dir, "target", "synth.duckdb.wal"))
		wall, _ := timed(bin, dir, "build", "--threads", "4")
		var rr struct {
			Elapsed float64 `json:"elapsed_s"`
		}
		data, err := os.ReadFile(filepath.Join(dir, "target", "run_results.json"))
		check(err)
		check(json.Unmarshal(data, &rr))
		walls, inModels = append(walls, wall), append(inModels, rr.Elapsed)
		loops = append(loops, plainLoop(dir, filepath.Join(dir, "target", "plain.duckdb")))
	}
	wall, loop := median(walls), median(loops)
	sort.Float64s(inModels)
	fmt.Printf("\nbuild 1000 table models (median of %d): weir build %.2fs wall (%.2fs running models); plain loop %.2fs\n",
		reps, wall.Seconds(), inModels[reps/2], loop.Seconds())
	fmt.Printf("orchestration overhead ratio (weir build wall / plain loop): %.2f\n", wall.Seconds()/loop.Seconds())
}

// median of a few durations.
func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

// plainLoop executes each compiled model as CREATE TABLE … AS, in the
// manifest's dependency order, one statement at a time on one connection.
func plainLoop(dir, dbPath string) time.Duration {
	var m struct {
		Nodes []struct {
			Name        string `json:"name"`
			CompiledSQL string `json:"compiled_sql"`
		} `json:"nodes"`
	}
	data, err := os.ReadFile(filepath.Join(dir, "target", "manifest.json"))
	check(err)
	check(json.Unmarshal(data, &m))
	// Layer folders sort in dependency order (l000 before l001 …).
	var stmts []string
	schemas := map[string]bool{}
	for _, n := range m.Nodes {
		sqlText := n.CompiledSQL
		schema, name, _ := strings.Cut(n.Name, ".")
		schemas[schema] = true
		stmts = append(stmts, fmt.Sprintf("CREATE TABLE %q.%q AS\n%s", schema, name, sqlText))
	}
	os.Remove(dbPath)
	start := time.Now()
	conn, err := sql.Open("duckdb", dbPath)
	check(err)
	ctx := context.Background()
	for s := range schemas {
		_, err := conn.ExecContext(ctx, fmt.Sprintf("CREATE SCHEMA %q", s))
		check(err)
	}
	for _, s := range stmts {
		_, err := conn.ExecContext(ctx, s)
		check(err)
	}
	check(conn.Close()) // DuckDB checkpoints on close, as weir's build does
	return time.Since(start)
}

// noopFigures times a second build of the 10,000-model project once it is
// built: the planner should find nothing to do.
func noopFigures(bin, dir string) {
	t0 := time.Now()
	_, _, err := run(bin, dir, "build", "--threads", "4")
	check(err)
	first := time.Since(t0)
	var walls []time.Duration
	var rss int64
	for range 3 {
		wall, r := timed(bin, dir, "build")
		walls, rss = append(walls, wall), max(rss, r)
	}
	fmt.Printf("\nbuild 10000 models: first %.1fs; again with nothing changed (median of 3): %.2fs wall, peak RSS %d MB\n", first.Seconds(), median(walls).Seconds(), rss>>10)
}

// timed runs weir and returns its wall time and peak RSS in KB.
func timed(bin, dir string, args ...string) (time.Duration, int64) {
	t0 := time.Now()
	rss, out, err := run(bin, dir, args...)
	if err != nil {
		fmt.Fprintf(os.Stderr, "weir %s failed: %v\n%s", strings.Join(args, " "), err, out)
		os.Exit(1)
	}
	return time.Since(t0), rss
}

func run(bin, dir string, args ...string) (int64, string, error) {
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss
	}
	return rss, string(out), err
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}
