// Command bench measures weir on synthetic layered projects (internal/synth)
// and prints one row per goal of the performance work, each figure beside
// its goal and, where one exists, its floor: what bare Go doing the same
// work on the same warehouse takes. docs/benchmarks.md keeps the latest
// table and the command that produced it.
//
// Usage: go run ./internal/bench [-weir bin/weir] [-runs 5] [-keep DIR]
// [-cpuprofile DIR] [-scale 1000,10000,100000] [-noop-scale N]
// [-block-size BYTES] [-rows blocksize [-block-rows N]]
//
// Figures are wall times of the whole weir process (the median of -runs),
// peak RSS from getrusage. The Postgres rows need WEIR_TEST_POSTGRES_DSN
// (default: the local test database) and are skipped without a server.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// config is what every benchmark reads.
type config struct {
	bin     string // the weir binary
	root    string // where projects are written
	runs    int    // timed runs per figure; the median is printed
	profile string // folder for CPU profiles, "" for none
	pgDSN   string // Postgres, "" when there is none
	models  int    // size of the compile and no-op projects (10,000)
	// blockSize is the block size of the synthetic projects' DuckDB
	// files (their targets' block_size), 0 for DuckDB's default.
	blockSize int
	blockRows int // rows of the large table of the blocksize rows
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == childFlag {
		childMain(os.Args[2:]) // a floor program, as its own process
		return
	}
	weir := flag.String("weir", "bin/weir", "the weir binary to measure")
	keep := flag.String("keep", "", "write the projects here and keep them (default: a temporary folder)")
	runs := flag.Int("runs", 5, "timed runs per figure (the median is printed)")
	profile := flag.String("cpuprofile", "", "write a CPU profile of each benchmark's last weir run to this folder")
	scale := flag.String("scale", "1000,10000,100000", "project sizes of the scaling rows")
	models := flag.Int("models", 10000, "size of the project of the compile and no-op rows (smaller for a quick try)")
	noopScale := flag.Int("noop-scale", 10000, "largest project whose no-op build the scaling rows measure (each size needs a built DuckDB file of about 260 KB a model, 23 KB with -block-size 16384)")
	blockSize := flag.Int("block-size", 0, "block_size of the synthetic DuckDB targets, in bytes (16384 to 262144; default DuckDB's, 262144)")
	blockRows := flag.Int("block-rows", 10_000_000, "rows of the large table of the blocksize rows")
	only := flag.String("rows", "", "run only these groups of rows, comma-separated: compile,lineage,docs,build,postgres,noop,owner,watch,parallel,scale (default all), and blocksize (only when named: what DuckDB's block size costs large tables and saves small ones)")
	flag.Parse()
	bin, err := filepath.Abs(*weir)
	check(err)
	c := &config{bin: bin, runs: max(*runs, 1), pgDSN: postgresDSN(), models: *models, blockSize: *blockSize, blockRows: *blockRows}
	if c.root = *keep; c.root == "" {
		c.root, err = os.MkdirTemp("", "weir-bench-")
		check(err)
		defer os.RemoveAll(c.root)
	}
	if *profile != "" {
		c.profile, err = filepath.Abs(*profile)
		check(err)
		check(os.MkdirAll(c.profile, 0o755))
	}
	var sizes []int
	for _, s := range strings.Split(*scale, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		check(err)
		sizes = append(sizes, n)
	}
	fmt.Printf("weir bench (%s), median of %d runs, %s\n\n", bin, c.runs, loadAverage())
	t := &table{}
	groups := []struct {
		name string
		rows func()
	}{
		{"compile", func() { compileRows(c, t) }},
		{"lineage", func() { lineageRows(c, t) }},
		{"docs", func() { docsRows(c, t) }},
		{"build", func() { buildRows(c, t) }},
		{"postgres", func() { postgresBuildRows(c, t) }},
		{"noop", func() { noopRows(c, t) }},
		{"owner", func() { ownerRows(c, t) }},
		{"watch", func() { watchRows(c, t) }},
		{"parallel", func() { parallelRows(c, t) }},
		{"scale", func() { scaleRows(c, t, sizes, *noopScale) }},
	}
	named := strings.Split(*only, ",")
	if slices.Contains(named, "blocksize") {
		groups = append(groups, struct {
			name string
			rows func()
		}{"blocksize", func() { blockSizeRows(c, t) }})
	}
	for _, g := range groups {
		if *only == "" || slices.Contains(named, g.name) {
			g.rows()
		}
	}
	t.print(os.Stdout)
	fmt.Printf("\n%s\n", loadAverage())
}

// project writes the synthetic project of n models (once) and returns
// its folder.
func (c *config) project(name string, write func(dir string)) string {
	dir := filepath.Join(c.root, name)
	if _, err := os.Stat(filepath.Join(dir, "weir.hcl")); err != nil {
		os.RemoveAll(dir)
		write(dir)
	}
	return dir
}

// loadAverage is the machine's load, printed with the figures: the
// machine may be shared.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "load unknown"
	}
	f := strings.Fields(string(b))
	return "load average " + strings.Join(f[:3], " ")
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}
