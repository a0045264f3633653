package duckdb_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/adapters/duckdb"
	"github.com/weir-sh/weir/models"
)

// openBlockSize opens the DuckDB file of a target with the given block_size and
// returns the file's block size as DuckDB reports it.
func openBlockSize(t *testing.T, path string, blockSize int) (*duckdb.Adapter, int) {
	t.Helper()
	tg := &models.Target{Name: "dev", Adapter: "duckdb", Path: path, Threads: 1, BlockSize: blockSize}
	a, err := duckdb.Open(tg, t.TempDir())
	if err != nil {
		t.Fatalf("open with block_size %d: %v", blockSize, err)
	}
	d := a.(*duckdb.Adapter)
	n, err := d.BlockSize(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return d, n
}

// TestBlockSizeNewFile: a file weir creates has the target's block size,
// and keeps it when the setting changes.
func TestBlockSizeNewFile(t *testing.T) {
	ctx := context.Background()
	for _, bs := range []int{16384, 65536, 262144} {
		path := filepath.Join(t.TempDir(), "w.duckdb")
		a, got := openBlockSize(t, path, bs)
		if got != bs {
			t.Errorf("new file with block_size %d has blocks of %d", bs, got)
		}
		if _, err := a.Exec(ctx, "CREATE TABLE t AS SELECT range AS id FROM range(10)"); err != nil {
			t.Fatal(err)
		}
		a.Close()
		// Reopened with another setting, or none, the file opens as it is.
		for _, other := range []int{0, 16384, 262144} {
			a, got := openBlockSize(t, path, other)
			if got != bs {
				t.Errorf("file of block size %d reopened with block_size %d reports %d", bs, other, got)
			}
			rows, err := a.Query(ctx, "SELECT count(*) FROM t")
			if err != nil || rows.Values[0][0] != int64(10) {
				t.Errorf("file of block size %d reopened with block_size %d: %v %v", bs, other, rows, err)
			}
			a.Close()
		}
	}
}

// TestBlockSizeDefault: without the setting a new file has DuckDB's
// default block size.
func TestBlockSizeDefault(t *testing.T) {
	a, got := openBlockSize(t, filepath.Join(t.TempDir(), "w.duckdb"), 0)
	defer a.Close()
	if got != models.MaxBlockSize {
		t.Errorf("block size %d, want DuckDB's default %d", got, models.MaxBlockSize)
	}
}

// TestCheckTarget: a block_size the file does not have is a warning at
// the setting; a matching one, none, or a database in memory is not.
func TestCheckTarget(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "w.duckdb")
	a, _ := openBlockSize(t, path, 16384)
	a.Close()
	rng := models.Target{}.DeclRange
	rng.Filename, rng.Start.Line = "weir.hcl", 5
	for _, c := range []struct {
		path    string
		setting int
		warn    bool
	}{{path, 65536, true}, {path, 16384, false}, {path, 0, false}, {":memory:", 65536, false}} {
		tg := &models.Target{Name: "dev", Adapter: "duckdb", Path: c.path, Threads: 1, BlockSize: c.setting, BlockSizeRange: rng}
		a, err := duckdb.Open(tg, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		diags := a.(adapters.TargetChecker).CheckTarget(ctx, tg)
		a.Close()
		if !c.warn {
			if len(diags) != 0 {
				t.Errorf("%s with block_size %d: unexpected %v", c.path, c.setting, diags)
			}
			continue
		}
		if len(diags) != 1 || diags[0].Subject == nil || diags[0].Subject.Start.Line != 5 || diags.HasErrors() ||
			!strings.Contains(diags[0].Detail, "block_size = 65536") || !strings.Contains(diags[0].Detail, "blocks of 16384 bytes") {
			t.Errorf("%s with block_size %d: got %v", c.path, c.setting, diags)
		}
	}
}
