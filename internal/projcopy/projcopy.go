// Package projcopy copies a weir project folder for tests and benchmarks,
// without what a local build left in it: target/ folders and DuckDB files
// (the warehouse `make demo` writes beside weir.hcl).
package projcopy

import (
	"os"
	"path/filepath"
	"strings"
)

// Copy copies the files of the project in src into dst (created as
// needed), leaving out every folder named target and every file whose
// name holds ".duckdb" (the database, its WAL and its socket).
func Copy(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "target" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if strings.Contains(d.Name(), ".duckdb") || !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
}
