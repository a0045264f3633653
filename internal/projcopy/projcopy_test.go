package projcopy

import (
	"os"
	"path/filepath"
	"testing"
)

func TestCopyLeavesBuildOutputs(t *testing.T) {
	src := t.TempDir()
	write := func(rel, body string) {
		p := filepath.Join(src, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("weir.hcl", "x")
	write("models/a/b.sql", "select 1")
	write("target/manifest.json", "{}")
	write("warehouse.duckdb", "db")
	write("warehouse.duckdb.wal", "wal")
	dst := filepath.Join(t.TempDir(), "copy")
	if err := Copy(src, dst); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(dst, "models/a/b.sql")); err != nil || string(b) != "select 1" {
		t.Fatalf("models/a/b.sql: %q, %v", b, err)
	}
	for _, gone := range []string{"target", "warehouse.duckdb", "warehouse.duckdb.wal"} {
		if _, err := os.Stat(filepath.Join(dst, gone)); !os.IsNotExist(err) {
			t.Errorf("%s was copied", gone)
		}
	}
}
