// Package synth writes synthetic weir projects for benchmarks and
// scale tests: layered models, each reading one to three models of the
// layer below.
package synth

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
)

// Options shape a synthetic project.
type Options struct {
	Models   int    // total number of models
	PerLayer int    // models per layer (default 100)
	Seed     int64  // for the choice of parents
	Target   string // path of the DuckDB file, relative to the project (default synth.duckdb)
	// Postgres, when set, is the DSN of a Postgres target (which then
	// replaces the DuckDB one), its schemas prefixed with SchemaPrefix.
	Postgres     string
	SchemaPrefix string
	// Sleep makes every model wait this many seconds in the warehouse
	// (Postgres: pg_sleep), for measuring parallel efficiency.
	Sleep float64
	// BlockSize, when set, is the DuckDB target's block_size: the block
	// size in bytes of the file its first build creates.
	BlockSize int
}

// Write creates the project in dir (weir.hcl and models/lNNN/mNNNNN.sql)
// and returns the number of layers.
func Write(dir string, o Options) (int, error) {
	if o.PerLayer <= 0 {
		o.PerLayer = 100
	}
	if o.Target == "" {
		o.Target = "synth.duckdb" // outside target/, which a fresh clone lacks
	}
	rng := rand.New(rand.NewSource(o.Seed))
	blockSize := ""
	if o.BlockSize != 0 {
		blockSize = fmt.Sprintf("  block_size = %d\n", o.BlockSize)
	}
	hcl := fmt.Sprintf("name = \"synth\"\ntarget \"dev\" {\n  adapter = \"duckdb\"\n  path    = %q\n  threads = 4\n%s}\n", o.Target, blockSize)
	if o.Postgres != "" {
		hcl = fmt.Sprintf("name = \"synth\"\ntarget \"dev\" {\n  adapter       = \"postgres\"\n  dsn           = %q\n  schema_prefix = %q\n  threads       = 4\n}\n", o.Postgres, o.SchemaPrefix)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	if err := os.WriteFile(filepath.Join(dir, "weir.hcl"), []byte(hcl), 0o644); err != nil {
		return 0, err
	}
	layers := (o.Models + o.PerLayer - 1) / o.PerLayer
	for i := 0; i < o.Models; i++ {
		layer := i / o.PerLayer
		path := filepath.Join(dir, "models", fmt.Sprintf("l%03d", layer), fmt.Sprintf("m%05d.sql", i))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return 0, err
		}
		if err := os.WriteFile(path, []byte(modelSQL(rng, i, layer, o)), 0o644); err != nil {
			return 0, err
		}
	}
	return layers, nil
}

// modelSQL is a trivial model: a small range in the first layer, a join
// of one to three parents of the layer below after that.
func modelSQL(rng *rand.Rand, i, layer int, o Options) string {
	perLayer := o.PerLayer
	sleep := ""
	if o.Sleep > 0 {
		sleep = fmt.Sprintf("\nCROSS JOIN (SELECT pg_sleep(%g)) AS z", o.Sleep)
	}
	if layer == 0 {
		from := "range(10)"
		if o.Postgres != "" {
			from = "generate_series(0, 9) AS range"
		}
		return fmt.Sprintf("-- synthetic model %d\nSELECT range AS id, range * %d AS v\nFROM %s%s\n", i, i, from, sleep)
	}
	n := 1 + rng.Intn(3)
	picked := map[int]bool{}
	var parents []string
	for len(parents) < n {
		j := (layer-1)*perLayer + rng.Intn(perLayer)
		if !picked[j] {
			picked[j] = true
			parents = append(parents, fmt.Sprintf("l%03d.m%05d", layer-1, j))
		}
	}
	sql := "-- synthetic model\nSELECT p0.id, (p0.v"
	for k := 1; k < len(parents); k++ {
		sql += fmt.Sprintf(" + p%d.v", k)
	}
	sql += ") % 1000003 AS v\nFROM " + parents[0] + " AS p0"
	for k := 1; k < len(parents); k++ {
		sql += fmt.Sprintf("\nJOIN %s AS p%d USING (id)", parents[k], k)
	}
	return sql + sleep + "\n"
}
