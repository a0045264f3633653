package duckdb

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/weir-sh/weir/models"
)

// DeferCatalog is the name another target's database file is attached
// under, read-only, for weir build --defer and weir diff.
const DeferCatalog = "__weir_defer"

// AttachTarget attaches target other's database file read-only as
// DeferCatalog. Its relations are then read as __weir_defer.schema.table.
func (a *Adapter) AttachTarget(ctx context.Context, other *models.Target, projectDir string) (string, error) {
	path := filePath(other, projectDir)
	if path == ":memory:" {
		return "", fmt.Errorf("target %q keeps its database in memory; another weir process cannot read it", other.Name)
	}
	if same(path, a.path) {
		return "", fmt.Errorf("target %q uses this target's database file %s; name a target with a file of its own", other.Name, path)
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("target %q has no database file at %s yet; build it first (weir build --target %s)", other.Name, path, other.Name)
	}
	stmt := fmt.Sprintf("ATTACH IF NOT EXISTS %s AS %s (READ_ONLY)", Dialect{}.QuoteLiteral(path), Dialect{}.QuoteIdent(DeferCatalog))
	if _, err := a.Exec(ctx, stmt); err != nil {
		return "", fmt.Errorf("reading target %q: %w", other.Name, lockHint(err))
	}
	return DeferCatalog, nil
}

// same reports whether two paths name one file.
func same(a, b string) bool {
	if a == b {
		return true
	}
	x, err1 := filepath.Abs(a)
	y, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && x == y
}
